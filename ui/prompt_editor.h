#pragma once

// The prompt editor: what to generate and how. Shows, while the user types, which words
// the model knows, the caption the prompt expander makes of the prompt ("The model
// will see: ..."), a sketch of that scene drawn by the shapes-world renderer, and a
// refusal when the safety check says no. Emits generateRequested; the app queues it.

#include "prompt/prompt.h"

#include <QImage>
#include <QMetaType>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace kinora::ui {

class PromptHighlighter;
class VocabularyChips;

struct PromptRequest {
    QString prompt, negative, expanded;
    quint64 seed = 0;
    double seconds = 2.0;
    int steps = 20;
    double guidance = 5.0;
    QString modelDir;
};

class PromptEditor : public QWidget {
    Q_OBJECT

public:
    // What happens to the seed box after a generation is requested.
    enum class SeedMode { Fixed, Random, Increment };
    Q_ENUM(SeedMode)

    static constexpr int kHistorySize = 20;

    explicit PromptEditor(QWidget* parent = nullptr);
    ~PromptEditor() override;

    PromptRequest currentRequest() const;

    void setPrompt(const QString& prompt);
    QString prompt() const;
    void setNegativePrompt(const QString& negative);
    // Loads every field of a request (e.g. to reuse a take's settings); an empty
    // modelDir keeps the current pack.
    void setRequest(const PromptRequest& request);

    // Words the current model pack's vocabulary holds; they are never marked unknown.
    void setVocabulary(const QStringList& words);
    // The seed a finished or running generation actually used.
    void setLastUsedSeed(quint64 seed);
    void setModelDirs(const QStringList& dirs, const QString& current);

    // Keyboard focus to the prompt box: at start and after each queued generation, since
    // typing a prompt is what a person does next.
    void focusPrompt();

    void setSeed(quint64 seed);
    quint64 seed() const;
    void setSeedMode(SeedMode mode);
    SeedMode seedMode() const;
    void setSteps(int steps);
    void setGuidance(double guidance);
    void setSeconds(double seconds);

    // Most recent first, at most kHistorySize entries.
    QStringList promptHistory() const;
    void setPromptHistory(const QStringList& prompts);

    // The expander's caption of the current prompt, "" when there is none.
    QString expandedPrompt() const;
    // Words of the prompt neither the expander nor the vocabulary can place.
    QStringList unknownWords() const;
    // Whether Generate is possible now (a prompt that the safety check allows).
    bool canGenerate() const;
    // The safety check's refusal of the current prompt, "" when allowed.
    QString refusal() const;
    QImage sketch() const;
    // How long after the last key the prompt is analysed and sketched.
    static constexpr int kAnalysisDelayMs = 120;

public Q_SLOTS:
    // Emits generateRequested when canGenerate(), then applies the seed mode. Returns
    // whether it emitted.
    bool generate();

    // The time a generation with these settings will take, shown beside Generate.
    void setEstimate(const QString& text);
    QString estimate() const;

Q_SIGNALS:
    void generateRequested(const kinora::ui::PromptRequest& request);
    void modelDirChanged(const QString& dir);
    void promptHistoryChanged(const QStringList& prompts);
    void promptChanged(const QString& prompt); // as the user types
    void costChanged();                        // the duration or the steps

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private Q_SLOTS:
    void onPromptTextChanged();
    void onChipsChipClicked(kinora::prompt::WordKind kind, const QString& word);
    void onUseLastSeedClicked();
    void onRandomSeedClicked();
    void onModelComboActivated(int index);

private:
    void buildUi();
    void retranslateUi();
    void updateAnalysis();
    // Typing restarts a short timer and the analysis (expander, safety check, sketch) runs
    // when it fires, not on every key; anything that reads the result first runs it now.
    void flushAnalysis() const;
    QString attributeName(const QString& attribute) const;
    void rememberPrompt(const QString& prompt);
    void rebuildHistoryMenu();
    void replaceRange(int start, int end, const QString& text);

    QPlainTextEdit* m_promptEdit = nullptr;
    QPlainTextEdit* m_negativeEdit = nullptr;
    PromptHighlighter* m_highlighter = nullptr;
    PromptHighlighter* m_negativeHighlighter = nullptr;
    QLabel* m_promptLabel = nullptr;
    QLabel* m_negativeLabel = nullptr;
    QLabel* m_expandedLabel = nullptr;
    QLabel* m_notesLabel = nullptr;
    QLabel* m_refusalLabel = nullptr;
    QLabel* m_sketchLabel = nullptr;
    VocabularyChips* m_chips = nullptr;
    QLabel* m_seedLabel = nullptr;
    QLineEdit* m_seedEdit = nullptr;
    QComboBox* m_seedModeCombo = nullptr;
    QToolButton* m_randomSeedButton = nullptr;
    QLabel* m_lastSeedLabel = nullptr;
    QToolButton* m_useLastSeedButton = nullptr;
    QLabel* m_secondsLabel = nullptr;
    QDoubleSpinBox* m_secondsSpin = nullptr;
    QLabel* m_stepsLabel = nullptr;
    QSpinBox* m_stepsSpin = nullptr;
    QLabel* m_guidanceLabel = nullptr;
    QDoubleSpinBox* m_guidanceSpin = nullptr;
    QLabel* m_modelLabel = nullptr;
    QComboBox* m_modelCombo = nullptr;
    QToolButton* m_historyButton = nullptr;
    QLabel* m_estimateLabel = nullptr;
    QPushButton* m_generateButton = nullptr;

    QStringList m_history;
    QSet<QString> m_vocabulary;
    QString m_expanded;
    QStringList m_unknown;
    QString m_refusal;
    QImage m_sketch;
    QTimer* m_analysisTimer = nullptr; // running while the analysis is behind the text
    quint64 m_lastUsedSeed = 0;
    bool m_hasLastUsedSeed = false;
};

} // namespace kinora::ui

Q_DECLARE_METATYPE(kinora::ui::PromptRequest)

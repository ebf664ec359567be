#pragma once

// Marks the words of a prompt the way the prompt expander reads them: world words
// (colours, shapes, motions, ...) stand out, words nobody can place are underlined in
// red. A word the model's own vocabulary has is never marked unknown.

#include "prompt/prompt.h"

#include <QSet>
#include <QString>
#include <QSyntaxHighlighter>
#include <QVector>

namespace kinora::ui {

// One word or phrase of a prompt, as kinora::prompt::analyseWords reads it, with its
// span in UTF-16 code units (QString positions) rather than UTF-8 bytes.
struct PromptWord {
    QString text;
    prompt::WordKind kind = prompt::WordKind::Unknown;
    QString canonical;
    int start = 0;
    int length = 0;
    int end() const { return start + length; }
};

QVector<PromptWord> analysePromptWords(const QString& text);

// Whether a word names something in the world (not a stop word, not unknown).
bool isWorldWord(prompt::WordKind kind);

// Replace [start, end) of a prompt with text.
struct PromptTextEdit {
    int start = 0;
    int end = 0;
    QString text;
};

// What a vocabulary chip does to a prompt: replaces the first word (or run of words)
// of its kind with its word, or inserts the word where a canonical caption has it ("a
// small red circle moving to the left on a black background").
PromptTextEdit chipEdit(const QString& prompt, prompt::WordKind kind, const QString& word);

class PromptHighlighter : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit PromptHighlighter(QTextDocument* document);

    // Lower-case words the model's vocabulary holds.
    void setVocabulary(const QSet<QString>& words);
    bool isKnown(const PromptWord& word) const;

    static QTextCharFormat unknownFormat();
    static QTextCharFormat worldWordFormat();

protected:
    void highlightBlock(const QString& text) override;

private:
    QSet<QString> m_vocabulary;
};

} // namespace kinora::ui

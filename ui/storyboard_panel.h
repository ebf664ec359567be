#pragma once

// The storyboard panel: a list of shots (prompt, seconds, how it joins the shot before),
// edited as one undo step per change; Generate all makes the shots that have no clip yet,
// each landing on the timeline as its own clip; Re-roll shot makes the selected shot again
// (app::Studio::generateBoard, rerollShot).

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace kinora::app {
class Studio;
struct Board;
}

namespace kinora::ui {

class StoryboardPanel : public QWidget {
    Q_OBJECT

public:
    explicit StoryboardPanel(app::Studio* studio, QWidget* parent = nullptr);

    enum Column { PromptColumn, SecondsColumn, JoinColumn, ClipColumn, ColumnCount };

    QTableWidget* table() const { return m_table; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QPushButton* upButton() const { return m_up; }
    QPushButton* downButton() const { return m_down; }
    QPushButton* generateButton() const { return m_generate; }
    QPushButton* rerollButton() const { return m_reroll; }
    // The prompt a new shot starts with when the board is empty (the prompt editor's).
    void setDefaultPrompt(const QString& prompt) { m_defaultPrompt = prompt; }

Q_SIGNALS:
    // A shot's clip was double-clicked: show it.
    void clipRequested(const QString& clipId);

private:
    void rebuild();
    void updateStatus();
    void updateButtons();
    void commit(const app::Board& board, const QString& text);
    void addShot();
    void removeShot();
    void moveShot(int by);
    void onPromptEdited(int row, int column);

    app::Studio* m_studio;
    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_up;
    QPushButton* m_down;
    QPushButton* m_generate;
    QPushButton* m_reroll;
    QLabel* m_total;
    QString m_defaultPrompt;
    bool m_rebuilding = false;
};

} // namespace kinora::ui

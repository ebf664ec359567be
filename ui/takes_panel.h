#pragma once

// The takes of the selected clip: pick one to make it active (undoable; the clip's
// trims stay), or re-roll for another.

#include <QString>
#include <QWidget>

class QListWidget;
class QPushButton;
class QLabel;

namespace kinora::app {
class Studio;
}

namespace kinora::ui {

class TakesPanel : public QWidget {
    Q_OBJECT

public:
    explicit TakesPanel(app::Studio* studio, QWidget* parent = nullptr);

    void setClip(const QString& clipId);
    QString clip() const { return m_clipId; }
    QListWidget* list() const { return m_list; }

Q_SIGNALS:
    void rerollRequested();

private:
    void rebuild();
    void onListCurrentRowChanged(int row);

    app::Studio* m_studio;
    QString m_clipId;
    QListWidget* m_list;
    QLabel* m_details;
    QPushButton* m_reroll;
    bool m_rebuilding = false;
};

} // namespace kinora::ui

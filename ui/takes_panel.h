#pragma once

// The takes of the selected clip: pick one to make it active (undoable; the clip's
// trims stay), re-roll for another, or copy the active take's generation record (JSON), which
// `kinora-cli redo --from record.json` makes again frame for frame from the project's media.

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
    QPushButton* m_copyRecord;
    bool m_rebuilding = false;
};

} // namespace kinora::ui

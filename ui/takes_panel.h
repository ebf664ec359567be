#pragma once

// The takes of the selected clip: pick one to make it active (undoable; the clip's
// trims stay), re-roll for another, or copy the active take's generation record (JSON), which
// `kinora-cli redo --from record.json` makes again frame for frame from the project's media.
// The Lineage tab shows the active take's history as a graph (ui/lineage_view.h).

#include <QString>
#include <QWidget>

class QListWidget;
class QPushButton;
class QLabel;
class QTabWidget;

namespace kinora::app {
struct Clip;
class Studio;
}

namespace kinora::ui {

class LineageView;

class TakesPanel : public QWidget {
    Q_OBJECT

public:
    explicit TakesPanel(app::Studio* studio, QWidget* parent = nullptr);

    void setClip(const QString& clipId);
    QString clip() const { return m_clipId; }
    QListWidget* list() const { return m_list; }
    LineageView* lineage() const { return m_lineage; }
    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    void rerollRequested();
    // A take of another clip was picked in the lineage graph: show that clip.
    void clipRequested(const QString& clipId);

private:
    void rebuild();
    void rebuildLineage(const app::Clip& clip);
    void onListCurrentRowChanged(int row);

    app::Studio* m_studio;
    QString m_clipId;
    QListWidget* m_list;
    QTabWidget* m_tabs;
    LineageView* m_lineage;
    QLabel* m_details;
    QPushButton* m_reroll;
    QPushButton* m_copyRecord;
    bool m_rebuilding = false;
};

} // namespace kinora::ui

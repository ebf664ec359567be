#pragma once

// The timeline: one video track of clips drawn with thumbnails of their active take,
// a ruler and a playhead. Drag a clip to reorder, drag its edges to trim, click the
// ruler to move the playhead; snapping pulls edges and the playhead to clip
// boundaries. Every change goes through the document's request*() (undoable; a drag
// is one undo step).

#include <QString>
#include <QWidget>

namespace kinora::app {
class Studio;
}

namespace kinora::ui {

class Timeline : public QWidget {
    Q_OBJECT

public:
    explicit Timeline(app::Studio* studio, QWidget* parent = nullptr);

    QString selectedClip() const { return m_selected; }
    void setSelectedClip(const QString& clipId);
    int playhead() const { return m_playhead; }
    void setPlayhead(int frame);

    double pixelsPerFrame() const { return m_pixelsPerFrame; }
    void setPixelsPerFrame(double ppf);
    bool snapping() const { return m_snapping; }
    void setSnapping(bool on) { m_snapping = on; }

    // Geometry, for hit tests and GUI tests.
    QRect clipRect(int index) const;
    // The centre of the mark on the join after clip `index`.
    QPoint joinMark(int index) const;
    // The join whose mark is at `pos` (within a few pixels): the clip before it, or -1.
    int joinAt(const QPoint& pos) const;
    int frameAt(int x) const;
    int xForFrame(int frame) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    bool splitAtPlayhead();
    bool deleteSelected();

Q_SIGNALS:
    void selectionChanged(const QString& clipId);
    void playheadChanged(int frame);
    void joinActivated(int index); // a join mark was double-clicked: the join after clip `index`

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool event(QEvent* event) override; // tooltips of the join marks

private:
    enum class Drag { None, Playhead, Move, TrimLeft, TrimRight };
    void onDocumentChanged();
    void updateWidth();
    int snapFrame(int frame, int excludeClip) const;
    int trackTop() const;
    int trackHeight() const;

    app::Studio* m_studio;
    QString m_selected;
    int m_playhead = 0;
    double m_pixelsPerFrame = 8.0;
    bool m_snapping = true;

    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    bool m_dragStarted = false;
    int m_dragTrimIn = 0;
    int m_dragTrimOut = 0;
    int m_dragFrame = 0;
};

} // namespace kinora::ui

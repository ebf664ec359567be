#pragma once

// The join inspector: the last frames shown of one clip and the first of the next, played
// slowly in a loop, each beside its difference from the frame before (brighter = more
// change), with the join's measured seam ratio. "Smooth this join" queues a bridge that
// remakes the frames on both sides of it (Studio::queueSmoothJoin) and closes.
// Keys: Space plays or pauses, Left/Right step, Escape closes.

#include <QDialog>
#include <QImage>
#include <QString>
#include <QTimer>
#include <QVector>

class QLabel;
class QPushButton;

namespace kinora::app {
class Studio;
}

namespace kinora::ui {

class JoinInspector : public QDialog {
    Q_OBJECT

public:
    static constexpr int kFramesEachSide = 4;

    JoinInspector(app::Studio* studio, int joinIndex, QWidget* parent = nullptr);

    int joinIndex() const { return m_index; }
    int frameCount() const { return m_frames.size(); } // 0 until loaded
    int current() const { return m_current; }
    void showFrame(int i);
    bool isPlaying() const { return m_timer.isActive(); }
    void setPlaying(bool on);
    QPushButton* smoothButton() const { return m_smooth; }
    // The difference picture of frame i against frame i - 1 (black for the first).
    QImage difference(int i) const;

Q_SIGNALS:
    void loaded();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void load();
    void updateRatio();

    app::Studio* m_studio;
    int m_index;
    QVector<QImage> m_frames;
    int m_beforeCount = 0; // frames from the first clip
    int m_current = 0;
    QTimer m_timer;
    QLabel* m_picture;
    QLabel* m_diff;
    QLabel* m_where;
    QLabel* m_ratio;
    QPushButton* m_play;
    QPushButton* m_smooth;
};

} // namespace kinora::ui

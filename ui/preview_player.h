#pragma once

// The preview player: shows a take (frames in memory), a media file (QMediaPlayer), or
// the in-progress preview frames of a running job. Both sources end in one QVideoSink,
// painted by a VideoView. Play/pause (Space), frame step (Left/Right), J/K/L shuttle,
// I/O marks, loop, scrubbing and an HH:MM:SS:FF timecode.

#include <QImage>
#include <QUrl>
#include <QVector>
#include <QVideoFrame>
#include <QWidget>

class QAction;
class QLabel;
class QMediaPlayer;
class QTimer;
class QToolButton;
class QVideoSink;

namespace kinora::ui {

class ScrubBar;
class VideoView;

class PreviewPlayer : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxShuttleSpeed = 8;

    explicit PreviewPlayer(QWidget* parent = nullptr);
    ~PreviewPlayer() override;

    // An in-progress preview during a job: shown at once, playback stops. The loaded
    // take or file stays loaded; seeking or playing shows it again.
    void showFrame(const QImage& image);
    // A take: frames of equal size at fps frames per second. Position goes to 0 and
    // the marks are cleared.
    void setFrames(const QVector<QImage>& frames, double fps);
    // A media file, played by QMediaPlayer (frame rate from its metadata).
    void setSource(const QUrl& url);
    void clear();

    int position() const { return m_position; } // frame index, 0-based
    int frameCount() const;
    double fps() const { return m_fps; }
    void seek(int frame);

    int markIn() const { return m_markIn; } // -1: unset
    int markOut() const { return m_markOut; }
    void setMarkIn(int frame);
    void setMarkOut(int frame);
    void clearMarks();

    bool loop() const { return m_loop; }
    void setLoop(bool loop);
    bool isPlaying() const { return m_speed != 0; }
    // Frames per tick and direction: 0 stopped, 1 normal play, -2 double speed back...
    int shuttleSpeed() const { return m_speed; }

    // "HH:MM:SS:FF" of the current position.
    QString timecode() const;
    static QString formatTimecode(int frame, double fps);

    QVideoSink* videoSink() const;
    // The image on screen now.
    QImage currentImage() const;

public Q_SLOTS:
    void play();
    void pause();
    void togglePlayPause();
    void stepForward();
    void stepBackward();
    void shuttleForward(); // L
    void shuttleReverse(); // J
    void shuttleStop(); // K
    void markInHere(); // I
    void markOutHere(); // O

Q_SIGNALS:
    void positionChanged(int frame);
    void markInChanged(int frame);
    void markOutChanged(int frame);
    void frameCountChanged(int frames);
    void playingChanged(bool playing);
    // Playing forwards (not looping) reached the last frame: the timeline may go on.
    void playedToEnd();
    void errorOccurred(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private Q_SLOTS:
    void onTimerTimeout();
    void onScrubBarValueChanged(int value);
    void onMediaPlayerPositionChanged(qint64 ms);
    void onMediaPlayerDurationChanged(qint64 ms);
    void onMediaPlayerMetaDataChanged();
    void onMediaPlayerErrorOccurred();

private:
    enum class Source { None, Frames, File };

    void buildUi();
    void retranslateUi();
    QAction* addShortcut(const QKeySequence& keys, void (PreviewPlayer::*slot)());
    void setSpeed(int speed);
    void showPosition(int frame, bool push);
    void pushFrame(int frame);
    void updateControls();
    QMediaPlayer* mediaPlayer();

    VideoView* m_view = nullptr;
    ScrubBar* m_scrub = nullptr;
    QToolButton* m_playButton = nullptr;
    QToolButton* m_stepBackButton = nullptr;
    QToolButton* m_stepForwardButton = nullptr;
    QToolButton* m_loopButton = nullptr;
    QLabel* m_timecodeLabel = nullptr;
    QLabel* m_marksLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QTimer* m_timer = nullptr;
    QMediaPlayer* m_player = nullptr;

    Source m_source = Source::None;
    QVector<QImage> m_frames;
    QVector<QVideoFrame> m_videoFrames; // made on first show
    double m_fps = 8.0;
    int m_fileFrames = 0;
    int m_position = 0;
    int m_speed = 0;
    bool m_loop = false;
    bool m_live = false;
    int m_markIn = -1;
    int m_markOut = -1;
};

// A QVideoFrame holding a copy of the image (RGBA8888), or an invalid frame.
QVideoFrame videoFrameFromImage(const QImage& image);

} // namespace kinora::ui

#include "ui/preview_player.h"

#include "ui/scrub_bar.h"
#include "ui/video_view.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaMetaData>
#include <QMediaPlayer>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVideoFrameFormat>
#include <QVideoSink>

#include <cmath>
#include <cstring>

namespace kinora::ui {

namespace {

constexpr double kDefaultFps = 8.0;
constexpr int kMinTickMs = 5;

} // namespace

QVideoFrame videoFrameFromImage(const QImage& image)
{
    if (image.isNull())
        return {};
    const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
    QVideoFrame frame(QVideoFrameFormat(rgba.size(), QVideoFrameFormat::Format_RGBA8888));
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    const int rowBytes = rgba.width() * 4;
    for (int y = 0; y < rgba.height(); ++y)
        std::memcpy(frame.bits(0) + static_cast<qsizetype>(y) * frame.bytesPerLine(0), rgba.constScanLine(y),
            rowBytes);
    frame.unmap();
    return frame;
}

PreviewPlayer::PreviewPlayer(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &PreviewPlayer::onTimerTimeout);
    buildUi();
    retranslateUi();
    updateControls();
}

PreviewPlayer::~PreviewPlayer() = default;

void PreviewPlayer::buildUi()
{
    m_view = new VideoView(this);
    m_view->setObjectName(QStringLiteral("videoView"));
    m_scrub = new ScrubBar(this);
    m_scrub->setObjectName(QStringLiteral("scrubBar"));

    auto makeButton = [this](const char* name, QStyle::StandardPixmap icon) {
        auto* button = new QToolButton(this);
        button->setObjectName(QLatin1String(name));
        button->setIcon(style()->standardIcon(icon));
        button->setFocusPolicy(Qt::NoFocus); // Space and the arrows belong to the player
        button->setAutoRaise(true);
        return button;
    };
    m_stepBackButton = makeButton("stepBackButton", QStyle::SP_MediaSeekBackward);
    m_playButton = makeButton("playButton", QStyle::SP_MediaPlay);
    m_stepForwardButton = makeButton("stepForwardButton", QStyle::SP_MediaSeekForward);
    m_loopButton = makeButton("loopButton", QStyle::SP_BrowserReload);
    m_loopButton->setCheckable(true);

    m_timecodeLabel = new QLabel(this);
    m_timecodeLabel->setObjectName(QStringLiteral("timecodeLabel"));
    QFont mono = m_timecodeLabel->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    m_timecodeLabel->setFont(mono);
    m_marksLabel = new QLabel(this);
    m_marksLabel->setObjectName(QStringLiteral("marksLabel"));
    m_speedLabel = new QLabel(this);
    m_speedLabel->setObjectName(QStringLiteral("speedLabel"));

    auto* controls = new QHBoxLayout;
    controls->setSpacing(2);
    controls->addWidget(m_stepBackButton);
    controls->addWidget(m_playButton);
    controls->addWidget(m_stepForwardButton);
    controls->addWidget(m_loopButton);
    controls->addSpacing(6);
    controls->addWidget(m_timecodeLabel);
    controls->addSpacing(6);
    controls->addWidget(m_speedLabel);
    controls->addStretch(1);
    controls->addWidget(m_marksLabel);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_scrub);
    layout->addLayout(controls);

    connect(m_playButton, &QToolButton::clicked, this, &PreviewPlayer::togglePlayPause);
    connect(m_stepBackButton, &QToolButton::clicked, this, &PreviewPlayer::stepBackward);
    connect(m_stepForwardButton, &QToolButton::clicked, this, &PreviewPlayer::stepForward);
    connect(m_loopButton, &QToolButton::toggled, this, &PreviewPlayer::setLoop);
    connect(m_scrub, &ScrubBar::valueChanged, this, &PreviewPlayer::onScrubBarValueChanged);

    // Shortcuts live on the player (and its children), so the timeline can give the
    // same keys other meanings when it has the focus.
    addShortcut(Qt::Key_Space, &PreviewPlayer::togglePlayPause);
    addShortcut(Qt::Key_Left, &PreviewPlayer::stepBackward);
    addShortcut(Qt::Key_Right, &PreviewPlayer::stepForward);
    addShortcut(Qt::Key_J, &PreviewPlayer::shuttleReverse);
    addShortcut(Qt::Key_K, &PreviewPlayer::shuttleStop);
    addShortcut(Qt::Key_L, &PreviewPlayer::shuttleForward);
    addShortcut(Qt::Key_I, &PreviewPlayer::markInHere);
    addShortcut(Qt::Key_O, &PreviewPlayer::markOutHere);
}

QAction* PreviewPlayer::addShortcut(const QKeySequence& keys, void (PreviewPlayer::*slot)())
{
    auto* action = new QAction(this);
    action->setShortcut(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(action, &QAction::triggered, this, slot);
    addAction(action);
    return action;
}

void PreviewPlayer::retranslateUi()
{
    m_view->setPlaceholderText(tr("No clip. Generate one, or pick a take on the timeline."));
    m_playButton->setToolTip(tr("Play or pause (Space)"));
    m_stepBackButton->setToolTip(tr("Previous frame (Left)"));
    m_stepForwardButton->setToolTip(tr("Next frame (Right)"));
    m_loopButton->setToolTip(tr("Loop (between the marks when both are set)"));
    m_scrub->setToolTip(tr("Drag to scrub; I and O set the marks"));
    updateControls();
}

void PreviewPlayer::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PreviewPlayer::showFrame(const QImage& image)
{
    setSpeed(0);
    if (m_player)
        m_player->pause();
    m_live = true;
    m_view->videoSink()->setVideoFrame(videoFrameFromImage(image));
    updateControls();
}

void PreviewPlayer::setFrames(const QVector<QImage>& frames, double fps)
{
    setSpeed(0);
    if (m_player)
        m_player->setSource(QUrl());
    m_source = frames.isEmpty() ? Source::None : Source::Frames;
    m_frames = frames;
    m_videoFrames = QVector<QVideoFrame>(frames.size());
    m_fps = fps > 0 ? fps : kDefaultFps;
    m_position = 0;
    m_live = false;
    clearMarks();
    if (frames.isEmpty())
        m_view->videoSink()->setVideoFrame(QVideoFrame());
    else
        pushFrame(0);
    Q_EMIT frameCountChanged(frameCount());
    Q_EMIT positionChanged(0);
    updateControls();
}

void PreviewPlayer::setSource(const QUrl& url)
{
    setSpeed(0);
    m_frames.clear();
    m_videoFrames.clear();
    m_source = url.isEmpty() ? Source::None : Source::File;
    m_fps = kDefaultFps;
    m_fileFrames = 0;
    m_position = 0;
    m_live = false;
    clearMarks();
    mediaPlayer()->setSource(url);
    if (!url.isEmpty())
        m_player->pause(); // loads and shows the first frame
    Q_EMIT frameCountChanged(frameCount());
    Q_EMIT positionChanged(0);
    updateControls();
}

void PreviewPlayer::clear()
{
    setFrames({}, kDefaultFps);
}

int PreviewPlayer::frameCount() const
{
    switch (m_source) {
    case Source::Frames:
        return m_frames.size();
    case Source::File:
        return m_fileFrames;
    case Source::None:
        break;
    }
    return 0;
}

void PreviewPlayer::seek(int frame)
{
    if (frameCount() <= 0)
        return;
    showPosition(qBound(0, frame, frameCount() - 1), true);
}

void PreviewPlayer::showPosition(int frame, bool push)
{
    const bool moved = frame != m_position;
    m_position = frame;
    if (push || m_live) {
        m_live = false;
        if (m_source == Source::Frames)
            pushFrame(frame);
        else if (m_source == Source::File && m_player)
            m_player->setPosition(static_cast<qint64>(std::ceil(frame * 1000.0 / m_fps)));
    }
    updateControls();
    if (moved)
        Q_EMIT positionChanged(frame);
}

void PreviewPlayer::pushFrame(int frame)
{
    if (frame < 0 || frame >= m_frames.size())
        return;
    if (!m_videoFrames[frame].isValid())
        m_videoFrames[frame] = videoFrameFromImage(m_frames[frame]);
    m_view->videoSink()->setVideoFrame(m_videoFrames[frame]);
}

void PreviewPlayer::setMarkIn(int frame)
{
    frame = frame < 0 ? -1 : qMin(frame, qMax(0, frameCount() - 1));
    if (frame == m_markIn)
        return;
    m_markIn = frame;
    Q_EMIT markInChanged(frame);
    if (frame >= 0 && m_markOut >= 0 && m_markOut < frame)
        setMarkOut(-1); // an out before the in means nothing any more
    updateControls();
}

void PreviewPlayer::setMarkOut(int frame)
{
    frame = frame < 0 ? -1 : qMin(frame, qMax(0, frameCount() - 1));
    if (frame == m_markOut)
        return;
    m_markOut = frame;
    Q_EMIT markOutChanged(frame);
    if (frame >= 0 && m_markIn > frame)
        setMarkIn(-1);
    updateControls();
}

void PreviewPlayer::clearMarks()
{
    setMarkIn(-1);
    setMarkOut(-1);
}

void PreviewPlayer::markInHere()
{
    if (frameCount() > 0)
        setMarkIn(m_position);
}

void PreviewPlayer::markOutHere()
{
    if (frameCount() > 0)
        setMarkOut(m_position);
}

void PreviewPlayer::setLoop(bool loop)
{
    if (loop == m_loop)
        return;
    m_loop = loop;
    if (m_player)
        m_player->setLoops(loop ? QMediaPlayer::Infinite : 1);
    m_loopButton->setChecked(loop);
}

QString PreviewPlayer::formatTimecode(int frame, double fps)
{
    // Whole frames per second; a 29.97 fps clip counts 30 (non-drop-frame timecode).
    const int perSecond = qMax(1, qRound(fps));
    const int ff = frame % perSecond;
    const int totalSeconds = frame / perSecond;
    return QStringLiteral("%1:%2:%3:%4")
        .arg(totalSeconds / 3600, 2, 10, QLatin1Char('0'))
        .arg(totalSeconds / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(totalSeconds % 60, 2, 10, QLatin1Char('0'))
        .arg(ff, 2, 10, QLatin1Char('0'));
}

QString PreviewPlayer::timecode() const
{
    return formatTimecode(m_position, m_fps);
}

QVideoSink* PreviewPlayer::videoSink() const
{
    return m_view->videoSink();
}

QImage PreviewPlayer::currentImage() const
{
    return m_view->currentImage();
}

void PreviewPlayer::play()
{
    if (frameCount() <= 0)
        return;
    if (!m_loop && m_position >= frameCount() - 1)
        seek(0); // play from the start again, as every player does
    setSpeed(1);
}

void PreviewPlayer::pause()
{
    setSpeed(0);
}

void PreviewPlayer::togglePlayPause()
{
    if (isPlaying())
        pause();
    else
        play();
}

void PreviewPlayer::stepForward()
{
    setSpeed(0);
    seek(m_position + 1);
}

void PreviewPlayer::stepBackward()
{
    setSpeed(0);
    seek(m_position - 1);
}

void PreviewPlayer::shuttleForward()
{
    if (frameCount() <= 0)
        return;
    if (m_speed <= 0 && !m_loop && m_position >= frameCount() - 1)
        seek(0);
    setSpeed(m_speed <= 0 ? 1 : qMin(m_speed * 2, kMaxShuttleSpeed));
}

void PreviewPlayer::shuttleReverse()
{
    if (frameCount() <= 0)
        return;
    if (m_speed >= 0 && !m_loop && m_position <= 0)
        seek(frameCount() - 1);
    setSpeed(m_speed >= 0 ? -1 : qMax(m_speed * 2, -kMaxShuttleSpeed));
}

void PreviewPlayer::shuttleStop()
{
    setSpeed(0);
}

void PreviewPlayer::setSpeed(int speed)
{
    const bool wasPlaying = isPlaying();
    m_speed = speed;
    const bool useMediaPlayer = m_source == Source::File && m_player && speed > 0;
    if (speed == 0 || useMediaPlayer) {
        m_timer->stop();
    } else {
        const double framesPerSecond = m_fps * std::abs(speed);
        m_timer->start(qMax(kMinTickMs, qRound(1000.0 / framesPerSecond)));
    }
    if (m_source == Source::File && m_player) {
        if (speed > 0) {
            m_player->setPlaybackRate(speed);
            m_player->play();
        } else {
            m_player->pause(); // backwards is stepped by the timer
        }
    }
    if (wasPlaying != isPlaying())
        Q_EMIT playingChanged(isPlaying());
    updateControls();
}

void PreviewPlayer::onTimerTimeout()
{
    const int count = frameCount();
    if (count <= 0 || m_speed == 0) {
        setSpeed(0);
        return;
    }
    // Loops between the marks when both are set, else over the whole clip.
    const bool marked = m_markIn >= 0 && m_markOut >= 0;
    const int first = m_loop && marked ? m_markIn : 0;
    const int last = m_loop && marked ? m_markOut : count - 1;
    int next = m_position + (m_speed > 0 ? 1 : -1);
    if (next > last || next < first) {
        if (!m_loop) {
            const bool forwardsToEnd = next > last && m_speed > 0;
            seek(next > last ? last : first);
            setSpeed(0);
            if (forwardsToEnd)
                Q_EMIT playedToEnd();
            return;
        }
        next = next > last ? first : last;
    }
    seek(next);
}

void PreviewPlayer::onScrubBarValueChanged(int value)
{
    if (value != m_position)
        seek(value);
}

QMediaPlayer* PreviewPlayer::mediaPlayer()
{
    if (!m_player) {
        m_player = new QMediaPlayer(this);
        m_player->setVideoSink(m_view->videoSink());
        m_player->setLoops(m_loop ? QMediaPlayer::Infinite : 1);
        connect(m_player, &QMediaPlayer::positionChanged, this, &PreviewPlayer::onMediaPlayerPositionChanged);
        connect(m_player, &QMediaPlayer::durationChanged, this, &PreviewPlayer::onMediaPlayerDurationChanged);
        connect(m_player, &QMediaPlayer::metaDataChanged, this, &PreviewPlayer::onMediaPlayerMetaDataChanged);
        connect(m_player, &QMediaPlayer::errorOccurred, this, &PreviewPlayer::onMediaPlayerErrorOccurred);
        connect(
            m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState state) {
                // The file reached its end (or stopped on its own) while playing forwards.
                if (state != QMediaPlayer::PlayingState && m_source == Source::File && m_speed > 0)
                    setSpeed(0);
            });
    }
    return m_player;
}

void PreviewPlayer::onMediaPlayerPositionChanged(qint64 ms)
{
    if (m_source != Source::File || frameCount() <= 0)
        return;
    const int frame = qBound(0, static_cast<int>(std::floor(ms * m_fps / 1000.0 + 1e-6)), frameCount() - 1);
    showPosition(frame, false);
}

void PreviewPlayer::onMediaPlayerDurationChanged(qint64 ms)
{
    if (m_source != Source::File)
        return;
    m_fileFrames = qMax<qint64>(0, qRound64(ms * m_fps / 1000.0));
    Q_EMIT frameCountChanged(m_fileFrames);
    updateControls();
}

void PreviewPlayer::onMediaPlayerMetaDataChanged()
{
    const double fps = m_player->metaData().value(QMediaMetaData::VideoFrameRate).toDouble();
    if (fps > 0 && !qFuzzyCompare(fps, m_fps)) {
        m_fps = fps;
        onMediaPlayerDurationChanged(m_player->duration());
    }
}

void PreviewPlayer::onMediaPlayerErrorOccurred()
{
    const QString message
        = tr("Cannot play %1: %2").arg(m_player->source().toDisplayString(), m_player->errorString());
    m_view->setPlaceholderText(message);
    Q_EMIT errorOccurred(message);
}

void PreviewPlayer::updateControls()
{
    const int count = frameCount();
    const bool any = count > 0;
    m_scrub->blockSignals(true);
    m_scrub->setRange(0, qMax(0, count - 1));
    m_scrub->setValue(m_position);
    m_scrub->blockSignals(false);
    m_scrub->setMarks(m_markIn, m_markOut);
    m_scrub->setEnabled(any);
    m_playButton->setEnabled(any);
    m_stepBackButton->setEnabled(any);
    m_stepForwardButton->setEnabled(any);
    m_playButton->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));

    if (m_live)
        m_timecodeLabel->setText(tr("Preview of the running job"));
    else
        m_timecodeLabel->setText(tr("%1 / %2").arg(timecode(), formatTimecode(qMax(0, count - 1), m_fps)));

    const auto markText
        = [this](int frame) { return frame < 0 ? QStringLiteral("\u2013") : formatTimecode(frame, m_fps); };
    m_marksLabel->setText(m_markIn < 0 && m_markOut < 0
            ? QString()
            : tr("In %1  Out %2").arg(markText(m_markIn), markText(m_markOut)));
    m_speedLabel->setText(
        std::abs(m_speed) > 1 || m_speed < 0 ? QStringLiteral("%1\u00d7").arg(m_speed) : QString());
}

} // namespace kinora::ui

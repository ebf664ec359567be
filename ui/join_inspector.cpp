#include "ui/join_inspector.h"

#include "app/studio.h"

#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdlib>

namespace kinora::ui {

namespace {

constexpr int kShown = 256; // px: the frames are drawn this big, without smoothing

QPixmap big(const QImage& image)
{
    return QPixmap::fromImage(image.scaled(kShown, kShown, Qt::KeepAspectRatio, Qt::FastTransformation));
}

} // namespace

JoinInspector::JoinInspector(app::Studio* studio, int joinIndex, QWidget* parent)
    : QDialog(parent), m_studio(studio), m_index(joinIndex)
{
    setWindowTitle(tr("Join %1").arg(joinIndex + 1));
    setObjectName(QStringLiteral("joinInspector"));
    m_picture = new QLabel(this);
    m_picture->setMinimumSize(kShown, kShown);
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setAccessibleName(tr("Frame"));
    m_diff = new QLabel(this);
    m_diff->setMinimumSize(kShown, kShown);
    m_diff->setAlignment(Qt::AlignCenter);
    m_diff->setAccessibleName(tr("Change from the frame before"));
    m_where = new QLabel(tr("Loading the frames..."), this);
    m_ratio = new QLabel(this);
    m_ratio->setWordWrap(true);
    m_play = new QPushButton(tr("Pause"), this);
    auto* prev = new QPushButton(tr("Previous"), this);
    auto* next = new QPushButton(tr("Next"), this);
    m_smooth = new QPushButton(tr("&Smooth this join"), this);
    m_smooth->setToolTip(tr("Make the last %1 frames of the first clip and the first %1 of the second again, as one "
                            "bridge between them (a new clip; the timeline keeps its length; undoable)")
                             .arg(app::Studio::kSmoothFrames));
    auto* close = new QPushButton(tr("Close"), this);

    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Frame"), this), 0, 0);
    grid->addWidget(new QLabel(tr("Change from the frame before"), this), 0, 1);
    grid->addWidget(m_picture, 1, 0);
    grid->addWidget(m_diff, 1, 1);
    auto* steps = new QHBoxLayout;
    steps->addWidget(prev);
    steps->addWidget(m_play);
    steps->addWidget(next);
    steps->addStretch(1);
    steps->addWidget(m_where);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_smooth);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(steps);
    layout->addWidget(m_ratio);
    layout->addLayout(buttons);

    m_timer.setInterval(500); // two frames a second: slow enough to see each
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_frames.isEmpty())
            showFrame((m_current + 1) % m_frames.size());
    });
    connect(m_play, &QPushButton::clicked, this, [this] { setPlaying(!isPlaying()); });
    connect(prev, &QPushButton::clicked, this, [this] {
        setPlaying(false);
        showFrame(m_current - 1);
    });
    connect(next, &QPushButton::clicked, this, [this] {
        setPlaying(false);
        showFrame(m_current + 1);
    });
    connect(m_smooth, &QPushButton::clicked, this, [this] {
        if (m_studio->queueSmoothJoin(m_index) > 0)
            accept();
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(studio, &app::Studio::joinsMeasured, this, &JoinInspector::updateRatio);
    m_smooth->setEnabled(false);
    load();
    updateRatio();
}

void JoinInspector::load()
{
    const auto& clips = m_studio->document()->clips();
    if (m_index < 0 || m_index + 1 >= clips.size()) {
        m_where->setText(tr("There is no join here any more."));
        return;
    }
    app::FrameSpan a = m_studio->visibleSpan(clips[m_index]);
    app::FrameSpan b = m_studio->visibleSpan(clips[m_index + 1]);
    const int before = std::min(kFramesEachSide, a.count);
    a.first += a.count - before;
    a.count = before;
    b.count = std::min(kFramesEachSide, b.count);
    auto* watcher = new QFutureWatcher<QVector<QImage>>(this);
    auto* second = new QFutureWatcher<QVector<QImage>>(this);
    connect(watcher, &QFutureWatcher<QVector<QImage>>::finished, this, [this, watcher, second, b] {
        m_frames = watcher->result();
        m_beforeCount = m_frames.size();
        watcher->deleteLater();
        second->setFuture(app::Studio::loadFrames(b));
    });
    connect(second, &QFutureWatcher<QVector<QImage>>::finished, this, [this, second] {
        m_frames += second->result();
        second->deleteLater();
        if (m_frames.isEmpty()) {
            m_where->setText(tr("The frames at this join cannot be read."));
            return;
        }
        m_smooth->setEnabled(true);
        showFrame(0);
        setPlaying(true);
        Q_EMIT loaded();
    });
    watcher->setFuture(app::Studio::loadFrames(a));
}

QImage JoinInspector::difference(int i) const
{
    if (i < 0 || i >= m_frames.size())
        return {};
    const QImage cur = m_frames[i].convertToFormat(QImage::Format_RGB888);
    QImage out(cur.size(), QImage::Format_RGB888);
    out.fill(Qt::black);
    if (i == 0)
        return out;
    const QImage prev = m_frames[i - 1].convertToFormat(QImage::Format_RGB888).scaled(cur.size());
    // The largest channel change, four times brighter, in a warm scale: black, red, yellow.
    for (int y = 0; y < cur.height(); ++y) {
        const uchar* a = cur.constScanLine(y);
        const uchar* p = prev.constScanLine(y);
        uchar* o = out.scanLine(y);
        for (int x = 0; x < cur.width(); ++x) {
            int d = 0;
            for (int c = 0; c < 3; ++c)
                d = std::max(d, std::abs(int(a[3 * x + c]) - int(p[3 * x + c])));
            d = std::min(255 * 2, d * 4);
            o[3 * x] = uchar(std::min(255, d));
            o[3 * x + 1] = uchar(std::max(0, d - 255));
            o[3 * x + 2] = 0;
        }
    }
    return out;
}

void JoinInspector::showFrame(int i)
{
    if (m_frames.isEmpty())
        return;
    m_current = std::clamp(i, 0, int(m_frames.size()) - 1);
    m_picture->setPixmap(big(m_frames[m_current]));
    m_diff->setPixmap(big(difference(m_current)));
    const bool before = m_current < m_beforeCount;
    m_where->setText(before ? tr("Frame %1 of %2: end of clip %3")
                                  .arg(m_current + 1)
                                  .arg(m_frames.size())
                                  .arg(m_index + 1)
                            : tr("Frame %1 of %2: start of clip %3%4")
                                  .arg(m_current + 1)
                                  .arg(m_frames.size())
                                  .arg(m_index + 2)
                                  .arg(m_current == m_beforeCount ? tr(" (just after the join)") : QString()));
}

void JoinInspector::setPlaying(bool on)
{
    if (on && !m_frames.isEmpty())
        m_timer.start();
    else
        m_timer.stop();
    m_play->setText(m_timer.isActive() ? tr("Pause") : tr("Play"));
}

void JoinInspector::updateRatio()
{
    const double ratio = m_studio->joinRatio(m_index);
    if (ratio < 0) {
        m_ratio->setText(tr("Measuring the join..."));
        return;
    }
    const QString verdict = ratio < 1.5 ? tr("it does not show") : ratio < 3 ? tr("it may show") : tr("it shows");
    m_ratio->setText(tr("Across the join the picture changes %1 times as much as inside the clips: %2 (about 1 does "
                        "not show; above 3 looks like a cut).")
                         .arg(ratio, 0, 'f', 1)
                         .arg(verdict));
}

void JoinInspector::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Space: setPlaying(!isPlaying()); return;
    case Qt::Key_Left:
        setPlaying(false);
        showFrame(m_current - 1);
        return;
    case Qt::Key_Right:
        setPlaying(false);
        showFrame(m_current + 1);
        return;
    default: QDialog::keyPressEvent(event);
    }
}

} // namespace kinora::ui

#include "ui/video_view.h"

#include <QPainter>
#include <QTimer>
#include <QVideoFrame>
#include <QVideoFrameFormat>
#include <QVideoSink>

#include <cstring>

namespace kinora::ui {

VideoView::VideoView(QWidget* parent)
    : QWidget(parent)
    , m_sink(new QVideoSink(this))
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(128, 96);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &VideoView::onSinkVideoFrameChanged);
    // The first QVideoFrame::toImage() sets up Qt's GPU conversion path (an OpenGL
    // context: 80-400 ms with Mesa). Do it once the window is up rather than when the first
    // preview arrives in the middle of a generation.
    QTimer::singleShot(0, this, [] {
        QVideoFrame frame(QVideoFrameFormat(QSize(16, 16), QVideoFrameFormat::Format_RGBA8888));
        if (frame.map(QVideoFrame::WriteOnly)) {
            std::memset(frame.bits(0), 0, static_cast<size_t>(frame.mappedBytes(0)));
            frame.unmap();
        }
        (void)frame.toImage();
    });
}

void VideoView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
}

void VideoView::clear()
{
    m_image = QImage();
    update();
}

QSize VideoView::sizeHint() const
{
    return { 384, 384 };
}

void VideoView::onSinkVideoFrameChanged(const QVideoFrame& frame)
{
    m_image = frame.isValid() ? frame.toImage() : QImage();
    update();
}

void VideoView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(16, 16, 18));
    if (m_image.isNull()) {
        painter.setPen(QColor(150, 150, 155));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QSize scaled = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - scaled.width()) / 2, (height() - scaled.height()) / 2), scaled);
    // Small generated clips are enlarged a lot; smoothing keeps them from looking like
    // mosaics without hiding their detail.
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, m_image);
}

} // namespace kinora::ui

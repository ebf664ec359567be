#include "ui/scrub_bar.h"

#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionSlider>

namespace kinora::ui {

ScrubBar::ScrubBar(QWidget* parent)
    : QSlider(Qt::Horizontal, parent)
{
    setFocusPolicy(Qt::NoFocus); // the player handles the arrow keys itself
    setRange(0, 0);
}

void ScrubBar::setMarks(int in, int out)
{
    m_in = in;
    m_out = out;
    update();
}

int ScrubBar::pixelForValue(int value) const
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
    const int span = groove.width() - handle.width();
    return groove.x() + handle.width() / 2
        + QStyle::sliderPositionFromValue(minimum(), maximum(), value, span, option.upsideDown);
}

void ScrubBar::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && maximum() > minimum()) {
        QStyleOptionSlider option;
        initStyleOption(&option);
        const QRect handle
            = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, this);
        if (!handle.contains(event->position().toPoint())) {
            const QRect groove
                = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
            const int x = qRound(event->position().x()) - groove.x() - handle.width() / 2;
            setValue(QStyle::sliderValueFromPosition(
                minimum(), maximum(), x, groove.width() - handle.width(), option.upsideDown));
        }
    }
    QSlider::mousePressEvent(event);
}

void ScrubBar::paintEvent(QPaintEvent* event)
{
    if (m_in >= 0 || m_out >= 0) {
        QPainter painter(this);
        const int from = pixelForValue(m_in >= 0 ? m_in : minimum());
        const int to = pixelForValue(m_out >= 0 ? m_out : maximum());
        QColor shade = palette().color(QPalette::Highlight);
        shade.setAlpha(90);
        painter.fillRect(QRect(QPoint(qMin(from, to), 2), QPoint(qMax(from, to), height() - 3)), shade);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        if (m_in >= 0)
            painter.drawLine(from, 1, from, height() - 2);
        if (m_out >= 0)
            painter.drawLine(to, 1, to, height() - 2);
    }
    QSlider::paintEvent(event);
}

} // namespace kinora::ui

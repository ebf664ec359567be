#include "ui/world_icons.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

#include <cstring>

namespace kinora::ui {

namespace {

constexpr int kIconSize = 32; // drawn large, scaled down by the style

QColor toQColor(world::Rgb rgb)
{
    return QColor(rgb.r, rgb.g, rgb.b);
}

QPainterPath shapePath(world::Shape shape, double diameter, QPointF centre)
{
    QPainterPath path;
    const auto& pieces = world::shapeOutline(shape);
    if (pieces.empty()) {
        path.addEllipse(centre, diameter / 2.0, diameter / 2.0);
        return path;
    }
    path.setFillRule(Qt::WindingFill);
    for (const auto& piece : pieces) {
        QPolygonF polygon;
        for (const world::OutlinePoint& p : piece)
            polygon << centre + QPointF(p.x * diameter, p.y * diameter);
        path.addPolygon(polygon);
        path.closeSubpath();
    }
    return path.simplified();
}

QPixmap blankPixmap()
{
    QPixmap pixmap(kIconSize, kIconSize);
    pixmap.fill(Qt::transparent);
    return pixmap;
}

} // namespace

QImage frameToImage(const Frame& frame)
{
    if (frame.width <= 0 || frame.height <= 0
        || frame.rgb.size() < static_cast<std::size_t>(frame.width) * frame.height * 3)
        return {};
    QImage image(frame.width, frame.height, QImage::Format_RGB888);
    const int rowBytes = frame.width * 3;
    for (int y = 0; y < frame.height; ++y)
        std::memcpy(image.scanLine(y), frame.rgb.data() + static_cast<std::size_t>(y) * rowBytes, rowBytes);
    return image;
}

QImage sketchScene(const world::Scene& scene)
{
    // Frames are timed over one window, so rendering up to the middle frame is enough.
    constexpr int kMiddle = world::kWindowFrames / 2;
    const Video video = world::render(scene, kMiddle + 1);
    if (video.frames.empty())
        return {};
    return frameToImage(video.frames.back());
}

QIcon colourIcon(world::Color colour)
{
    QPixmap pixmap = blankPixmap();
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0, 0, 0, 90), 1.5));
    painter.setBrush(toQColor(world::colorRgb(colour)));
    painter.drawRoundedRect(QRectF(3, 3, kIconSize - 6, kIconSize - 6), 6, 6);
    return QIcon(pixmap);
}

QIcon shapeIcon(world::Shape shape)
{
    QPixmap pixmap = blankPixmap();
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QApplication::palette().color(QPalette::WindowText));
    painter.drawPath(shapePath(shape, kIconSize * 0.8, QPointF(kIconSize / 2.0, kIconSize / 2.0)));
    return QIcon(pixmap);
}

QIcon sizeIcon(world::Size size)
{
    // The world's diameters (16, 26, 40 px) relative to the largest.
    constexpr double kFraction[world::kSizeCount] = { 16.0 / 40.0, 26.0 / 40.0, 1.0 };
    QPixmap pixmap = blankPixmap();
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QApplication::palette().color(QPalette::WindowText));
    const double d = (kIconSize - 4) * kFraction[static_cast<int>(size)];
    painter.drawEllipse(QPointF(kIconSize / 2.0, kIconSize / 2.0), d / 2.0, d / 2.0);
    return QIcon(pixmap);
}

QIcon backgroundIcon(world::Background background)
{
    world::Scene scene;
    scene.background = background;
    scene.seed = 7; // a fixed sky of stars
    const Video video = world::render(scene, 1);
    if (video.frames.empty())
        return {};
    const QImage image = frameToImage(video.frames.front());
    QPixmap pixmap = blankPixmap();
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath clip;
    const QRectF box(2, 2, kIconSize - 4, kIconSize - 4);
    clip.addRoundedRect(box, 5, 5);
    painter.setClipPath(clip);
    painter.drawImage(box, image);
    if (background == world::Background::StarryNight) {
        // The world's stars are a pixel or two and vanish when scaled down; redraw a few.
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        for (const QPointF& star :
            { QPointF(8, 9), QPointF(21, 6), QPointF(15, 17), QPointF(25, 23), QPointF(7, 25) })
            painter.drawEllipse(star, 1.1, 1.1);
    }
    painter.setClipping(false);
    painter.setPen(QPen(QColor(0, 0, 0, 90), 1.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(box, 5, 5);
    return QIcon(pixmap);
}

} // namespace kinora::ui

#include "ui/timeline.h"

#include "app/studio.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {
constexpr int kMargin = 12;
constexpr int kRulerHeight = 22;
constexpr int kHandle = 7;     // px at a clip's edge that trim instead of move
constexpr int kSnapPixels = 8;
constexpr double kMinPpf = 1.0;
constexpr double kMaxPpf = 64.0;
} // namespace

Timeline::Timeline(app::Studio* studio, QWidget* parent) : QWidget(parent), m_studio(studio)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Timeline"));
    connect(studio->document(), &app::ProjectDocument::changed, this, &Timeline::onDocumentChanged);
    connect(studio, &app::Studio::thumbnailReady, this, [this] { update(); });
    connect(studio, &app::Studio::joinsMeasured, this, [this] { update(); });
    updateWidth();
}

QSize Timeline::sizeHint() const { return {800, kRulerHeight + 96}; }
QSize Timeline::minimumSizeHint() const { return {200, kRulerHeight + 60}; }

int Timeline::trackTop() const { return kRulerHeight + 6; }
int Timeline::trackHeight() const { return std::max(40, height() - trackTop() - 8); }

int Timeline::xForFrame(int frame) const { return kMargin + int(std::lround(frame * m_pixelsPerFrame)); }
int Timeline::frameAt(int x) const { return std::max(0, int(std::lround((x - kMargin) / m_pixelsPerFrame))); }

QRect Timeline::clipRect(int index) const
{
    const auto* doc = m_studio->document();
    if (index < 0 || index >= doc->clips().size())
        return {};
    const int start = doc->clipStart(index);
    const int x0 = xForFrame(start), x1 = xForFrame(start + doc->clips()[index].length());
    return QRect(x0, trackTop(), std::max(2, x1 - x0), trackHeight());
}

void Timeline::onDocumentChanged()
{
    const auto* doc = m_studio->document();
    if (!m_selected.isEmpty() && doc->indexOf(m_selected) < 0)
        setSelectedClip({});
    if (m_playhead > doc->totalFrames())
        setPlayhead(doc->totalFrames());
    updateWidth();
    update();
}

void Timeline::updateWidth()
{
    setMinimumWidth(xForFrame(m_studio->document()->totalFrames()) + 4 * kMargin + 120);
}

void Timeline::setSelectedClip(const QString& clipId)
{
    if (clipId == m_selected)
        return;
    m_selected = clipId;
    update();
    Q_EMIT selectionChanged(clipId);
}

void Timeline::setPlayhead(int frame)
{
    frame = std::clamp(frame, 0, std::max(0, m_studio->document()->totalFrames() - 1));
    if (frame == m_playhead)
        return;
    m_playhead = frame;
    update();
    Q_EMIT playheadChanged(frame);
}

void Timeline::setPixelsPerFrame(double ppf)
{
    m_pixelsPerFrame = std::clamp(ppf, kMinPpf, kMaxPpf);
    updateWidth();
    update();
}

void Timeline::zoomIn() { setPixelsPerFrame(m_pixelsPerFrame * 1.5); }
void Timeline::zoomOut() { setPixelsPerFrame(m_pixelsPerFrame / 1.5); }

bool Timeline::splitAtPlayhead()
{
    auto* doc = m_studio->document();
    int offset = 0;
    const int index = doc->clipAt(m_playhead, &offset);
    if (index < 0)
        return false;
    return doc->requestSplit(doc->clips()[index].id, offset);
}

bool Timeline::deleteSelected()
{
    return !m_selected.isEmpty() && m_studio->document()->requestRemoveClip(m_selected);
}

int Timeline::snapFrame(int frame, int excludeClip) const
{
    if (!m_snapping)
        return frame;
    const auto* doc = m_studio->document();
    int best = frame;
    int bestDistance = kSnapPixels + 1;
    auto consider = [&](int candidate) {
        const int d = std::abs(xForFrame(candidate) - xForFrame(frame));
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    };
    if (m_drag != Drag::Playhead)
        consider(m_playhead);
    for (int i = 0; i <= doc->clips().size(); ++i)
        if (i != excludeClip && i != excludeClip + 1)
            consider(doc->clipStart(i));
    return best;
}

void Timeline::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base).darker(115));
    const auto* doc = m_studio->document();
    const double fps = doc->fps() > 0 ? doc->fps() : 8.0;

    // Ruler: a tick per second, labelled; finer ticks per frame when zoomed in.
    p.fillRect(QRect(0, 0, width(), kRulerHeight), pal.color(QPalette::Window));
    p.setPen(pal.color(QPalette::WindowText));
    const int lastFrame = frameAt(width()) + 1;
    const int labelEvery = m_pixelsPerFrame * fps < 40 ? int(std::ceil(40 / (m_pixelsPerFrame * fps))) : 1;
    for (int f = 0; f <= lastFrame; ++f) {
        const int x = xForFrame(f);
        const bool second = std::fmod(f, fps) < 1e-9;
        if (second) {
            const int s = int(std::lround(f / fps));
            p.drawLine(x, kRulerHeight - 9, x, kRulerHeight);
            if (s % labelEvery == 0)
                p.drawText(x + 3, kRulerHeight - 10, tr("%1s").arg(s));
        } else if (m_pixelsPerFrame >= 6) {
            p.drawLine(x, kRulerHeight - 4, x, kRulerHeight);
        }
    }

    if (doc->clips().isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(kMargin, kRulerHeight, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   tr("No clips yet: write a prompt and press Ctrl+Enter, or import a video (Ctrl+I)."));
    }

    for (int i = 0; i < doc->clips().size(); ++i) {
        const auto& clip = doc->clips()[i];
        const QRect r = clipRect(i);
        QPainterPath path;
        path.addRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.save();
        p.setClipPath(path);
        p.fillRect(r, QColor::fromHsl((i * 67) % 360, 90, 70));
        const QImage thumb = m_studio->thumbnail(clip.take());
        if (!thumb.isNull()) {
            const int h = r.height() - 18;
            const int w = std::max(1, thumb.width() * h / std::max(1, thumb.height()));
            const QImage scaled = thumb.scaled(w, h, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            for (int x = r.left(); x < r.right(); x += w + 2)
                p.drawImage(x, r.top() + 18, scaled);
        }
        p.fillRect(QRect(r.left(), r.top(), r.width(), 18), QColor(0, 0, 0, 150));
        p.setPen(Qt::white);
        const QString label = clip.takes.size() > 1
                                  ? tr("Take %1/%2 · %3").arg(clip.activeTake + 1).arg(clip.takes.size()).arg(clip.take().prompt())
                                  : clip.take().prompt();
        // A draft says so in an amber badge at the right of its header.
        int badgeWidth = 0;
        if (clip.take().draft()) {
            const QString badge = tr("DRAFT");
            badgeWidth = p.fontMetrics().horizontalAdvance(badge) + 8;
            const QRect b(r.right() - badgeWidth - 2, r.top() + 2, badgeWidth, 14);
            p.fillRect(b, QColor(240, 170, 30));
            p.setPen(Qt::black);
            p.drawText(b, Qt::AlignCenter, badge);
            p.setPen(Qt::white);
        }
        p.drawText(r.adjusted(5, 0, -5, 0).topLeft() + QPoint(0, 13),
                   p.fontMetrics().elidedText(label.isEmpty() ? tr("Clip %1").arg(i + 1) : label, Qt::ElideRight,
                                              std::max(0, r.width() - 10 - badgeWidth)));
        p.restore();
        const bool selected = clip.id == m_selected;
        p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : QColor(0, 0, 0, 160), selected ? 3 : 1));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (selected) {
            p.setBrush(pal.color(QPalette::Highlight));
            p.drawRect(QRect(r.left(), r.center().y() - 12, 4, 24));
            p.drawRect(QRect(r.right() - 3, r.center().y() - 12, 4, 24));
        }
    }

    // Each join, marked by how visible it is: green where it does not show (seam ratio
    // under 1.5), amber to 3, red above (a jump or a cut).
    for (int i = 0; i + 1 < doc->clips().size(); ++i) {
        const double ratio = m_studio->joinRatio(i);
        if (ratio < 0)
            continue;
        const QColor colour = ratio < 1.5 ? QColor(60, 170, 80) : ratio < 3.0 ? QColor(240, 170, 30) : QColor(220, 60, 50);
        p.setPen(QPen(Qt::black, 1));
        p.setBrush(colour);
        const QPoint c = joinMark(i);
        p.drawPolygon(QPolygon({c + QPoint(0, -6), c + QPoint(6, 0), c + QPoint(0, 6), c + QPoint(-6, 0)}));
    }

    const int px = xForFrame(m_playhead);
    p.setPen(QPen(QColor(230, 50, 50), 2));
    p.drawLine(px, 0, px, height());
    p.setBrush(QColor(230, 50, 50));
    p.drawPolygon(QPolygon({QPoint(px - 6, 0), QPoint(px + 6, 0), QPoint(px, 8)}));
}

void Timeline::mousePressEvent(QMouseEvent* event)
{
    setFocus();
    if (event->button() != Qt::LeftButton)
        return;
    m_pressPos = event->position().toPoint();
    m_dragStarted = false;
    auto* doc = m_studio->document();
    if (m_pressPos.y() < kRulerHeight) {
        m_drag = Drag::Playhead;
        setPlayhead(snapFrame(frameAt(m_pressPos.x()), -1));
        return;
    }
    for (int i = 0; i < doc->clips().size(); ++i) {
        const QRect r = clipRect(i);
        if (!r.contains(m_pressPos))
            continue;
        const auto& clip = doc->clips()[i];
        setSelectedClip(clip.id);
        m_dragTrimIn = clip.trimIn;
        m_dragTrimOut = clip.trimOut;
        m_dragFrame = frameAt(m_pressPos.x());
        if (m_pressPos.x() - r.left() < kHandle)
            m_drag = Drag::TrimLeft;
        else if (r.right() - m_pressPos.x() < kHandle)
            m_drag = Drag::TrimRight;
        else
            m_drag = Drag::Move;
        if (m_drag == Drag::Move)
            setPlayhead(frameAt(m_pressPos.x()));
        return;
    }
    setSelectedClip({});
    m_drag = Drag::Playhead;
    setPlayhead(snapFrame(frameAt(m_pressPos.x()), -1));
}

void Timeline::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    auto* doc = m_studio->document();
    if (m_drag == Drag::None) {
        // Trim cursor over the edges of clips.
        Qt::CursorShape shape = Qt::ArrowCursor;
        for (int i = 0; i < doc->clips().size(); ++i) {
            const QRect r = clipRect(i);
            if (r.contains(pos) && (pos.x() - r.left() < kHandle || r.right() - pos.x() < kHandle))
                shape = Qt::SizeHorCursor;
        }
        setCursor(shape);
        return;
    }
    if (!m_dragStarted && (pos - m_pressPos).manhattanLength() < 4)
        return;
    if (!m_dragStarted && m_drag != Drag::Playhead)
        doc->beginInteraction();
    m_dragStarted = true;
    const int index = doc->indexOf(m_selected);
    switch (m_drag) {
    case Drag::Playhead: setPlayhead(snapFrame(frameAt(pos.x()), -1)); break;
    case Drag::Move: {
        if (index < 0)
            break;
        int target = doc->clipAt(frameAt(pos.x()));
        if (target < 0)
            target = pos.x() < kMargin ? 0 : int(doc->clips().size()) - 1;
        if (target != index)
            doc->requestMoveClip(m_selected, target);
        break;
    }
    case Drag::TrimLeft:
    case Drag::TrimRight: {
        if (index < 0)
            break;
        const int start = doc->clipStart(index);
        const auto& clip = doc->clips()[index];
        if (m_drag == Drag::TrimLeft) {
            // The clip's start stays put on the track; the edge moves by the drag.
            const int delta = frameAt(pos.x()) - m_dragFrame;
            doc->requestTrim(m_selected, std::clamp(m_dragTrimIn + delta, 0, clip.take().frames - 1 - m_dragTrimOut),
                             m_dragTrimOut);
        } else {
            const int end = snapFrame(frameAt(pos.x()), index);
            const int length = end - start;
            const int trimOut = clip.take().frames - clip.firstFrame() - length;
            doc->requestTrim(m_selected, clip.trimIn, std::clamp(trimOut, 0, clip.take().frames - 1 - clip.firstFrame()));
        }
        break;
    }
    case Drag::None: break;
    }
}

void Timeline::mouseReleaseEvent(QMouseEvent*)
{
    if (m_dragStarted && m_drag != Drag::Playhead)
        m_studio->document()->endInteraction();
    m_drag = Drag::None;
    m_dragStarted = false;
}

void Timeline::mouseDoubleClickEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
    if (const int join = joinAt(at); join >= 0)
        Q_EMIT joinActivated(join);
    else
        setPlayhead(frameAt(at.x()));
}

void Timeline::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        event->angleDelta().y() > 0 ? zoomIn() : zoomOut();
        event->accept();
        return;
    }
    event->ignore();
}

QPoint Timeline::joinMark(int index) const
{
    const QRect r = clipRect(index);
    return {r.right() + 1, r.bottom() - 6};
}

int Timeline::joinAt(const QPoint& pos) const
{
    for (int i = 0; i + 1 < m_studio->document()->clips().size(); ++i)
        if ((pos - joinMark(i)).manhattanLength() <= 8)
            return i;
    return -1;
}

bool Timeline::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int join = joinAt(help->pos());
        const double ratio = join >= 0 ? m_studio->joinRatio(join) : -1;
        if (ratio >= 0) {
            QToolTip::showText(help->globalPos(),
                               tr("Join: the picture changes %1 times as much as inside the clips (about 1 does "
                                  "not show). Double-click to inspect it")
                                   .arg(ratio, 0, 'f', 1),
                               this);
            return true;
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace kinora::ui

#include "ui/lineage_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace kinora::ui {

namespace {

constexpr int kBoxW = 136, kBoxH = 58, kThumb = 48, kColumnGap = 92, kRowGap = 22, kMargin = 10;

QString edgeText(const app::LineageEdge& e)
{
    QString text = app::lineageRelationLabel(e.relation);
    QStringList change;
    for (const auto& w : e.addedWords)
        change << QStringLiteral("+") + w;
    for (const auto& w : e.removedWords)
        change << QStringLiteral("\u2212") + w;
    if (!change.isEmpty())
        text += QStringLiteral("\n") + change.join(QLatin1Char(' '));
    return text;
}

} // namespace

LineageView::LineageView(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Lineage of the take"));
    setToolTip(tr("Where this take came from and what was made from it. Click a take, or move with the "
                  "arrow keys and press Enter, to show it."));
}

void LineageView::setGraph(const app::LineageGraph& graph, const QHash<QString, QImage>& thumbnails,
                           const QHash<QString, QString>& captions)
{
    m_graph = graph;
    m_thumbnails = thumbnails;
    m_captions = captions;
    m_current = graph.focus;
    updateGeometry();
    update();
    Q_EMIT currentRectChanged(nodeRect(m_current));
}

// The scroll area shows the current box once the graph has its size, and again when the
// Lineage tab comes into view.
void LineageView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    Q_EMIT currentRectChanged(nodeRect(m_current));
}

void LineageView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    Q_EMIT currentRectChanged(nodeRect(m_current));
}

QSize LineageView::minimumSizeHint() const
{
    return m_graph.nodes.isEmpty() ? QSize(160, 90) : sizeHint();
}

QRect LineageView::nodeRect(int i) const
{
    if (i < 0 || i >= m_graph.nodes.size())
        return {};
    const auto& n = m_graph.nodes[i];
    return {kMargin + n.layer * (kBoxW + kColumnGap), kMargin + n.row * (kBoxH + kRowGap), kBoxW, kBoxH};
}

QSize LineageView::sizeHint() const
{
    int w = 0, h = 0;
    for (int i = 0; i < m_graph.nodes.size(); ++i) {
        const QRect r = nodeRect(i);
        w = std::max(w, r.right());
        h = std::max(h, r.bottom());
    }
    return {w + kMargin, h + kMargin};
}

void LineageView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    if (m_graph.nodes.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   tr("Select a clip on the timeline to see where its take came from."));
        return;
    }
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));

    // Edges first, under the boxes: from the parent's right side to the child's left.
    for (const auto& e : m_graph.edges) {
        const QRect a = nodeRect(e.from), b = nodeRect(e.to);
        const QPointF from(a.right() + 1, a.center().y()), to(b.left() - 1, b.center().y());
        QPainterPath path(from);
        const double dx = std::max(30.0, (to.x() - from.x()) / 2);
        path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
        p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        const QPointF tip = to;
        QPolygonF head;
        head << tip << tip + QPointF(-8, -4) << tip + QPointF(-8, 4);
        p.setBrush(pal.color(QPalette::Mid));
        p.drawPolygon(head);
        // The label sits on the curve's middle, over a patch of the background.
        const QPointF mid = path.pointAtPercent(0.5);
        p.setFont(small);
        const QString text = edgeText(e);
        QRectF box = p.fontMetrics().boundingRect(QRect(0, 0, kColumnGap - 6, 200), Qt::AlignCenter | Qt::TextWordWrap, text);
        box.moveCenter(mid);
        p.setPen(Qt::NoPen);
        QColor under = pal.color(QPalette::Window);
        under.setAlpha(220);
        p.setBrush(under);
        p.drawRect(box.adjusted(-2, -1, 2, 1));
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, text);
    }

    for (int i = 0; i < m_graph.nodes.size(); ++i) {
        const auto& n = m_graph.nodes[i];
        const QRect r = nodeRect(i);
        const bool focusNode = i == m_graph.focus, current = i == m_current && hasFocus();
        p.setPen(QPen(focusNode ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), focusNode ? 3 : 1));
        p.setBrush(pal.color(QPalette::Base));
        p.drawRoundedRect(r, 5, 5);
        if (current) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(-4, -4, 4, 4), 7, 7);
        }
        const QRect thumbRect(r.left() + 5, r.top() + (kBoxH - kThumb) / 2, kThumb, kThumb);
        const QImage thumb = m_thumbnails.value(n.takeId);
        if (!thumb.isNull())
            p.drawImage(thumbRect, thumb);
        else
            p.fillRect(thumbRect, pal.color(QPalette::Dark));
        p.setPen(pal.color(QPalette::Text));
        p.setFont(small);
        const QRect textRect(thumbRect.right() + 6, r.top() + 4, r.right() - thumbRect.right() - 9, kBoxH - 8);
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, m_captions.value(n.takeId));
    }
}

void LineageView::mousePressEvent(QMouseEvent* event)
{
    for (int i = 0; i < m_graph.nodes.size(); ++i)
        if (nodeRect(i).contains(event->position().toPoint())) {
            m_current = i;
            activate(i);
            return;
        }
    QWidget::mousePressEvent(event);
}

void LineageView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left: moveCurrent(-1, 0); return;
    case Qt::Key_Right: moveCurrent(1, 0); return;
    case Qt::Key_Up: moveCurrent(0, -1); return;
    case Qt::Key_Down: moveCurrent(0, 1); return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space: activate(m_current); return;
    default: QWidget::keyPressEvent(event);
    }
}

void LineageView::moveCurrent(int dLayer, int dRow)
{
    if (m_graph.nodes.isEmpty())
        return;
    if (m_current < 0) {
        m_current = 0;
        update();
        return;
    }
    const auto& at = m_graph.nodes[m_current];
    const int layer = at.layer + dLayer, row = at.row + dRow;
    // The node in the wanted layer whose row is nearest.
    int best = -1;
    for (int i = 0; i < m_graph.nodes.size(); ++i) {
        const auto& n = m_graph.nodes[i];
        if (n.layer != layer || (dLayer == 0 && n.row != row))
            continue;
        if (best < 0 || std::abs(n.row - row) < std::abs(m_graph.nodes[best].row - row))
            best = i;
    }
    if (best >= 0) {
        m_current = best;
        update();
        Q_EMIT currentRectChanged(nodeRect(m_current));
    }
}

void LineageView::activate(int node)
{
    if (node < 0 || node >= m_graph.nodes.size())
        return;
    update();
    Q_EMIT takeActivated(m_graph.nodes[node].clipId, m_graph.nodes[node].takeIndex);
}

} // namespace kinora::ui

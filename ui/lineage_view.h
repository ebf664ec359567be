#pragma once

// The lineage graph of a take (app/lineage.h), drawn left to right: each take a box with
// its first frame, clip and take number and seed; each edge an arrow labelled with how
// the child was made and the words its prompt added (+) or dropped (-). The take being
// shown is outlined. Clicking a box, or moving to it with the arrow keys and pressing
// Enter, asks for that take (takeActivated), which the takes panel makes the clip's
// active take.

#include "app/lineage.h"

#include <QHash>
#include <QImage>
#include <QRect>
#include <QWidget>

namespace kinora::ui {

class LineageView : public QWidget {
    Q_OBJECT

public:
    explicit LineageView(QWidget* parent = nullptr);

    void setGraph(const app::LineageGraph& graph, const QHash<QString, QImage>& thumbnails,
                  const QHash<QString, QString>& captions);
    const app::LineageGraph& graph() const { return m_graph; }
    // The box of node i in widget coordinates (for tests and the screenshot).
    QRect nodeRect(int i) const;
    int current() const { return m_current; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override; // the whole graph: the scroll area around it scrolls

Q_SIGNALS:
    void takeActivated(const QString& clipId, int takeIndex);
    // The box to keep in view (the take shown, or the one the arrow keys moved to).
    void currentRectChanged(const QRect& rect);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void activate(int node);
    void moveCurrent(int dLayer, int dRow);

    app::LineageGraph m_graph;
    QHash<QString, QImage> m_thumbnails; // by take id
    QHash<QString, QString> m_captions;  // by take id: "Clip 1 · Take 2"
    int m_current = -1;
};

} // namespace kinora::ui

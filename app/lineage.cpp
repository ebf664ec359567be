#include "app/lineage.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <functional>

namespace kinora::app {

namespace {

struct Located {
    const Take* take = nullptr;
    int clipIndex = -1;
    int takeIndex = -1;
};

QStringList words(const QString& prompt)
{
    static const QRegularExpression split(QStringLiteral("[^\\w']+"));
    return prompt.toLower().split(split, Qt::SkipEmptyParts);
}

// How the record says a take was made from its sources.
LineageRelation relationOf(const Take& take)
{
    const QString operation = take.operation();
    if (operation == QLatin1String("extend-backward"))
        return LineageRelation::ExtendedBackward;
    if (operation.startsWith(QLatin1String("extend")))
        return LineageRelation::Extended;
    if (operation == QLatin1String("bridge"))
        return LineageRelation::Bridged;
    if (operation == QLatin1String("fill"))
        return LineageRelation::Filled;
    return LineageRelation::Rerolled;
}

} // namespace

int LineageGraph::indexOf(const QString& takeId) const
{
    for (int i = 0; i < nodes.size(); ++i)
        if (nodes[i].takeId == takeId)
            return i;
    return -1;
}

void promptDifference(const QString& from, const QString& to, QStringList* removed, QStringList* added)
{
    const QStringList a = words(from), b = words(to);
    const QSet<QString> inA(a.begin(), a.end()), inB(b.begin(), b.end());
    removed->clear();
    added->clear();
    for (const auto& w : a)
        if (!inB.contains(w) && !removed->contains(w))
            removed->append(w);
    for (const auto& w : b)
        if (!inA.contains(w) && !added->contains(w))
            added->append(w);
}

QString lineageRelationLabel(LineageRelation relation)
{
    switch (relation) {
    case LineageRelation::Extended: return QCoreApplication::translate("Lineage", "extended");
    case LineageRelation::ExtendedBackward: return QCoreApplication::translate("Lineage", "extended backwards");
    case LineageRelation::Bridged: return QCoreApplication::translate("Lineage", "bridged");
    case LineageRelation::Filled: return QCoreApplication::translate("Lineage", "filled");
    case LineageRelation::Rerolled: return QCoreApplication::translate("Lineage", "re-rolled");
    case LineageRelation::Promoted: return QCoreApplication::translate("Lineage", "promoted to final");
    }
    return {};
}

LineageGraph buildLineage(const ProjectDocument& document, const QString& takeId)
{
    // Every take of the project, by id and by file name.
    QHash<QString, Located> byId, byFile;
    const auto& clips = document.clips();
    for (int c = 0; c < clips.size(); ++c)
        for (int t = 0; t < clips[c].takes.size(); ++t) {
            const Located at{&clips[c].takes[t], c, t};
            byId.insert(at.take->id, at);
            byFile.insert(at.take->file, at);
        }
    if (!byId.contains(takeId))
        return {};

    // Every edge of the project: parent id -> child id.
    struct RawEdge {
        QString from, to;
        LineageRelation relation;
    };
    QVector<RawEdge> all;
    for (const auto& at : std::as_const(byId)) {
        const Take& take = *at.take;
        QSet<QString> parents;
        if (!take.parent.isEmpty() && byId.contains(take.parent) && take.parent != take.id) {
            all.append({take.parent, take.id,
                        take.relation == QLatin1String("promoted") ? LineageRelation::Promoted
                                                                   : LineageRelation::Rerolled});
            parents.insert(take.parent);
        }
        for (const auto& s : take.record.value(QStringLiteral("sources")).toArray()) {
            const auto found = byFile.constFind(s.toObject().value(QStringLiteral("file")).toString());
            if (found == byFile.cend() || found->take == at.take || parents.contains(found->take->id))
                continue;
            parents.insert(found->take->id);
            all.append({found->take->id, take.id, relationOf(take)});
        }
    }

    // The connected part around the take asked for.
    QHash<QString, QVector<int>> touching;
    for (int i = 0; i < all.size(); ++i) {
        touching[all[i].from].append(i);
        touching[all[i].to].append(i);
    }
    QSet<QString> seen{takeId};
    QVector<QString> queue{takeId};
    for (int q = 0; q < queue.size(); ++q)
        for (int e : touching.value(queue[q])) {
            for (const QString& next : {all[e].from, all[e].to})
                if (!seen.contains(next)) {
                    seen.insert(next);
                    queue.append(next);
                }
        }

    // Layers: the longest chain of parents above each take (records only point back in
    // time, so there is no cycle; a guard stops a hand-edited project that has one).
    QHash<QString, int> layer;
    std::function<int(const QString&, int)> depth = [&](const QString& id, int guard) -> int {
        if (const auto it = layer.constFind(id); it != layer.cend())
            return *it;
        int d = 0;
        if (guard < 10000)
            for (int e : touching.value(id))
                if (all[e].to == id)
                    d = std::max(d, depth(all[e].from, guard + 1) + 1);
        layer.insert(id, d);
        return d;
    };
    QVector<QString> ids(queue.begin(), queue.end());
    for (const auto& id : ids)
        depth(id, 0);
    std::sort(ids.begin(), ids.end(), [&](const QString& a, const QString& b) {
        const Located &la = byId[a], &lb = byId[b];
        return std::make_tuple(layer[a], la.clipIndex, la.takeIndex) < std::make_tuple(layer[b], lb.clipIndex, lb.takeIndex);
    });

    LineageGraph graph;
    QHash<QString, int> nodeOf;
    for (const auto& id : ids) {
        const Located& at = byId[id];
        LineageNode node;
        node.takeId = id;
        node.clipId = clips[at.clipIndex].id;
        node.clipIndex = at.clipIndex;
        node.takeIndex = at.takeIndex;
        node.layer = layer[id];
        node.row = graph.nodes.isEmpty() || graph.nodes.back().layer != node.layer ? 0 : graph.nodes.back().row + 1;
        nodeOf.insert(id, graph.nodes.size());
        graph.nodes.append(node);
    }
    for (const auto& e : all) {
        if (!seen.contains(e.from) || !seen.contains(e.to))
            continue;
        LineageEdge edge;
        edge.from = nodeOf[e.from];
        edge.to = nodeOf[e.to];
        edge.relation = e.relation;
        promptDifference(byId[e.from].take->prompt(), byId[e.to].take->prompt(), &edge.removedWords, &edge.addedWords);
        graph.edges.append(edge);
    }
    std::sort(graph.edges.begin(), graph.edges.end(),
              [](const LineageEdge& a, const LineageEdge& b) { return std::tie(a.to, a.from) < std::tie(b.to, b.from); });
    graph.focus = nodeOf.value(takeId, -1);
    return graph;
}

} // namespace kinora::app

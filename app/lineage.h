#pragma once

// A take's lineage: the takes it grew from and the takes that grew from it, as a small
// directed graph for the takes panel. Edges come from two places:
//   - a take's generation record names the takes whose frames it used (`sources`: the
//     extended, filled or bridged takes, by file name);
//   - the studio remembers which take a re-roll or a promotion was made from
//     (Take::parent and Take::relation).
// Each edge carries how the child was made and how its prompt differs from the parent's.

#include "app/project.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace kinora::app {

enum class LineageRelation { Extended, ExtendedBackward, Bridged, Filled, Rerolled, Promoted };

struct LineageNode {
    QString takeId;
    QString clipId;
    int clipIndex = -1; // place on the timeline
    int takeIndex = -1; // place in its clip's stack
    int layer = 0;      // generations from the oldest ancestor in the graph
    int row = 0;        // order within the layer
};

struct LineageEdge {
    int from = -1; // node indices: parent -> child
    int to = -1;
    LineageRelation relation = LineageRelation::Rerolled;
    QStringList removedWords; // in the parent's prompt, not in the child's
    QStringList addedWords;   // in the child's prompt, not in the parent's
};

struct LineageGraph {
    QVector<LineageNode> nodes; // ordered by layer, then row
    QVector<LineageEdge> edges;
    int focus = -1; // the node of the take asked for
    int indexOf(const QString& takeId) const;
};

// The connected part of the project's lineage that holds `takeId` (empty when no take has
// that id). Takes outside the project (a source file no take owns) are left out.
LineageGraph buildLineage(const ProjectDocument& document, const QString& takeId);

// The words of `to` not in `from` and the other way round, in their order; lower case.
void promptDifference(const QString& from, const QString& to, QStringList* removed, QStringList* added);

QString lineageRelationLabel(LineageRelation relation); // translated: "extended", ...

} // namespace kinora::app

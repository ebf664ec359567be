#pragma once

// One QUndoCommand per kind of edit. Commands name clips by id, so they stay valid
// whatever else happened to the timeline in between.

#include "app/project.h"

#include <QUndoCommand>

namespace kinora::app {

class AddClipCommand : public QUndoCommand {
public:
    AddClipCommand(ProjectDocument* doc, const Clip& clip, int index, const QString& text = {});
    void redo() override;
    void undo() override;

private:
    ProjectDocument* m_doc;
    Clip m_clip;
    int m_index;
};

class RemoveClipCommand : public QUndoCommand {
public:
    RemoveClipCommand(ProjectDocument* doc, const QString& clipId);
    void redo() override;
    void undo() override;

private:
    ProjectDocument* m_doc;
    QString m_id;
    Clip m_clip;
    int m_index = -1;
};

class MoveClipCommand : public QUndoCommand {
public:
    enum { Id = 1001 };
    MoveClipCommand(ProjectDocument* doc, const QString& clipId, int to);
    void redo() override;
    void undo() override;
    int id() const override { return Id; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectDocument* m_doc;
    QString m_clipId;
    int m_from;
    int m_to;
    int m_interaction;
};

// Sets a clip's trims, or replaces the whole clip state (takes, active, trims).
class ClipStateCommand : public QUndoCommand {
public:
    enum { TrimId = 1002 };
    ClipStateCommand(ProjectDocument* doc, const Clip& before, const Clip& after, const QString& text, bool mergeable);
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeable ? TrimId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectDocument* m_doc;
    Clip m_before;
    Clip m_after;
    bool m_mergeable;
    int m_interaction;
};

class SplitClipCommand : public QUndoCommand {
public:
    SplitClipCommand(ProjectDocument* doc, const QString& clipId, int offset, const QString& newId);
    void redo() override;
    void undo() override;

private:
    ProjectDocument* m_doc;
    Clip m_original;
    Clip m_first;
    Clip m_second;
};

// Replaces the storyboard (shots, prompts, seconds, joins).
class BoardCommand : public QUndoCommand {
public:
    BoardCommand(ProjectDocument* doc, const Board& before, const Board& after, const QString& text);
    void redo() override;
    void undo() override;

private:
    ProjectDocument* m_doc;
    Board m_before;
    Board m_after;
};

} // namespace kinora::app

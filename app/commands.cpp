#include "app/commands.h"

#include <QCoreApplication>

namespace kinora::app {

namespace {
} // namespace

AddClipCommand::AddClipCommand(ProjectDocument* doc, const Clip& clip, int index, const QString& text)
    : QUndoCommand(text.isEmpty() ? QCoreApplication::translate("kinora::app::Commands", "Add clip") : text), m_doc(doc), m_clip(clip), m_index(index)
{
}

void AddClipCommand::redo() { m_doc->insertClipRaw(m_index, m_clip); }

void AddClipCommand::undo()
{
    const int index = m_doc->indexOf(m_clip.id);
    if (index >= 0)
        m_doc->removeClipRaw(index);
}

RemoveClipCommand::RemoveClipCommand(ProjectDocument* doc, const QString& clipId)
    : QUndoCommand(QCoreApplication::translate("kinora::app::Commands", "Delete clip")), m_doc(doc), m_id(clipId)
{
}

void RemoveClipCommand::redo()
{
    m_index = m_doc->indexOf(m_id);
    if (m_index >= 0)
        m_clip = m_doc->removeClipRaw(m_index);
}

void RemoveClipCommand::undo()
{
    if (m_index >= 0)
        m_doc->insertClipRaw(m_index, m_clip);
}

MoveClipCommand::MoveClipCommand(ProjectDocument* doc, const QString& clipId, int to)
    : QUndoCommand(QCoreApplication::translate("kinora::app::Commands", "Move clip")), m_doc(doc), m_clipId(clipId), m_from(doc->indexOf(clipId)), m_to(to),
      m_interaction(doc->interaction())
{
}

void MoveClipCommand::redo() { m_doc->moveClipRaw(m_doc->indexOf(m_clipId), m_to); }
void MoveClipCommand::undo() { m_doc->moveClipRaw(m_doc->indexOf(m_clipId), m_from); }

bool MoveClipCommand::mergeWith(const QUndoCommand* other)
{
    const auto* o = static_cast<const MoveClipCommand*>(other);
    if (m_interaction == 0 || o->m_interaction != m_interaction || o->m_clipId != m_clipId)
        return false;
    m_to = o->m_to;
    return true;
}

ClipStateCommand::ClipStateCommand(ProjectDocument* doc, const Clip& before, const Clip& after, const QString& text,
                                   bool mergeable)
    : QUndoCommand(text), m_doc(doc), m_before(before), m_after(after), m_mergeable(mergeable),
      m_interaction(doc->interaction())
{
}

void ClipStateCommand::redo() { m_doc->replaceClipRaw(m_doc->indexOf(m_after.id), m_after); }
void ClipStateCommand::undo() { m_doc->replaceClipRaw(m_doc->indexOf(m_before.id), m_before); }

bool ClipStateCommand::mergeWith(const QUndoCommand* other)
{
    const auto* o = static_cast<const ClipStateCommand*>(other);
    if (!m_mergeable || !o->m_mergeable || m_interaction == 0 || o->m_interaction != m_interaction ||
        o->m_after.id != m_after.id)
        return false;
    m_after = o->m_after;
    return true;
}

SplitClipCommand::SplitClipCommand(ProjectDocument* doc, const QString& clipId, int offset, const QString& newId)
    : QUndoCommand(QCoreApplication::translate("kinora::app::Commands", "Split clip")), m_doc(doc)
{
    m_original = *doc->clip(clipId);
    const int cut = m_original.firstFrame() + offset; // first frame of the second part, in the take
    m_first = m_original;
    m_first.trimOut = m_original.take().frames - cut;
    m_second = m_original;
    m_second.id = newId;
    m_second.trimIn = cut;
}

void SplitClipCommand::redo()
{
    const int index = m_doc->indexOf(m_original.id);
    m_doc->replaceClipRaw(index, m_first);
    m_doc->insertClipRaw(index + 1, m_second);
}

void SplitClipCommand::undo()
{
    m_doc->removeClipRaw(m_doc->indexOf(m_second.id));
    m_doc->replaceClipRaw(m_doc->indexOf(m_original.id), m_original);
}

BoardCommand::BoardCommand(ProjectDocument* doc, const Board& before, const Board& after, const QString& text)
    : QUndoCommand(text), m_doc(doc), m_before(before), m_after(after)
{
}

// Links to clips made meanwhile are kept whichever way the board goes.
static Board withLinks(Board board, const Board& current)
{
    for (auto& shot : board.shots)
        for (const auto& now : current.shots)
            if (now.id == shot.id)
                shot.clipId = now.clipId;
    return board;
}

void BoardCommand::redo() { m_doc->setBoardRaw(withLinks(m_after, m_doc->board())); }
void BoardCommand::undo() { m_doc->setBoardRaw(withLinks(m_before, m_doc->board())); }

} // namespace kinora::app


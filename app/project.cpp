#include "app/project.h"

#include "app/commands.h"

#include <QDir>
#include <QFileInfo>
#include <QUuid>

#include <algorithm>

namespace kinora::app {

quint64 Take::seed() const { return record.value(QStringLiteral("seed")).toVariant().toULongLong(); }
QString Take::prompt() const { return record.value(QStringLiteral("prompt")).toString(); }
QString Take::operation() const { return record.value(QStringLiteral("operation")).toString(); }

bool Take::draft() const { return record.value(QStringLiteral("draft")).toBool(); }

int Clip::firstFrame() const { return std::clamp(trimIn, 0, take().frames - 1); }

int Clip::length() const
{
    const int first = firstFrame();
    const int out = std::clamp(trimOut, 0, take().frames - 1 - first);
    return take().frames - first - out;
}

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent)
{
    connect(&m_undo, &QUndoStack::cleanChanged, this, [this] { Q_EMIT modifiedChanged(isModified()); });
}

int ProjectDocument::indexOf(const QString& clipId) const
{
    for (int i = 0; i < m_clips.size(); ++i)
        if (m_clips[i].id == clipId)
            return i;
    return -1;
}

const Clip* ProjectDocument::clip(const QString& clipId) const
{
    const int i = indexOf(clipId);
    return i < 0 ? nullptr : &m_clips[i];
}

int ProjectDocument::totalFrames() const
{
    int total = 0;
    for (const auto& c : m_clips)
        total += c.length();
    return total;
}

int ProjectDocument::clipStart(int index) const
{
    int start = 0;
    for (int i = 0; i < index && i < m_clips.size(); ++i)
        start += m_clips[i].length();
    return start;
}

int ProjectDocument::clipAt(int frame, int* offset) const
{
    int start = 0;
    for (int i = 0; i < m_clips.size(); ++i) {
        const int len = m_clips[i].length();
        if (frame >= start && frame < start + len) {
            if (offset)
                *offset = frame - start;
            return i;
        }
        start += len;
    }
    return -1;
}

bool ProjectDocument::requestSetBoard(const Board& board, const QString& text)
{
    if (board == m_board || board.shots.size() > kMaxBoardShots)
        return false;
    for (const auto& shot : board.shots)
        if (shot.id.isEmpty() || shot.prompt.trimmed().isEmpty() || !(shot.seconds > 0) || shot.seconds > kMaxShotSeconds)
            return false;
    m_undo.push(new BoardCommand(this, m_board, board, text));
    return true;
}

void ProjectDocument::setBoardRaw(const Board& board)
{
    m_board = board;
    Q_EMIT changed();
}

void ProjectDocument::linkShotRaw(const QString& shotId, const QString& clipId)
{
    for (auto& shot : m_board.shots)
        if (shot.id == shotId) {
            shot.clipId = clipId;
            m_forcedModified = true; // saved with the project
            Q_EMIT changed();
            Q_EMIT modifiedChanged(true);
        }
}

double ProjectDocument::fps() const { return m_clips.isEmpty() ? 8.0 : m_clips.first().take().fps; }

QString ProjectDocument::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).completeBaseName();
}

QString ProjectDocument::mediaPath(const Take& take) const { return QDir(m_mediaDir).filePath(take.file); }

QStringList ProjectDocument::missingMedia() const
{
    QStringList missing;
    for (const auto& c : m_clips)
        for (const auto& t : c.takes)
            if (!QFileInfo::exists(mediaPath(t)) && !missing.contains(t.file))
                missing << t.file;
    return missing;
}

bool ProjectDocument::requestAddClip(const Clip& clip, int index)
{
    if (clip.takes.isEmpty() || clip.activeTake < 0 || clip.activeTake >= clip.takes.size() || clip.id.isEmpty() ||
        indexOf(clip.id) >= 0)
        return false;
    for (const auto& t : clip.takes)
        if (t.frames <= 0)
            return false;
    if (index < 0 || index > m_clips.size())
        index = m_clips.size();
    m_undo.push(new AddClipCommand(this, clip, index));
    return true;
}

bool ProjectDocument::requestRemoveClip(const QString& clipId)
{
    if (indexOf(clipId) < 0)
        return false;
    m_undo.push(new RemoveClipCommand(this, clipId));
    return true;
}

bool ProjectDocument::requestMoveClip(const QString& clipId, int toIndex)
{
    const int from = indexOf(clipId);
    if (from < 0 || toIndex < 0 || toIndex >= m_clips.size() || toIndex == from)
        return false;
    m_undo.push(new MoveClipCommand(this, clipId, toIndex));
    return true;
}

bool ProjectDocument::requestTrim(const QString& clipId, int trimIn, int trimOut)
{
    const Clip* c = clip(clipId);
    if (!c || trimIn < 0 || trimOut < 0 || trimIn + trimOut >= c->take().frames)
        return false;
    if (trimIn == c->trimIn && trimOut == c->trimOut)
        return false;
    Clip after = *c;
    after.trimIn = trimIn;
    after.trimOut = trimOut;
    m_undo.push(new ClipStateCommand(this, *c, after, tr("Trim clip"), true));
    return true;
}

bool ProjectDocument::requestSplit(const QString& clipId, int offset)
{
    const Clip* c = clip(clipId);
    if (!c || offset <= 0 || offset >= c->length())
        return false;
    m_undo.push(new SplitClipCommand(this, clipId, offset, QUuid::createUuid().toString(QUuid::WithoutBraces)));
    return true;
}

bool ProjectDocument::requestAddTake(const QString& clipId, const Take& take, std::optional<std::pair<int, int>> trims)
{
    const Clip* c = clip(clipId);
    if (!c || take.frames <= 0 || take.id.isEmpty())
        return false;
    Clip after = *c;
    after.takes.append(take);
    after.activeTake = after.takes.size() - 1;
    if (trims) {
        if (trims->first < 0 || trims->second < 0 || trims->first + trims->second >= take.frames)
            return false;
        after.trimIn = trims->first;
        after.trimOut = trims->second;
    }
    m_undo.push(new ClipStateCommand(this, *c, after, tr("Add take"), false));
    return true;
}

bool ProjectDocument::requestSwitchTake(const QString& clipId, int takeIndex)
{
    const Clip* c = clip(clipId);
    if (!c || takeIndex < 0 || takeIndex >= c->takes.size() || takeIndex == c->activeTake)
        return false;
    Clip after = *c;
    after.activeTake = takeIndex;
    m_undo.push(new ClipStateCommand(this, *c, after, tr("Switch take"), false));
    return true;
}

void ProjectDocument::beginInteraction() { m_interaction = ++m_interactionCounter; }
void ProjectDocument::endInteraction() { m_interaction = 0; }

void ProjectDocument::insertClipRaw(int index, const Clip& clip)
{
    m_clips.insert(std::clamp(index, 0, int(m_clips.size())), clip);
    Q_EMIT changed();
}

Clip ProjectDocument::removeClipRaw(int index)
{
    Clip c = m_clips.takeAt(index);
    Q_EMIT changed();
    return c;
}

void ProjectDocument::moveClipRaw(int from, int to)
{
    if (from < 0 || from >= m_clips.size())
        return;
    m_clips.move(from, std::clamp(to, 0, int(m_clips.size()) - 1));
    Q_EMIT changed();
}

void ProjectDocument::replaceClipRaw(int index, const Clip& clip)
{
    if (index < 0 || index >= m_clips.size())
        return;
    m_clips[index] = clip;
    Q_EMIT changed();
}

void ProjectDocument::clear(const QString& mediaDir)
{
    m_undo.clear();
    m_clips.clear();
    m_board = {};
    m_mediaDir = mediaDir;
    m_forcedModified = false;
    setFilePath({});
    m_undo.setClean();
    Q_EMIT changed();
    Q_EMIT modifiedChanged(false);
}

void ProjectDocument::setFilePath(const QString& path)
{
    if (path == m_filePath)
        return;
    m_filePath = path;
    Q_EMIT filePathChanged(path);
}

QString ProjectDocument::mediaDirFor(const QString& projectPath)
{
    const QFileInfo info(projectPath);
    return info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral("_media"));
}

} // namespace kinora::app

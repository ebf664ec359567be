// Reading and writing .kinora files and the recovery copy.

#include "app/project.h"
#include "app/frame_io.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace kinora::app {

namespace {

Error ioError(ErrorCode code, const QString& message) { return makeError(code, message.toStdString()); }

QJsonObject takeToJson(const Take& t)
{
    QJsonObject o{{"id", t.id},         {"file", t.file}, {"frames", t.frames}, {"width", t.width},
                  {"height", t.height}, {"fps", t.fps},   {"record", t.record}};
    if (!t.parent.isEmpty()) {
        o.insert("parent", t.parent);
        o.insert("relation", t.relation);
    }
    return o;
}

bool takeFromJson(const QJsonObject& o, Take* t)
{
    t->id = o.value("id").toString();
    t->file = o.value("file").toString();
    t->frames = o.value("frames").toInt();
    t->width = o.value("width").toInt();
    t->height = o.value("height").toInt();
    t->fps = o.value("fps").toDouble();
    t->record = o.value("record").toObject();
    t->parent = o.value("parent").toString();
    t->relation = o.value("relation").toString();
    // A file name, never a path: a project must not point outside its media folder.
    return !t->id.isEmpty() && !t->file.isEmpty() && !t->file.contains('/') && !t->file.contains('\\') &&
           t->file != ".." && t->frames > 0 && t->width > 0 && t->height > 0 && t->fps > 0;
}

Result<QJsonObject> readJsonFile(const QString& path)
{
    QFile file(path);
    if (!file.exists())
        return ioError(ErrorCode::NotFound, QObject::tr("%1 does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return ioError(ErrorCode::Io, QObject::tr("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxProjectBytes)
        return ioError(ErrorCode::Format, QObject::tr("%1 is %2 MiB; a Kinora project file is at most %3 MiB")
                                              .arg(QFileInfo(path).fileName())
                                              .arg(file.size() >> 20)
                                              .arg(kMaxProjectBytes >> 20));
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return ioError(ErrorCode::Format, QObject::tr("%1 is not a Kinora project (not valid JSON: %2)")
                                              .arg(QFileInfo(path).fileName(), parseError.errorString()));
    return doc.object();
}

Result<void> writeJsonFile(const QString& path, const QJsonObject& root)
{
    QSaveFile file(path);
    // Unbuffered: Qt 6.4's QSaveFile::commit() renames the file into place even when the
    // flush of its buffer stops short (a full disk), leaving a truncated file that passed
    // for saved (tests/tst_disk_full.cpp); written directly, the short write shows here.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return ioError(ErrorCode::Io, QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return ioError(ErrorCode::Io, QObject::tr("cannot write %1: %2").arg(path, writeFailure(file)));
    return success();
}

} // namespace

QJsonObject ProjectDocument::toJson(const QJsonArray& pendingJobs) const
{
    QJsonArray clips;
    for (const auto& c : m_clips) {
        QJsonArray takes;
        for (const auto& t : c.takes)
            takes.append(takeToJson(t));
        clips.append(QJsonObject{{"id", c.id},
                                 {"active_take", c.activeTake},
                                 {"trim_in", c.trimIn},
                                 {"trim_out", c.trimOut},
                                 {"takes", takes}});
    }
    QJsonObject root{{"app", "kinora"},
                     {"schema_version", kSchemaVersion},
                     {"kinora_version", KINORA_VERSION},
                     {"clips", clips},
                     {"queued_jobs", pendingJobs}};
    if (!m_board.shots.isEmpty()) {
        QJsonArray shots;
        for (const auto& shot : m_board.shots)
            shots.append(QJsonObject{{"id", shot.id},
                                     {"prompt", shot.prompt},
                                     {"seconds", shot.seconds},
                                     {"join", shot.continues ? "continue" : "cut"},
                                     {"clip", shot.clipId}});
        // The seed as text: a JSON number loses 64-bit integers.
        root.insert("storyboard", QJsonObject{{"seed", QString::number(m_board.seed)}, {"shots", shots}});
    }
    return root;
}

Result<void> ProjectDocument::fromJson(const QJsonObject& root, QVector<Clip>* clips, Board* board) const
{
    if (root.value("app").toString() != QLatin1String("kinora") || !root.value("schema_version").isDouble())
        return ioError(ErrorCode::Format, tr("this is not a Kinora project file"));
    const int version = root.value("schema_version").toInt();
    if (version < 1 || version > kSchemaVersion)
        return ioError(ErrorCode::Unsupported,
                       tr("this project was saved by a newer Kinora (schema %1; this version reads up to %2)")
                           .arg(version)
                           .arg(kSchemaVersion));
    const QJsonArray clipArray = root.value("clips").toArray();
    if (clipArray.size() > kMaxClips)
        return ioError(ErrorCode::Format, tr("the project has %1 clips; Kinora opens at most %2")
                                              .arg(clipArray.size())
                                              .arg(kMaxClips));
    for (const auto& value : clipArray) {
        const QJsonObject o = value.toObject();
        if (o.value("takes").toArray().size() > kMaxTakesPerClip)
            return ioError(ErrorCode::Format, tr("clip %1 of the project has %2 takes; Kinora opens at most %3")
                                                  .arg(clips->size() + 1)
                                                  .arg(o.value("takes").toArray().size())
                                                  .arg(kMaxTakesPerClip));
        Clip c;
        c.id = o.value("id").toString();
        c.activeTake = o.value("active_take").toInt(-1);
        c.trimIn = o.value("trim_in").toInt();
        c.trimOut = o.value("trim_out").toInt();
        for (const auto& tv : o.value("takes").toArray()) {
            Take t;
            if (!takeFromJson(tv.toObject(), &t))
                return ioError(ErrorCode::Format, tr("the project file is damaged: a take of clip %1 is incomplete")
                                                      .arg(clips->size() + 1));
            c.takes.append(t);
        }
        if (c.id.isEmpty() || c.takes.isEmpty() || c.activeTake < 0 || c.activeTake >= c.takes.size() ||
            c.trimIn < 0 || c.trimOut < 0)
            return ioError(ErrorCode::Format,
                           tr("the project file is damaged: clip %1 is incomplete").arg(clips->size() + 1));
        clips->append(c);
    }
    // The storyboard (optional): each shot complete, within the limits.
    const QJsonObject storyboard = root.value("storyboard").toObject();
    const QJsonArray shots = storyboard.value("shots").toArray();
    if (shots.size() > kMaxBoardShots)
        return ioError(ErrorCode::Format, tr("the project's storyboard has %1 shots; Kinora opens at most %2")
                                              .arg(shots.size())
                                              .arg(kMaxBoardShots));
    bool seedOk = true;
    board->seed = storyboard.value("seed").toString().toULongLong(&seedOk);
    if (!shots.isEmpty() && !seedOk)
        return ioError(ErrorCode::Format, tr("the project file is damaged: the storyboard's seed is not a number"));
    for (const auto& value : shots) {
        const QJsonObject o = value.toObject();
        BoardShot shot;
        shot.id = o.value("id").toString();
        shot.prompt = o.value("prompt").toString();
        shot.seconds = o.value("seconds").toDouble(-1);
        const QString join = o.value("join").toString();
        shot.continues = join == QLatin1String("continue");
        shot.clipId = o.value("clip").toString();
        if (shot.id.isEmpty() || shot.prompt.trimmed().isEmpty() || !(shot.seconds > 0) ||
            shot.seconds > kMaxShotSeconds || (join != QLatin1String("cut") && !shot.continues) ||
            (shot.continues && board->shots.isEmpty()))
            return ioError(ErrorCode::Format, tr("the project file is damaged: shot %1 of the storyboard is incomplete")
                                                  .arg(board->shots.size() + 1));
        board->shots.append(shot);
    }
    return success();
}

Result<void> ProjectDocument::save(const QString& path, const QJsonArray& pendingJobs)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString media = mediaDirFor(absolute);
    if (!QDir().mkpath(media))
        return ioError(ErrorCode::Io, tr("cannot create the media folder %1").arg(media));
    // Media first: the project file must never name takes that are not beside it.
    if (auto ok = copyMediaFiles(mediaToCopy(absolute)); !ok)
        return ok;
    if (auto ok = writeJsonFile(absolute, toJson(pendingJobs)); !ok)
        return ok;
    m_mediaDir = media;
    m_forcedModified = false;
    setFilePath(absolute);
    m_undo.setClean();
    Q_EMIT modifiedChanged(false);
    return success();
}

QVector<QPair<QString, QString>> ProjectDocument::mediaToCopy(const QString& path) const
{
    QVector<QPair<QString, QString>> files;
    const QString media = mediaDirFor(QFileInfo(path).absoluteFilePath());
    if (QDir(media).absolutePath() == QDir(m_mediaDir).absolutePath())
        return files;
    QSet<QString> seen;
    for (const auto& c : m_clips)
        for (const auto& t : c.takes) {
            const QString target = QDir(media).filePath(t.file);
            if (seen.contains(target) || QFileInfo::exists(target))
                continue;
            seen.insert(target);
            files.append({mediaPath(t), target});
        }
    return files;
}

Result<void> copyMediaFiles(const QVector<QPair<QString, QString>>& files, const std::function<void(int)>& progress,
                            const std::atomic<bool>* cancel)
{
    QStringList made;
    auto undo = [&] {
        for (const auto& f : made)
            QFile::remove(f);
    };
    for (int i = 0; i < files.size(); ++i) {
        if (cancel && cancel->load()) {
            undo();
            return ioError(ErrorCode::Cancelled, ProjectDocument::tr("cancelled"));
        }
        const auto& [source, target] = files[i];
        const QString media = QFileInfo(target).absolutePath();
        if (!QDir().mkpath(media)) {
            undo();
            return ioError(ErrorCode::Io, ProjectDocument::tr("cannot create the media folder %1").arg(media));
        }
        const QString part = target + QStringLiteral(".part");
        QFile::remove(part);
        if (!QFile::copy(source, part) || !QFile::rename(part, target)) {
            QFile::remove(part);
            undo();
            return ioError(ErrorCode::Io, ProjectDocument::tr("cannot copy %1 into %2 (is the disk full?)").arg(source, media));
        }
        made << target;
        if (progress)
            progress(i + 1);
    }
    return success();
}

Result<QJsonArray> ProjectDocument::load(const QString& path)
{
    auto root = readJsonFile(path);
    if (!root)
        return root.error();
    QVector<Clip> clips;
    Board board;
    if (auto ok = fromJson(root.value(), &clips, &board); !ok)
        return ok.error();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_undo.clear();
    m_clips = clips;
    m_board = board;
    m_mediaDir = mediaDirFor(absolute);
    m_forcedModified = false;
    setFilePath(absolute);
    m_undo.setClean();
    Q_EMIT changed();
    Q_EMIT modifiedChanged(false);
    return root->value("queued_jobs").toArray();
}

QJsonObject ProjectDocument::recoveryJson(const QJsonArray& pendingJobs, const QString& promptDraft) const
{
    QJsonObject root = toJson(pendingJobs);
    QJsonObject recovery { { "project_path", m_filePath }, { "media_dir", QDir(m_mediaDir).absolutePath() } };
    if (!promptDraft.isEmpty())
        recovery.insert("prompt_draft", promptDraft);
    root.insert("recovery", recovery);
    return root;
}

Result<void> ProjectDocument::writeRecoveryJson(const QString& path, const QJsonObject& root)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    return writeJsonFile(path, root);
}

Result<void> ProjectDocument::writeRecovery(const QString& path, const QJsonArray& pendingJobs) const
{
    return writeRecoveryJson(path, recoveryJson(pendingJobs));
}

Result<QJsonArray> ProjectDocument::loadRecovery(const QString& path, QString* promptDraft)
{
    auto root = readJsonFile(path);
    if (!root)
        return root.error();
    const QJsonObject recovery = root->value("recovery").toObject();
    if (recovery.isEmpty())
        return ioError(ErrorCode::Format, tr("%1 is not a recovery file").arg(path));
    QVector<Clip> clips;
    Board board;
    if (auto ok = fromJson(root.value(), &clips, &board); !ok)
        return ok.error();
    m_undo.clear();
    m_clips = clips;
    m_board = board;
    m_mediaDir = recovery.value("media_dir").toString();
    setFilePath(recovery.value("project_path").toString());
    if (promptDraft)
        *promptDraft = recovery.value("prompt_draft").toString();
    // Restored work is unsaved work.
    m_forcedModified = true;
    Q_EMIT changed();
    Q_EMIT modifiedChanged(true);
    return root->value("queued_jobs").toArray();
}

} // namespace kinora::app

#include "app/job.h"

#include "prompt/prompt.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

namespace kinora::app {

namespace {

struct KindName {
    JobKind kind;
    const char* name;
};
constexpr KindName kKinds[] = {
    {JobKind::Generate, "generate"}, {JobKind::Reroll, "reroll"}, {JobKind::Extend, "extend"},
    {JobKind::Bridge, "bridge"},     {JobKind::Fill, "fill"},     {JobKind::Import, "import"},
    {JobKind::Export, "export"},
};

} // namespace

QString jobKindName(JobKind kind)
{
    for (const auto& k : kKinds)
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    return {};
}

bool parseJobKind(const QString& name, JobKind* out)
{
    for (const auto& k : kKinds)
        if (name == QLatin1String(k.name)) {
            *out = k.kind;
            return true;
        }
    return false;
}

QString promptProblem(JobKind kind, const QString& prompt)
{
    const auto check = prompt::checkPrompt(prompt.toStdString(), kind == JobKind::Generate);
    switch (check.problem) {
    case prompt::PromptProblem::None: return {};
    case prompt::PromptProblem::Empty:
        return QCoreApplication::translate("kinora::app::Job", "The prompt is empty: describe what the clip should show.");
    case prompt::PromptProblem::TooLong:
        return QCoreApplication::translate("kinora::app::Job", "The prompt is too long: at most %1 characters are taken.")
            .arg(prompt::kMaxPromptChars);
    case prompt::PromptProblem::NotUtf8:
    case prompt::PromptProblem::Refused: break;
    }
    return QString::fromStdString(check.message);
}

QString jobKindLabel(JobKind kind)
{
    switch (kind) {
    case JobKind::Generate: return QCoreApplication::translate("kinora::app::Job", "Generate");
    case JobKind::Reroll: return QCoreApplication::translate("kinora::app::Job", "Re-roll");
    case JobKind::Extend: return QCoreApplication::translate("kinora::app::Job", "Extend");
    case JobKind::Bridge: return QCoreApplication::translate("kinora::app::Job", "Bridge");
    case JobKind::Fill: return QCoreApplication::translate("kinora::app::Job", "Regenerate frames");
    case JobKind::Import: return QCoreApplication::translate("kinora::app::Job", "Import");
    case JobKind::Export: return QCoreApplication::translate("kinora::app::Job", "Export");
    }
    return {};
}

QString jobStateLabel(JobState state)
{
    switch (state) {
    case JobState::Queued: return QCoreApplication::translate("kinora::app::Job", "Queued");
    case JobState::Running: return QCoreApplication::translate("kinora::app::Job", "Running");
    case JobState::Done: return QCoreApplication::translate("kinora::app::Job", "Done");
    case JobState::Failed: return QCoreApplication::translate("kinora::app::Job", "Failed");
    case JobState::Cancelled: return QCoreApplication::translate("kinora::app::Job", "Cancelled");
    }
    return {};
}

QJsonObject JobSpec::toJson() const
{
    QJsonArray spans;
    for (const auto& s : sources)
        spans.append(QJsonObject{{"file", s.file}, {"first", s.first}, {"count", s.count}, {"record", s.record}});
    return {{"kind", jobKindName(kind)},
            {"clip", clipId},
            {"prompt", prompt},
            {"negative", negative},
            {"seed", QString::number(seed)},
            {"seconds", seconds},
            {"frames", frames},
            {"repeat", repeat},
            {"parent_take", parentTake},
            {"relation", relation},
            {"smooth_frames", smoothFrames},
            {"shot", shotId},
            {"steps", steps},
            {"draft", draft},
            {"guidance", guidance},
            {"backward", backward},
            {"fill_first", fillFirst},
            {"fill_last", fillLast},
            {"sources", spans},
            {"media_dir", mediaDir},
            {"path", path},
            {"crf", crf},
            {"width", width},
            {"height", height},
            {"fps", fps},
            {"mark", mark},
            {"poster_path", posterPath},
            {"poster_frame", posterFrame}};
}

bool JobSpec::fromJson(const QJsonObject& o, JobSpec* out)
{
    JobSpec s;
    if (!parseJobKind(o.value("kind").toString(), &s.kind))
        return false;
    s.clipId = o.value("clip").toString();
    s.prompt = o.value("prompt").toString();
    s.negative = o.value("negative").toString();
    s.seed = o.value("seed").toString().toULongLong();
    s.seconds = o.value("seconds").toDouble(2.0);
    s.frames = o.value("frames").toInt();
    s.repeat = o.value("repeat").toString();
    s.parentTake = o.value("parent_take").toString();
    s.relation = o.value("relation").toString();
    s.smoothFrames = o.value("smooth_frames").toInt();
    s.shotId = o.value("shot").toString();
    s.steps = o.value("steps").toInt();
    s.draft = o.value("draft").toBool();
    s.guidance = o.value("guidance").toDouble(-1);
    s.backward = o.value("backward").toBool();
    s.fillFirst = o.value("fill_first").toInt(-1);
    s.fillLast = o.value("fill_last").toInt(-1);
    for (const auto& v : o.value("sources").toArray()) {
        const auto so = v.toObject();
        s.sources.append({so.value("file").toString(), so.value("first").toInt(), so.value("count").toInt(-1),
                          so.value("record").toObject()});
    }
    s.mediaDir = o.value("media_dir").toString();
    s.path = o.value("path").toString();
    s.crf = o.value("crf").toInt(18);
    s.width = o.value("width").toInt();
    s.height = o.value("height").toInt();
    s.fps = o.value("fps").toDouble();
    s.mark = o.value("mark").toBool();
    s.posterPath = o.value("poster_path").toString();
    s.posterFrame = o.value("poster_frame").toInt(-1);
    *out = s;
    return true;
}

QString JobSpec::describe() const
{
    switch (kind) {
    case JobKind::Import:
    case JobKind::Export: return QFileInfo(path).fileName();
    default: break;
    }
    QString text = prompt.simplified();
    if (text.size() > 48)
        text = text.left(45) + QStringLiteral("...");
    return text;
}

} // namespace kinora::app

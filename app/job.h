#pragma once

// What a job is: its kind and parameters (a JobSpec, serialisable so queued jobs
// survive a restart), its state and progress, and what a finished one produced.
// Sources are named by media file and frame range at queue time: take files never
// change once written, so a job never needs to read the document.

#include "app/project.h"

#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>

namespace kinora::app {

enum class JobKind { Generate, Reroll, Extend, Bridge, Fill, Import, Export };
enum class JobState { Queued, Running, Done, Failed, Cancelled };

QString jobKindName(JobKind kind); // stable, for files
bool parseJobKind(const QString& name, JobKind* out);
QString jobKindLabel(JobKind kind); // translated, for people
QString jobStateLabel(JobState state);
// The operations' one prompt check (prompt::checkPrompt, as the CLI runs it) for a job of
// this kind: empty when the prompt may go ahead, else why not, translated where the
// studio has its own words. Only generating needs a prompt.
QString promptProblem(JobKind kind, const QString& prompt);

// A stretch of a take file.
struct FrameSpan {
    QString file; // absolute path
    int first = 0;
    int count = -1; // < 0: to the end
    QJsonObject record; // the take's generation record (carried into exports)
};

inline constexpr int kSmoothCandidates = 3;

struct JobSpec {
    JobKind kind = JobKind::Generate;
    // The clip the result belongs to (re-roll, extend, fill: a new take on it; bridge:
    // a new clip after it).
    QString clipId;
    QString prompt;
    QString negative;
    quint64 seed = 0;
    double seconds = 2.0; // generate, extend, bridge: frames to make
    int frames = 0;       // re-roll: the frames to make again (overrides seconds)
    // Re-roll: the operation that made the take, done again with a new seed ("" or
    // "generate": from the prompt; "extend", "extend-backward", "fill", "bridge": from the
    // same known frames, which `sources` names).
    QString repeat;
    // Re-roll: the take it was made from and how ("rerolled" or "promoted"), which the
    // new take keeps for the lineage graph.
    QString parentTake;
    QString relation;
    // Bridge: frames trimmed off each side when it lands (smoothing a join), 0 for none.
    // Such a bridge is made kSmoothCandidates times and the smoothest kept.
    int smoothFrames = 0;
    // The storyboard shot this job makes or re-rolls ("" for none): a generate lands after
    // the shot before it, an extend (a shot that continues) as a new clip after its source,
    // showing only its new frames.
    QString shotId;
    int steps = 0;        // 0: the pack's default (a draft takes a quarter of them)
    double guidance = -1; // < 0: the pack's default
    bool draft = false;   // a draft: a quarter of the steps, marked so in the record
    bool backward = false;
    int fillFirst = -1; // fill: frames of the source span to regenerate (inclusive)
    int fillLast = -1;
    QVector<FrameSpan> sources; // extend/fill/re-roll: one; bridge: two; export: every clip
    QString mediaDir;           // where a new take is written
    QString path;               // import: the file to read; export: the MP4 to write
    int crf = 18;               // export
    int width = 0;              // export: 0 = the clips' size
    int height = 0;
    double fps = 0; // export: 0 = the clips' rate
    bool mark = false;  // export: the visible "AI" label in every frame
    QString posterPath; // export: also write this PNG of one frame ("" = none)
    int posterFrame = -1; // export: which frame of the clips put together; < 0: the middle

    QJsonObject toJson() const;
    static bool fromJson(const QJsonObject& o, JobSpec* out);
    QString describe() const;
};

struct JobResult {
    Take take;          // the new take (every kind but export)
    QImage thumbnail;   // its first frame
    QString outputPath; // export
};

struct Job {
    int id = 0;
    JobSpec spec;
    JobState state = JobState::Queued;
    int step = 0;
    int steps = 0;
    double elapsedSeconds = 0;
    double etaSeconds = -1; // < 0: unknown
    QString error;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);

    bool finished() const { return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled; }
};

} // namespace kinora::app

Q_DECLARE_METATYPE(kinora::app::JobResult)

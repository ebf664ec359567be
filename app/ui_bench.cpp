#include "app/ui_bench.h"

#include "app/frame_io.h"
#include "app/studio.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>
#include <QWidget>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace kinora::app {

namespace {

constexpr int kTickMs = 5;

// Ticks every kTickMs on the UI thread and keeps how late each tick came.
class StallMeter {
public:
    StallMeter()
    {
        m_clock.start();
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(kTickMs);
        QObject::connect(&m_tick, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_lateness.push_back(std::max(0.0, (now - m_last) / 1e6 - kTickMs));
            if (m_trace && m_lateness.back() > 20)
                std::fprintf(stderr, "stall %.1f ms ending at %.3f s\n", m_lateness.back(), now / 1e9);
            m_last = now;
        });
    }
    void start()
    {
        m_last = m_clock.nsecsElapsed();
        m_started = m_last;
        m_tick.start();
    }
    void stop()
    {
        m_tick.stop();
        m_wall = (m_clock.nsecsElapsed() - m_started) / 1e9;
    }
    double now() const { return m_clock.nsecsElapsed() / 1e9; }
    bool trace() const { return m_trace; }
    // The lateness figures, with the wall time, into `out`.
    void report(QJsonObject& out) const
    {
        std::vector<double> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        auto percentile = [&](double p) {
            return sorted.empty() ? 0.0 : sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
        };
        double sum = 0;
        for (double v : sorted)
            sum += v;
        out.insert(QStringLiteral("wall_seconds"), m_wall);
        out.insert(QStringLiteral("tick_ms"), kTickMs);
        out.insert(QStringLiteral("ticks"), static_cast<qint64>(sorted.size()));
        out.insert(QStringLiteral("stall_ms_max"), sorted.empty() ? 0.0 : sorted.back());
        out.insert(QStringLiteral("stall_ms_p99"), percentile(0.99));
        out.insert(QStringLiteral("stall_ms_p50"), percentile(0.5));
        out.insert(QStringLiteral("stall_ms_mean"), sorted.empty() ? 0.0 : sum / sorted.size());
    }

private:
    const bool m_trace = qEnvironmentVariableIsSet("KINORA_BENCH_TRACE");
    std::vector<double> m_lateness; // ms each tick came after it was due
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_started = 0;
    double m_wall = 0;
    QTimer m_tick;
};

// Lets the window map and paint first: that one-off cost is not what is measured.
void settle()
{
    QEventLoop settle;
    QTimer::singleShot(1000, &settle, &QEventLoop::quit);
    settle.exec();
}

void printJson(const QJsonObject& out) { std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData()); }

// Save As of a project of long takes while a prompt is typed, one key every 60 ms.
int runSaveBench(Studio& studio, const UiBenchOptions& options)
{
    if (!options.save) {
        std::fprintf(stderr, "kinora: error: the save scenario needs the window's save\n");
        return 1;
    }
    auto* doc = studio.document();
    const int size = studio.jobs()->model().frameSize > 0 ? studio.jobs()->model().frameSize : 128;
    const double fps = 8.0;
    Video video;
    video.fps = fps;
    std::mt19937 rng(1);
    for (int f = 0; f < std::max(1, int(options.takeSeconds * fps)); ++f) {
        Frame frame(size, size);
        for (auto& b : frame.rgb)
            b = std::uint8_t(rng());
        video.frames.push_back(std::move(frame));
    }
    QDir().mkpath(doc->mediaDir());
    qint64 bytes = 0;
    for (int i = 0; i < options.saveTakes; ++i) {
        Take take;
        take.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        take.file = take.id + QLatin1String(kFramesSuffix);
        take.frames = int(video.frames.size());
        take.width = take.height = size;
        take.fps = fps;
        take.record = QJsonObject{{QStringLiteral("operation"), QStringLiteral("import")},
                                  {QStringLiteral("prompt"), QString()}};
        const QString file = QDir(doc->mediaDir()).filePath(take.file);
        if (auto ok = writeFrames(file, video); !ok) {
            std::fprintf(stderr, "kinora: error: %s\n", ok.error().message.c_str());
            return 1;
        }
        bytes += QFileInfo(file).size();
        Clip clip;
        clip.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        clip.takes = {take};
        doc->requestAddClip(clip);
    }
    QTemporaryDir target;
    settle();

    StallMeter meter;
    const QString text = QStringLiteral("a small red ball bouncing slowly on a grass field at dusk ");
    int typed = 0;
    QTimer typing;
    typing.setInterval(60);
    QObject::connect(&typing, &QTimer::timeout, [&] {
        // The prompt box (focused at start; found by name where no window is active).
        QWidget* focus = QApplication::focusWidget();
        for (QWidget* top : QApplication::topLevelWidgets())
            if (!focus)
                focus = top->findChild<QWidget*>(QStringLiteral("promptEdit"));
        if (!focus)
            return;
        const QChar c = text.at(typed++ % text.size());
        const int key = c == QLatin1Char(' ') ? Qt::Key_Space : Qt::Key_A + (c.unicode() - 'a');
        QCoreApplication::postEvent(focus, new QKeyEvent(QEvent::KeyPress, key, Qt::NoModifier, QString(c)));
        QCoreApplication::postEvent(focus, new QKeyEvent(QEvent::KeyRelease, key, Qt::NoModifier, QString(c)));
    });
    meter.start();
    typing.start();
    const double t0 = meter.now();
    // KINORA_BENCH_SYNC_SAVE=1: the old way, the whole save on the UI thread, for comparison.
    const QString path = QDir(target.path()).filePath(QStringLiteral("bench.kinora"));
    const bool saved = qEnvironmentVariableIsSet("KINORA_BENCH_SYNC_SAVE") ? studio.saveAs(path).ok() : options.save(path);
    const double saveSeconds = meter.now() - t0;
    // Typing on a little after the save, when the last take's thumbnail and the title change.
    {
        QEventLoop after;
        QTimer::singleShot(500, &after, &QEventLoop::quit);
        after.exec();
    }
    typing.stop();
    meter.stop();
    QJsonObject out{{QStringLiteral("scenario"), QStringLiteral("save")},
                    {QStringLiteral("saved"), saved},
                    {QStringLiteral("takes"), options.saveTakes},
                    {QStringLiteral("take_seconds"), options.takeSeconds},
                    {QStringLiteral("bytes"), bytes},
                    {QStringLiteral("save_seconds"), saveSeconds},
                    {QStringLiteral("keys_typed"), typed}};
    meter.report(out);
    printJson(out);
    return saved ? 0 : 1;
}

} // namespace

int runUiBench(Studio& studio, const UiBenchOptions& options)
{
    if (options.saveTakes > 0)
        return runSaveBench(studio, options);
    StallMeter meter;

    // One generation at a time, the next queued when the last clip lands, as a creator
    // would: what is measured is the loop during generation, not a burst of queueing.
    int produced = 0, failed = 0, queued = 0;
    // Each generation's estimate before it was queued (the load-time timing for the first,
    // refined by every job after) against its time from queueing to landing.
    QJsonArray estimates;
    double estimate = -1, queuedAt = 0;
    QEventLoop loop;
    auto queueNext = [&] {
        if (queued == options.generations) {
            loop.quit();
            return;
        }
        GenerateParams params;
        params.prompt = QStringLiteral("a red ball bouncing on a grass field");
        params.seed = 1000 + static_cast<quint64>(queued++);
        params.seconds = options.seconds;
        estimate = studio.estimateGenerate(params);
        queuedAt = meter.now();
        if (studio.queueGenerate(params) < 0) // errorOccurred says why
            loop.quit();
    };
    QObject::connect(&studio, &Studio::clipProduced, &loop, [&] {
        if (meter.trace())
            std::fprintf(stderr, "clip produced at %.3f s\n", meter.now());
        ++produced;
        estimates.append(QJsonArray{estimate, meter.now() - queuedAt});
        QTimer::singleShot(0, &loop, queueNext);
    });
    QObject::connect(&studio, &Studio::errorOccurred, &loop, [&](const QString&, const QString& message) {
        std::fprintf(stderr, "kinora: error: %s\n", qPrintable(message));
        ++failed;
        loop.quit();
    });

    settle();
    // The engine times itself at load (JobManager estimates); wait for that.
    for (int i = 0; i < 300 && studio.jobs()->secondsPerStep() <= 0; ++i) {
        QEventLoop wait;
        QTimer::singleShot(100, &wait, &QEventLoop::quit);
        wait.exec();
    }
    meter.start();
    QTimer::singleShot(0, &loop, queueNext);
    loop.exec();

    // Then a draft promoted to final, and the first join inspected and smoothed: each
    // waits for the clip it makes to land.
    auto landed = [&](const std::function<int()>& queue) {
        if (failed > 0)
            return false;
        QEventLoop wait;
        bool ok = false;
        auto done = QObject::connect(&studio, &Studio::clipProduced, &wait, [&] {
            ok = true;
            wait.quit();
        });
        auto error = QObject::connect(&studio, &Studio::errorOccurred, &wait, [&] { wait.quit(); });
        if (queue() > 0)
            wait.exec();
        QObject::disconnect(done);
        QObject::disconnect(error);
        return ok;
    };
    bool promoted = false, smoothed = false;
    if (failed == 0 && produced == options.generations) {
        QObject::disconnect(&studio, &Studio::clipProduced, &loop, nullptr);
        studio.setDraftMode(true);
        GenerateParams params;
        params.prompt = QStringLiteral("a blue square moving to the left on a black background");
        params.seed = 2000;
        params.seconds = options.seconds;
        const bool drafted = landed([&] { return studio.queueGenerate(params); });
        studio.setDraftMode(false);
        const QString draftClip = studio.document()->clips().isEmpty() ? QString() : studio.document()->clips().back().id;
        promoted = drafted && landed([&] { return studio.queuePromote(draftClip); });
        if (options.inspectJoin && studio.document()->clips().size() > 1) {
            options.inspectJoin(0);
            QEventLoop look; // the inspector loads and plays a moment
            QTimer::singleShot(1000, &look, &QEventLoop::quit);
            look.exec();
            smoothed = landed([&] { return studio.queueSmoothJoin(0); });
        }
    }
    meter.stop();

    QJsonObject out{{QStringLiteral("scenario"), QStringLiteral("generate")},
                    {QStringLiteral("generations"), produced},
                    {QStringLiteral("failed"), failed},
                    {QStringLiteral("clip_seconds"), options.seconds},
                    {QStringLiteral("estimate_and_measured_seconds"), estimates},
                    {QStringLiteral("draft_promoted"), promoted},
                    {QStringLiteral("join_inspected_and_smoothed"), smoothed}};
    meter.report(out);
    printJson(out);
    return failed == 0 && produced == options.generations && promoted ? 0 : 1;
}

} // namespace kinora::app

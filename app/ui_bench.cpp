#include "app/ui_bench.h"

#include "app/studio.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace kinora::app {

int runUiBench(Studio& studio, const UiBenchOptions& options)
{
    constexpr int kTickMs = 5;
    const bool trace = qEnvironmentVariableIsSet("KINORA_BENCH_TRACE");
    std::vector<double> lateness; // ms each tick came after it was due
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(kTickMs);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lateness.push_back(std::max(0.0, (now - last) / 1e6 - kTickMs));
        if (trace && lateness.back() > 20)
            std::fprintf(stderr, "stall %.1f ms ending at %.3f s\n", lateness.back(), now / 1e9);
        last = now;
    });

    // One generation at a time, the next queued when the last clip lands, as a creator
    // would: what is measured is the loop during generation, not a burst of queueing.
    int produced = 0, failed = 0, queued = 0;
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
        if (studio.queueGenerate(params) < 0) // errorOccurred says why
            loop.quit();
    };
    QObject::connect(&studio, &Studio::clipProduced, &loop, [&] {
        if (trace)
            std::fprintf(stderr, "clip produced at %.3f s\n", clock.nsecsElapsed() / 1e9);
        ++produced;
        QTimer::singleShot(0, &loop, queueNext);
    });
    QObject::connect(&studio, &Studio::errorOccurred, &loop, [&](const QString&, const QString& message) {
        std::fprintf(stderr, "kinora: error: %s\n", qPrintable(message));
        ++failed;
        loop.quit();
    });

    // Let the window map and paint first: that one-off cost is not what is measured.
    {
        QEventLoop settle;
        QTimer::singleShot(1000, &settle, &QEventLoop::quit);
        settle.exec();
    }
    last = clock.nsecsElapsed();
    tick.start();
    const qint64 started = clock.nsecsElapsed();
    QTimer::singleShot(0, &loop, queueNext);
    loop.exec();
    tick.stop();
    const double wall = (clock.nsecsElapsed() - started) / 1e9;

    std::vector<double> sorted = lateness;
    std::sort(sorted.begin(), sorted.end());
    auto percentile = [&](double p) {
        return sorted.empty() ? 0.0 : sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
    };
    double sum = 0;
    for (double v : sorted)
        sum += v;
    QJsonObject out{{QStringLiteral("generations"), produced},
                    {QStringLiteral("failed"), failed},
                    {QStringLiteral("clip_seconds"), options.seconds},
                    {QStringLiteral("wall_seconds"), wall},
                    {QStringLiteral("tick_ms"), kTickMs},
                    {QStringLiteral("ticks"), static_cast<qint64>(sorted.size())},
                    {QStringLiteral("stall_ms_max"), sorted.empty() ? 0.0 : sorted.back()},
                    {QStringLiteral("stall_ms_p99"), percentile(0.99)},
                    {QStringLiteral("stall_ms_p50"), percentile(0.5)},
                    {QStringLiteral("stall_ms_mean"), sorted.empty() ? 0.0 : sum / sorted.size()}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return failed == 0 && produced == options.generations ? 0 : 1;
}

} // namespace kinora::app

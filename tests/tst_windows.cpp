// Tests for the parts of core/pipeline that need no model: the window plan of a long or
// partly known clip, seconds to frames, frame ranges, fill requests and frame-rate
// resampling. Generation itself: tst_pipeline.

#include "pipeline/clip_ops.h"
#include "pipeline/windows.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kinora {
// Lets QCOMPARE print error codes by name.
char* toString(ErrorCode code)
{
    return qstrdup(errorCodeName(code));
}
} // namespace kinora

using namespace kinora;
using namespace kinora::pipeline;

namespace {

constexpr int kSide = 64;

std::vector<bool> mask(int total, const std::vector<std::pair<int, int>>& knownRanges)
{
    std::vector<bool> known(total, false);
    for (auto [a, b] : knownRanges)
        for (int i = a; i <= b; ++i)
            known[i] = true;
    return known;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<bool>)

class TestWindows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void planWindowsCover_data();
    void planWindowsCover();
    void framesForSeconds_data();
    void framesForSeconds();
    void parseFrameRange_data();
    void parseFrameRange();
    void fillRequestRange();
    void resampleFps_data();
    void resampleFps();
};

void TestWindows::planWindowsCover_data()
{
    QTest::addColumn<std::vector<bool>>("known");
    QTest::addColumn<bool>("backward");
    QTest::addColumn<int>("minWindows");
    QTest::addColumn<int>("maxWindows");

    QTest::newRow("generate 1") << mask(1, {}) << false << 1 << 1;
    QTest::newRow("generate 16") << mask(16, {}) << false << 1 << 1;
    QTest::newRow("generate 17") << mask(17, {}) << false << 1 << 1;
    QTest::newRow("generate 40") << mask(40, {}) << false << 3 << 4;
    QTest::newRow("generate 100") << mask(100, {}) << false << 8 << 9;
    QTest::newRow("forward 16 + 16") << mask(32, { { 0, 15 } }) << false << 1 << 2;
    QTest::newRow("forward 16 + 40") << mask(56, { { 0, 15 } }) << false << 4 << 5;
    QTest::newRow("backward 16 + 16") << mask(32, { { 16, 31 } }) << true << 1 << 2;
    QTest::newRow("backward 40 + 16") << mask(56, { { 40, 55 } }) << true << 4 << 5;
    QTest::newRow("backward 3 + 1") << mask(4, { { 3, 3 } }) << true << 1 << 1;
    QTest::newRow("bridge 8 + 30 + 8") << mask(46, { { 0, 7 }, { 38, 45 } }) << false << 3 << 4;
    QTest::newRow("bridge 16 + 4 + 16") << mask(36, { { 0, 15 }, { 20, 35 } }) << false << 1 << 1;
    QTest::newRow("fill 15-24 of 40") << mask(40, { { 0, 14 }, { 25, 39 } }) << false << 1 << 2;
    QTest::newRow("fill 0-3 of 40") << mask(40, { { 4, 39 } }) << true << 1 << 1;
    QTest::newRow("fill one frame") << mask(9, { { 0, 3 }, { 5, 8 } }) << false << 1 << 1;
    QTest::newRow("all known") << mask(20, { { 0, 19 } }) << false << 0 << 0;
}

void TestWindows::planWindowsCover()
{
    QFETCH(std::vector<bool>, known);
    QFETCH(bool, backward);
    QFETCH(int, minWindows);
    QFETCH(int, maxWindows);
    const int window = 17, overlap = 5, group = 4;
    const int total = int(known.size());
    const auto windows = planWindows(known, window, overlap, group);
    QVERIFY2(int(windows.size()) >= minWindows && int(windows.size()) <= maxWindows,
        qPrintable(QString("%1 windows").arg(windows.size())));

    std::vector<bool> have = known;
    const bool anyKnown = std::find(known.begin(), known.end(), true) != known.end();
    for (size_t i = 0; i < windows.size(); ++i) {
        const auto& w = windows[i];
        QVERIFY2(w.frames >= 1 && (w.frames - 1) % group == 0 && w.frames <= window,
            qPrintable(QString("window %1 has %2 frames").arg(i).arg(w.frames)));
        QVERIFY2(
            w.start < total && w.start + w.frames > 0, qPrintable(QString("window %1 is outside").arg(i)));
        // Each window is sampled next to what is already there: it sees known or earlier
        // generated frames (the very first window of a plain generation has none).
        bool sees = false;
        for (int f = std::max(0, w.start); f < std::min(total, w.start + w.frames); ++f)
            sees = sees || have[f];
        if (anyKnown || i > 0)
            QVERIFY2(sees,
                qPrintable(QString("window %1 at %2 is not conditioned on anything").arg(i).arg(w.start)));
        for (int f = std::max(0, w.start); f < std::min(total, w.start + w.frames); ++f)
            have[f] = true;
        if (i > 0) {
            if (backward)
                QVERIFY2(w.start < windows[i - 1].start, "backward windows must go right to left");
            else
                QVERIFY2(w.start > windows[i - 1].start, "forward windows must go left to right");
        }
    }
    for (int f = 0; f < total; ++f)
        QVERIFY2(have[f], qPrintable(QString("frame %1 is covered by no window").arg(f)));
}

void TestWindows::framesForSeconds_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("frames"); // -1: refused

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("2 s at 8 fps") << 2.0 << 8.0 << 16;
    QTest::newRow("1.5 s at 8 fps") << 1.5 << 8.0 << 12;
    QTest::newRow("0.1 s rounds to 1 frame") << 0.1 << 8.0 << 1;
    QTest::newRow("600 s (the limit)") << 600.0 << 8.0 << 4800;
    QTest::newRow("2 s at 24 fps") << 2.0 << 24.0 << 48;
    QTest::newRow("0 s") << 0.0 << 8.0 << -1;
    QTest::newRow("negative") << -1.0 << 8.0 << -1;
    QTest::newRow("NaN") << nan << 8.0 << -1;
    QTest::newRow("infinite") << inf << 8.0 << -1;
    QTest::newRow("600.5 s") << 600.5 << 8.0 << -1;
    QTest::newRow("100000 s") << 100000.0 << 8.0 << -1;
    QTest::newRow("shorter than a frame") << 0.01 << 8.0 << -1;
}

void TestWindows::framesForSeconds()
{
    QFETCH(double, seconds);
    QFETCH(double, fps);
    QFETCH(int, frames);
    auto result = pipeline::framesForSeconds(seconds, fps);
    if (frames < 0) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!result.error().message.empty());
    } else {
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE(result.value(), frames);
    }
}

void TestWindows::parseFrameRange_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("good");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::newRow("4-9") << "4-9" << true << 4 << 9;
    QTest::newRow("0-0") << "0-0" << true << 0 << 0;
    QTest::newRow("12-340") << "12-340" << true << 12 << 340;
    QTest::newRow("empty") << "" << false << 0 << 0;
    QTest::newRow("one number") << "4" << false << 0 << 0;
    QTest::newRow("no first") << "-4" << false << 0 << 0;
    QTest::newRow("no last") << "4-" << false << 0 << 0;
    QTest::newRow("letters") << "a-b" << false << 0 << 0;
    QTest::newRow("trailing junk") << "4-9x" << false << 0 << 0;
    QTest::newRow("junk before dash") << "4x-9" << false << 0 << 0;
    QTest::newRow("three parts") << "4-9-12" << false << 0 << 0;
    QTest::newRow("comma") << "4,9" << false << 0 << 0;
    QTest::newRow("too large") << "99999999999-1" << false << 0 << 0;
}

void TestWindows::parseFrameRange()
{
    QFETCH(QString, text);
    QFETCH(bool, good);
    QFETCH(int, first);
    QFETCH(int, last);
    auto range = pipeline::parseFrameRange(text.toStdString());
    QCOMPARE(range.ok(), good);
    if (good) {
        QCOMPARE(range->first, first);
        QCOMPARE(range->second, last);
    } else {
        QCOMPARE(range.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(range.error().message).contains("A-B"));
    }
}

void TestWindows::fillRequestRange()
{
    Video clip;
    clip.fps = 8.0;
    clip.frames.assign(10, Frame(kSide, kSide));
    for (auto [a, b] : std::vector<std::pair<int, int>> { { -1, 3 }, { 5, 4 }, { 0, 10 }, { 10, 12 } }) {
        auto r = fillRequest(clip, a, b);
        QVERIFY2(!r.ok(), qPrintable(QString("%1-%2 accepted").arg(a).arg(b)));
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(r.error().message).contains("0-9"));
    }
    auto r = fillRequest(clip, 0, 9);
    QVERIFY(r.ok());
    QCOMPARE(std::count(r->known.begin(), r->known.end(), true), 0);
}

void TestWindows::resampleFps_data()
{
    QTest::addColumn<double>("from");
    QTest::addColumn<int>("frames");
    QTest::addColumn<double>("to");
    QTest::addColumn<int>("expected");
    QTest::newRow("24 -> 8") << 24.0 << 48 << 8.0 << 16;
    QTest::newRow("30 -> 8") << 30.0 << 60 << 8.0 << 16;
    QTest::newRow("25 -> 8") << 25.0 << 50 << 8.0 << 16;
    QTest::newRow("8 -> 8") << 8.0 << 13 << 8.0 << 13;
    QTest::newRow("4 -> 8") << 4.0 << 6 << 8.0 << 12;
    QTest::newRow("24 -> 8, 1 frame") << 24.0 << 1 << 8.0 << 1;
}

void TestWindows::resampleFps()
{
    QFETCH(double, from);
    QFETCH(int, frames);
    QFETCH(double, to);
    QFETCH(int, expected);
    Video clip;
    clip.fps = from;
    for (int i = 0; i < frames; ++i) {
        Frame f(2, 2);
        f.rgb[0] = std::uint8_t(i); // which source frame it is
        clip.frames.push_back(f);
    }
    const auto out = pipeline::resampleFps(clip, to);
    QCOMPARE(out.fps, to);
    QCOMPARE(int(out.frames.size()), expected);
    if (frames > 1)
        QVERIFY(std::abs(out.seconds() - clip.seconds()) <= 1.0 / to);
    // Nearest earlier source frame, in order, starting with the first.
    QCOMPARE(int(out.frames.front().rgb[0]), 0);
    for (int i = 0; i < expected; ++i) {
        const int src = out.frames[i].rgb[0];
        QVERIFY(std::abs(src / from - i / to) < 1.0 / from + 1e-9);
        if (i > 0)
            QVERIFY(src >= out.frames[i - 1].rgb[0]);
    }
    if (from == 24.0 && frames == 48)
        for (int i = 0; i < expected; ++i)
            QCOMPARE(int(out.frames[i].rgb[0]), 3 * i);
}

QTEST_GUILESS_MAIN(TestWindows)

#include "tst_windows.moc"

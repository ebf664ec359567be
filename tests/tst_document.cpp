// Tests for the project document (app/project.h): every edit and its undo/redo, drag
// merging, take switching, .kinora save and reopen, atomic saves, damaged or foreign
// files, the recovery copy, and the lossless take files.

#include "app/commands.h"
#include "app/frame_io.h"
#include "app/project.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <unistd.h>

using namespace kinora;
using namespace kinora::app;

namespace {

Video makeVideo(int frames, int phase)
{
    Video v;
    v.fps = 8;
    for (int t = 0; t < frames; ++t) {
        Frame f(16, 16);
        for (size_t i = 0; i < f.rgb.size(); ++i)
            f.rgb[i] = std::uint8_t(i * 7 + t * 13 + phase * 31);
        v.frames.push_back(f);
    }
    return v;
}

Take makeTake(const QString& mediaDir, int frames, int phase)
{
    Take t;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.file = t.id + QLatin1String(kFramesSuffix);
    t.frames = frames;
    t.width = t.height = 16;
    t.fps = 8;
    t.record = {{"prompt", QStringLiteral("clip %1").arg(phase)}, {"seed", phase}, {"operation", "generate"}};
    const auto ok = writeFrames(QDir(mediaDir).filePath(t.file), makeVideo(frames, phase));
    Q_ASSERT(ok.ok());
    return t;
}

Clip makeClip(const QString& mediaDir, int frames, int phase)
{
    Clip c;
    c.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.takes = {makeTake(mediaDir, frames, phase)};
    return c;
}

QByteArray snapshot(const ProjectDocument& doc) { return QJsonDocument(doc.toJson({})).toJson(); }

} // namespace

class TestDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void addRemoveUndoRedo();
    void moveMergesWithinADrag();
    void trimRefusesImpossible_data();
    void trimRefusesImpossible();
    void trimMergesWithinADrag();
    void splitUndoRedo();
    void takesKeepTrims();
    void saveAndReopen();
    void saveAsCopiesMedia();
    void failedSaveKeepsLastGoodFile();
    void damagedFiles_data();
    void damagedFiles();
    void recoveryCopy();
    void storyboardSavedAndUndone();
    void framesFiles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_media;
};

void TestDocument::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_media = m_dir->filePath(QStringLiteral("scratch_media"));
    QDir().mkpath(m_media);
}

void TestDocument::addRemoveUndoRedo()
{
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip a = makeClip(m_media, 9, 1), b = makeClip(m_media, 5, 2);
    QVERIFY(doc.requestAddClip(a));
    QVERIFY(doc.requestAddClip(b, 0));
    QVERIFY(!doc.requestAddClip(a)); // same id twice is refused
    QCOMPARE(doc.clips().size(), 2);
    QCOMPARE(doc.clips()[0].id, b.id);
    QCOMPARE(doc.totalFrames(), 14);
    QVERIFY(doc.isModified());
    QVERIFY(doc.requestRemoveClip(b.id));
    QCOMPARE(doc.clips().size(), 1);
    QCOMPARE(doc.clipStart(0), 0); // ripple: the rest closes the gap
    doc.undoStack()->undo();
    QCOMPARE(doc.clips().size(), 2);
    QCOMPARE(doc.clips()[0].id, b.id);
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    QCOMPARE(doc.clips().size(), 0);
    doc.undoStack()->redo();
    doc.undoStack()->redo();
    doc.undoStack()->redo();
    QCOMPARE(doc.clips().size(), 1);
    QCOMPARE(doc.clips()[0].id, a.id);
    QVERIFY(!doc.requestRemoveClip(QStringLiteral("nope")));
}

void TestDocument::moveMergesWithinADrag()
{
    ProjectDocument doc;
    doc.clear(m_media);
    for (int i = 0; i < 3; ++i)
        QVERIFY(doc.requestAddClip(makeClip(m_media, 5, i)));
    const QString first = doc.clips()[0].id;
    const int before = doc.undoStack()->count();
    doc.beginInteraction();
    QVERIFY(doc.requestMoveClip(first, 1));
    QVERIFY(doc.requestMoveClip(first, 2));
    doc.endInteraction();
    QCOMPARE(doc.indexOf(first), 2);
    QCOMPARE(doc.undoStack()->count(), before + 1);
    doc.undoStack()->undo();
    QCOMPARE(doc.indexOf(first), 0);
    // Outside a drag, each move is its own step.
    QVERIFY(doc.requestMoveClip(first, 1));
    QVERIFY(doc.requestMoveClip(first, 2));
    QCOMPARE(doc.undoStack()->count(), before + 2);
    QVERIFY(!doc.requestMoveClip(first, 3));
    QVERIFY(!doc.requestMoveClip(first, 2));
}

void TestDocument::trimRefusesImpossible_data()
{
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("both") << 2 << 3 << true;
    QTest::newRow("one frame left") << 4 << 4 << true;
    QTest::newRow("nothing left") << 5 << 4 << false;
    QTest::newRow("negative in") << -1 << 0 << false;
    QTest::newRow("negative out") << 0 << -2 << false;
    QTest::newRow("unchanged") << 0 << 0 << false;
}

void TestDocument::trimRefusesImpossible()
{
    QFETCH(int, in);
    QFETCH(int, out);
    QFETCH(bool, accepted);
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip c = makeClip(m_media, 9, 1);
    QVERIFY(doc.requestAddClip(c));
    const QByteArray before = snapshot(doc);
    QCOMPARE(doc.requestTrim(c.id, in, out), accepted);
    if (!accepted) {
        QCOMPARE(snapshot(doc), before);
        return;
    }
    QCOMPARE(doc.clips()[0].length(), 9 - in - out);
    QCOMPARE(doc.clips()[0].firstFrame(), in);
    doc.undoStack()->undo();
    QCOMPARE(snapshot(doc), before);
}

void TestDocument::trimMergesWithinADrag()
{
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip c = makeClip(m_media, 9, 1);
    QVERIFY(doc.requestAddClip(c));
    const int count = doc.undoStack()->count();
    doc.beginInteraction();
    for (int out = 1; out <= 4; ++out)
        QVERIFY(doc.requestTrim(c.id, 0, out));
    doc.endInteraction();
    QCOMPARE(doc.undoStack()->count(), count + 1);
    QCOMPARE(doc.clips()[0].length(), 5);
    doc.undoStack()->undo();
    QCOMPARE(doc.clips()[0].length(), 9);
    doc.undoStack()->redo();
    QCOMPARE(doc.clips()[0].length(), 5);
}

void TestDocument::splitUndoRedo()
{
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip c = makeClip(m_media, 12, 1);
    QVERIFY(doc.requestAddClip(c));
    QVERIFY(doc.requestTrim(c.id, 2, 1)); // 9 visible: take frames 2..10
    const QByteArray before = snapshot(doc);
    QVERIFY(!doc.requestSplit(c.id, 0));
    QVERIFY(!doc.requestSplit(c.id, 9));
    QVERIFY(doc.requestSplit(c.id, 4));
    QCOMPARE(doc.clips().size(), 2);
    QCOMPARE(doc.clips()[0].length(), 4);
    QCOMPARE(doc.clips()[1].length(), 5);
    QCOMPARE(doc.clips()[1].firstFrame(), 6);
    QCOMPARE(doc.totalFrames(), 9);
    doc.undoStack()->undo();
    QCOMPARE(snapshot(doc), before);
    doc.undoStack()->redo();
    QCOMPARE(doc.clips().size(), 2);
}

void TestDocument::takesKeepTrims()
{
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip c = makeClip(m_media, 9, 1);
    QVERIFY(doc.requestAddClip(c));
    QVERIFY(doc.requestTrim(c.id, 1, 2));
    QVERIFY(doc.requestAddTake(c.id, makeTake(m_media, 9, 2)));
    QCOMPARE(doc.clips()[0].takes.size(), 2);
    QCOMPARE(doc.clips()[0].activeTake, 1);
    QCOMPARE(doc.clips()[0].length(), 6);
    QVERIFY(doc.requestSwitchTake(c.id, 0));
    QCOMPARE(doc.clips()[0].activeTake, 0);
    QCOMPARE(doc.clips()[0].trimIn, 1);
    QCOMPARE(doc.clips()[0].trimOut, 2);
    QVERIFY(!doc.requestSwitchTake(c.id, 0));
    QVERIFY(!doc.requestSwitchTake(c.id, 5));
    // A shorter take shows what it can, and the trims come back with a longer one.
    QVERIFY(doc.requestAddTake(c.id, makeTake(m_media, 3, 3)));
    QCOMPARE(doc.clips()[0].length(), 1);
    QVERIFY(doc.requestSwitchTake(c.id, 1));
    QCOMPARE(doc.clips()[0].length(), 6);
    // An extension resets trims.
    QVERIFY(doc.requestAddTake(c.id, makeTake(m_media, 13, 4), std::make_pair(0, 0)));
    QCOMPARE(doc.clips()[0].length(), 13);
    doc.undoStack()->undo();
    QCOMPARE(doc.clips()[0].length(), 6);
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    QCOMPARE(doc.clips()[0].takes.size(), 2);
    QCOMPARE(doc.clips()[0].activeTake, 1);
}

void TestDocument::saveAndReopen()
{
    ProjectDocument doc;
    doc.clear(m_media);
    const Clip a = makeClip(m_media, 9, 1);
    QVERIFY(doc.requestAddClip(a));
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 2)));
    QVERIFY(doc.requestAddTake(a.id, makeTake(m_media, 9, 3)));
    QVERIFY(doc.requestTrim(a.id, 1, 1));
    const QString path = m_dir->filePath(QStringLiteral("film.kinora"));
    const QJsonArray jobs{QJsonObject{{"kind", "generate"}, {"prompt", "a red ball"}}};
    QVERIFY(doc.save(path, jobs).ok());
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(doc.mediaDir(), m_dir->filePath(QStringLiteral("film_media")));
    QCOMPARE(QDir(doc.mediaDir()).entryList(QDir::Files).size(), 3);

    ProjectDocument reopened;
    auto pending = reopened.load(path);
    QVERIFY2(pending.ok(), pending.ok() ? "" : pending.error().message.c_str());
    QCOMPARE(pending.value(), jobs);
    QCOMPARE(snapshot(reopened), snapshot(doc));
    QVERIFY(reopened.missingMedia().isEmpty());
    QCOMPARE(reopened.undoStack()->count(), 0);
    const auto frames = readFrames(reopened.mediaPath(reopened.clips()[0].take()));
    QVERIFY(frames.ok());
    QCOMPARE(frames->frames[4].rgb, makeVideo(9, 3).frames[4].rgb);
}

void TestDocument::saveAsCopiesMedia()
{
    ProjectDocument doc;
    doc.clear(m_media);
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 1)));
    QVERIFY(doc.save(m_dir->filePath(QStringLiteral("one.kinora"))).ok());
    QVERIFY(doc.save(m_dir->filePath(QStringLiteral("sub/two.kinora"))).ok());
    QCOMPARE(doc.mediaDir(), m_dir->filePath(QStringLiteral("sub/two_media")));
    QVERIFY(doc.missingMedia().isEmpty());
    QVERIFY(QFileInfo::exists(m_dir->filePath(QStringLiteral("one_media/")) + doc.clips()[0].take().file));
}

void TestDocument::failedSaveKeepsLastGoodFile()
{
    ProjectDocument doc;
    doc.clear(m_media);
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 1)));
    const QString path = m_dir->filePath(QStringLiteral("keep.kinora"));
    QVERIFY(doc.save(path).ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray good = file.readAll();
    file.close();

    // A save that cannot complete (here: the media folder is blocked by a file)
    // reports why and leaves the document and the file as they were.
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 2)));
    QFile blocker(m_dir->filePath(QStringLiteral("other_media")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    auto failed = doc.save(m_dir->filePath(QStringLiteral("other.kinora")));
    QVERIFY(!failed.ok());
    QVERIFY(QString::fromStdString(failed.error().message).contains(QStringLiteral("other_media")));
    QVERIFY(doc.isModified());
    QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());

    if (::geteuid() != 0) {
        // Read-only folder: QSaveFile cannot even start, the old file stays.
        QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::ExeOwner);
        QVERIFY(!doc.save(path).ok());
        QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), good);
    file.close();
    // No temporary files are left next to the project.
    QVERIFY(doc.save(path).ok());
    for (const auto& name : QDir(m_dir->path()).entryList(QDir::Files))
        QVERIFY2(name.endsWith(QLatin1String(".kinora")) || name == QLatin1String("other_media"), qPrintable(name));
}

void TestDocument::damagedFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mention");
    QTest::newRow("not json") << QByteArray("\x89PNG\r\n garbage") << "not a Kinora project";
    QTest::newRow("truncated") << QByteArray(R"({"app":"kinora","schema_version":1,"clips":[{"id":)") << "not valid JSON";
    QTest::newRow("foreign json") << QByteArray(R"({"name":"someone else's file"})") << "not a Kinora project";
    QTest::newRow("newer schema") << QByteArray(R"({"app":"kinora","schema_version":99,"clips":[]})") << "newer";
    QTest::newRow("clip without takes")
        << QByteArray(R"({"app":"kinora","schema_version":1,"clips":[{"id":"a","active_take":0,"takes":[]}]})")
        << "damaged";
    QTest::newRow("take outside its folder")
        << QByteArray(R"({"app":"kinora","schema_version":1,"clips":[{"id":"a","active_take":0,"takes":[)"
                      R"({"id":"t","file":"../../etc/passwd","frames":3,"width":4,"height":4,"fps":8}]}]})")
        << "damaged";
    QTest::newRow("empty file") << QByteArray() << "not a Kinora project";
    // Limits a hostile or mistaken file cannot pass, each named in the message.
    const QByteArray clip = R"({"id":"a","active_take":0,"takes":[{"id":"t","file":"t.kframes","frames":3,"width":4,"height":4,"fps":8}]})";
    QByteArray many = R"({"app":"kinora","schema_version":1,"clips":[)";
    for (int i = 0; i <= kMaxClips; ++i)
        many += (i ? "," : "") + clip;
    QTest::newRow("too many clips") << many + "]}" << "at most 10000";
    const QByteArray take = R"({"id":"t","file":"t.kframes","frames":3,"width":4,"height":4,"fps":8})";
    QByteArray takes = R"({"app":"kinora","schema_version":1,"clips":[{"id":"a","active_take":0,"takes":[)";
    for (int i = 0; i <= kMaxTakesPerClip; ++i)
        takes += (i ? "," : "") + take;
    QTest::newRow("too many takes") << takes + "]}]}" << "at most 1000";
    QTest::newRow("too big") << QByteArray(kMaxProjectBytes + 1, ' ') << "at most 64 MiB";
    // The storyboard: each shot complete, the first a cut, within the limits.
    const QByteArray head = R"({"app":"kinora","schema_version":1,"clips":[],"storyboard":{"seed":"5","shots":[)";
    const QByteArray shot = R"({"id":"s","prompt":"a red ball","seconds":2,"join":"cut","clip":""})";
    QTest::newRow("shot without a prompt")
        << head + R"({"id":"s","prompt":" ","seconds":2,"join":"cut"}]}})" << "shot 1 of the storyboard";
    QTest::newRow("shot too long")
        << head + shot + R"(,{"id":"t","prompt":"a ball","seconds":61,"join":"cut"}]}})" << "shot 2 of the storyboard";
    QTest::newRow("first shot continues")
        << head + R"({"id":"s","prompt":"a red ball","seconds":2,"join":"continue"}]}})" << "shot 1 of the storyboard";
    QTest::newRow("unknown join") << head + shot + R"(,{"id":"t","prompt":"a","seconds":1,"join":"fade"}]}})"
                                  << "shot 2 of the storyboard";
    QTest::newRow("storyboard seed") << QByteArray(R"({"app":"kinora","schema_version":1,"clips":[],"storyboard":)"
                                                   R"({"seed":"many","shots":[)") + shot + "]}}"
                                     << "seed is not a number";
    QByteArray shots = head;
    for (int i = 0; i <= kMaxBoardShots; ++i)
        shots += (i ? "," : "") + shot;
    QTest::newRow("too many shots") << shots + "]}}" << "at most 64";
}

void TestDocument::damagedFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mention);
    ProjectDocument doc;
    doc.clear(m_media);
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 1)));
    const QByteArray before = snapshot(doc);
    const QString path = m_dir->filePath(QStringLiteral("bad.kinora"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    auto loaded = doc.load(path);
    QVERIFY(!loaded.ok());
    const QString message = QString::fromStdString(loaded.error().message);
    QVERIFY2(message.contains(mention), qPrintable(message));
    QCOMPARE(snapshot(doc), before); // nothing lost
    QVERIFY(doc.isModified());
    QCOMPARE(doc.mediaDir(), m_media);
    QVERIFY(!doc.load(m_dir->filePath(QStringLiteral("missing.kinora"))).ok());
}

// The storyboard: each change one undo step, refused past its limits, saved and read back
// with its seed (a full 64-bit one) and links to clips.
void TestDocument::storyboardSavedAndUndone()
{
    ProjectDocument doc;
    doc.clear(m_media);
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 1)));
    Board board;
    board.seed = 18446744073709551557ull;
    board.shots = {{QStringLiteral("a"), QStringLiteral("a red ball bouncing"), 2.5, false, {}},
                   {QStringLiteral("b"), QStringLiteral("a red ball moving left"), 1.0, true, {}}};
    QVERIFY(doc.requestSetBoard(board, QStringLiteral("Add shot")));
    QVERIFY(!doc.requestSetBoard(board, QStringLiteral("Again"))); // unchanged
    Board bad = board;
    bad.shots[1].prompt = QStringLiteral("  ");
    QVERIFY(!doc.requestSetBoard(bad, QStringLiteral("Blank")));
    bad = board;
    bad.shots[0].seconds = kMaxShotSeconds + 1;
    QVERIFY(!doc.requestSetBoard(bad, QStringLiteral("Long")));
    Board edited = board;
    edited.shots[1].seconds = 3.0;
    QVERIFY(doc.requestSetBoard(edited, QStringLiteral("Shot length")));
    doc.linkShotRaw(QStringLiteral("a"), doc.clips()[0].id);
    doc.undoStack()->undo(); // the length goes back; the link to the clip stays
    QCOMPARE(doc.board().shots[1].seconds, 1.0);
    QCOMPARE(doc.board().shots[0].clipId, doc.clips()[0].id);
    doc.undoStack()->redo();
    QCOMPARE(doc.board().shots[1].seconds, 3.0);

    const QString path = m_dir->filePath(QStringLiteral("board.kinora"));
    QVERIFY(doc.save(path).ok());
    ProjectDocument reopened;
    QVERIFY(reopened.load(path).ok());
    QVERIFY(reopened.board() == doc.board());
    QCOMPARE(reopened.board().seed, 18446744073709551557ull);
    reopened.clear(m_media);
    QVERIFY(reopened.board().shots.isEmpty());
}

void TestDocument::recoveryCopy()
{
    ProjectDocument doc;
    doc.clear(m_media);
    QVERIFY(doc.requestAddClip(makeClip(m_media, 5, 1)));
    QVERIFY(doc.requestAddClip(makeClip(m_media, 7, 2)));
    const QString path = m_dir->filePath(QStringLiteral("recovery/session.kinora"));
    const QJsonArray jobs{QJsonObject{{"kind", "extend"}}};
    QVERIFY(doc.writeRecovery(path, jobs).ok());

    ProjectDocument restored;
    restored.clear(m_dir->filePath(QStringLiteral("elsewhere")));
    auto pending = restored.loadRecovery(path);
    QVERIFY(pending.ok());
    QCOMPARE(pending.value(), jobs);
    QCOMPARE(snapshot(restored), snapshot(doc));
    QCOMPARE(restored.mediaDir(), QDir(m_media).absolutePath());
    QVERIFY(restored.isModified()); // restored work is unsaved work
    QVERIFY(restored.missingMedia().isEmpty());
    // A plain project file is not a recovery file.
    QVERIFY(doc.save(m_dir->filePath(QStringLiteral("plain.kinora"))).ok());
    QVERIFY(!restored.loadRecovery(m_dir->filePath(QStringLiteral("plain.kinora"))).ok());
}

void TestDocument::framesFiles()
{
    const QString path = m_dir->filePath(QStringLiteral("t.kframes"));
    const Video v = makeVideo(6, 5);
    QVERIFY(writeFrames(path, v).ok());
    auto header = readFramesHeader(path);
    QVERIFY(header.ok());
    QCOMPARE(header->frames, 6);
    QCOMPARE(header->fps, 8.0);
    auto part = readFrames(path, 2, 3);
    QVERIFY(part.ok());
    QCOMPARE(int(part->frames.size()), 3);
    QCOMPARE(part->frames[0].rgb, v.frames[2].rgb);
    QVERIFY(!readFrames(path, 4, 3).ok());
    // Image round trip is exact.
    QCOMPARE(fromImage(toImage(v.frames[1])).rgb, v.frames[1].rgb);
    // Truncated files are refused with Format.
    QFile f(path);
    QVERIFY(f.resize(f.size() - 10));
    auto broken = readFrames(path);
    QVERIFY(!broken.ok());
    QCOMPARE(int(broken.error().code), int(ErrorCode::Format));
    QVERIFY(!writeFrames(path, Video{}).ok());
}

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"

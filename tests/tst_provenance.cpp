// Tests for provenance (core/media/provenance.h, mark.h, poster.h): the XMP in MP4s and
// posters read back with exempi and with exiftool, the digital source type each kind of
// record gets, the visible mark on decoded frames, the record in a poster.

#include "media/ffmpeg_log.h"
#include "media/mark.h"
#include "media/mp4_writer.h"
#include "media/poster.h"
#include "media/provenance.h"
#include "media/video_reader.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace kinora {
// Lets QCOMPARE print error codes by name.
char* toString(ErrorCode code)
{
    return qstrdup(errorCodeName(code));
}
} // namespace kinora

using namespace kinora;
using namespace kinora::media;

namespace {

const char* const kTrained = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
const char* const kComposite = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
const char* const kAlgorithmic = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia";

std::filesystem::path pathIn(const QTemporaryDir& dir, const QString& name)
{
    return std::filesystem::path(dir.filePath(name).toStdString());
}

// A flat grey clip with a little texture, so a mark is easy to find in it.
Video greyClip(int width, int height, int frames)
{
    Video video;
    video.fps = 8;
    for (int t = 0; t < frames; ++t) {
        Frame f(width, height);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                auto* p = f.pixel(x, y);
                p[0] = p[1] = p[2] = static_cast<std::uint8_t>(120 + (x + y + t) % 8);
            }
        video.frames.push_back(std::move(f));
    }
    return video;
}

nlohmann::json generatedRecord(const std::string& prompt)
{
    return { { "kinora_version", KINORA_VERSION }, { "ai_generated", true }, { "operation", "generate" },
        { "prompt", prompt }, { "seed", 7 }, { "sources", nlohmann::json::array() },
        { "created", "2026-12-06T10:00:00Z" } };
}

// exiftool's reading of one tag ("" when absent); fails the test when exiftool is missing
// (scripts/install-deps.sh installs it).
QString exiftool(const std::filesystem::path& file, const QString& tag)
{
    const QString exe = QStandardPaths::findExecutable(QStringLiteral("exiftool"));
    if (exe.isEmpty())
        return QStringLiteral("<no exiftool: run scripts/install-deps.sh>");
    QProcess p;
    p.start(exe, { QStringLiteral("-s3"), QStringLiteral("-") + tag, QString::fromStdString(file.string()) });
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// Mean brightness of a rectangle of a frame.
double meanIn(const Frame& f, const MarkBox& box)
{
    double sum = 0;
    for (int y = box.y; y < box.y + box.height; ++y)
        for (int x = box.x; x < box.x + box.width; ++x)
            sum += f.pixel(x, y)[1];
    return sum / (box.width * box.height);
}

int brightIn(const Frame& f, const MarkBox& box)
{
    int n = 0;
    for (int y = box.y; y < box.y + box.height; ++y)
        for (int x = box.x; x < box.x + box.width; ++x)
            n += f.pixel(x, y)[1] > 200;
    return n;
}

} // namespace

class TestProvenance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installFfmpegLog(); } // the host's choice: quiet
    void sourceKinds();
    void mp4CarriesXmp();
    void xmpSurvivesOddText();
    void markOnDecodedFrames_data();
    void markOnDecodedFrames();
    void posterKeepsRecordAndXmp();
    void posterErrors();
};

void TestProvenance::sourceKinds()
{
    const auto generated = generatedRecord("a red ball");
    QCOMPARE(sourceKindOf(generated), SourceKind::TrainedAlgorithmic);
    // Made from a clip the model made: still all model-made.
    auto extended = generated;
    extended["operation"] = "extend";
    extended["sources"] = { { { "file", "a.mp4" }, { "ai_generated", true } } };
    QCOMPARE(sourceKindOf(extended), SourceKind::TrainedAlgorithmic);
    // Made from footage: a composite.
    extended["sources"] = { { { "file", "holiday.mp4" }, { "ai_generated", false } } };
    QCOMPARE(sourceKindOf(extended), SourceKind::CompositeWithTrainedAlgorithmic);
    // The world renderer: a formula, no training data.
    QCOMPARE(sourceKindOf({ { "ai_generated", false }, { "operation", "world" } }), SourceKind::Algorithmic);
    // Imports: what the file's own record said; footage without one claims nothing.
    const nlohmann::json footage { { "operation", "import" }, { "source", "holiday.mp4" } };
    QCOMPARE(sourceKindOf(footage), SourceKind::Unknown);
    const nlohmann::json importedClip { { "operation", "import" }, { "imported_record", generated } };
    QCOMPARE(sourceKindOf(importedClip), SourceKind::TrainedAlgorithmic);
    // Exports: all generated, mixed, all footage.
    nlohmann::json exported { { "operation", "export" }, { "clips", { generated, importedClip } } };
    QCOMPARE(sourceKindOf(exported), SourceKind::TrainedAlgorithmic);
    exported["clips"] = { generated, footage };
    QCOMPARE(sourceKindOf(exported), SourceKind::CompositeWithTrainedAlgorithmic);
    exported["clips"] = { footage, footage };
    QCOMPARE(sourceKindOf(exported), SourceKind::Unknown);
    // Anything malformed: nothing claimed, nothing thrown.
    for (const char* text : { "", "[1,2]", "{\"ai_generated\": \"yes\"}", "{\"operation\": 5, \"clips\": 3}",
             "{\"operation\": \"export\", \"clips\": [null, 1, \"x\"]}", "not json" })
        QCOMPARE(provenanceFromRecord(text).kind, SourceKind::Unknown);
    // Records nested deeper than anyone makes them stop, not overflow.
    nlohmann::json deep = generated;
    for (int i = 0; i < 200; ++i)
        deep = { { "operation", "import" }, { "imported_record", deep } };
    QCOMPARE(sourceKindOf(deep), SourceKind::Unknown);
    // The description: each prompt once.
    const auto p = provenanceFromRecord(nlohmann::json { { "operation", "export" },
        { "clips", { generatedRecord("a red ball"), generatedRecord("a blue cube"), generatedRecord("a red ball") } } }
                                            .dump());
    QCOMPARE(p.description, std::string("a red ball / a blue cube"));
    QCOMPARE(QString(digitalSourceTypeUri(SourceKind::Unknown)), QString());
}

void TestProvenance::mp4CarriesXmp()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "clip.mp4");
    EncodeOptions options;
    options.metadataJson = generatedRecord("a red ball moving to the right").dump();
    options.preset = "ultrafast";
    const auto written = writeMp4(greyClip(64, 48, 6), out, options);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

    // exempi reads it ...
    const auto xmp = readXmp(out);
    QVERIFY2(xmp.ok(), xmp.ok() ? "" : xmp.error().message.c_str());
    QCOMPARE(QString::fromStdString(xmp->digitalSourceType), QString(kTrained));
    QCOMPARE(QString::fromStdString(xmp->creatorTool), QStringLiteral("Kinora " KINORA_VERSION));
    QCOMPARE(QString::fromStdString(xmp->description), QStringLiteral("a red ball moving to the right"));
    QCOMPARE(QString::fromStdString(xmp->createDate).left(19), QStringLiteral("2026-12-06T10:00:00"));
    // ... and so does exiftool, from the same file.
    QCOMPARE(exiftool(out, QStringLiteral("XMP-iptcExt:DigitalSourceType")), QString(kTrained));
    QCOMPARE(exiftool(out, QStringLiteral("XMP-xmp:CreatorTool")), QStringLiteral("Kinora " KINORA_VERSION));
    // The record, the picture and the streaming layout are unchanged by it.
    QCOMPARE(readMetadataJson(out).value(), options.metadataJson);
    QCOMPARE(int(readVideo(out)->frames.size()), 6);
    QVERIFY(probe(out)->faststart);

    // A composite and a world clip say so; a clip with no record claims no source type.
    auto composite = generatedRecord("a red ball");
    composite["sources"] = { { { "file", "holiday.mp4" }, { "ai_generated", false } } };
    options.metadataJson = composite.dump();
    QVERIFY(writeMp4(greyClip(32, 32, 2), out, options).ok());
    QCOMPARE(exiftool(out, QStringLiteral("XMP-iptcExt:DigitalSourceType")), QString(kComposite));
    options.metadataJson = nlohmann::json { { "ai_generated", false }, { "operation", "world" } }.dump();
    QVERIFY(writeMp4(greyClip(32, 32, 2), out, options).ok());
    QCOMPARE(QString::fromStdString(readXmp(out)->digitalSourceType), QString(kAlgorithmic));
    options.metadataJson.clear();
    QVERIFY(writeMp4(greyClip(32, 32, 2), out, options).ok());
    QCOMPARE(QString::fromStdString(readXmp(out)->digitalSourceType), QString());
    QCOMPARE(QString::fromStdString(readXmp(out)->creatorTool), QStringLiteral("Kinora " KINORA_VERSION));
}

void TestProvenance::xmpSurvivesOddText()
{
    // Prompts from records of other files may hold bytes XML cannot carry.
    QTemporaryDir dir;
    const auto out = pathIn(dir, "odd.mp4");
    EncodeOptions options;
    options.preset = "ultrafast";
    options.provenance = Provenance { SourceKind::TrainedAlgorithmic, std::string("a <red> & \"ball\"\x01 caf\xC3\xA9 \xFF end"), "" };
    QVERIFY(writeMp4(greyClip(32, 32, 2), out, options).ok());
    const auto xmp = readXmp(out);
    QVERIFY(xmp.ok());
    QCOMPARE(QString::fromStdString(xmp->description), QString::fromUtf8("a <red> & \"ball\" café \xEF\xBF\xBD end"));
}

void TestProvenance::markOnDecodedFrames_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("minBright"); // glyph pixels expected after decoding
    QTest::newRow("128x128 (AI)") << 128 << 128 << 15;
    QTest::newRow("640x360 (AI GENERATED)") << 640 << 360 << 300;
}

void TestProvenance::markOnDecodedFrames()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, minBright);
    QTemporaryDir dir;
    const auto plain = pathIn(dir, "plain.mp4");
    const auto marked = pathIn(dir, "marked.mp4");
    EncodeOptions options;
    options.preset = "ultrafast";
    options.crf = 12;
    QVERIFY(writeMp4(greyClip(width, height, 3), plain, options).ok());
    options.mark = true;
    QVERIFY(writeMp4(greyClip(width, height, 3), marked, options).ok());
    const auto a = readVideo(plain);
    const auto b = readVideo(marked);
    QVERIFY(a.ok() && b.ok());
    const MarkBox box = markBox(width, height);
    QVERIFY(box.width > 0 && box.x + box.width <= width && box.y + box.height <= height);
    for (size_t i = 0; i < b->frames.size(); ++i) {
        // Without the mark the corner is the grey picture; with it, a dark box with light
        // letters in every frame.
        QVERIFY2(brightIn(a->frames[i], box) == 0, "bright pixels without a mark");
        QVERIFY2(brightIn(b->frames[i], box) >= minBright, qPrintable(QString::number(brightIn(b->frames[i], box))));
        QVERIFY(meanIn(a->frames[i], box) > 110);
        QVERIFY2(meanIn(b->frames[i], box) < meanIn(a->frames[i], box) - 20,
            qPrintable(QString::number(meanIn(b->frames[i], box))));
        // Away from the corner nothing changed.
        const MarkBox topLeft { 0, 0, box.width, box.height };
        QVERIFY(std::abs(meanIn(a->frames[i], topLeft) - meanIn(b->frames[i], topLeft)) < 1.0);
    }
}

void TestProvenance::posterKeepsRecordAndXmp()
{
    QTemporaryDir dir;
    const auto out = pathIn(dir, "poster.png");
    const std::string record = generatedRecord("a green cube spinning, caf\xC3\xA9").dump();
    Frame frame = greyClip(96, 64, 1).frames.front();
    PosterOptions options;
    options.recordJson = record;
    options.mark = true;
    const auto written = writePoster(frame, out, options);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    // The record: the raw chunk, and through the reader the CLI's `info` uses.
    QCOMPARE(pngComment(out).value_or(""), record);
    QCOMPARE(readMetadataJson(out).value(), record);
    // The XMP, with exempi and exiftool.
    QCOMPARE(QString::fromStdString(readXmp(out)->digitalSourceType), QString(kTrained));
    QCOMPARE(exiftool(out, QStringLiteral("XMP-iptcExt:DigitalSourceType")), QString(kTrained));
    QCOMPARE(exiftool(out, QStringLiteral("XMP-dc:Description")), QString::fromUtf8("a green cube spinning, café"));
    // The picture: the frame, marked in its corner, the rest untouched (PNG is lossless).
    const auto back = readVideo(out);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    Frame expected = frame;
    drawMark(expected);
    QCOMPARE(back->frames.front().rgb, expected.rgb);
    QVERIFY(expected.rgb != frame.rgb);
    // Not a PNG, or a PNG without a comment: no record.
    QVERIFY(!pngComment(pathIn(dir, "none.png")));
    const auto bare = pathIn(dir, "bare.png");
    QVERIFY(writePoster(frame, bare).ok());
    QVERIFY(!pngComment(bare));
    QCOMPARE(readMetadataJson(bare).error().code, ErrorCode::NotFound);
}

void TestProvenance::posterErrors()
{
    QTemporaryDir dir;
    Frame empty;
    QCOMPARE(writePoster(empty, pathIn(dir, "e.png")).error().code, ErrorCode::InvalidArgument);
    const Frame frame = greyClip(16, 16, 1).frames.front();
    // A folder in the way, and a folder that does not exist: a message, nothing left behind.
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken.png")));
    QCOMPARE(writePoster(frame, pathIn(dir, "taken.png")).error().code, ErrorCode::InvalidArgument);
    const auto missing = writePoster(frame, pathIn(dir, "no/such/p.png"));
    QCOMPARE(missing.error().code, ErrorCode::Io);
    QVERIFY(QString::fromStdString(missing.error().message).contains(QStringLiteral("p.png")));
    // An existing poster is replaced whole, or kept when the write fails.
    const auto out = pathIn(dir, "p.png");
    QVERIFY(writePoster(frame, out).ok());
    const auto size = std::filesystem::file_size(out);
    QVERIFY(writePoster(greyClip(64, 64, 1).frames.front(), out).ok());
    QVERIFY(std::filesystem::file_size(out) != size);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Hidden | QDir::Files).filter(QStringLiteral(".part")).size(), 0);
}

QTEST_GUILESS_MAIN(TestProvenance)
#include "tst_provenance.moc"

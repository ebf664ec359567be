// Tests for kinora-cli as a user runs it: the real binary (from KINORA_CLI, which CTest
// sets) in a scratch folder with a tiny random pack. Every failure must be one
// "kinora-cli: error: ..." line, a non-zero exit and no file written.

#include "media/video_reader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <random>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace kinora;

namespace {

struct Run {
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out;
    QString err;
    QStringList errLines() const { return err.split('\n', Qt::SkipEmptyParts); }
};

// 64-bit FNV-1a of a file, hex: how generation records identify model weights.
QString fnv1a(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    quint64 h = 1469598103934665603ull;
    for (char c : f.readAll()) {
        h ^= quint8(c);
        h *= 1099511628211ull;
    }
    return QString("%1").arg(h, 16, 16, QLatin1Char('0'));
}

// The test machines are shared: idle OpenMP workers spinning against other jobs slow
// LibTorch down many times over, so they are told to sleep instead.
QProcessEnvironment processEnvironment()
{
    auto environment = QProcessEnvironment::systemEnvironment();
    if (!environment.contains("OMP_WAIT_POLICY"))
        environment.insert("OMP_WAIT_POLICY", "passive");
    return environment;
}

// Whether a process has a handler installed for `signal` (Linux /proc).
bool catchesSignal(qint64 pid, int signal)
{
    QFile status(QString("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    for (const auto& line : status.readAll().split('\n'))
        if (line.startsWith("SigCgt:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (signal - 1)) & 1;
    return false;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void version();
    void help();
    void expand();
    void generateRecord();
    void provenance();
    void storyboard();
    void reconstruct();
    void initFromAndAutoencoderEval();
    void benchTrain();
    void errors_data();
    void errors();
    void invalidUtf8_data();
    void invalidUtf8();
    void sourceNameNotUtf8();
    void outputNotARegularFile_data();
    void outputNotARegularFile();
    void operations_data();
    void operations();
    void interrupted();

private:
    Run run(const QStringList& args, const QMap<QString, QString>& env = {}, int timeoutMs = 120000) const;
    Run runWithBadBytes(const QString& program, const QStringList& args) const;
    QStringList engineArgs() const { return { "--model", "pack", "--device", "cpu", "--threads", "1" }; }
    QStringList listing() const;
    QString file(const QString& name) const { return m_dir.filePath(name); }
    QString arch128() const;

    QString m_cli;
    QTemporaryDir m_dir;
};

Run TestCli::run(const QStringList& args, const QMap<QString, QString>& env, int timeoutMs) const
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    auto environment = processEnvironment();
    environment.remove("KINORA_MODEL");
    for (auto it = env.begin(); it != env.end(); ++it)
        environment.insert(it.key(), it.value());
    p.setProcessEnvironment(environment);
    p.start(m_cli, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// QProcess passes arguments as UTF-8, so bytes that are not UTF-8 reach a program through
// the shell: "@BAD@" in an argument becomes "a red \xFF circle", a stray Latin-1 byte.
Run TestCli::runWithBadBytes(const QString& program, const QStringList& args) const
{
    const QString script = QStringLiteral(R"(bad=$(printf 'a red \377 circle')
program=$1
shift
for a do
    case $a in *@BAD@*) a="${a%%@BAD@*}$bad${a#*@BAD@}" ;; esac
    set -- "$@" "$a"
    shift
done
exec "$program" "$@")");
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessEnvironment(processEnvironment());
    p.start(QStringLiteral("/bin/sh"), QStringList { "-c", script, "sh", program } + args);
    Run r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList TestCli::listing() const
{
    return QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
}

void TestCli::initTestCase()
{
    m_cli = qEnvironmentVariable("KINORA_CLI");
    if (m_cli.isEmpty())
        QSKIP("KINORA_CLI is not set (ctest sets it to the built kinora-cli)");
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli + " is not executable"));
    QVERIFY(m_dir.isValid());

    auto init = run({ "init-model", "--config", "tiny", "--out", "pack", "--seed", "1", "--perturb-zeros" });
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    QVERIFY(QFile::exists(file("pack/model.json")));
    QVERIFY(QFile::exists(file("pack/model.safetensors")));

    // Source clips for extend, bridge and fill, and broken inputs for the error table.
    for (const auto& [name, seconds] : { std::pair { "a.mp4", "2" }, std::pair { "b.mp4", "1" } }) {
        auto r = run(QStringList { "generate", "--prompt", "a red circle moving left", "--out", name,
                         "--seconds", seconds, "--steps", "2", "--seed", "5" }
            + engineArgs());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    QVERIFY(QDir(m_dir.path()).mkpath("noweights"));
    QVERIFY(QFile::copy(file("pack/model.json"), file("noweights/model.json")));
    QVERIFY(QDir(m_dir.path()).mkpath("broken"));
    QVERIFY(QFile::copy(file("pack/model.json"), file("broken/model.json")));
    QFile random(file("broken/model.safetensors"));
    QVERIFY(random.open(QIODevice::WriteOnly));
    std::mt19937 rng(3);
    QByteArray bytes(8192, '\0');
    for (auto& b : bytes)
        b = char(rng() & 0xff);
    random.write(bytes);
    random.close();
    QFile text(file("notes.mp4"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("this is not a video\n");
    text.close();
}

void TestCli::version()
{
    auto r = run({ "--version" });
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("kinora-cli "), qPrintable(r.out));
    QCOMPARE(r.out.trimmed().count('\n'), 0);
}

void TestCli::help()
{
    auto r = run({ "--help" });
    QCOMPARE(r.exitCode, 0);
    for (const char* command : { "generate", "extend", "fill", "expand", "info", "init-model" })
        QVERIFY2(r.out.contains(command), command);
    r = run({ "generate", "--help" });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("--prompt"));
    QVERIFY(r.out.contains("--seconds"));
    QVERIFY2(r.out.contains("CPU threads, at most 256"), qPrintable(r.out)); // the limit is said
}

void TestCli::expand()
{
    auto r = run({ "expand", "--prompt", "A red ball bouncing", "--seed", "4" });
    QCOMPARE(r.exitCode, 0);
    const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    QVERIFY(!lines.front().trimmed().isEmpty());
    // The same seed expands the same way.
    QCOMPARE(run({ "expand", "--prompt", "A red ball bouncing", "--seed", "4" }).out, r.out);
}

void TestCli::reconstruct()
{
    // A 2 s world clip (16 frames at 128 px) comes back at the pack's 64 px, cut to the
    // autoencoder's 1 + 4k frames, with a PSNR for each.
    QCOMPARE(run({ "world", "--seed", "7", "--out", "scene.mp4" }).exitCode, 0);
    auto r = run(QStringList { "reconstruct", "--in", "scene.mp4", "--out", "rec.mp4" } + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(report["psnr_db_per_frame"].toArray().size(), 13);
    QVERIFY(report["psnr_db_mean"].toDouble() > 0);
    auto info = media::probe(file("rec.mp4").toStdString());
    QVERIFY(info.ok());
    QCOMPARE(info->frames, 13);
    QCOMPARE(info->width, 64);
    auto missing = run(QStringList { "reconstruct", "--in", "nothing.mp4", "--out", "rec2.mp4" } + engineArgs());
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.startsWith("kinora-cli: error:"));
    QVERIFY(!QFile::exists(file("rec2.mp4")));
}

// A 128 px architecture (what eval and training need) with the per-frame autoencoder and
// the tiny pack's text encoder and transformer sizes, so --init-from has tensors to copy.
QString TestCli::arch128() const
{
    QFile arch(file("arch128.json"));
    if (!arch.exists() && arch.open(QIODevice::WriteOnly))
        arch.write(R"({"frame_size": 128, "weights_dtype": "fp32",
            "autoencoder": {"latent_channels": 4, "channels": [8, 16, 16], "frame_levels": 1, "pixel_shuffle": 2},
            "text_encoder": {"max_tokens": 16, "width": 32, "depth": 1, "heads": 2, "mlp_ratio": 2},
            "transformer": {"patch_size": 4, "width": 64, "depth": 2, "heads": 2, "mlp_ratio": 2, "timestep_dim": 32},
            "sampling": {"steps": 2}})");
    return arch.fileName();
}

// bench --train: both stages timed, their FLOPs counted from the network's own operators,
// and the fraction of the roofline consistent with the figures beside it.
void TestCli::benchTrain()
{
    const QStringList scratchBefore = QDir(QDir::tempPath()).entryList({ "kinora-train-bench-*" });
    auto init = run({ "init-model", "--config", arch128(), "--out", "bench128", "--seed", "3" });
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    // A generous timeout: on a busy machine this took over the default two minutes.
    auto bench = run({ "bench", "--train", "--train-steps", "1", "--json", "--model", file("bench128"), "--threads",
                         "2", "--precision", "fp32" },
        {}, 600000);
    QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
    const auto report = QJsonDocument::fromJson(bench.out.toUtf8()).object();
    QCOMPARE(report["train_precision"].toString(), QString("fp32"));
    QVERIFY(report["matmul_bf16_gflops"].toDouble() > 0);
    const double roofline = report["matmul_fp32_gflops"].toDouble();
    QVERIFY(roofline > 0);
    for (const QString stage : { "diffusion", "autoencoder" }) {
        const QString key = "train_" + stage + "_";
        const double clips = report[key + "clips_per_s"].toDouble();
        const double noRender = report[key + "clips_per_s_no_render"].toDouble();
        QVERIFY2(clips > 0 && noRender >= clips, qPrintable(stage));
        QVERIFY2(report[key + "step_gflop"].toDouble() > 0, qPrintable(stage));
        const double gflops = report[key + "gflops"].toDouble();
        QVERIFY2(gflops > 0, qPrintable(stage));
        // Achieved GFLOP/s are the step's FLOPs over its time without rendering.
        const double expected = report[key + "step_gflop"].toDouble() * noRender / report[key + "batch"].toDouble();
        QVERIFY2(std::abs(gflops - expected) <= 0.02 * expected + 0.002,
            qPrintable(QString("%1: %2 GFLOP/s, expected %3").arg(stage).arg(gflops).arg(expected)));
        QVERIFY2(std::abs(report[key + "roofline_fraction"].toDouble() - gflops / roofline) < 0.002,
            qPrintable(stage));
    }
    QCOMPARE(report["train_diffusion_batch"].toInt(), 32);
    // The scratch runs are gone.
    QCOMPARE(QDir(QDir::tempPath()).entryList({ "kinora-train-bench-*" }), scratchBefore);
}

void TestCli::initFromAndAutoencoderEval()
{
    auto init = run({ "init-model", "--config", arch128(), "--out", "pack128", "--init-from", "pack" });
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    const auto copied = QRegularExpression("copied (\\d+) text encoder").match(init.out);
    QVERIFY2(copied.hasMatch(), qPrintable(init.out));
    QVERIFY(copied.captured(1).toInt() > 10); // the patch embedding and output layer differ, the rest fits
    QFile json(file("pack128/model.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const auto config = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(config["autoencoder"].toObject()["frame_levels"].toInt(), 1);
    QCOMPARE(config["training"].toObject()["initialised_from"].toObject()["tensors_copied"].toInt(),
        copied.captured(1).toInt());

    auto missing = run({ "init-model", "--config", "tiny", "--out", "pack3", "--init-from", "nowhere" });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(!QFile::exists(file("pack3/model.json")));

    // Judging only the autoencoder generates nothing and reports its round trip.
    auto eval = run({ "eval", "--model", file("pack128"), "--autoencoder-only", "--scenes", "3" });
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    const auto report = QJsonDocument::fromJson(eval.out.toUtf8()).object();
    QCOMPARE(report["autoencoder_judged"].toObject()["clips"].toInt(), 3);
    QCOMPARE(report["autoencoder_psnr_db"].toObject()["clips"].toInt(), 3);
    QCOMPARE(report["autoencoder_frame_change_ratio"].toArray().size(), 4);
    // Motions are tallied per object: what each expected motion was measured as.
    const auto byKind = report["autoencoder_judged"].toObject()["motion_by_kind"].toObject();
    int objects = 0;
    for (const auto& kind : byKind) {
        const auto k = kind.toObject();
        int measured = 0;
        for (const auto& count : k["measured"].toObject())
            measured += count.toInt();
        QCOMPARE(measured, k["objects"].toInt());
        QVERIFY(k["right_pct"].toDouble() >= 0 && k["right_pct"].toDouble() <= 100);
        objects += measured;
    }
    QVERIFY(objects >= 3); // one or two objects per scene
    QCOMPARE(report["canonical"].toObject()["clips"].toInt(), 0);
    QVERIFY(!report.contains("paraphrase"));
    QVERIFY(!report.contains("caption_use")); // it denoises: generation's side of the report

    // With generation: the caption-use check denoises its scenes with each caption.
    auto full = run({ "eval", "--model", file("pack128"), "--scenes", "1", "--extend-scenes", "0", "--steps",
        "1", "--caption-use-scenes", "2" });
    QVERIFY2(full.exitCode == 0, qPrintable(full.err));
    const auto use = QJsonDocument::fromJson(full.out.toUtf8()).object()["caption_use"].toObject();
    QCOMPARE(use["scenes"].toInt(), 2);
    QCOMPARE(use["noise_levels"].toArray().size(), 4);
    for (const char* k : { "error_true", "error_direction_swapped", "error_colour_swapped" }) {
        QCOMPARE(use[k].toArray().size(), 4);
        QVERIFY2(use[k].toArray()[3].toDouble() > 0, k);
    }
    QVERIFY(use.contains("direction_vs_colour_pct"));
    // And again with the first picture known (the error over the other frames).
    const auto first = use["first_frame_known"].toObject();
    for (const char* k : { "error_true", "error_direction_swapped", "error_colour_swapped" }) {
        QCOMPARE(first[k].toArray().size(), 4);
        QVERIFY2(first[k].toArray()[3].toDouble() > 0, k);
    }
    QVERIFY(first.contains("direction_vs_colour_pct"));
    // The stutter of generated clips against the truth's, by position in the group of four.
    const auto fullReport = QJsonDocument::fromJson(full.out.toUtf8()).object();
    QCOMPARE(fullReport["generated_frame_change_ratio"].toArray().size(), 4);
    QVERIFY(fullReport["generated_group_edge_ratio"].toDouble() > 0);
    const double truthEdge = fullReport["ground_truth_group_edge_ratio"].toDouble();
    QVERIFY2(truthEdge > 0.5 && truthEdge < 2.0, qPrintable(QString::number(truthEdge)));

    // The long-clip evaluation: clips of held-out scenes, and storyboards of four shots.
    auto longRun = run({ "eval", "--long", "--model", file("pack128"), "--steps", "1", "--long-clips", "2",
        "--long-seconds", "6", "--storyboards", "1" });
    QVERIFY2(longRun.exitCode == 0, qPrintable(longRun.err));
    const auto longReport = QJsonDocument::fromJson(longRun.out.toUtf8()).object();
    const auto clips = longReport["long_clips"].toObject();
    QCOMPARE(clips["per_clip"].toArray().size(), 2);
    QCOMPARE(clips["per_clip"].toArray()[0].toObject()["frames"].toInt(), 48);
    QCOMPARE(clips["per_clip"].toArray()[0].toObject()["presence_by_tenth"].toArray().size(), 10);
    QVERIFY(clips["windows_per_clip"].toInt() > 1);
    QVERIFY(clips["seam_ratio_mean"].toDouble() > 0);
    for (const char* bar : { "seams", "group_seams", "area", "colour", "presence", "motion" })
        QVERIFY2(clips["bars"].toObject()[bar].isBool(), bar);
    const auto boards = longReport["storyboards"].toObject();
    const auto shots = boards["per_board"].toArray()[0].toObject()["shots"].toArray();
    QCOMPARE(shots.size(), 4);
    QCOMPARE(shots[1].toObject()["join"].toString(), QString("continue"));
    QCOMPARE(shots[1].toObject()["first_frame"].toInt(), 32);
    QVERIFY(shots[1].toObject().contains("join_seam_ratio"));
    QVERIFY(!shots[2].toObject().contains("join_seam_ratio")); // a cut
}

void TestCli::generateRecord()
{
    auto r = run(QStringList { "generate", "--prompt", "A red circle moving left", "--out", "gen.mp4",
                     "--seconds", "1.5", "--seed", "1234", "--steps", "3" }
        + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("gen.mp4"));
    auto info = media::probe(file("gen.mp4").toStdString());
    QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
    QCOMPARE(info->frames, 12);
    QCOMPARE(info->width, 64);
    QCOMPARE(info->height, 64);
    QCOMPARE(info->fps, 8.0);

    auto shown = run({ "info", "gen.mp4" });
    QCOMPARE(shown.exitCode, 0);
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(shown.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + ": " + shown.out));
    const auto record = doc.object();
    QCOMPARE(record["prompt"].toString(), QString("A red circle moving left"));
    QCOMPARE(record["seed"].toInteger(), 1234);
    QCOMPARE(record["steps"].toInt(), 3);
    QCOMPARE(record["ai_generated"].toBool(false), true);
    QCOMPARE(record["operation"].toString(), QString("generate"));
    QCOMPARE(record["frames"].toInt(), 12);
    QVERIFY(!record["expanded_prompt"].toString().isEmpty());
    QCOMPARE(record["model"].toObject()["hash"].toString(), fnv1a(file("pack/model.safetensors")));
    QCOMPARE(record["model"].toObject()["name"].toString(), QString("kinora-tiny-random"));
    QVERIFY(!record.contains("draft"));

    // --draft: a quarter of the steps, and the record says so and keeps the full count.
    auto d = run(QStringList { "generate", "--prompt", "A red circle moving left", "--out", "draft.mp4",
                     "--seconds", "1", "--seed", "5", "--steps", "10", "--draft" }
        + engineArgs());
    QVERIFY2(d.exitCode == 0, qPrintable(d.err));
    const auto draft = QJsonDocument::fromJson(run({ "info", "draft.mp4" }).out.toUtf8()).object();
    QCOMPARE(draft["draft"].toBool(), true);
    QCOMPARE(draft["steps"].toInt(), 3);
    QCOMPARE(draft["final_steps"].toInt(), 10);
}

// exiftool's reading of a file's IPTC digital source type (scripts/install-deps.sh installs it).
QString sourceType(const QString& path)
{
    QProcess p;
    p.start("exiftool", { "-s3", "-XMP-iptcExt:DigitalSourceType", path });
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

void TestCli::provenance()
{
    const QString trained = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    auto r = run(QStringList { "generate", "--prompt", "a blue square falling", "--out", "labelled.mp4", "--seed", "5",
                     "--steps", "2", "--mark", "--poster", "labelled.png", "--poster-frame", "3" }
        + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(sourceType(file("labelled.mp4")), trained);
    QCOMPARE(sourceType(file("labelled.png")), trained);
    // The poster keeps the record: `info` reads it like the clip's.
    const auto clipRecord = run({ "info", "labelled.mp4" });
    const auto posterRecord = run({ "info", "labelled.png" });
    QCOMPARE(posterRecord.exitCode, 0);
    QCOMPARE(posterRecord.out, clipRecord.out);
    QVERIFY(QJsonDocument::fromJson(posterRecord.out.toUtf8()).object()["visible_mark"].toBool());
    // The world renderer's clips are algorithmic media; a clip the model grew from one is a
    // composite, and its record says which source was not model-made.
    QCOMPARE(run({ "world", "--seed", "4", "--out", "w.mp4" }).exitCode, 0);
    QCOMPARE(sourceType(file("w.mp4")), QString("http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"));
    r = run(QStringList { "extend", "--in", "w.mp4", "--prompt", "a red ball", "--out", "wx.mp4", "--seed", "1",
                "--steps", "1", "--seconds", "1" }
        + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(sourceType(file("wx.mp4")),
        QString("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"));
    const auto extended = QJsonDocument::fromJson(run({ "info", "wx.mp4" }).out.toUtf8()).object();
    QCOMPARE(extended["sources"].toArray()[0].toObject()["ai_generated"].toBool(true), false);
}

void TestCli::storyboard()
{
    QFile board(file("board.json"));
    QVERIFY(board.open(QIODevice::WriteOnly));
    board.write(R"({"seed": 40, "shots": [
        {"prompt": "a red ball moving to the right", "seconds": 0.5},
        {"prompt": "a red ball bouncing", "seconds": 1},
        {"prompt": "a blue square falling", "seconds": 0.5, "join": "cut"}]})");
    board.close();
    auto r = run(QStringList { "storyboard", "--in", "board.json", "--out", "film.mp4", "--steps", "2" } + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("3 shots"));
    QCOMPARE(media::probe(file("film.mp4").toStdString())->frames, 16); // 4 + 8 + 4
    const auto record = QJsonDocument::fromJson(run({ "info", "film.mp4" }).out.toUtf8()).object();
    QCOMPARE(record["operation"].toString(), QString("storyboard"));
    QCOMPARE(record["board"].toObject()["shots"].toArray().size(), 3);
    QCOMPARE(record["board"].toObject()["shots"].toArray()[1].toObject()["join"].toString(), QString("continue"));
    const auto shots = record["shots"].toArray();
    QCOMPARE(shots.size(), 3);
    // Shot i takes the board's seed + i; a continued shot is an extension of the one before.
    QStringList made;
    for (const auto& s : shots)
        made << s.toObject()["operation"].toString() + "/" + QString::number(s.toObject()["seed"].toInteger());
    QCOMPARE(made, QStringList({ "generate/40", "extend/41", "generate/42" }));
    QCOMPARE(shots[1].toObject()["frames"].toInt(), 12); // shot 1's 4 frames and its own 8
    // Re-rolling one shot (its own seed): it and the shot continuing from it change, the
    // others stay byte-identical (lossless H.264 keeps the frames as made).
    auto boardWith = [&](const QString& shot2Seed) {
        QVERIFY(board.open(QIODevice::WriteOnly | QIODevice::Truncate));
        board.write(QString(R"({"seed": 40, "shots": [
            {"prompt": "a red ball moving to the right", "seconds": 0.5},
            {"prompt": "a red ball bouncing", "seconds": 0.5%1},
            {"prompt": "a red ball falling", "seconds": 0.5},
            {"prompt": "a blue square falling", "seconds": 0.5, "join": "cut"}]})").arg(shot2Seed).toUtf8());
        board.close();
    };
    boardWith("");
    QCOMPARE(run(QStringList { "storyboard", "--in", "board.json", "--out", "board-a.mp4", "--steps", "2", "--crf", "0" } + engineArgs()).exitCode, 0);
    boardWith(", \"seed\": 7");
    QCOMPARE(run(QStringList { "storyboard", "--in", "board.json", "--out", "board-b.mp4", "--steps", "2", "--crf", "0" } + engineArgs()).exitCode, 0);
    // (Not a.mp4 and b.mp4: other tests' source clips live in the same folder.)
    const auto a = media::readVideo(file("board-a.mp4").toStdString());
    const auto b = media::readVideo(file("board-b.mp4").toStdString());
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->frames.size(), size_t(16));
    QCOMPARE(b->frames.size(), size_t(16));
    auto same = [&](int first, int last) {
        for (int f = first; f <= last; ++f)
            if (a->frames[f].rgb != b->frames[f].rgb)
                return false;
        return true;
    };
    QVERIFY(same(0, 3));   // shot 1
    QVERIFY(!same(4, 7));  // shot 2, re-rolled
    QVERIFY(!same(8, 11)); // shot 3 continues from it
    QVERIFY(same(12, 15)); // shot 4 is a cut

    // A bad board: one line naming the file, the shot and the field; nothing written.
    QVERIFY(board.open(QIODevice::WriteOnly));
    board.write(R"({"shots": [{"prompt": "a red ball"}, {"prompt": "a blue cube", "join": "dissolve"}]})");
    board.close();
    r = run(QStringList { "storyboard", "--in", "board.json", "--out", "bad.mp4" } + engineArgs());
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.err.contains("board.json: shot 2: \"join\""), qPrintable(r.err));
    QVERIFY(!QFile::exists(file("bad.mp4")));
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("modelEnv"); // KINORA_MODEL for the run, empty: unset
    QTest::addColumn<QString>("fragment"); // what the message must mention

    const QStringList e = engineArgs();
    const QStringList gen = { "generate", "--out", "o.mp4", "--steps", "1" };
    const QStringList ok = QStringList { "--prompt", "a red circle" } + e;
    QTest::newRow("empty prompt") << gen + QStringList { "--prompt", "" } + e << ""
                                  << "prompt";
    QTest::newRow("whitespace prompt") << gen + QStringList { "--prompt", " \t  " } + e << ""
                                       << "prompt";
    QTest::newRow("no prompt option") << gen + e << ""
                                      << "--prompt";
    QTest::newRow("missing model folder")
        << gen + QStringList { "--prompt", "a red circle", "--model", "nope" } << ""
        << "nope";
    QTest::newRow("model folder without weights")
        << gen + QStringList { "--prompt", "a red circle", "--model", "noweights" } << ""
        << "model.safetensors";
    QTest::newRow("broken weights") << gen + QStringList { "--prompt", "a red circle", "--model", "broken" }
                                    << ""
                                    << "model.safetensors";
    QTest::newRow("no built-in model")
        << gen + QStringList { "--prompt", "a red circle" } << "/nonexistent/kinora-model"
        << "model";
    QTest::newRow("seconds 0") << gen + ok + QStringList { "--seconds", "0" } << ""
                               << "seconds";
    QTest::newRow("prompt too long") << gen + QStringList { "--prompt", QString(2001, 'a') } + e << ""
                                     << "at most 2000";
    QTest::newRow("poster is the clip") << gen + ok + QStringList { "--poster", "o.mp4" } << ""
                                        << "--poster";
    QTest::newRow("frames file with a mark")
        << QStringList { "generate", "--out", "o.kframes", "--steps", "1", "--mark" } + ok << ""
        << "--mark and --poster need an MP4";
    QTest::newRow("poster folder missing") << gen + ok + QStringList { "--poster", "nope/p.png" } << ""
                                           << "nope";
    QTest::newRow("poster frame past the end")
        << gen + ok + QStringList { "--poster", "p.png", "--poster-frame", "16" } << ""
        << "--poster-frame 16";
    QTest::newRow("seconds -1") << gen + ok + QStringList { "--seconds", "-1" } << ""
                                << "seconds";
    QTest::newRow("seconds 100000") << gen + ok + QStringList { "--seconds", "100000" } << ""
                                    << "600";
    QTest::newRow("seconds not a number") << gen + ok + QStringList { "--seconds", "two" } << ""
                                          << "seconds";
    QTest::newRow("steps 0") << QStringList { "generate", "--out", "o.mp4", "--steps", "0" } + ok << ""
                             << "steps";
    QTest::newRow("steps 5000") << QStringList { "generate", "--out", "o.mp4", "--steps", "5000" } + ok << ""
                                << "steps";
    QTest::newRow("unknown device") << gen
            + QStringList { "--prompt", "a red circle", "--model", "pack", "--device", "tpu" }
                                    << ""
                                    << "tpu";
    QTest::newRow("unknown sampler") << gen + ok + QStringList { "--sampler", "ddim" } << ""
                                     << "ddim";
    QTest::newRow("guidance too large") << gen + ok + QStringList { "--guidance", "500" } << ""
                                        << "guidance";
    // Not-a-number and infinity pass every comparison-based range check; each
    // floating-point option refuses them by name, with its range.
    QTest::newRow("guidance nan") << gen + ok + QStringList { "--guidance", "nan" } << ""
                                  << "--guidance: must be a number from 0 to 50, not nan";
    QTest::newRow("guidance inf") << gen + ok + QStringList { "--guidance", "inf" } << ""
                                  << "--guidance";
    QTest::newRow("guidance -1") << gen + ok + QStringList { "--guidance", "-1" } << ""
                                 << "--guidance";
    QTest::newRow("shift nan") << gen + ok + QStringList { "--shift", "nan" } << ""
                               << "--shift: must be a number above 0 and at most 100";
    QTest::newRow("shift -inf") << gen + ok + QStringList { "--shift", "-inf" } << ""
                                << "--shift";
    QTest::newRow("seconds nan") << gen + ok + QStringList { "--seconds", "nan" } << ""
                                 << "--seconds: must be a number above 0 and at most 600";
    QTest::newRow("extend: seconds inf")
        << QStringList { "extend", "--in", "a.mp4", "--out", "o.mp4", "--seconds", "inf" } + ok << ""
        << "--seconds";
    QTest::newRow("fill: seconds nan")
        << QStringList { "fill", "--in", "a.mp4", "--to", "b.mp4", "--out", "o.mp4", "--seconds", "nan" } + e
        << ""
        << "--seconds";
    QTest::newRow("world: seconds nan")
        << QStringList { "world", "--seed", "1", "--out", "o.mp4", "--seconds", "nan" } << ""
        << "--seconds";
    QTest::newRow("bench: seconds inf") << QStringList { "bench", "--seconds", "inf" } + e << ""
                                        << "--seconds";
    QTest::newRow("eval: guidance nan") << QStringList { "eval", "--guidance", "nan" } + e << ""
                                        << "--guidance";
    const QStringList train = { "train", "--stage", "diffusion", "--model", "pack", "--run", "run", "--out",
        "trained", "--steps", "1" };
    for (const char* option : { "--lr", "--checkpoint-minutes", "--max-minutes", "--object-weight",
             "--latent-object-weight", "--noise-shift", "--frame-noise-share", "--text-encoder-lr-scale",
             "--detail-weight", "--temporal-weight" })
        QTest::addRow("train: %s nan", option) << train + QStringList { option, "nan" } << "" << option;
    QTest::newRow("train: lr -inf") << train + QStringList { "--lr", "-inf" } << ""
                                    << "--lr";
    QTest::newRow("threads 100000") << gen
            + QStringList { "--prompt", "a red circle", "--model", "pack", "--threads", "100000" }
                                    << ""
                                    << "--threads";
    QTest::newRow("train: precision fp16") << train + QStringList { "--precision", "fp16" } << ""
                                           << "--precision";
    QTest::newRow("train: fp32 and bf16") << train + QStringList { "--fp32", "--precision", "bf16" } << ""
                                          << "contradict";
    QTest::newRow("train: threads 100000") << train + QStringList { "--threads", "100000" } << ""
                                           << "--threads";
    QTest::newRow("train: render threads 100000")
        << train + QStringList { "--render-threads", "100000" } << ""
        << "--render-threads";
    QTest::newRow("crf out of range") << gen + ok + QStringList { "--crf", "99" } << ""
                                      << "crf";
    QTest::newRow("output folder does not exist")
        << QStringList { "generate", "--out", "nodir/o.mp4", "--steps", "1" } + ok << ""
        << "nodir";
    QTest::newRow("output is a folder")
        << QStringList { "generate", "--out", "pack", "--steps", "1" } + ok << ""
        << "folder";
    QTest::newRow("extend: missing --in")
        << QStringList { "extend", "--in", "missing.mp4", "--out", "o.mp4", "--steps", "1" } + ok << ""
        << "missing.mp4";
    QTest::newRow("extend: no --in option")
        << QStringList { "extend", "--out", "o.mp4", "--steps", "1" } + ok << ""
        << "--in";
    QTest::newRow("extend: text file as --in")
        << QStringList { "extend", "--in", "notes.mp4", "--out", "o.mp4", "--steps", "1" } + ok << ""
        << "notes.mp4";
    QTest::newRow("extend: weights as --in")
        << QStringList { "extend", "--in", "broken/model.safetensors", "--out", "o.mp4", "--steps", "1" } + ok
        << ""
        << "model.safetensors";
    QTest::newRow("extend: seconds 0")
        << QStringList { "extend", "--in", "a.mp4", "--out", "o.mp4", "--seconds", "0", "--steps", "1" } + ok
        << ""
        << "seconds";
    QTest::newRow("fill: neither --to nor --frames")
        << QStringList { "fill", "--in", "a.mp4", "--out", "o.mp4", "--steps", "1" } + e << ""
        << "--frames";
    QTest::newRow("fill: both --to and --frames")
        << QStringList { "fill", "--in", "a.mp4", "--to", "b.mp4", "--frames", "1-2", "--out", "o.mp4" } + e
        << ""
        << "--frames";
    QTest::newRow("fill: bad --frames text")
        << QStringList { "fill", "--in", "a.mp4", "--frames", "four-nine", "--out", "o.mp4" } + e << ""
        << "four-nine";
    QTest::newRow("fill: frames out of range")
        << QStringList { "fill", "--in", "a.mp4", "--frames", "10-40", "--out", "o.mp4" } + e << ""
        << "10-40";
    QTest::newRow("fill: frames reversed")
        << QStringList { "fill", "--in", "a.mp4", "--frames", "9-4", "--out", "o.mp4" } + e << ""
        << "9-4";
    QTest::newRow("fill: missing --to clip")
        << QStringList { "fill", "--in", "a.mp4", "--to", "missing.mp4", "--out", "o.mp4" } + e << ""
        << "missing.mp4";
    QTest::newRow("info: not a video") << QStringList { "info", "notes.mp4" } << ""
                                       << "notes.mp4";
    QTest::newRow("info: missing file") << QStringList { "info", "missing.mp4" } << ""
                                        << "missing.mp4";
    QTest::newRow("init-model: unknown architecture")
        << QStringList { "init-model", "--config", "huge", "--out", "pack2" } << ""
        << "huge";
    QTest::newRow("unknown command") << QStringList { "render" } << ""
                                     << "";
    QTest::newRow("no command") << QStringList {} << ""
                                << "";
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, modelEnv);
    QFETCH(QString, fragment);
    QMap<QString, QString> env;
    if (!modelEnv.isEmpty())
        env["KINORA_MODEL"] = modelEnv;

    const auto before = listing();
    const auto r = run(args, env);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode != 0, qPrintable("exit code 0; stdout: " + r.out));
    const auto lines = r.errLines();
    QVERIFY2(lines.size() == 1, qPrintable(QString("%1 lines on stderr:\n%2").arg(lines.size()).arg(r.err)));
    QVERIFY2(lines.front().startsWith("kinora-cli: error:"), qPrintable(lines.front()));
    QVERIFY2(lines.front().contains(fragment),
        qPrintable(QString("'%1' not in: %2").arg(fragment, lines.front())));
    QCOMPARE(listing(), before); // no output file, no temporary left behind
    QVERIFY(!QFile::exists(file("o.mp4")));
}

void TestCli::invalidUtf8_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("fragment");
    const QStringList e = engineArgs();
    QTest::newRow("generate --prompt")
        << QStringList { "generate", "--prompt", "@BAD@", "--out", "o.mp4", "--steps", "1" } + e
        << "--prompt is not valid UTF-8 text (byte 7 is 0xFF)";
    QTest::newRow("generate --negative")
        << QStringList { "generate", "--prompt", "a red circle", "--negative", "@BAD@", "--out", "o.mp4" } + e
        << "--negative is not valid UTF-8";
    QTest::newRow("extend --prompt") << QStringList {
        "extend", "--in", "a.mp4", "--prompt", "@BAD@", "--out", "o.mp4", "--steps", "1"
    } + e << "--prompt is not valid UTF-8";
    QTest::newRow("fill --prompt") << QStringList {
        "fill", "--in", "a.mp4", "--frames", "4-9", "--prompt", "@BAD@", "--out", "o.mp4"
    } + e << "--prompt is not valid UTF-8";
    QTest::newRow("expand --prompt") << QStringList { "expand", "--prompt", "@BAD@", "--json" }
                                     << "--prompt is not valid UTF-8";
}

void TestCli::invalidUtf8()
{
    // The record that goes into the clip is JSON, which holds only UTF-8: such a prompt
    // once aborted the process after the clip was generated. It is refused up front.
    QFETCH(QStringList, args);
    QFETCH(QString, fragment);
    const auto before = listing();
    const auto r = runWithBadBytes(m_cli, args);
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode != 0, qPrintable("exit code 0; stdout: " + r.out));
    const auto lines = r.errLines();
    QVERIFY2(lines.size() == 1, qPrintable(r.err));
    QVERIFY2(lines.front().startsWith("kinora-cli: error: " + fragment), qPrintable(lines.front()));
    QCOMPARE(listing(), before);
}

void TestCli::sourceNameNotUtf8()
{
    // A source clip's file name goes into the record too, and cannot be refused: the
    // bytes that are not UTF-8 are replaced, and the clip is written.
    QCOMPARE(runWithBadBytes("cp", { "a.mp4", "@BAD@.mp4" }).exitCode, 0);
    // Qt cannot name the file to remove it (its name does not survive a QString).
    auto removeCopy = qScopeGuard([this] { runWithBadBytes("rm", { "@BAD@.mp4" }); });
    auto r = runWithBadBytes(m_cli,
        QStringList { "extend", "--in", "@BAD@.mp4", "--prompt", "a red circle", "--seconds", "1", "--steps",
            "1", "--out", "from-latin1.mp4" }
            + engineArgs());
    QCOMPARE(r.status, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto shown = run({ "info", "from-latin1.mp4" });
    QCOMPARE(shown.exitCode, 0);
    const auto record = QJsonDocument::fromJson(shown.out.toUtf8()).object();
    QCOMPARE(record["sources"].toArray().first().toObject()["file"].toString(),
        QString::fromUtf8("a red \uFFFD circle.mp4"));
    QCOMPARE(record["sources"].toArray().first().toObject()["prompt"].toString(),
        QString("a red circle moving left"));
}

void TestCli::outputNotARegularFile_data()
{
    QTest::addColumn<QString>("node"); // what --out names, made in a folder of its own
    QTest::addColumn<QString>("fragment");
    QTest::newRow("FIFO") << "fifo"
                          << "is a FIFO";
    QTest::newRow("link to a FIFO") << "link-to-fifo"
                                    << "links to a FIFO";
    // A link, not the node itself: were it replaced, only the link would go.
    QTest::newRow("link to a device") << "link-to-device"
                                      << "links to a device";
    QTest::newRow("link to a folder") << "link-to-folder"
                                      << "links to a folder";
    QTest::newRow("folder") << "folder"
                            << "is a folder";
}

void TestCli::outputNotARegularFile()
{
    // The clip is written under a temporary name and renamed over --out, which would
    // replace a device or FIFO there (as root, --out /dev/full left a regular MP4 in
    // place of the device). Such an output is refused before any work.
    QFETCH(QString, node);
    QFETCH(QString, fragment);
    QTemporaryDir dir(m_dir.filePath("nodes-XXXXXX"));
    QVERIFY(dir.isValid());
    const QByteArray fifo = dir.filePath("fifo").toLocal8Bit();
    QCOMPARE(::mkfifo(fifo.constData(), 0644), 0);
    QVERIFY(QDir(dir.path()).mkdir("folder"));
    QCOMPARE(::symlink(fifo.constData(), dir.filePath("link-to-fifo").toLocal8Bit().constData()), 0);
    QCOMPARE(::symlink("/dev/null", dir.filePath("link-to-device").toLocal8Bit().constData()), 0);
    QCOMPARE(::symlink(dir.filePath("folder").toLocal8Bit().constData(),
                 dir.filePath("link-to-folder").toLocal8Bit().constData()),
        0);
    const QString out = dir.filePath(node);
    auto kind = [](const QString& path) {
        struct stat st { };
        return ::lstat(path.toLocal8Bit().constData(), &st) == 0 ? int(st.st_mode & S_IFMT) : -1;
    };
    const int before = kind(out);
    const QStringList entries
        = QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);

    for (const auto& args :
        { QStringList { "generate", "--prompt", "a red circle", "--steps", "1", "--out", out } + engineArgs(),
            QStringList { "world", "--seed", "3", "--out", out } }) {
        const auto r = run(args);
        QCOMPARE(r.status, QProcess::NormalExit);
        QVERIFY2(r.exitCode != 0, qPrintable(args.front() + ": exit code 0"));
        const auto lines = r.errLines();
        QVERIFY2(lines.size() == 1, qPrintable(r.err));
        QVERIFY2(
            lines.front().startsWith("kinora-cli: error: cannot write " + out), qPrintable(lines.front()));
        QVERIFY2(lines.front().contains(fragment), qPrintable(lines.front()));
        QCOMPARE(kind(out), before);
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
            entries);
    }
}

void TestCli::operations_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("sourceAt"); // where a.mp4's frames are in the output, -1: not whole

    QTest::newRow("extend forward 2 s + 1 s") << QStringList { "extend", "--in", "a.mp4", "--seconds", "1",
        "--prompt", "a red circle", "--out", "ext.mp4" }
                                              << "ext.mp4"
                                              << "extend" << 24 << 0;
    QTest::newRow("extend backward 1 s + 2 s") << QStringList { "extend", "--in", "a.mp4", "--seconds", "1",
        "--backward", "--prompt", "a red circle", "--out", "back.mp4" }
                                               << "back.mp4"
                                               << "extend-backward" << 24 << 8;
    QTest::newRow("bridge 2 s + 1 s + 1 s")
        << QStringList { "fill", "--in", "a.mp4", "--to", "b.mp4", "--seconds", "1", "--out", "bridge.mp4" }
        << "bridge.mp4"
        << "bridge" << 32 << 0;
    QTest::newRow("fill frames 4-9") << QStringList { "fill", "--in", "a.mp4", "--frames", "4-9", "--out",
        "fill.mp4" } << "fill.mp4"
                                     << "fill" << 16 << -1;
}

void TestCli::operations()
{
    QFETCH(QStringList, args);
    QFETCH(QString, out);
    QFETCH(QString, operation);
    QFETCH(int, frames);
    QFETCH(int, sourceAt);
    auto r = run(args + QStringList { "--steps", "2", "--seed", "8" } + engineArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto info = media::probe(file(out).toStdString());
    QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
    QCOMPARE(info->frames, frames);
    QCOMPARE(info->width, 64);
    QCOMPARE(info->height, 64);

    auto shown = run({ "info", out });
    QCOMPARE(shown.exitCode, 0);
    const auto record = QJsonDocument::fromJson(shown.out.toUtf8()).object();
    QCOMPARE(record["operation"].toString(), operation);
    QCOMPARE(record["frames"].toInt(), frames);
    QCOMPARE(record["ai_generated"].toBool(false), true);
    QVERIFY(!record["sources"].toArray().isEmpty());
    QCOMPARE(record["sources"].toArray().first().toObject()["file"].toString(), QString("a.mp4"));
    if (operation == "fill") // no --prompt: the source's recorded prompt
        QCOMPARE(record["prompt"].toString(), QString("a red circle moving left"));

    // The source's frames come through (up to the encoder's loss, twice).
    auto source = media::readVideo(file("a.mp4").toStdString());
    auto output = media::readVideo(file(out).toStdString());
    QVERIFY(source.ok() && output.ok());
    const int n = int(source->frames.size());
    if (sourceAt >= 0) {
        for (int i = 0; i < n; ++i) {
            const double psnr = media::psnr(source->frames[i], output->frames[sourceAt + i]);
            QVERIFY2(psnr > 30, qPrintable(QString("source frame %1: %2 dB").arg(i).arg(psnr)));
        }
    } else {
        for (int i : { 0, 1, 2, 3, 10, 15 })
            QVERIFY2(media::psnr(source->frames[i], output->frames[i]) > 30,
                qPrintable(QString("frame %1").arg(i)));
    }

    // The record is enough to make the same clip again: same operation, sources found
    // beside it, same prompt, seed and settings, the same frames. Twice, with glibc filling
    // fresh heap memory with different bytes each time: an encoder that reads memory it
    // never wrote (x264's B-frame decisions did) makes a different file.
    const QString again = "redo-" + out;
    for (const char* fill : { "165", "90" }) {
        auto redo = run(QStringList { "redo", "--from", out, "--out", again } + engineArgs(),
            { { "MALLOC_PERTURB_", fill } });
        QVERIFY2(redo.exitCode == 0, qPrintable(redo.err));
        auto remade = media::readVideo(file(again).toStdString());
        QVERIFY(remade.ok());
        QCOMPARE(remade->frames.size(), output->frames.size());
        for (size_t i = 0; i < output->frames.size(); ++i)
            QVERIFY2(remade->frames[i].rgb == output->frames[i].rgb,
                qPrintable(QString("frame %1 differs (heap filled with %2)").arg(i).arg(fill)));
        if (QByteArray(fill) == "165")
            QVERIFY(QFile::remove(file(again)));
    }
    const auto redone = QJsonDocument::fromJson(run({ "info", again }).out.toUtf8()).object();
    QCOMPARE(redone["operation"].toString(), operation);
    QCOMPARE(redone["seed"].toInteger(), record["seed"].toInteger());
    QCOMPARE(redone["prompt"].toString(), record["prompt"].toString());
}

void TestCli::interrupted()
{
    const auto before = listing();
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessEnvironment(processEnvironment());
    p.start(m_cli,
        QStringList {
            "generate", "--prompt", "a red circle", "--out", "long.mp4", "--seconds", "60", "--steps", "50" }
            + engineArgs());
    QVERIFY(p.waitForStarted(10000));
    // Interrupt once the handler is in place (the model is loaded), not while it loads.
    QTRY_VERIFY_WITH_TIMEOUT(
        catchesSignal(p.processId(), SIGINT) || p.state() == QProcess::NotRunning, 60000);
    QCOMPARE(p.state(), QProcess::Running);
    QTest::qWait(300);
    QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
    QVERIFY2(p.waitForFinished(30000), "kinora-cli did not stop after SIGINT");
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    const auto lines = QString::fromUtf8(p.readAllStandardError()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    QVERIFY(lines.front().startsWith("kinora-cli: error:"));
    QCOMPARE(listing(), before);
}

QTEST_GUILESS_MAIN(TestCli)

#include "tst_cli.moc"

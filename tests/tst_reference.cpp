// The engine's forward against an independent PyTorch implementation
// (scripts/reference/compare.py, through kinora-cli reference-forward) on the built-in
// pack: parity of the text encoder, the transformer and the decoder in fp32 to 1e-4.
// The parity check needs Debian's python3-torch and numpy for /usr/bin/python3 and is
// skipped without them; the hidden subcommand's own checks of its inputs run anyway.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <vector>

namespace {

constexpr double kTolerance = 1e-4;
const QString kPython = QStringLiteral("/usr/bin/python3");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QProcessEnvironment processEnvironment()
{
    auto environment = QProcessEnvironment::systemEnvironment();
    if (!environment.contains("OMP_WAIT_POLICY")) // idle OpenMP workers must not spin on a shared machine
        environment.insert("OMP_WAIT_POLICY", "passive");
    return environment;
}

Run run(const QString& program, const QStringList& arguments, int timeoutMs = 600000)
{
    QProcess process;
    process.setProcessEnvironment(processEnvironment());
    process.start(program, arguments);
    Run r;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        r.err = program + " did not start or finish in time";
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

// A safetensors file written by hand: little-endian header length, JSON header, data.
struct Tensor {
    QString name;
    QString dtype; // F32 or I64 or BOOL
    std::vector<qint64> shape;
};

qint64 elements(const Tensor& t)
{
    qint64 n = 1;
    for (auto s : t.shape)
        n *= s;
    return n;
}

void writeZeros(const QString& path, const std::vector<Tensor>& tensors)
{
    QJsonObject header;
    qint64 offset = 0;
    for (const auto& t : tensors) {
        const qint64 bytes = elements(t) * (t.dtype == "F32" ? 4 : t.dtype == "I64" ? 8 : 1);
        QJsonArray shape;
        for (auto s : t.shape)
            shape.append(s);
        header[t.name] = QJsonObject{{"dtype", t.dtype}, {"shape", shape}, {"data_offsets", QJsonArray{offset, offset + bytes}}};
        offset += bytes;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8)
        json.append(' ');
    QByteArray file(8, '\0');
    for (int i = 0; i < 8; ++i)
        file[i] = static_cast<char>((quint64(json.size()) >> (8 * i)) & 0xff);
    file += json;
    QByteArray data(offset, '\0');
    // Every token a real [BOS] (id 1, mask true): zeros elsewhere.
    qint64 at = 0;
    for (const auto& t : tensors) {
        if (t.name == "tokens")
            for (qint64 i = 0; i < elements(t); ++i)
                data[at + 8 * i] = 1;
        if (t.name == "token_mask")
            for (qint64 i = 0; i < elements(t); ++i)
                data[at + i] = 1;
        at += elements(t) * (t.dtype == "F32" ? 4 : t.dtype == "I64" ? 8 : 1);
    }
    file += data;
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(file);
}

// The tensors' shapes in a safetensors file's header.
QJsonObject readHeader(const QString& path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = in.readAll();
    quint64 length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | quint8(bytes[i]);
    return QJsonDocument::fromJson(bytes.mid(8, static_cast<int>(length))).object();
}

std::vector<Tensor> validInputs(qint64 latentFrames)
{
    return {
        {"tokens", "I64", {1, 3}},
        {"token_mask", "BOOL", {1, 3}},
        {"x", "F32", {1, 16, latentFrames, 16, 16}},
        {"known", "F32", {1, 16, latentFrames, 16, 16}},
        {"mask", "F32", {1, 1, latentFrames, 16, 16}},
        {"t", "F32", {1}},
        {"latent", "F32", {1, 16, latentFrames, 16, 16}},
    };
}

} // namespace

class TestReference : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void checksItsInputs();
    void writesEveryOutput();
    void parityWithPytorch();

private:
    QString m_cli;
    QString m_source;
    QString m_model;
    QTemporaryDir m_dir;
};

void TestReference::initTestCase()
{
    m_cli = qEnvironmentVariable("KINORA_CLI");
    m_source = qEnvironmentVariable("KINORA_SOURCE_DIR");
    if (m_cli.isEmpty() || m_source.isEmpty())
        QSKIP("KINORA_CLI and KINORA_SOURCE_DIR are not set (ctest sets them)");
    m_model = QDir(m_source).filePath("resources/models/default");
    if (!QFileInfo::exists(m_model + "/model.safetensors"))
        QSKIP("the built-in pack resources/models/default is not here");
    QVERIFY(m_dir.isValid());
}

void TestReference::checksItsInputs()
{
    const QString out = m_dir.filePath("out.safetensors");
    auto expectError = [&](const QString& inputs, const QString& words) {
        const auto r = run(m_cli, {"reference-forward", "--model", m_model, "--in", inputs, "--out", out, "--threads", "1"});
        QCOMPARE(r.exitCode, 1);
        const auto lines = r.err.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("kinora-cli: error: ") && lines[0].contains(words), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    };
    expectError(m_dir.filePath("absent.safetensors"), "not found");

    auto inputs = validInputs(2);
    inputs.push_back({"noise", "F32", {1}});
    const QString unexpected = m_dir.filePath("unexpected.safetensors");
    writeZeros(unexpected, inputs);
    expectError(unexpected, "unexpected tensor 'noise'");

    inputs = validInputs(2);
    inputs.erase(inputs.begin() + 1);
    const QString missing = m_dir.filePath("missing.safetensors");
    writeZeros(missing, inputs);
    expectError(missing, "no tensor 'token_mask'");

    inputs = validInputs(2);
    inputs[2].shape = {1, 16, 2, 15, 16}; // not a multiple of the 2 x 2 (or 4 x 4) patch
    const QString shape = m_dir.filePath("shape.safetensors");
    writeZeros(shape, inputs);
    expectError(shape, "'x' must be [1, 16, T, h, w]");
}

void TestReference::writesEveryOutput()
{
    const QString inputs = m_dir.filePath("valid.safetensors");
    const QString out = m_dir.filePath("valid-out.safetensors");
    writeZeros(inputs, validInputs(2));
    const auto r = run(m_cli, {"reference-forward", "--model", m_model, "--in", inputs, "--out", out, "--threads", "1",
                               "--repeats", "1"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto report = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
    QCOMPARE(report["precision"].toString(), QString("fp32"));
    // 2 latent frames of 16 x 16 latents, in the pack's patches (2 x 2 since kinora-shapes-v8)
    QFile config(QDir(m_model).filePath("model.json"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const int patch = QJsonDocument::fromJson(config.readAll()).object()["transformer"].toObject()["patch_size"].toInt();
    QVERIFY(patch > 0 && 16 % patch == 0);
    QCOMPARE(report["tokens"].toInt(), 2 * (16 / patch) * (16 / patch));
    QVERIFY(report["transformer_ms"].toDouble() > 0);
    QVERIFY(report["decoder_ms"].toDouble() > 0);
    const auto header = readHeader(out);
    QCOMPARE(header["text_features"].toObject()["shape"].toArray(), (QJsonArray{1, 3, 256}));
    QCOMPARE(header["velocity"].toObject()["shape"].toArray(), (QJsonArray{1, 16, 2, 16, 16}));
    QCOMPARE(header["video"].toObject()["shape"].toArray(), (QJsonArray{1, 3, 5, 128, 128}));
    QCOMPARE(header["velocity"].toObject()["dtype"].toString(), QString("F32"));
}

void TestReference::parityWithPytorch()
{
    if (!QFileInfo(kPython).isExecutable())
        QSKIP("no /usr/bin/python3");
    const auto probe = run(kPython, {"-c", "import torch, numpy"});
    if (probe.exitCode != 0)
        QSKIP("/usr/bin/python3 cannot import torch and numpy (apt-get install python3-torch python3-numpy)");
    const QString script = QDir(m_source).filePath("scripts/reference/compare.py");
    const auto r = run(kPython, {script, "--model", m_model, "--cli", m_cli, "--threads", "1", "--repeats", "1",
                                 "--bf16", "off", "--tolerance", QString::number(kTolerance)});
    const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
    QVERIFY2(!lines.isEmpty(), qPrintable(r.err));
    const auto report = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QVERIFY2(!report.isEmpty(), qPrintable(r.out + r.err));
    qInfo().noquote() << lines.last();
    for (const char* key : {"max_rel_diff_fp32", "text_encoder_rel_diff", "decoder_rel_diff"}) {
        QVERIFY2(report[key].isDouble(), key);
        const double diff = report[key].toDouble();
        QVERIFY2(diff <= kTolerance, qPrintable(QString("%1 = %2 > %3").arg(key).arg(diff).arg(kTolerance)));
    }
    QCOMPARE(r.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestReference)
#include "tst_reference.moc"

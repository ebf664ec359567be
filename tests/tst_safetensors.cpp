// Tests for core/io: the safetensors reader and writer, and model packs (model.json +
// model.safetensors) as loadModelPack checks them against their config.

#include "io/model_pack.h"
#include "io/safetensors.h"
#include "pipeline/engine.h"

#include <torch/torch.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>

namespace kinora {
// Lets QCOMPARE print error codes by name.
char* toString(ErrorCode code)
{
    return qstrdup(errorCodeName(code));
}
} // namespace kinora

using namespace kinora;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// A file: 8-byte little-endian header length, the header text, then the data bytes.
QByteArray rawFile(const QByteArray& header, const QByteArray& data, qint64 declaredLength = -1)
{
    const quint64 len = declaredLength >= 0 ? quint64(declaredLength) : quint64(header.size());
    QByteArray out;
    for (int i = 0; i < 8; ++i)
        out.append(char((len >> (8 * i)) & 0xff));
    return out + header + data;
}

QByteArray rawFile(const json& header, int dataBytes)
{
    return rawFile(QByteArray::fromStdString(header.dump()), QByteArray(dataBytes, '\x11'));
}

void writeBytes(const fs::path& path, const QByteArray& bytes)
{
    QFile f(QString::fromStdString(path.string()));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray readBytes(const fs::path& path)
{
    QFile f(QString::fromStdString(path.string()));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

json entry(const std::string& dtype, std::vector<std::int64_t> shape, std::uint64_t begin, std::uint64_t end)
{
    return json { { "dtype", dtype }, { "shape", shape }, { "data_offsets", { begin, end } } };
}

// A valid two-tensor file, for cutting.
QByteArray validFile()
{
    const json header = { { "a", entry("F32", { 2, 2 }, 0, 16) }, { "b", entry("F16", { 3 }, 16, 22) } };
    return rawFile(header, 22);
}

// Every tensor of a safetensors file, copied out of the mapping, in file order.
NamedTensors readAll(const fs::path& path)
{
    NamedTensors out;
    auto file = io::SafetensorsFile::open(path);
    if (!file)
        return out;
    for (const auto& info : file->tensors())
        out.emplace_back(info.name, file->tensor(info).clone());
    return out;
}

void copyPack(const fs::path& from, const fs::path& to)
{
    fs::create_directories(to);
    for (const char* name : { io::kModelJson, io::kWeightsFile })
        fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing);
}

std::vector<std::string> filesIn(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Names the pack tests mutate; each exists in the tiny architecture.
const std::string kVictim = "transformer.blocks.1.mlp.fc2.weight";
const std::string kOther = "autoencoder.decoder.conv_out.weight";

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void roundTrip();
    void alignedDataSection();
    void tensorsOutliveFile();
    void zeroElementTensor();
    void openErrors_data();
    void openErrors();
    void writeErrors();
    void dtypeTables();

    void packLoads();
    void packErrors_data();
    void packErrors();
    void packConfigRoundTrip();
    void packConfigWholeNumbers();

private:
    QTemporaryDir m_tmp;
    fs::path m_pack; // a pristine tiny pack
    fs::path path(const QString& name) const { return fs::path(m_tmp.filePath(name).toStdString()); }
};

void TestSafetensors::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    torch::set_num_threads(1);
    m_pack = path("pristine");
    auto ok = pipeline::Engine::initModel("tiny", m_pack, 11);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
}

void TestSafetensors::roundTrip()
{
    torch::manual_seed(1);
    const auto f32 = torch::randn({ 2, 3 });
    const auto f16 = torch::randn({ 5 }).to(torch::kFloat16); // odd byte count: later tensors unaligned
    const auto bf16 = torch::randn({ 3, 4 }).to(torch::kBFloat16);
    const auto i64
        = torch::tensor(std::vector<std::int64_t> { -3, 0, 7, std::numeric_limits<std::int64_t>::max() });
    const auto base = torch::randn({ 4, 6 });
    const auto transposed = base.t(); // non-contiguous
    const auto strided = base.slice(1, 0, 6, 2); // non-contiguous, [4, 3]
    const auto scalar = torch::tensor(2.5f); // 0-d
    QVERIFY(!transposed.is_contiguous());
    QVERIFY(!strided.is_contiguous());
    const NamedTensors tensors = { { "f32", f32 }, { "half.weights", f16 }, { "bf16", bf16 }, { "ids", i64 },
        { "transposed", transposed }, { "strided", strided }, { "scalar", scalar } };
    const std::map<std::string, std::string> metadata
        = { { "format", "kinora" }, { "note", "grüße, \"quoted\"" } };

    const auto file = path("round_trip.safetensors");
    auto written = io::writeSafetensors(file, tensors, metadata);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    for (const auto& name : filesIn(file.parent_path()))
        QVERIFY2(name.find(".tmp") == std::string::npos, name.c_str());

    auto opened = io::SafetensorsFile::open(file);
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    QCOMPARE(opened->metadata(), metadata);
    QCOMPARE(opened->tensors().size(), tensors.size());
    QCOMPARE(opened->fileSize(), size_t(fs::file_size(file)));
    for (const auto& [name, original] : tensors) {
        const auto* info = opened->find(name);
        QVERIFY2(info, name.c_str());
        QCOMPARE(info->name, name);
        QCOMPARE(info->shape, original.sizes().vec());
        QCOMPARE(info->dtype, io::dtypeNameFor(original.scalar_type()).value());
        const auto back = opened->tensor(*info);
        QCOMPARE(back.scalar_type(), original.scalar_type());
        QVERIFY2(torch::equal(back, original), name.c_str());
    }
    QVERIFY(!opened->find("absent"));
    QVERIFY(!opened->find(""));
    QVERIFY(!opened->find("f3"));
    for (size_t i = 1; i < opened->tensors().size(); ++i)
        QVERIFY(opened->tensors()[i - 1].name < opened->tensors()[i].name);

    // Same content, same hash; one byte changed, another.
    const auto hash = opened->contentHash();
    QCOMPARE(int(hash.size()), 16);
    QVERIFY(QString::fromStdString(hash).contains(QRegularExpression("^[0-9a-f]{16}$")));
    const auto copy = path("round_trip_copy.safetensors");
    QVERIFY(io::writeSafetensors(copy, tensors, metadata).ok());
    QCOMPARE(io::SafetensorsFile::open(copy)->contentHash(), hash);
    auto changed = tensors;
    changed[0].second = f32 + 1;
    QVERIFY(io::writeSafetensors(copy, changed, metadata).ok());
    QVERIFY(io::SafetensorsFile::open(copy)->contentHash() != hash);

    // No metadata: no __metadata__ entry, and an empty map back.
    const auto bare = path("bare.safetensors");
    QVERIFY(io::writeSafetensors(bare, { { "x", f32 } }).ok());
    QVERIFY(!readBytes(bare).contains("__metadata__"));
    QVERIFY(io::SafetensorsFile::open(bare)->metadata().empty());
}

void TestSafetensors::alignedDataSection()
{
    // Header lengths vary with names; the data section must start 8-byte aligned anyway.
    for (int nameLength = 1; nameLength <= 9; ++nameLength) {
        const auto file = path(QString("aligned_%1.safetensors").arg(nameLength));
        QVERIFY(io::writeSafetensors(
            file, { { std::string(nameLength, 'n'), torch::ones({ 3 }, torch::kFloat64) } })
                    .ok());
        const auto bytes = readBytes(file);
        QVERIFY(bytes.size() > 8);
        quint64 len = 0;
        for (int i = 7; i >= 0; --i)
            len = (len << 8) | quint8(bytes[i]);
        QCOMPARE((8 + len) % 8, quint64(0));
        QCOMPARE(quint64(bytes.size()), 8 + len + 3 * 8);
        // Padding is JSON whitespace: the header still parses.
        QVERIFY(json::accept(bytes.mid(8, int(len)).toStdString()));
        auto opened = io::SafetensorsFile::open(file);
        QVERIFY(opened.ok());
        const auto t = opened->tensor(opened->tensors().front());
        QCOMPARE(reinterpret_cast<std::uintptr_t>(t.data_ptr()) % 8, std::uintptr_t(0));
    }
}

void TestSafetensors::tensorsOutliveFile()
{
    const auto file = path("outlive.safetensors");
    const auto original = torch::arange(0, 1000, torch::kFloat32).view({ 10, 100 });
    QVERIFY(io::writeSafetensors(file, { { "w", original } }).ok());
    torch::Tensor view;
    {
        auto opened = io::SafetensorsFile::open(file);
        QVERIFY(opened.ok());
        view = opened->tensor(*opened->find("w"));
    }
    // The mapping stays alive as long as a tensor views it, even with the file gone.
    fs::remove(file);
    QVERIFY(torch::equal(view, original));
}

void TestSafetensors::zeroElementTensor()
{
    // An empty tensor shares its offset with the tensor after it; both orders of the
    // header are valid files.
    const auto file = path("empty_tensor.safetensors");
    const NamedTensors tensors
        = { { "a", torch::ones({ 2 }) }, { "empty", torch::zeros({ 0, 3 }) }, { "b", torch::ones({ 2 }) } };
    QVERIFY(io::writeSafetensors(file, tensors).ok());
    auto opened = io::SafetensorsFile::open(file);
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
    QCOMPARE(opened->find("empty")->shape, (std::vector<std::int64_t> { 0, 3 }));
    QCOMPARE(opened->tensor(*opened->find("empty")).numel(), 0);
}

void TestSafetensors::openErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("kind"); // 0: a file with `content`, 1: nothing there, 2: a folder
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("fragments");

    const auto F = ErrorCode::Format;
    QTest::newRow("missing file") << QByteArray() << 1 << ErrorCode::NotFound << QStringList { "not found" };
    QTest::newRow("a folder") << QByteArray() << 2 << F << QStringList { "not a regular file" };
    QTest::newRow("empty file") << QByteArray() << 0 << F << QStringList { "only 0 bytes" };
    QTest::newRow("shorter than 8 bytes")
        << QByteArray("\x05\0\0\0", 4) << 0 << F << QStringList { "only 4 bytes" };
    QTest::newRow("header length 0") << rawFile("", "", 0) << 0 << F << QStringList { "header length 0" };
    QTest::newRow("header length larger than file") << rawFile(
        "{}", "", 1000) << 0 << F << QStringList { "truncated", "header length 1000", "file size 10" };
    QTest::newRow("header length absurd")
        << rawFile("{}", "", std::numeric_limits<qint64>::max()) << 0 << F << QStringList { "header length" };
    QTest::newRow("header not JSON") << rawFile("{\"a\": {", "") << 0 << F
                                     << QStringList { "not valid JSON" };
    QTest::newRow("header binary") << rawFile(QByteArray("\xff\xfe\x00\x01", 4), "") << 0 << F
                                   << QStringList { "not valid JSON" };
    QTest::newRow("header JSON array")
        << rawFile("[1, 2, 3]", "") << 0 << F << QStringList { "not a JSON object" };
    QTest::newRow("header JSON string")
        << rawFile("\"text\"", "") << 0 << F << QStringList { "not a JSON object" };
    QTest::newRow("entry not an object") << rawFile(json { { "w", 5 } }, 0) << 0 << F
                                         << QStringList { "'w'", "lacks dtype, shape or data_offsets" };
    QTest::newRow("entry lacks dtype")
        << rawFile(json { { "w", { { "shape", { 1 } }, { "data_offsets", { 0, 4 } } } } }, 4) << 0 << F
        << QStringList { "'w'", "lacks dtype" };
    QTest::newRow("entry lacks shape")
        << rawFile(json { { "w", { { "dtype", "F32" }, { "data_offsets", { 0, 4 } } } } }, 4) << 0 << F
        << QStringList { "'w'", "shape" };
    QTest::newRow("entry lacks offsets")
        << rawFile(json { { "w", { { "dtype", "F32" }, { "shape", { 1 } } } } }, 4) << 0 << F
        << QStringList { "'w'", "data_offsets" };
    QTest::newRow("dtype not a string")
        << rawFile(json { { "w", { { "dtype", 4 }, { "shape", { 1 } }, { "data_offsets", { 0, 4 } } } } }, 4)
        << 0 << F << QStringList { "'w'", "malformed" };
    QTest::newRow("shape not a list") << rawFile(
        json { { "w", { { "dtype", "F32" }, { "shape", "1x1" }, { "data_offsets", { 0, 4 } } } } }, 4)
                                      << 0 << F << QStringList { "'w'", "malformed" };
    QTest::newRow("offsets not a pair") << rawFile(
        json { { "w", { { "dtype", "F32" }, { "shape", { 1 } }, { "data_offsets", { 0, 4, 8 } } } } }, 4)
                                        << 0 << F << QStringList { "'w'", "not a pair" };
    QTest::newRow("unknown dtype") << rawFile(json { { "w", entry("F8_E4M3", { 4 }, 0, 4) } }, 4) << 0 << F
                                   << QStringList { "'w'", "unknown dtype 'F8_E4M3'" };
    QTest::newRow("negative dim") << rawFile(json { { "w", entry("F32", { 2, -1 }, 0, 0) } }, 0) << 0 << F
                                  << QStringList { "'w'", "negative dimension" };
    QTest::newRow("offsets reversed")
        << rawFile(json { { "w", entry("F32", { 1 }, 4, 0) } }, 4) << 0 << F << QStringList { "'w'" };
    QTest::newRow("offsets past end") << rawFile(json { { "w", entry("F32", { 4 }, 0, 16) } }, 12) << 0 << F
                                      << QStringList { "'w'", "past the end" };
    QTest::newRow("truncated file") << validFile().chopped(5) << 0 << F
                                    << QStringList { "'b'", "past the end" };
    QTest::newRow("truncated in the header")
        << validFile().left(20) << 0 << F << QStringList { "truncated", "header length" };
    QTest::newRow("byte count not shape x dtype") << rawFile(json { { "w", entry("F32", { 2, 2 }, 0, 12) } },
        12) << 0 << F << QStringList { "'w'", "has 12 bytes", "need 16" };
    QTest::newRow("byte count wrong for dtype") << rawFile(json { { "w", entry("F16", { 4 }, 0, 16) } }, 16)
                                                << 0 << F << QStringList { "'w'", "need 8" };
    QTest::newRow("element count overflows")
        << rawFile(json { { "w", entry("F32", { std::int64_t(1) << 62, 4 }, 0, 0) } }, 0) << 0 << F
        << QStringList { "'w'" };
    QTest::newRow("overlapping tensors")
        << rawFile(json { { "a", entry("F32", { 2 }, 0, 8) }, { "b", entry("F32", { 2 }, 4, 12) } }, 12) << 0
        << F << QStringList { "'b'", "overlaps" };
    QTest::newRow("same offsets twice")
        << rawFile(json { { "a", entry("F32", { 2 }, 0, 8) }, { "b", entry("F32", { 2 }, 0, 8) } }, 8) << 0
        << F << QStringList { "overlaps" };
    QTest::newRow("gap between tensors")
        << rawFile(json { { "a", entry("F32", { 2 }, 0, 8) }, { "b", entry("F32", { 2 }, 12, 20) } }, 20) << 0
        << F << QStringList { "'b'", "gap" };
    QTest::newRow("gap at the start") << rawFile(json { { "a", entry("F32", { 2 }, 4, 12) } }, 12) << 0 << F
                                      << QStringList { "'a'", "gap" };
    QTest::newRow("trailing bytes") << validFile() + QByteArray(3, '\0') << 0 << F
                                    << QStringList { "3 trailing bytes" };
    QTest::newRow("metadata not an object")
        << rawFile(json { { "__metadata__", { 1, 2 } } }, 0) << 0 << F << QStringList { "__metadata__" };
    QTest::newRow("metadata value not a string") << rawFile(json { { "__metadata__", { { "steps", 5 } } } },
        0) << 0 << F << QStringList { "metadata", "'steps'" };
}

void TestSafetensors::openErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(int, kind);
    QFETCH(ErrorCode, code);
    QFETCH(QStringList, fragments);

    const auto file = path(QString("bad_%1.safetensors").arg(QTest::currentDataTag()).replace(' ', '_'));
    if (kind == 0)
        writeBytes(file, content);
    else if (kind == 2)
        fs::create_directories(file);

    auto opened = io::SafetensorsFile::open(file);
    QVERIFY2(!opened.ok(), "a broken file was accepted");
    QCOMPARE(opened.error().code, code);
    const auto message = QString::fromStdString(opened.error().message);
    QVERIFY2(message.contains(QString::fromStdString(file.filename().string())),
        qPrintable("the message does not name the file: " + message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));
    for (const auto& fragment : fragments)
        QVERIFY2(message.contains(fragment), qPrintable(QString("'%1' not in: %2").arg(fragment, message)));
}

void TestSafetensors::writeErrors()
{
    // Into a folder that does not exist: an error, and nothing left behind.
    const auto nowhere = path("no/such/folder/w.safetensors");
    auto r = io::writeSafetensors(nowhere, { { "x", torch::ones({ 2 }) } });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QVERIFY(!fs::exists(path("no")));

    // A refused write leaves the existing file exactly as it was, and no temporary file.
    QTemporaryDir dir;
    const fs::path file = fs::path(dir.path().toStdString()) / "w.safetensors";
    QVERIFY(io::writeSafetensors(file, { { "x", torch::ones({ 2 }) } }).ok());
    const auto before = readBytes(file);
    r = io::writeSafetensors(file, { { "x", torch::ones({ 2 }) }, { "x", torch::zeros({ 3 }) } });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QVERIFY(QString::fromStdString(r.error().message).contains("duplicate tensor name 'x'"));
    r = io::writeSafetensors(
        file, { { "y", torch::ones({ 2 }) }, { "c", torch::ones({ 2 }, torch::kComplexFloat) } });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Unsupported);
    QCOMPARE(readBytes(file), before);
    QCOMPARE(filesIn(file.parent_path()), std::vector<std::string> { "w.safetensors" });

    // Something there that is not a regular file (a folder, a named pipe) is refused, never
    // replaced by the rename; a pack's model.json likewise.
    const fs::path folder = fs::path(dir.path().toStdString()) / "folder.safetensors";
    fs::create_directory(folder);
    const fs::path pipe = fs::path(dir.path().toStdString()) / "pipe.safetensors";
    QCOMPARE(::mkfifo(pipe.c_str(), 0600), 0);
    for (const auto& target : { folder, pipe }) {
        r = io::writeSafetensors(target, { { "x", torch::ones({ 2 }) } });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(r.error().message).contains("not a regular file"));
    }
    QVERIFY(fs::is_directory(folder));
    QVERIFY(fs::is_fifo(pipe));
    const fs::path pack = fs::path(dir.path().toStdString()) / "pack";
    fs::create_directories(pack / "model.json");
    auto config = io::architecture("tiny");
    QVERIFY(config.ok());
    auto modules = io::createModules(config.value(), torch::kCPU, {}, 1);
    QVERIFY(!io::saveModelPack(pack, config.value(), modules).ok());
    QVERIFY(fs::is_directory(pack / "model.json"));
    QVERIFY(!fs::exists(pack / "model.safetensors")); // refused before any weights were written
}

void TestSafetensors::dtypeTables()
{
    for (const auto& [name, type, size] : std::vector<std::tuple<std::string, torch::ScalarType, size_t>> {
             { "F32", torch::kFloat32, 4 }, { "F16", torch::kFloat16, 2 }, { "BF16", torch::kBFloat16, 2 },
             { "F64", torch::kFloat64, 8 }, { "I64", torch::kInt64, 8 }, { "I32", torch::kInt32, 4 },
             { "U8", torch::kUInt8, 1 }, { "BOOL", torch::kBool, 1 } }) {
        QCOMPARE(io::dtypeSize(name), size);
        QCOMPARE(io::scalarTypeFor(name).value(), type);
        QCOMPARE(io::dtypeNameFor(type).value(), name);
    }
    QCOMPARE(io::dtypeSize("f32"), size_t(0));
    QCOMPARE(io::scalarTypeFor("C64").error().code, ErrorCode::Unsupported);
    QCOMPARE(io::dtypeNameFor(torch::kComplexDouble).error().code, ErrorCode::Unsupported);
}

void TestSafetensors::packLoads()
{
    auto pack = io::loadModelPack(m_pack, torch::kCPU, {});
    QVERIFY2(pack.ok(), pack.ok() ? "" : pack.error().message.c_str());
    QCOMPARE(pack->config.name, std::string("kinora-tiny-random"));
    QCOMPARE(pack->config.frameSize, 64);
    QCOMPARE(pack->dir, m_pack);
    QCOMPARE(pack->weightHash, io::SafetensorsFile::open(m_pack / io::kWeightsFile)->contentHash());
    QVERIFY(!pack->modules.transformer->is_training());
    QVERIFY(!pack->modules.autoencoder->is_training());
    QVERIFY(!pack->modules.textEncoder->is_training());

    // Every tensor came from the file, bit for bit, and the victims of the error tests exist.
    const auto stored = readAll(m_pack / io::kWeightsFile);
    std::map<std::string, torch::Tensor> byName(stored.begin(), stored.end());
    const auto loaded = pack->modules.namedTensors();
    QCOMPARE(loaded.size(), stored.size());
    for (const auto& [name, t] : loaded) {
        QVERIFY2(byName.count(name), name.c_str());
        QVERIFY2(torch::equal(t, byName[name]), name.c_str());
    }
    QVERIFY(byName.count(kVictim));
    QVERIFY(byName.count(kOther));

    // A different seed gives different weights and a different hash.
    const auto other = path("other_seed");
    QVERIFY(pipeline::Engine::initModel("tiny", other, 12).ok());
    auto otherPack = io::loadModelPack(other, torch::kCPU, {});
    QVERIFY(otherPack.ok());
    QVERIFY(otherPack->weightHash != pack->weightHash);

    // Packs load into bf16 modules as well.
    io::ModulePrecision bf16;
    bf16.transformer = torch::kBFloat16;
    auto half = io::loadModelPack(m_pack, torch::kCPU, bf16);
    QVERIFY2(half.ok(), half.ok() ? "" : half.error().message.c_str());
    QCOMPARE(half->modules.transformer->parameters().front().scalar_type(), torch::kBFloat16);
}

void TestSafetensors::packErrors_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QStringList>("fragments");

    const auto victim = QString::fromStdString(kVictim);
    const auto other = QString::fromStdString(kOther);
    QTest::newRow("no folder") << "no folder" << ErrorCode::NotFound << QStringList { "not a folder" };
    QTest::newRow("missing model.json")
        << "missing model.json" << ErrorCode::NotFound << QStringList { "model.json" };
    QTest::newRow("model.json not JSON")
        << "model.json not JSON" << ErrorCode::Format << QStringList { "model.json", "not valid JSON" };
    QTest::newRow("model.json wrong field type")
        << "wrong field type" << ErrorCode::Format << QStringList { "wrong type" };
    QTest::newRow("model.json nested wrong type")
        << "nested wrong type" << ErrorCode::Format << QStringList { "wrong type" };
    QTest::newRow("model.json newer format")
        << "newer format" << ErrorCode::Unsupported << QStringList { "newer" };
    QTest::newRow("model.json bad window")
        << "bad window" << ErrorCode::Format << QStringList { "window_frames" };
    QTest::newRow("model.json frame noise share 1")
        << "noise share" << ErrorCode::Format << QStringList { "frame_noise_share" };
    // Sizes that divided by zero or asked for all memory; each refused naming the field.
    for (const auto& [field, value] : std::vector<std::pair<QString, QString>> {
             { "/text_encoder/heads", "0" }, { "/autoencoder/temporal_group", "0" }, { "/transformer/patch_size", "0" },
             { "/transformer/width", "1000000" }, { "/transformer/depth", "100000" }, { "/frame_size", "1000000" },
             { "/autoencoder/latent_channels", "0" }, { "/text_encoder/max_tokens", "0" }, { "/sampling/steps", "0" } })
        QTest::newRow(qPrintable("model.json " + field + " " + value))
            << "set " + field + " " + value << ErrorCode::Format
            << QStringList { field.mid(1).replace('/', '.') + " is " + value, "it must be from" };
    // Sizes each inside its limit that together describe networks no machine could hold
    // (before: the loader began to allocate them, hundreds of GB, and was killed).
    QTest::newRow("model.json too many parameters")
        << "huge" << ErrorCode::Format << QStringList { "describes at least", "at most 4000000000" };
    // Within the cap but far more than the weights file holds (15 GB in fp32): refused before
    // anything is built.
    QTest::newRow("model.json larger than its weights")
        << "larger" << ErrorCode::Mismatch << QStringList { "does not match its model.json", "holds" };
    QTest::newRow("no weights file") << "no weights" << ErrorCode::NotFound
                                     << QStringList { "model.safetensors", "not found" };
    QTest::newRow("weights missing a tensor")
        << "missing tensor" << ErrorCode::Mismatch << QStringList { "missing " + victim };
    QTest::newRow("unexpected extra tensor")
        << "extra tensor" << ErrorCode::Mismatch
        << QStringList { "unexpected transformer.blocks.9.extra.weight" };
    QTest::newRow("wrong shape") << "wrong shape" << ErrorCode::Mismatch
                                 << QStringList { victim + " (shape [128, 64], expected [64, 128])" };
    QTest::newRow("non-float dtype") << "int dtype" << ErrorCode::Mismatch
                                     << QStringList { victim + " (dtype I64)" };
    QTest::newRow("several problems")
        << "several" << ErrorCode::Mismatch
        << QStringList { "missing " + victim, "mismatched " + other, "unexpected stray" };
    QTest::newRow("truncated weights")
        << "truncated" << ErrorCode::Format << QStringList { "model.safetensors", "truncated" };
    QTest::newRow("PNG as weights") << "png" << ErrorCode::Format << QStringList { "model.safetensors" };
    QTest::newRow("random bytes as weights")
        << "random" << ErrorCode::Format << QStringList { "model.safetensors" };
    QTest::newRow("weights is a folder")
        << "folder" << ErrorCode::Format << QStringList { "model.safetensors" };
}

void TestSafetensors::packErrors()
{
    QFETCH(QString, mutation);
    QFETCH(ErrorCode, code);
    QFETCH(QStringList, fragments);

    const auto dir = path("pack_" + QString(QTest::currentDataTag()).replace(' ', '_'));
    const auto weights = dir / io::kWeightsFile;
    const auto config = dir / io::kModelJson;
    if (mutation != "no folder")
        copyPack(m_pack, dir);

    auto editJson = [&](const std::function<void(json&)>& edit) {
        std::ifstream in(config);
        json j = json::parse(in);
        edit(j);
        std::ofstream(config, std::ios::trunc) << j.dump(2);
    };
    auto rewrite = [&](const std::function<void(NamedTensors&)>& edit) {
        auto tensors = readAll(weights);
        QVERIFY(!tensors.empty());
        edit(tensors);
        auto ok = io::writeSafetensors(weights, tensors);
        QVERIFY(ok.ok());
    };
    auto find = [](NamedTensors& tensors, const std::string& name) {
        return std::find_if(tensors.begin(), tensors.end(), [&](const auto& p) { return p.first == name; });
    };

    if (mutation == "missing model.json") {
        fs::remove(config);
    } else if (mutation == "model.json not JSON") {
        std::ofstream(config, std::ios::trunc) << "{\"name\": \"half a file\", \"frame_size\": ";
    } else if (mutation == "wrong field type") {
        editJson([](json& j) { j["frame_size"] = "sixty-four"; });
    } else if (mutation == "nested wrong type") {
        editJson([](json& j) { j["transformer"]["depth"] = json::array({ 2 }); });
    } else if (mutation == "newer format") {
        editJson([](json& j) { j["format_version"] = io::kModelFormatVersion + 1; });
    } else if (mutation == "noise share") {
        editJson([](json& j) { j["sampling"]["frame_noise_share"] = 1.0; }); // frames would never differ
    } else if (mutation == "bad window") {
        editJson([](json& j) { j["window_frames"] = 16; });
    } else if (mutation.startsWith("set ")) {
        const auto parts = mutation.split(' ');
        editJson([&](json& j) { j[json::json_pointer(parts[1].toStdString())] = json::parse(parts[2].toStdString()); });
    } else if (mutation == "huge") {
        editJson([](json& j) {
            j["transformer"]["width"] = 16384;
            j["transformer"]["depth"] = 256;
            j["transformer"]["heads"] = 256;
        });
    } else if (mutation == "larger") {
        editJson([](json& j) {
            j["transformer"]["width"] = 2048;
            j["transformer"]["depth"] = 64;
            j["transformer"]["heads"] = 32;
        });
    } else if (mutation == "no weights") {
        fs::remove(weights);
    } else if (mutation == "missing tensor") {
        rewrite([&](NamedTensors& t) { t.erase(find(t, kVictim)); });
    } else if (mutation == "extra tensor") {
        rewrite([](NamedTensors& t) {
            t.emplace_back("transformer.blocks.9.extra.weight", torch::zeros({ 4 }));
        });
    } else if (mutation == "wrong shape") {
        rewrite([&](NamedTensors& t) {
            auto it = find(t, kVictim);
            it->second = it->second.t().contiguous();
        });
    } else if (mutation == "int dtype") {
        rewrite([&](NamedTensors& t) {
            auto it = find(t, kVictim);
            it->second = it->second.to(torch::kInt64);
        });
    } else if (mutation == "several") {
        rewrite([&](NamedTensors& t) {
            t.erase(find(t, kVictim));
            auto it = find(t, kOther);
            it->second = it->second.flatten();
            t.emplace_back("stray", torch::zeros({ 1 }));
        });
    } else if (mutation == "truncated") {
        const auto bytes = readBytes(weights);
        writeBytes(weights, bytes.left(bytes.size() - 1000));
    } else if (mutation == "png") {
        QByteArray png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\x90\x91\x68\x36", 33);
        writeBytes(weights, png + QByteArray(200, '\0'));
    } else if (mutation == "random") {
        std::mt19937 rng(7);
        QByteArray bytes(4096, '\0');
        for (auto& b : bytes)
            b = char(rng() & 0xff);
        writeBytes(weights, bytes);
    } else if (mutation == "folder") {
        fs::remove(weights);
        fs::create_directories(weights);
    }
    if (QTest::currentTestFailed())
        return;

    auto pack = io::loadModelPack(dir, torch::kCPU, {});
    QVERIFY2(!pack.ok(), "a broken pack was accepted");
    QCOMPARE(pack.error().code, code);
    const auto message = QString::fromStdString(pack.error().message);
    QVERIFY2(!message.contains('\n'), qPrintable(message));
    for (const auto& fragment : fragments)
        QVERIFY2(message.contains(fragment), qPrintable(QString("'%1' not in: %2").arg(fragment, message)));
}

void TestSafetensors::packConfigRoundTrip()
{
    auto tiny = io::architecture("tiny");
    QVERIFY(tiny.ok());
    auto back = io::configFromJson(io::configToJson(tiny.value()));
    QVERIFY(back.ok());
    QCOMPARE(io::configToJson(back.value()).dump(), io::configToJson(tiny.value()).dump());
    // Optional transformer layers survive the round trip; packs without the fields have them off.
    auto placed = tiny.value();
    placed.transformer.pooledText = placed.transformer.absolutePositions = placed.transformer.textLayout
        = true;
    auto placedBack = io::configFromJson(io::configToJson(placed));
    QVERIFY(placedBack.ok());
    QVERIFY(placedBack->transformer.pooledText && placedBack->transformer.absolutePositions
        && placedBack->transformer.textLayout);
    auto bare = io::configToJson(placed);
    bare["transformer"].erase("absolute_positions");
    bare["transformer"].erase("text_layout");
    QVERIFY(!io::configFromJson(bare)->transformer.absolutePositions);
    QVERIFY(!io::configFromJson(bare)->transformer.textLayout);
    auto stored = io::readModelConfig(m_pack);
    QVERIFY(stored.ok());
    QCOMPARE(stored->transformer.width, tiny->transformer.width);
    QCOMPARE(stored->vocabulary, tiny->vocabulary);
    QCOMPARE(stored->training.value("seed", 0), 11);
    QCOMPARE(io::architecture("huge").error().code, ErrorCode::InvalidArgument);
}

// Integer fields take whole numbers that fit: a 20-digit depth parses as a float, and
// converting it to int was undefined behaviour (found by fuzz_model_config, 2026-12-07).
void TestSafetensors::packConfigWholeNumbers()
{
    auto tiny = io::architecture("tiny");
    QVERIFY(tiny.ok());
    const auto good = io::configToJson(tiny.value());
    auto with = [&](const char* section, const char* key, const nlohmann::json& value) {
        auto j = good;
        j[section][key] = value;
        return io::configFromJson(j);
    };
    auto eight = with("transformer", "depth", 2.0); // a whole float is that number
    QVERIFY2(eight.ok(), eight.ok() ? "" : eight.error().message.c_str());
    QCOMPARE(eight->transformer.depth, 2);
    for (const auto& bad : { nlohmann::json::parse("28888888888888888888"), nlohmann::json(2.5),
             nlohmann::json(1e30), nlohmann::json(-3e9), nlohmann::json(4294967296ull) }) {
        auto r = with("transformer", "depth", bad);
        QVERIFY2(!r.ok(), bad.dump().c_str());
        QCOMPARE(r.error().code, ErrorCode::Format);
        QVERIFY2(QString::fromStdString(r.error().message).contains("\"depth\" must be a whole number"),
            r.error().message.c_str());
    }
    auto channels = good;
    channels["autoencoder"]["channels"] = nlohmann::json::array({ 8, 1e20, 16 });
    auto r = io::configFromJson(channels);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error().message).contains("\"channels\""), r.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestSafetensors)

#include "tst_safetensors.moc"

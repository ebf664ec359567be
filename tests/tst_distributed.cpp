// Data-parallel training (train/distributed.h) as a user starts it: two kinora-cli train
// processes (KINORA_CLI) meeting on localhost through c10d's TCPStore and Gloo, on a small
// 128 px architecture with one thread each.

#include "io/safetensors.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace kinora;

namespace {

// A port no one listens on now (the kernel's pick for a socket bound to port 0).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

QProcessEnvironment environment()
{
    auto e = QProcessEnvironment::systemEnvironment();
    e.insert("OMP_WAIT_POLICY", "passive");
    for (const char* name : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"})
        e.remove(name);
    return e;
}

struct Finished {
    int exitCode = -1;
    QString out, err;
};

Finished finish(QProcess& p, int ms = 120000)
{
    Finished f;
    if (!p.waitForFinished(ms)) {
        p.kill();
        p.waitForFinished();
        f.err = "did not finish in time";
        return f;
    }
    f.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    f.out = QString::fromUtf8(p.readAllStandardOutput());
    f.err = QString::fromUtf8(p.readAllStandardError());
    return f;
}

QString fingerprint(const QString& out)
{
    const auto m = QRegularExpression("weights fingerprint ([0-9a-f]{16})").match(out);
    return m.hasMatch() ? m.captured(1) : QString();
}

// How far apart two trained packs are: the norm of their difference over the norm of the
// change training made from the start pack (over every tensor), and that change's norm.
std::pair<double, double> compare(const std::filesystem::path& a, const std::filesystem::path& b,
                                  const std::filesystem::path& start)
{
    auto fa = io::SafetensorsFile::open(a / "model.safetensors");
    auto fb = io::SafetensorsFile::open(b / "model.safetensors");
    auto f0 = io::SafetensorsFile::open(start / "model.safetensors");
    if (!fa || !fb || !f0)
        return {1e9, 0};
    double diff = 0, change = 0; // squared norms
    for (const auto& info : fa->tensors()) {
        const auto* ib = fb->find(info.name);
        const auto* i0 = f0->find(info.name);
        if (!ib || !i0)
            return {1e9, 0};
        const auto ta = fa->tensor(info).to(torch::kFloat64), tb = fb->tensor(*ib).to(torch::kFloat64);
        diff += (ta - tb).pow(2).sum().item<double>();
        change += (ta - f0->tensor(*i0).to(torch::kFloat64)).pow(2).sum().item<double>();
    }
    return {std::sqrt(diff / std::max(change, 1e-300)), std::sqrt(change)};
}

nlohmann::json lastStage(const std::filesystem::path& pack)
{
    std::ifstream in(pack / "model.json");
    nlohmann::json j;
    in >> j;
    return j["training"]["stages"].back();
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoRanksLearnAsOneProcessWithTheirBatch_data();
    void twoRanksLearnAsOneProcessWithTheirBatch();
    void lostRankEndsTheOthersAndTheCheckpointResumes();
    void badStartsSayWhy();

private:
    QStringList train(const QString& stage, const QString& run, const QString& out, int batch, int steps) const;
    void start(QProcess& p, const QStringList& args, int rank, int port, int worldSize = 2) const;

    QString m_cli;
    QTemporaryDir m_dir;
    QString m_pack;
};

void TestDistributed::initTestCase()
{
    m_cli = qEnvironmentVariable("KINORA_CLI");
    if (m_cli.isEmpty())
        QSKIP("KINORA_CLI is not set (CTest sets it)");
    QVERIFY(m_dir.isValid());
    const QString arch = m_dir.filePath("arch.json");
    std::ofstream(arch.toStdString()) << R"({"frame_size": 128, "weights_dtype": "fp32",
        "autoencoder": {"latent_channels": 4, "channels": [8, 16, 16], "frame_levels": 1, "pixel_shuffle": 2},
        "text_encoder": {"max_tokens": 16, "width": 32, "depth": 1, "heads": 2, "mlp_ratio": 2},
        "transformer": {"patch_size": 4, "width": 64, "depth": 2, "heads": 2, "mlp_ratio": 2, "timestep_dim": 32},
        "sampling": {"steps": 2}})";
    m_pack = m_dir.filePath("start");
    QProcess init;
    init.setProcessEnvironment(environment());
    init.start(m_cli, {"init-model", "--config", arch, "--out", m_pack, "--seed", "3"});
    const auto f = finish(init);
    QVERIFY2(f.exitCode == 0, qPrintable(f.err));
}

QStringList TestDistributed::train(const QString& stage, const QString& run, const QString& out, int batch,
                                   int steps) const
{
    return {"train", "--stage", stage, "--model", m_pack, "--run", m_dir.filePath(run), "--out", m_dir.filePath(out),
            "--batch", QString::number(batch), "--steps", QString::number(steps), "--warmup", "1", "--threads", "1",
            "--render-threads", "1", "--precision", "fp32", "--latent-object-weight", "4", "--ae-crop", "32"};
}

void TestDistributed::start(QProcess& p, const QStringList& args, int rank, int port, int worldSize) const
{
    // torchrun's environment for one, the options for the other: both ways work.
    auto e = environment();
    if (rank == 0) {
        e.insert("WORLD_SIZE", QString::number(worldSize));
        e.insert("RANK", "0");
        e.insert("MASTER_ADDR", "127.0.0.1");
        e.insert("MASTER_PORT", QString::number(port));
        p.setProcessEnvironment(e);
        p.start(m_cli, args + QStringList{"--dist-timeout", "10"});
    } else {
        p.setProcessEnvironment(e);
        p.start(m_cli, args + QStringList{"--world-size", QString::number(worldSize), "--rank", QString::number(rank),
                                          "--master-port", QString::number(port), "--dist-timeout", "10"});
    }
}

void TestDistributed::twoRanksLearnAsOneProcessWithTheirBatch_data()
{
    QTest::addColumn<QString>("stage");
    QTest::newRow("diffusion") << "diffusion";
    QTest::newRow("autoencoder") << "autoencoder";
}

// Two ranks with batch 2 end with bit-identical weights (each prints a hash of its trained
// and EMA weights' bytes), and with the weights of one process with batch 4 on the same
// clips, noise and masks up to float rounding; the record counts every rank's clips.
void TestDistributed::twoRanksLearnAsOneProcessWithTheirBatch()
{
    QFETCH(QString, stage);
    const int steps = 3;
    QProcess one;
    one.setProcessEnvironment(environment());
    one.start(m_cli, train(stage, "one-" + stage, "one-pack-" + stage, 4, steps));
    const auto single = finish(one);
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));

    const int port = freePort();
    QVERIFY(port > 0);
    QProcess r0, r1;
    const auto args = train(stage, "two-" + stage, "two-pack-" + stage, 2, steps);
    start(r0, args, 0, port);
    start(r1, args, 1, port);
    const auto f0 = finish(r0), f1 = finish(r1);
    QVERIFY2(f0.exitCode == 0, qPrintable(f0.err));
    QVERIFY2(f1.exitCode == 0, qPrintable(f1.err));
    QVERIFY2(f0.out.contains("2 ranks x batch 2 = 4 clips per step"), qPrintable(f0.out));
    QVERIFY(!f1.out.contains("step 3/3")); // rank 0 reports
    QVERIFY(!fingerprint(f0.out).isEmpty());
    QCOMPARE(fingerprint(f1.out), fingerprint(f0.out));
    // Rank 0 alone wrote the log and the pack.
    QVERIFY(std::filesystem::exists(m_dir.filePath("two-pack-" + stage).toStdString() + "/model.json"));
    QVERIFY(f1.out.contains("rank 1 done"));

    const auto [relative, change] = compare(m_dir.filePath("one-pack-" + stage).toStdString(),
                                        m_dir.filePath("two-pack-" + stage).toStdString(), m_pack.toStdString());
    QVERIFY2(change > 1e-3, qPrintable(QString("training changed the weights by %1").arg(change)));
    // Float rounding (the sums run in another order), grown by AdamW's division by the
    // root of tiny squared gradients; measured 5e-6 (diffusion) and 5e-4 (autoencoder).
    QVERIFY2(relative < 1e-2, qPrintable(QString("one process and two ranks differ by %1 of the change").arg(relative)));

    const auto record = lastStage(m_dir.filePath("two-pack-" + stage).toStdString());
    QCOMPARE(record["ranks"].get<int>(), 2);
    QCOMPARE(record["batch"].get<int>(), 2);
    QCOMPARE(record["samples"].get<int>(), 2 * 2 * steps);
}

// Killing one rank mid-run ends the other within the timeout with a message saying what
// happened; the last checkpoint rank 0 wrote resumes with both ranks, and not with one.
void TestDistributed::lostRankEndsTheOthersAndTheCheckpointResumes()
{
    const int port = freePort();
    QVERIFY(port > 0);
    auto args = train("diffusion", "killed", "killed-pack", 2, 100000);
    args << "--checkpoint-minutes" << "0.01";
    QProcess r0, r1;
    start(r0, args, 0, port);
    start(r1, args, 1, port);
    const auto state = m_dir.filePath("killed/checkpoint/state.json").toStdString();
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(state), 60000);
    ::kill(static_cast<pid_t>(r1.processId()), SIGKILL);
    QElapsedTimer clock;
    clock.start();
    const auto f0 = finish(r0, 30000);
    finish(r1);
    QVERIFY2(clock.elapsed() < 12000, qPrintable(QString("rank 0 took %1 ms to stop").arg(clock.elapsed())));
    QVERIFY(f0.exitCode != 0);
    QVERIFY2(f0.err.contains("data-parallel training stopped") && f0.err.contains("--resume"), qPrintable(f0.err));

    nlohmann::json saved;
    std::ifstream(state) >> saved;
    const int at = saved["step"].get<int>();
    QCOMPARE(saved["ranks"].get<int>(), 2);

    // One process cannot resume a two-rank checkpoint.
    auto resume = train("diffusion", "killed", "resumed-pack", 2, at + 2);
    resume << "--resume";
    QProcess alone;
    alone.setProcessEnvironment(environment());
    alone.start(m_cli, resume);
    const auto refused = finish(alone);
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("same world size"), qPrintable(refused.err));

    const int port2 = freePort();
    QProcess s0, s1;
    start(s0, resume, 0, port2);
    start(s1, resume, 1, port2);
    const auto g0 = finish(s0), g1 = finish(s1);
    QVERIFY2(g0.exitCode == 0, qPrintable(g0.err));
    QVERIFY2(g1.exitCode == 0, qPrintable(g1.err));
    QCOMPARE(fingerprint(g1.out), fingerprint(g0.out));
    QCOMPARE(lastStage(m_dir.filePath("resumed-pack").toStdString())["steps"].get<int>(), at + 2);
}

// A rank no one joins, or a rank outside the world, fails with one clear line.
void TestDistributed::badStartsSayWhy()
{
    QProcess lonely;
    lonely.setProcessEnvironment(environment());
    QElapsedTimer clock;
    clock.start();
    lonely.start(m_cli, train("diffusion", "lonely", "lonely-pack", 2, 2) +
                            QStringList{"--world-size", "2", "--rank", "1", "--master-port",
                                        QString::number(freePort()), "--dist-timeout", "2"});
    const auto f = finish(lonely);
    QVERIFY(f.exitCode != 0);
    QVERIFY2(f.err.contains("rank 1 of 2 could not meet the other ranks"), qPrintable(f.err));
    QVERIFY2(clock.elapsed() < 30000, qPrintable(QString("%1 ms").arg(clock.elapsed())));

    QProcess outside;
    auto e = environment();
    e.insert("WORLD_SIZE", "2");
    e.insert("RANK", "2");
    outside.setProcessEnvironment(e);
    outside.start(m_cli, train("diffusion", "outside", "outside-pack", 2, 2));
    const auto g = finish(outside);
    QVERIFY(g.exitCode != 0);
    QVERIFY2(g.err.contains("rank 2 is not below the world size 2"), qPrintable(g.err));

    QProcess garbled;
    e.insert("RANK", "one");
    garbled.setProcessEnvironment(e);
    garbled.start(m_cli, train("diffusion", "garbled", "garbled-pack", 2, 2));
    const auto h = finish(garbled);
    QVERIFY(h.exitCode != 0);
    QVERIFY2(h.err.contains("RANK='one'"), qPrintable(h.err));
}

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"

// Tests for core/sampling: the noise schedule and the flow-matching samplers, checked
// against a data distribution whose exact velocity field and ODE solution are known.

#include "sampling/sampler.h"

#include <torch/torch.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace kinora::sampling;

namespace {

// Data x0 ~ N(mu, s^2) per element and noise eps ~ N(0, 1), on the path
// x_t = (1 - t) x0 + t eps. Then x_t is Gaussian with mean (1 - t) mu and variance
// var_t = (1 - t)^2 s^2 + t^2, and the exact velocity E[eps - x0 | x_t] is
//   v(x, t) = (t - (1 - t) s^2) / var_t * (x - (1 - t) mu) - mu.
// Its ODE carries eps = z at t = 1 to mu + s z at t = 0.
struct Gaussian {
    double mu = 0.7;
    double s = 0.3;

    torch::Tensor velocity(const torch::Tensor& x, double t) const
    {
        const double var = (1 - t) * (1 - t) * s * s + t * t;
        return (t - (1 - t) * s * s) / var * (x - (1 - t) * mu) - mu;
    }
    torch::Tensor target(const torch::Tensor& z) const { return mu + s * z; }
};

torch::Tensor fixedNoise()
{
    torch::manual_seed(1234);
    return torch::randn({ 4, 64 }, torch::kFloat64);
}

double maxError(const Gaussian& g, SamplerKind kind, int steps, double shift = 1.0)
{
    const auto z = fixedNoise();
    auto v = [&g](const torch::Tensor& x, double t) { return g.velocity(x, t); };
    auto result = sample(kind, v, z.clone(), flowSchedule(steps, shift));
    return (result.x - g.target(z)).abs().max().item<double>();
}

} // namespace

class TestSampler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scheduleEndpoints_data();
    void scheduleEndpoints();
    void scheduleShift();
    void gaussianTarget_data();
    void gaussianTarget();
    void heunBeatsEuler();
    void eulerFirstOrder();
    void pointMassExact_data();
    void pointMassExact();
    void guideFormula();
    void frameCorrelatedNoise();
    void cancellation_data();
    void cancellation();
    void evaluationCount_data();
    void evaluationCount();
    void samplerNames();
};

void TestSampler::scheduleEndpoints_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("shift");
    for (int steps : { 1, 2, 7, 20, 50 })
        for (double shift : { 0.5, 1.0, 2.0, 3.0, 7.0 })
            QTest::addRow("%d steps, shift %g", steps, shift) << steps << shift;
}

void TestSampler::scheduleEndpoints()
{
    QFETCH(int, steps);
    QFETCH(double, shift);
    const auto ts = flowSchedule(steps, shift);
    QCOMPARE(int(ts.size()), steps + 1);
    QCOMPARE(ts.front(), 1.0);
    QCOMPARE(ts.back(), 0.0);
    for (size_t i = 1; i < ts.size(); ++i)
        QVERIFY2(ts[i] < ts[i - 1],
            qPrintable(
                QString("t[%1] = %2 is not below t[%3] = %4").arg(i).arg(ts[i]).arg(i - 1).arg(ts[i - 1])));
}

void TestSampler::scheduleShift()
{
    const int steps = 10;
    const auto uniform = flowSchedule(steps, 1.0);
    for (int i = 0; i <= steps; ++i)
        QVERIFY(std::abs(uniform[i] - (1.0 - double(i) / steps)) < 1e-12);

    // shift > 1 keeps every interior level higher (more steps at high noise), < 1 lower,
    // and a larger shift pushes further.
    const auto two = flowSchedule(steps, 2.0);
    const auto four = flowSchedule(steps, 4.0);
    const auto half = flowSchedule(steps, 0.5);
    for (int i = 1; i < steps; ++i) {
        QVERIFY(two[i] > uniform[i]);
        QVERIFY(four[i] > two[i]);
        QVERIFY(half[i] < uniform[i]);
        const double t = uniform[i];
        QVERIFY(std::abs(two[i] - 2 * t / (1 + t)) < 1e-12);
    }
}

void TestSampler::gaussianTarget_data()
{
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("shift");
    QTest::addColumn<double>("tolerance");
    // Tolerances are about 1.5x the errors measured for this noise; the last step to
    // t = 0 is where both lose most, as the velocity turns quickly for t below s.
    QTest::addRow("euler 50") << SamplerKind::Euler << 50 << 1.0 << 0.05;
    QTest::addRow("euler 200") << SamplerKind::Euler << 200 << 1.0 << 0.013;
    QTest::addRow("euler 100 shift 3") << SamplerKind::Euler << 100 << 3.0 << 0.07;
    QTest::addRow("heun 20") << SamplerKind::Heun << 20 << 1.0 << 0.02;
    QTest::addRow("heun 50") << SamplerKind::Heun << 50 << 1.0 << 0.003;
    QTest::addRow("heun 50 shift 3") << SamplerKind::Heun << 50 << 3.0 << 0.03;
}

void TestSampler::gaussianTarget()
{
    QFETCH(SamplerKind, kind);
    QFETCH(int, steps);
    QFETCH(double, shift);
    QFETCH(double, tolerance);
    const double error = maxError(Gaussian {}, kind, steps, shift);
    QVERIFY2(error < tolerance, qPrintable(QString("max |x - (mu + s z)| = %1").arg(error)));
}

void TestSampler::heunBeatsEuler()
{
    const Gaussian g;
    double previousHeun = 0;
    for (int steps : { 20, 40, 80 }) {
        const double euler = maxError(g, SamplerKind::Euler, steps);
        const double heun = maxError(g, SamplerKind::Heun, steps);
        QVERIFY2(heun * 5 < euler,
            qPrintable(QString("%1 steps: heun %2, euler %3").arg(steps).arg(heun).arg(euler)));
        // Second order: halving the step size should cut the error about four times.
        if (previousHeun > 0)
            QVERIFY2(previousHeun / heun > 3.0,
                qPrintable(QString("%1 steps: heun %2 after %3").arg(steps).arg(heun).arg(previousHeun)));
        previousHeun = heun;
    }
}

void TestSampler::eulerFirstOrder()
{
    const Gaussian g;
    double previous = maxError(g, SamplerKind::Euler, 20);
    for (int steps : { 40, 80, 160 }) {
        const double error = maxError(g, SamplerKind::Euler, steps);
        const double ratio = previous / error;
        // Halving the step size should roughly halve the error of a first-order method.
        QVERIFY2(ratio > 1.6 && ratio < 2.5,
            qPrintable(QString("%1 steps: error %2, ratio %3").arg(steps).arg(error).arg(ratio)));
        previous = error;
    }
}

void TestSampler::pointMassExact_data()
{
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("shift");
    for (int steps : { 1, 3, 10 })
        for (double shift : { 1.0, 3.0 }) {
            QTest::addRow("euler %d shift %g", steps, shift) << SamplerKind::Euler << steps << shift;
            QTest::addRow("heun %d shift %g", steps, shift) << SamplerKind::Heun << steps << shift;
        }
}

void TestSampler::pointMassExact()
{
    // s = 0: every path is a straight line to mu, so any step count is exact.
    QFETCH(SamplerKind, kind);
    QFETCH(int, steps);
    QFETCH(double, shift);
    const Gaussian g { -0.4, 0.0 };
    const auto z = fixedNoise();
    auto v = [&g](const torch::Tensor& x, double t) { return g.velocity(x, t); };
    auto result = sample(kind, v, z.clone(), flowSchedule(steps, shift));
    QVERIFY(!result.cancelled);
    const double error = (result.x - g.mu).abs().max().item<double>();
    QVERIFY2(error < 1e-9, qPrintable(QString("error %1").arg(error)));
}

void TestSampler::guideFormula()
{
    torch::manual_seed(5);
    const auto cond = torch::randn({ 2, 3, 4 });
    const auto uncond = torch::randn({ 2, 3, 4 });
    QVERIFY(torch::allclose(guide(cond, uncond, 1.0), cond));
    QVERIFY(torch::allclose(guide(cond, uncond, 0.0), uncond));
    for (double g : { 2.0, 5.0, 7.5 })
        QVERIFY(torch::allclose(guide(cond, uncond, g), uncond + g * (cond - uncond), 1e-5, 1e-6));
    // Guidance 5 lands four times as far beyond cond as cond is from uncond.
    QVERIFY(torch::allclose(guide(cond, uncond, 5.0) - cond, 4 * (cond - uncond), 1e-5, 1e-5));
}

void TestSampler::cancellation_data()
{
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<int>("stopAfter");
    QTest::addColumn<int>("evaluations");
    QTest::addRow("euler after 1") << SamplerKind::Euler << 1 << 1;
    QTest::addRow("euler after 3") << SamplerKind::Euler << 3 << 3;
    QTest::addRow("heun after 1") << SamplerKind::Heun << 1 << 2;
    QTest::addRow("heun after 3") << SamplerKind::Heun << 3 << 6;
}

void TestSampler::cancellation()
{
    QFETCH(SamplerKind, kind);
    QFETCH(int, stopAfter);
    QFETCH(int, evaluations);
    const Gaussian g;
    const auto z = fixedNoise();
    const auto schedule = flowSchedule(8, 2.0);
    int calls = 0;
    auto v = [&](const torch::Tensor& x, double t) {
        ++calls;
        return g.velocity(x, t);
    };
    std::vector<int> seen;
    torch::Tensor stateAtStop;
    bool levelsRight = true; // each callback gets the step count and the level just reached
    auto onStep = [&](int step, int steps, const torch::Tensor& x, double t) {
        seen.push_back(step);
        levelsRight = levelsRight && steps == 8 && t == schedule[step];
        if (step == stopAfter)
            stateAtStop = x.clone();
        return step < stopAfter;
    };
    auto result = sample(kind, v, z.clone(), schedule, onStep);
    QVERIFY(result.cancelled);
    QCOMPARE(int(seen.size()), stopAfter);
    QCOMPARE(seen.back(), stopAfter);
    QCOMPARE(calls, evaluations);
    QVERIFY(levelsRight);
    QVERIFY(torch::equal(result.x, stateAtStop));

    // The state returned is the one a run over the first stopAfter levels produces.
    const std::vector<double> head(schedule.begin(), schedule.begin() + stopAfter + 1);
    auto shorter = sample(
        kind, [&g](const torch::Tensor& x, double t) { return g.velocity(x, t); }, z.clone(), head);
    QVERIFY(!shorter.cancelled);
    QVERIFY(torch::allclose(result.x, shorter.x, 0, 1e-12));
}

void TestSampler::evaluationCount_data()
{
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<int>("steps");
    for (int steps : { 1, 2, 5, 20 }) {
        QTest::addRow("euler %d", steps) << SamplerKind::Euler << steps;
        QTest::addRow("heun %d", steps) << SamplerKind::Heun << steps;
    }
}

void TestSampler::evaluationCount()
{
    QFETCH(SamplerKind, kind);
    QFETCH(int, steps);
    const Gaussian g;
    int calls = 0;
    int callbacks = 0;
    double lowest = 1.0;
    auto v = [&](const torch::Tensor& x, double t) {
        ++calls;
        lowest = std::min(lowest, t);
        return g.velocity(x, t);
    };
    auto result = sample(
        kind, v, fixedNoise(), flowSchedule(steps, 2.0), [&](int, int, const torch::Tensor&, double) {
            ++callbacks;
            return true;
        });
    QVERIFY(!result.cancelled);
    QCOMPARE(calls, velocityEvaluations(kind, steps));
    QCOMPARE(callbacks, steps);
    // The velocity is undefined at t = 0 (for noise-free data) and must not be asked for.
    QVERIFY2(lowest > 0.0, qPrintable(QString("velocity evaluated at t = %1").arg(lowest)));
    QCOMPARE(velocityEvaluations(SamplerKind::Euler, steps), steps);
    QCOMPARE(velocityEvaluations(SamplerKind::Heun, steps), 2 * steps - 1);
}

void TestSampler::samplerNames()
{
    SamplerKind kind = SamplerKind::Heun;
    QVERIFY(parseSampler("euler", &kind));
    QCOMPARE(kind, SamplerKind::Euler);
    QVERIFY(parseSampler("heun", &kind));
    QCOMPARE(kind, SamplerKind::Heun);
    QVERIFY(!parseSampler("Euler", &kind));
    QVERIFY(!parseSampler("", &kind));
    QCOMPARE(kind, SamplerKind::Heun);
    QCOMPARE(QString(samplerName(SamplerKind::Euler)), QString("euler"));
    QCOMPARE(QString(samplerName(SamplerKind::Heun)), QString("heun"));
}

void TestSampler::frameCorrelatedNoise()
{
    const std::vector<int64_t> shape { 4, 16, 5, 16, 16 };
    // Share 0 is the plain draw: a seed gives the noise it gave before the option existed.
    auto plain = torch::randn(shape, at::make_generator<at::CPUGeneratorImpl>(7));
    QVERIFY(torch::equal(kinora::sampling::frameCorrelatedNoise(shape, 0.0, at::make_generator<at::CPUGeneratorImpl>(7)), plain));
    for (double share : { 0.3, 0.5, 0.8 }) {
        auto n = kinora::sampling::frameCorrelatedNoise(shape, share, at::make_generator<at::CPUGeneratorImpl>(7));
        QCOMPARE(n.sizes().vec(), shape);
        // Every element stays unit Gaussian; any two frames correlate by the share.
        QVERIFY2(std::abs(n.var().item<double>() - 1.0) < 0.03, qPrintable(QString::number(n.var().item<double>())));
        auto a = n.select(2, 1).flatten(), b = n.select(2, 4).flatten();
        const double corr = ((a * b).mean() / (a.std() * b.std())).item<double>();
        QVERIFY2(std::abs(corr - share) < 0.05, qPrintable(QString("share %1: correlation %2").arg(share).arg(corr)));
        // Different clips of the batch do not share.
        auto c = n[0].flatten(), d = n[1].flatten();
        QVERIFY(std::abs((c * d).mean().item<double>()) < 0.05);
    }
    QVERIFY_THROWS_EXCEPTION(c10::Error, kinora::sampling::frameCorrelatedNoise(shape, 1.0));
    QVERIFY_THROWS_EXCEPTION(c10::Error, kinora::sampling::frameCorrelatedNoise({ 2, 3 }, 0.5));
}

QTEST_APPLESS_MAIN(TestSampler)

#include "tst_sampler.moc"

// The trainer's fused CPU optimiser step (core/train/fused_adamw.h) against LibTorch's.

#include "train/fused_adamw.h"

#include <torch/torch.h>

#include <QTest>

#include <vector>

using namespace kinora;

class TestFusedAdamW : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesLibTorch();
};

// The fused CPU step (train/fused_adamw.h) against LibTorch's: clip_grad_norm_, AdamW with
// two groups at different learning rates, the bf16 working copy and the EMA, over three
// steps; a tensor without a gradient is neither decayed nor stepped. A tensor it cannot
// take leaves everything as it was.
void TestFusedAdamW::matchesLibTorch()
{
    torch::manual_seed(5);
    const std::vector<std::vector<int64_t>> shapes{{37, 24}, {40}, {3, 5, 7}, {64, 65}};
    std::vector<torch::Tensor> a, b;
    for (const auto& shape : shapes) {
        a.push_back(torch::randn(shape).requires_grad_(true));
        b.push_back(a.back().detach().clone().requires_grad_(true));
    }
    auto makeOptimizer = [](const std::vector<torch::Tensor>& p) {
        const auto options = torch::optim::AdamWOptions(1e-2).betas({0.9, 0.99}).weight_decay(0.05);
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(std::vector<torch::Tensor>{p[0], p[1]}, std::make_unique<torch::optim::AdamWOptions>(options));
        auto second = std::make_unique<torch::optim::AdamWOptions>(options);
        second->lr(3e-3);
        groups.emplace_back(std::vector<torch::Tensor>{p[2], p[3]}, std::move(second));
        return torch::optim::AdamW(std::move(groups), options);
    };
    auto optA = makeOptimizer(a), optB = makeOptimizer(b);
    std::vector<torch::Tensor> emaA, emaB, workA, workB;
    for (size_t i = 0; i < a.size(); ++i) {
        emaA.push_back(a[i].detach().clone());
        emaB.push_back(b[i].detach().clone());
    }
    for (size_t i = 0; i < 3; ++i) { // the working copy covers the first three, as the probe's tensors have none
        workA.push_back(a[i].detach().to(torch::kBFloat16));
        workB.push_back(b[i].detach().to(torch::kBFloat16));
    }
    const auto untouched = a[3].detach().clone();
    for (int step = 0; step < 3; ++step) {
        for (size_t i = 0; i < a.size(); ++i) {
            if (i == 3) { // no gradient
                a[i].mutable_grad() = torch::Tensor();
                b[i].mutable_grad() = torch::Tensor();
                continue;
            }
            const auto g = torch::randn(a[i].sizes()) * (step == 1 ? 50.0 : 0.1); // step 1 clips
            a[i].mutable_grad() = g.clone();
            b[i].mutable_grad() = g.clone();
        }
        const double d = 0.9;
        torch::nn::utils::clip_grad_norm_(a, 1.0);
        optA.step();
        {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < workA.size(); ++i)
                workA[i].copy_(a[i]);
            at::_foreach_mul_(emaA, d);
            at::_foreach_add_(emaA, a, 1.0 - d);
        }
        QVERIFY(train::fusedAdamWStep(optB, train::clipCoefficient(b, 1.0), workB, emaB, d));
    }
    for (size_t i = 0; i < a.size(); ++i) {
        QVERIFY2(torch::allclose(a[i], b[i], 1e-5, 1e-6), qPrintable(QString("weights %1").arg(i)));
        QVERIFY2(torch::allclose(emaA[i], emaB[i], 1e-5, 1e-6), qPrintable(QString("EMA %1").arg(i)));
    }
    for (size_t i = 0; i < workA.size(); ++i) // at most one bf16 rounding step apart
        QVERIFY(torch::allclose(workA[i].to(torch::kFloat32), workB[i].to(torch::kFloat32), 1e-2, 1e-6));
    QVERIFY(torch::equal(b[3].detach(), untouched));
    const auto key = [](const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); };
    for (size_t i = 0; i < 3; ++i) {
        auto& sa = static_cast<torch::optim::AdamWParamState&>(*optA.state().at(key(a[i])));
        auto& sb = static_cast<torch::optim::AdamWParamState&>(*optB.state().at(key(b[i])));
        QCOMPARE(sb.step(), sa.step());
        QVERIFY(torch::allclose(sa.exp_avg(), sb.exp_avg(), 1e-5, 1e-7));
        QVERIFY(torch::allclose(sa.exp_avg_sq(), sb.exp_avg_sq(), 1e-5, 1e-9));
    }
    QVERIFY(optB.state().find(key(b[3])) == optB.state().end());

    // A bf16 master weight is not the fused step's: it declines and changes nothing.
    auto half = torch::randn({8}).to(torch::kBFloat16).requires_grad_(true);
    half.mutable_grad() = torch::ones({8}, torch::kBFloat16);
    const auto before = half.detach().clone();
    torch::optim::AdamW optHalf(std::vector<torch::Tensor>{half}, torch::optim::AdamWOptions(1e-2));
    auto emaHalf = std::vector<torch::Tensor>{half.detach().to(torch::kFloat32)};
    QVERIFY(!train::fusedAdamWStep(optHalf, 1.0, {}, emaHalf, 0.9));
    QVERIFY(torch::equal(half.detach(), before));
    QVERIFY(optHalf.state().empty());
}

QTEST_GUILESS_MAIN(TestFusedAdamW)
#include "tst_fused_adamw.moc"

// Tests for the CPU kernels under core/model and the FLOP counter: oneDNN's products and
// their fused epilogues, the fused channel norm and SiLU, the fused softmax and layer norm,
// each against LibTorch's own operators, values and gradients.

#include "model/compat.h"
#include "model/cpu_matmul.h"
#include "model/fused_rows.h"
#include "model/norm_silu.h"
#include "train/flop_counter.h"

#include <torch/torch.h>

#include <QTest>

#include <limits>

using namespace kinora;
using namespace kinora::model;

class TestKernels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cpuMatmulMatchesLibTorch_data();
    void cpuMatmulMatchesLibTorch();
    void cpuLinearMatchesLibTorch();
    void fusedEpiloguesMatchLibTorch();
    void flopCounterCountsProducts();
    void fusedNormSiluMatchesLibTorch();
    void fusedSoftmaxMatchesLibTorch();
    void fusedLayerNormModulateMatchesLibTorch();
};

void TestKernels::cpuMatmulMatchesLibTorch_data()
{
    QTest::addColumn<QString>("layout");
    QTest::newRow("contiguous") << "contiguous";
    QTest::newRow("transposed b") << "transposed";  // k^T in attention
    QTest::newRow("head views") << "heads";         // q, k, v as views of one qkv tensor
}

// model::matmul (oneDNN where built with it) against torch::matmul, values and gradients,
// on attention's layouts.
void TestKernels::cpuMatmulMatchesLibTorch()
{
    QFETCH(QString, layout);
    torch::manual_seed(7);
    torch::Tensor a, b;
    if (layout == "contiguous") {
        a = torch::randn({2, 3, 17, 8});
        b = torch::randn({2, 3, 8, 11});
    } else if (layout == "transposed") {
        a = torch::randn({2, 3, 17, 8});
        b = torch::randn({2, 3, 11, 8}).transpose(-2, -1);
    } else {
        auto qkv = torch::randn({2, 17, 3, 3, 8}).permute({2, 0, 3, 1, 4}); // [3, B, heads, N, d]
        a = qkv[0];
        b = qkv[1].transpose(-2, -1);
    }
    auto a1 = a.detach().clone().requires_grad_(true), b1 = b.detach().requires_grad_(true);
    auto a2 = a.detach().clone().requires_grad_(true), b2 = b.detach().requires_grad_(true);
    auto weights = torch::randn({2, 3, 17, b.size(-1)});
    auto ours = model::matmul(a1, b1);
    auto reference = torch::matmul(a2, b2);
    QCOMPARE(ours.sizes().vec(), reference.sizes().vec());
    QVERIFY(torch::allclose(ours, reference, 1e-5, 1e-5));
    (ours * weights).sum().backward();
    (reference * weights).sum().backward();
    QVERIFY(torch::allclose(a1.grad(), a2.grad(), 1e-5, 1e-5));
    QVERIFY(torch::allclose(b1.grad(), b2.grad(), 1e-5, 1e-5));
    // Without gradients (inference) the same values.
    torch::NoGradGuard noGrad;
    QVERIFY(torch::allclose(model::matmul(a, b), reference, 1e-5, 1e-5));
}

void TestKernels::cpuLinearMatchesLibTorch()
{
    torch::manual_seed(8);
    for (const bool withBias : {true, false}) {
        auto x = torch::randn({37, 24});
        auto w = torch::randn({40, 24});
        auto bias = withBias ? torch::randn({40}) : torch::Tensor();
        auto x1 = x.clone().requires_grad_(true), w1 = w.clone().requires_grad_(true);
        auto x2 = x.clone().requires_grad_(true), w2 = w.clone().requires_grad_(true);
        torch::Tensor b1, b2;
        if (withBias) {
            b1 = bias.clone().requires_grad_(true);
            b2 = bias.clone().requires_grad_(true);
        }
        auto weights = torch::randn({37, 40});
        auto ours = model::linear(x1, w1, b1);
        auto reference = torch::nn::functional::linear(x2, w2, b2);
        QVERIFY(torch::allclose(ours, reference, 1e-5, 1e-5));
        (ours * weights).sum().backward();
        (reference * weights).sum().backward();
        QVERIFY(torch::allclose(x1.grad(), x2.grad(), 1e-5, 1e-5));
        QVERIFY(torch::allclose(w1.grad(), w2.grad(), 1e-5, 1e-5));
        if (withBias)
            QVERIFY(torch::allclose(b1.grad(), b2.grad(), 1e-5, 1e-5));
    }
    // A frozen weight (the text encoder when frozen) gets no gradient, the input still does.
    auto x = torch::randn({5, 24}).requires_grad_(true);
    auto w = torch::randn({6, 24});
    model::linear(x, w, {}).sum().backward();
    QVERIFY(x.grad().defined());
    QVERIFY(!w.grad().defined());
    QVERIFY(torch::allclose(x.grad(), w.sum(0).expand({5, 24}), 1e-5, 1e-5));
}

// linearGelu and scaledMatmul fuse their epilogue into oneDNN's product without gradients
// and spell it out with them: both give LibTorch's values, and gradients still flow.
void TestKernels::fusedEpiloguesMatchLibTorch()
{
    torch::manual_seed(9);
    auto x = torch::randn({37, 24}), w = torch::randn({40, 24}), bias = torch::randn({40});
    auto a = torch::randn({2, 3, 11, 16}), b = torch::randn({2, 3, 16, 9});
    const auto gelu = torch::gelu(torch::nn::functional::linear(x, w, bias));
    const auto scaled = torch::matmul(a * 0.3, b);
    {
        c10::InferenceMode inference;
        QVERIFY(torch::allclose(model::linearGelu(x, w, bias), gelu, 1e-5, 1e-5));
        QVERIFY(torch::allclose(model::linearGelu(x, w, {}), torch::gelu(torch::nn::functional::linear(x, w, {})),
                                1e-5, 1e-5));
        QVERIFY(torch::allclose(model::scaledMatmul(a, b, 0.3), scaled, 1e-5, 1e-5));
        // A strided operand (a key transposed in place), as attention passes it.
        auto bt = b.transpose(-2, -1).contiguous().transpose(-2, -1);
        QVERIFY(torch::allclose(model::scaledMatmul(a, bt, 0.3), scaled, 1e-5, 1e-5));
        if (compat::cpuHasFastBf16()) {
            // bf16 in and out (inference on a CPU with bf16 matmuls): the epilogue runs on
            // the fp32 accumulator, so the result is the exact one rounded once to bf16,
            // no further from it than LibTorch's bf16 product-then-GELU.
            const auto xb = x.to(torch::kBFloat16), wb = w.to(torch::kBFloat16), bb = bias.to(torch::kBFloat16);
            const auto exact = torch::gelu(torch::nn::functional::linear(xb.to(torch::kFloat32), wb.to(torch::kFloat32),
                                                                         bb.to(torch::kFloat32)));
            const auto fused = model::linearGelu(xb, wb, bb);
            QCOMPARE(fused.scalar_type(), torch::kBFloat16);
            const double ours = (fused.to(torch::kFloat32) - exact).abs().max().item<double>();
            const double theirs =
                (torch::gelu(torch::nn::functional::linear(xb, wb, bb)).to(torch::kFloat32) - exact).abs().max().item<double>();
            QVERIFY2(ours <= theirs + 1e-6, qPrintable(QString("fused %1, LibTorch %2").arg(ours).arg(theirs)));
            QVERIFY(ours <= 0.01 * exact.abs().max().item<double>());
            const auto ab = a.to(torch::kBFloat16), bb2 = bt.to(torch::kBFloat16);
            const auto scaledExact = torch::matmul(ab.to(torch::kFloat32) * 0.3, bb2.to(torch::kFloat32));
            const auto scaledOurs = model::scaledMatmul(ab, bb2, 0.3);
            QCOMPARE(scaledOurs.scalar_type(), torch::kBFloat16);
            QVERIFY((scaledOurs.to(torch::kFloat32) - scaledExact).abs().max().item<double>() <=
                    0.01 * scaledExact.abs().max().item<double>());
        }
    }
    auto x1 = x.clone().requires_grad_(true), x2 = x.clone().requires_grad_(true);
    auto ours = model::linearGelu(x1, w, bias);
    QVERIFY(ours.requires_grad());
    QVERIFY(torch::allclose(ours, gelu, 1e-5, 1e-5));
    ours.sum().backward();
    torch::gelu(torch::nn::functional::linear(x2, w, bias)).sum().backward();
    QVERIFY(torch::allclose(x1.grad(), x2.grad(), 1e-5, 1e-5));
    auto a1 = a.clone().requires_grad_(true);
    model::scaledMatmul(a1, b, 0.3).sum().backward();
    QVERIFY(torch::allclose(a1.grad(), torch::matmul(torch::ones({2, 3, 11, 9}), b.transpose(-2, -1)) * 0.3, 1e-5,
                            1e-5));
}

// Whichever path runs the products (oneDNN or LibTorch's BLAS), the counter sees them.
void TestKernels::flopCounterCountsProducts()
{
    torch::NoGradGuard noGrad;
    auto x = torch::randn({37, 24}), w = torch::randn({40, 24}), bias = torch::randn({40});
    auto a = torch::randn({2, 3, 17, 8}), b = torch::randn({2, 3, 8, 11});
    train::FlopCounter counter;
    model::linear(x, w, bias);
    model::linear(x, w, {});
    model::matmul(a, b);
    const double flops = counter.stop();
    QCOMPARE(flops, 2.0 * (2 * 37 * 24 * 40 + 2 * 3 * 17 * 8 * 11));
}

// The fused channel norm and SiLU against LibTorch's composition: values and the gradients
// of the input, weight and bias, in fp32 and bf16, for plain, channels-last and 5-D inputs
// and for more rows than one parallel chunk holds.
void TestKernels::fusedNormSiluMatchesLibTorch()
{
    if (!fusedNormSiluEnabled())
        QSKIP("KINORA_NORM_SILU=aten turns the fused path off");
    torch::manual_seed(7);
    struct Case {
        torch::Tensor x;
        int channels;
    };
    const auto x4 = torch::randn({ 2, 48, 5, 7 }) * 3 + 1;
    const std::vector<Case> cases = {
        { x4, 48 },
        { x4.contiguous(torch::MemoryFormat::ChannelsLast), 48 },
        { torch::randn({ 2, 6, 3, 4, 5 }), 6 },
        { torch::randn({ 3, 32, 40, 40 }) * 2, 32 }, // 4800 rows: several chunks of 256
    };
    for (const auto type : { torch::kFloat32, torch::kBFloat16 }) {
        const bool half = type == torch::kBFloat16;
        for (const auto& c : cases) {
            const auto weight = (torch::randn({ c.channels }) * 0.5 + 1).to(type);
            const auto bias = (torch::randn({ c.channels }) * 0.5).to(type);
            const auto x = c.x.to(type);
            const auto target = torch::randn(x.sizes());
            auto run = [&](bool fused) {
                auto xi = x.detach().clone().requires_grad_(true);
                auto wi = weight.detach().clone().requires_grad_(true);
                auto bi = bias.detach().clone().requires_grad_(true);
                auto y = fused ? channelNormSilu(xi, wi, bi, 1e-6) : channelNormSiluReference(xi, wi, bi, 1e-6);
                (y.to(torch::kFloat32) * target).sum().backward();
                return std::vector<torch::Tensor>{ y, xi.grad(), wi.grad(), bi.grad() };
            };
            const auto fused = run(true);
            const auto reference = run(false);
            QCOMPARE(fused[0].sizes(), x.sizes());
            QCOMPARE(fused[0].scalar_type(), type);
            for (size_t i = 0; i < fused.size(); ++i) {
                QCOMPARE(fused[i].scalar_type(), reference[i].scalar_type());
                const auto a = fused[i].to(torch::kFloat32), b = reference[i].to(torch::kFloat32);
                // bf16: the reference rounds the norm to bf16 before its SiLU, the fused
                // kernel rounds once, so they differ by about one bf16 step (1/128) of the
                // values, more in sums over many rows.
                const double err = ((a - b).norm() / b.norm().clamp_min(1e-6)).item<double>();
                const double bound = half ? (i == 0 ? 1e-2 : 3e-2) : 1e-5;
                QVERIFY2(err < bound, qPrintable(QStringLiteral("%1 output %2: relative error %3")
                                                     .arg(half ? "bf16" : "fp32")
                                                     .arg(i)
                                                     .arg(err)));
            }
        }
    }
}

// Relative error of a against b, both as float32.
static double relativeError(const torch::Tensor& a, const torch::Tensor& b)
{
    const auto fa = a.to(torch::kFloat32), fb = b.to(torch::kFloat32);
    return ((fa - fb).norm() / fb.norm().clamp_min(1e-6)).item<double>();
}

// model::softmaxLastDim against torch::softmax, values and gradients, on attention's
// shapes: self-attention scores (rows of 320), cross-attention scores with masked keys
// (-inf, which must give exactly 0), a row too short for one vector, and a view.
void TestKernels::fusedSoftmaxMatchesLibTorch()
{
    if (!fusedRowsEnabled())
        QSKIP("KINORA_FUSED_ROWS=aten turns the fused path off");
    torch::manual_seed(11);
    auto masked = torch::randn({ 2, 3, 40, 17 }) * 4;
    masked.select(-1, 15).fill_(-std::numeric_limits<float>::infinity());
    masked.select(-1, 16).fill_(-std::numeric_limits<float>::infinity());
    const std::vector<torch::Tensor> cases = {
        torch::randn({ 2, 6, 64, 320 }) * 3,
        masked,
        torch::randn({ 5, 3 }) * 10 + 50, // large values: the row maximum keeps exp in range
        torch::randn({ 4, 33, 6 }).transpose(1, 2), // not contiguous
    };
    for (const auto type : { torch::kFloat32, torch::kBFloat16 }) {
        const bool half = type == torch::kBFloat16;
        for (size_t n = 0; n < cases.size(); ++n) {
            const auto x = cases[n].to(type);
            const auto target = torch::randn(x.sizes());
            auto run = [&](bool fused) {
                auto xi = x.detach().clone().requires_grad_(true);
                auto y = fused ? softmaxLastDim(xi) : torch::softmax(xi, -1);
                (y.to(torch::kFloat32) * target).sum().backward();
                return std::vector<torch::Tensor>{ y, xi.grad() };
            };
            const auto fused = run(true);
            const auto reference = run(false);
            QCOMPARE(fused[0].sizes(), x.sizes());
            QCOMPARE(fused[0].scalar_type(), type);
            QCOMPARE(fused[1].scalar_type(), type);
            for (size_t i = 0; i < fused.size(); ++i) {
                const double err = relativeError(fused[i], reference[i]);
                const double bound = half ? 1e-2 : 1e-5;
                QVERIFY2(err < bound, qPrintable(QStringLiteral("%1 case %2 output %3: relative error %4")
                                                     .arg(half ? "bf16" : "fp32")
                                                     .arg(n)
                                                     .arg(i)
                                                     .arg(err)));
            }
            const auto sums = fused[0].to(torch::kFloat32).sum(-1);
            QVERIFY(torch::allclose(sums, torch::ones_like(sums), 0, half ? 2e-2 : 1e-5));
            if (n == 1) { // masked keys: exactly zero, and no gradient through them
                QCOMPARE(fused[0].narrow(-1, 15, 2).abs().max().item<float>(), 0.0f);
                QCOMPARE(fused[1].narrow(-1, 15, 2).abs().max().item<float>(), 0.0f);
            }
        }
    }
}

// model::layerNormModulate against the LibTorch composition it replaces (fp32 layer norm,
// cast, addcmul), values and the gradients of x, weight, bias, shift and scale: plain and
// affine norms, with and without modulation, one batch item and several, rows enough for
// several chunks of the backward's fixed split.
void TestKernels::fusedLayerNormModulateMatchesLibTorch()
{
    if (!fusedRowsEnabled())
        QSKIP("KINORA_FUSED_ROWS=aten turns the fused path off");
    torch::manual_seed(13);
    struct Case {
        std::vector<int64_t> shape;
        bool affine;
        bool modulated;
    };
    const std::vector<Case> cases = {
        { { 2, 320, 384 }, false, true }, // a DiT block's norm1 / norm3 at 320 tokens
        { { 2, 320, 384 }, true, false }, // norm2
        { { 3, 17, 256 }, true, false },  // the text encoder's
        { { 1, 5, 40 }, false, true },
        { { 3, 2, 7, 24 }, true, true },  // modulation broadcast over two dimensions
    };
    for (const auto type : { torch::kFloat32, torch::kBFloat16 }) {
        const bool half = type == torch::kBFloat16;
        for (size_t n = 0; n < cases.size(); ++n) {
            const auto& c = cases[n];
            const int64_t B = c.shape.front(), D = c.shape.back();
            const auto x = (torch::randn(c.shape) * 2 + 0.5).to(type);
            torch::Tensor weight, bias, shift, scale;
            if (c.affine) {
                weight = (torch::randn({ D }) * 0.3 + 1).to(type);
                bias = (torch::randn({ D }) * 0.3).to(type);
            }
            if (c.modulated) {
                shift = (torch::randn({ B, D }) * 0.5).to(type);
                scale = (torch::randn({ B, D }) * 0.5).to(type);
            }
            const auto target = torch::randn(c.shape);
            auto run = [&](bool fused) {
                auto leaf = [](const torch::Tensor& t) {
                    return t.defined() ? t.detach().clone().requires_grad_(true) : t;
                };
                auto xi = leaf(x), wi = leaf(weight), bi = leaf(bias), si = leaf(shift), ci = leaf(scale);
                auto y = fused ? layerNormModulate(xi, wi, bi, si, ci, 1e-6)
                               : layerNormModulateReference(xi, wi, bi, si, ci, 1e-6);
                (y.to(torch::kFloat32) * target).sum().backward();
                std::vector<torch::Tensor> out{ y, xi.grad() };
                for (const auto& t : { wi, bi, si, ci })
                    if (t.defined())
                        out.push_back(t.grad());
                return out;
            };
            const auto fused = run(true);
            const auto reference = run(false);
            QCOMPARE(fused.size(), reference.size());
            QCOMPARE(fused[0].sizes(), x.sizes());
            QCOMPARE(fused[0].scalar_type(), type);
            for (size_t i = 0; i < fused.size(); ++i) {
                QVERIFY(fused[i].defined());
                QCOMPARE(fused[i].scalar_type(), reference[i].scalar_type());
                QCOMPARE(fused[i].sizes(), reference[i].sizes());
                // bf16: the reference rounds the norm to bf16 before modulating, the fused
                // kernel rounds once: about one bf16 step apart, more in sums over rows.
                const double err = relativeError(fused[i], reference[i]);
                const double bound = half ? (i == 0 ? 1e-2 : 3e-2) : 1e-5;
                QVERIFY2(err < bound, qPrintable(QStringLiteral("%1 case %2 output %3: relative error %4")
                                                     .arg(half ? "bf16" : "fp32")
                                                     .arg(n)
                                                     .arg(i)
                                                     .arg(err)));
            }
        }
    }
}

QTEST_APPLESS_MAIN(TestKernels)

#include "tst_kernels.moc"

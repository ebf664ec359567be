#include "train/fused_adamw.h"

#include "util/bf16_bits.h"

#include <ATen/Parallel.h>
#include <c10/util/string_utils.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace kinora::train {

namespace {

bool cpuFloat(const torch::Tensor& t)
{
    return t.defined() && t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
}

// The key LibTorch's optimisers file a tensor's state under.
std::string stateKey(const torch::Tensor& p)
{
    return c10::guts::to_string(p.unsafeGetTensorImpl());
}

constexpr int64_t kGrain = 1 << 14; // elements per parallel chunk

struct StepConstants {
    float scale, decay, b1, b2, oneMinusB1, oneMinusB2, rootCorrection2, eps, stepSize, d, oneMinusD;
};

// The update of elements [begin, end): built for AVX-512, AVX2 and baseline x86-64, the
// best one picked at load time (a scalar loop with a square root and a division per
// element was slower than LibTorch's ten vectorised passes). core/CMakeLists.txt builds
// this file at -O3 without errno on sqrt, so that the compiler vectorises it; the
// arithmetic is the same, element by element.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define KINORA_STEP_TARGETS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KINORA_STEP_TARGETS
#endif

KINORA_STEP_TARGETS void stepRange(float* __restrict w, const float* __restrict g, float* __restrict m,
                                   float* __restrict v, float* __restrict e, std::uint16_t* __restrict copy,
                                   int64_t begin, int64_t end, const StepConstants c)
{
    for (int64_t j = begin; j < end; ++j) {
        const float grad = g[j] * c.scale;
        const float mj = m[j] * c.b1 + grad * c.oneMinusB1;
        const float vj = v[j] * c.b2 + grad * grad * c.oneMinusB2;
        const float denom = std::sqrt(vj) / c.rootCorrection2 + c.eps;
        const float wj = w[j] * c.decay - c.stepSize * (mj / denom);
        m[j] = mj;
        v[j] = vj;
        w[j] = wj;
        e[j] = e[j] * c.d + wj * c.oneMinusD;
    }
    if (copy)
        for (int64_t j = begin; j < end; ++j)
            copy[j] = floatToBf16(w[j]);
}

KINORA_STEP_TARGETS void copyRange(const float* __restrict w, float* __restrict e, std::uint16_t* __restrict copy,
                                   int64_t begin, int64_t end, float d, float oneMinusD)
{
    for (int64_t j = begin; j < end; ++j)
        e[j] = e[j] * d + w[j] * oneMinusD;
    if (copy)
        for (int64_t j = begin; j < end; ++j)
            copy[j] = floatToBf16(w[j]);
}

} // namespace

bool fusedOptimizerEnabled()
{
    static const bool on = [] {
        const char* choice = std::getenv("KINORA_TRAIN_OPTIMIZER");
        return !(choice && std::strcmp(choice, "libtorch") == 0);
    }();
    return on;
}

double clipCoefficient(const std::vector<torch::Tensor>& params, double maxNorm)
{
    double sum = 0.0;
    for (const auto& p : params) {
        const auto& g = p.grad();
        if (!g.defined())
            continue;
        if (cpuFloat(g)) {
            const float* d = g.data_ptr<float>();
            sum += at::parallel_reduce(
                int64_t(0), g.numel(), kGrain, 0.0,
                [d](int64_t begin, int64_t end, double acc) {
                    for (int64_t i = begin; i < end; ++i)
                        acc += double(d[i]) * d[i];
                    return acc;
                },
                std::plus<double>());
        } else {
            sum += g.to(torch::kFloat64).pow(2).sum().item<double>();
        }
    }
    const double coefficient = maxNorm / (std::sqrt(sum) + 1e-6);
    return coefficient < 1.0 ? coefficient : 1.0;
}

bool fusedAdamWStep(torch::optim::AdamW& optimizer, double gradScale, const std::vector<torch::Tensor>& working,
                    const std::vector<torch::Tensor>& ema, double emaDecay)
{
    // Check everything before changing anything.
    std::vector<torch::Tensor> params;
    std::vector<const torch::optim::AdamWOptions*> options;
    for (auto& group : optimizer.param_groups()) {
        const auto& o = static_cast<const torch::optim::AdamWOptions&>(group.options());
        if (o.amsgrad())
            return false;
        for (const auto& p : group.params()) {
            params.push_back(p);
            options.push_back(&o);
        }
    }
    if (ema.size() != params.size() || working.size() > params.size())
        return false;
    auto& states = optimizer.state();
    for (size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        if (!cpuFloat(p) || !cpuFloat(ema[i]) || ema[i].numel() != p.numel())
            return false;
        if (p.grad().defined() && (!cpuFloat(p.grad()) || p.grad().numel() != p.numel()))
            return false;
        if (i < working.size() &&
            (!working[i].device().is_cpu() || working[i].scalar_type() != torch::kBFloat16 ||
             !working[i].is_contiguous() || working[i].numel() != p.numel()))
            return false;
        const auto found = states.find(stateKey(p));
        if (found != states.end()) {
            const auto& s = static_cast<const torch::optim::AdamWParamState&>(*found->second);
            if (!cpuFloat(s.exp_avg()) || !cpuFloat(s.exp_avg_sq()) || s.exp_avg().numel() != p.numel())
                return false;
        }
    }

    torch::NoGradGuard noGrad;
    const float scale = static_cast<float>(gradScale);
    const float d = static_cast<float>(emaDecay), oneMinusD = static_cast<float>(1.0 - emaDecay);
    for (size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        const auto& o = *options[i];
        float* w = p.data_ptr<float>();
        float* e = ema[i].data_ptr<float>();
        auto* copy = i < working.size() ? reinterpret_cast<std::uint16_t*>(working[i].data_ptr<c10::BFloat16>()) : nullptr;
        const int64_t n = p.numel();
        if (!p.grad().defined()) { // not stepped (as LibTorch's AdamW skips it), still copied and averaged
            at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) { copyRange(w, e, copy, begin, end, d, oneMinusD); });
            continue;
        }
        // State as LibTorch's AdamW creates it on a tensor's first step.
        auto key = stateKey(p);
        if (states.find(key) == states.end()) {
            auto fresh = std::make_unique<torch::optim::AdamWParamState>();
            fresh->step(0);
            fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
            fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
            states[key] = std::move(fresh);
        }
        auto& s = static_cast<torch::optim::AdamWParamState&>(*states[key]);
        s.step(s.step() + 1);
        const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
        const double correction1 = 1 - std::pow(beta1, s.step());
        const double correction2 = 1 - std::pow(beta2, s.step());
        const StepConstants c{scale,
                              static_cast<float>(1 - o.lr() * o.weight_decay()),
                              static_cast<float>(beta1),
                              static_cast<float>(beta2),
                              static_cast<float>(1 - beta1),
                              static_cast<float>(1 - beta2),
                              static_cast<float>(std::sqrt(correction2)),
                              static_cast<float>(o.eps()),
                              static_cast<float>(o.lr() / correction1),
                              d,
                              oneMinusD};
        const float* g = p.grad().data_ptr<float>();
        float* m = s.exp_avg().data_ptr<float>();
        float* v = s.exp_avg_sq().data_ptr<float>();
        at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) { stepRange(w, g, m, v, e, copy, begin, end, c); });
    }
    return true;
}

} // namespace kinora::train

#include "sampling/sampler.h"

#include <cmath>

namespace kinora::sampling {

std::vector<double> flowSchedule(int steps, double shift)
{
    std::vector<double> ts;
    ts.reserve(steps + 1);
    for (int i = 0; i <= steps; ++i) {
        const double t = 1.0 - static_cast<double>(i) / steps;
        ts.push_back(shift * t / (1.0 + (shift - 1.0) * t));
    }
    return ts;
}

int velocityEvaluations(SamplerKind kind, int steps)
{
    return kind == SamplerKind::Heun ? 2 * steps - 1 : steps;
}

SampleResult sampleEuler(const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                         const StepCallback& onStep)
{
    const int steps = static_cast<int>(schedule.size()) - 1;
    for (int i = 0; i < steps; ++i) {
        const double t = schedule[i], next = schedule[i + 1];
        x = x + (next - t) * velocity(x, t);
        if (onStep && !onStep(i + 1, steps, x, next))
            return {x, true};
    }
    return {x, false};
}

SampleResult sampleHeun(const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                        const StepCallback& onStep)
{
    const int steps = static_cast<int>(schedule.size()) - 1;
    for (int i = 0; i < steps; ++i) {
        const double t = schedule[i], next = schedule[i + 1];
        auto v = velocity(x, t);
        auto predicted = x + (next - t) * v;
        if (next > 0.0) {
            auto v2 = velocity(predicted, next);
            x = x + (next - t) * 0.5 * (v + v2);
        } else {
            x = predicted;
        }
        if (onStep && !onStep(i + 1, steps, x, next))
            return {x, true};
    }
    return {x, false};
}

SampleResult sample(SamplerKind kind, const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                    const StepCallback& onStep)
{
    return kind == SamplerKind::Heun ? sampleHeun(velocity, std::move(x), schedule, onStep)
                                     : sampleEuler(velocity, std::move(x), schedule, onStep);
}

torch::Tensor frameCorrelatedNoise(at::IntArrayRef shape, double share, const at::Generator& gen)
{
    TORCH_CHECK(shape.size() == 5, "frame-correlated noise needs [B, C, T, h, w], not ", shape.size(), " dimensions");
    TORCH_CHECK(share >= 0 && share < 1, "frame noise share ", share, " is not in [0, 1)");
    auto draw = [&](at::IntArrayRef size) {
        const auto options = torch::TensorOptions().dtype(torch::kFloat32);
        return gen.defined() ? torch::randn(size, gen, options) : torch::randn(size, options);
    };
    auto own = draw(shape);
    if (share == 0)
        return own;
    std::vector<int64_t> one(shape.begin(), shape.end());
    one[2] = 1;
    auto common = draw(one);
    return std::sqrt(1 - share) * own + std::sqrt(share) * common; // common broadcasts over frames
}

torch::Tensor guide(const torch::Tensor& cond, const torch::Tensor& uncond, double guidance)
{
    return uncond + guidance * (cond - uncond);
}

} // namespace kinora::sampling

#pragma once

// Flow-matching (rectified flow) samplers as free functions over a velocity callback,
// so they are tested without a model. Convention: x_t = (1 - t) x0 + t * noise,
// velocity v = noise - x0, sampling integrates dx/dt = v from t = 1 down to t = 0.

#include "sampling/sampler_kind.h"

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace kinora::sampling {

// velocity(x, t) for the current state x at noise level t.
using Velocity = std::function<torch::Tensor(const torch::Tensor& x, double t)>;
// Called after each step with the index just finished (1-based), the step count, the new
// state and the noise level reached. Returning false stops sampling (cancellation).
using StepCallback = std::function<bool(int step, int steps, const torch::Tensor& x, double t)>;

// steps + 1 noise levels from 1 to 0, uniform in t and then shifted:
// t' = shift * t / (1 + (shift - 1) * t). shift > 1 spends more steps at high noise,
// which larger images and videos need (SD3, Wan).
std::vector<double> flowSchedule(int steps, double shift);

// Model evaluations a sampler makes over a schedule of `steps` steps.
int velocityEvaluations(SamplerKind kind, int steps);

struct SampleResult {
    torch::Tensor x;
    bool cancelled = false;
};

SampleResult sampleEuler(const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                         const StepCallback& onStep = {});
// Heun's second-order method; the final step to t = 0 is an Euler step (its corrector
// would need the velocity at t = 0, where it is undefined for noise-free data).
SampleResult sampleHeun(const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                        const StepCallback& onStep = {});
SampleResult sample(SamplerKind kind, const Velocity& velocity, torch::Tensor x, const std::vector<double>& schedule,
                    const StepCallback& onStep = {});

// Starting noise for a latent clip [B, C, T, h, w] whose latent frames share a fraction
// `share` of their variance: sqrt(share) * one draw for every frame + sqrt(1 - share) * a draw
// per frame, so each element is still N(0, 1). Frames that start alike make the model keep a
// clip's layout from frame to frame (PYoCo's mixed noise prior). share 0 is plain randn,
// drawn exactly as before, so seeds keep their clips.
torch::Tensor frameCorrelatedNoise(at::IntArrayRef shape, double share, const at::Generator& gen = {});

// Classifier-free guidance: uncond + g * (cond - uncond).
torch::Tensor guide(const torch::Tensor& cond, const torch::Tensor& uncond, double guidance);

} // namespace kinora::sampling

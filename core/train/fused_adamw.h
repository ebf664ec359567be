#pragma once

// The optimiser's step as one pass over each trained tensor, on the CPU.
//
// LibTorch 1.13's torch::optim::AdamW runs about ten whole-tensor operations per tensor
// (decay, two moments, square root, division, update), the gradient clipping two more
// and the trainer's bf16 working copy and EMA three: each a pass over memory and a
// parallel region of its own, tensor by tensor. Here the update, the clipped gradient,
// the working copy and the EMA are one loop per tensor. The state stays the optimiser's
// own (its AdamWParamState per tensor, created the same way), so checkpoints are
// unchanged and a run can switch between the two steps at any resume.

#include <torch/torch.h>

#include <vector>

namespace kinora::train {

// Whether the fused step is used where it can be: not when KINORA_TRAIN_OPTIMIZER is
// "libtorch" (LibTorch's own step, for side-by-side measurements).
bool fusedOptimizerEnabled();

// LibTorch's clip_grad_norm_ coefficient for these tensors' gradients: min(1, maxNorm /
// (total L2 norm + 1e-6)). Undefined gradients count as zero.
double clipCoefficient(const std::vector<torch::Tensor>& params, double maxNorm);

// One AdamW step (LibTorch's formula: decoupled weight decay, bias-corrected moments, no
// amsgrad) over every tensor of the optimiser's groups, each gradient multiplied by
// gradScale first; then, in the same pass, working[i] (bf16, where given: the first
// working.size() tensors of the groups in order) takes the new weights and ema[i] becomes
// ema[i] * emaDecay + weights * (1 - emaDecay). Tensors without a gradient are not
// stepped but still copied and averaged, as the unfused path does.
// Returns false, having changed nothing, where it cannot run (a tensor not a contiguous
// fp32 CPU tensor, amsgrad, mismatched lists): the caller then takes LibTorch's path.
bool fusedAdamWStep(torch::optim::AdamW& optimizer, double gradScale, const std::vector<torch::Tensor>& working,
                    const std::vector<torch::Tensor>& ema, double emaDecay);

} // namespace kinora::train

#pragma once

// Data-parallel training across processes on LibTorch's own distributed engine (c10d):
// a rendezvous through c10d's TCPStore, then a Gloo process group whose all-reduce sums
// the gradients of every rank. Started the way PyTorch's jobs are (torchrun's WORLD_SIZE,
// RANK, MASTER_ADDR and MASTER_PORT) or with the same as options (train/trainer.h).
//
// Everything here is collective: every rank makes the same calls in the same order, and a
// rank that dies or stops answering ends the others' calls with a DistributedError within
// the timeout, never a hang.
//
// On CUDA the buffers pass through host memory (Gloo); NCCL is not wired in (this
// project's LibTorch has no CUDA).

#include "train/trainer.h"
#include "util/result.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kinora::train {

// What a collective call throws when another rank is gone or too slow.
class DistributedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Collective {
public:
    // Connects this rank to the others (rank 0 serves the store); fails with a clear
    // message when they do not all arrive within the timeout.
    static Result<std::unique_ptr<Collective>> connect(const DistributedOptions& options);
    ~Collective();

    int rank() const { return m_rank; }
    int size() const { return m_size; }

    // Sums each tensor element-wise over the ranks, in place (float32 buffers, any device).
    // Launches every buffer's reduction before waiting on any.
    void allReduceSum(std::vector<torch::Tensor>& buffers);
    // The sum of one number over the ranks.
    double sum(double value);
    // Rank 0's values, in place on every rank.
    void broadcast(torch::Tensor& buffer);

    // The gradients of `params` summed over the ranks, in place, in buckets of about
    // `bucketBytes` (flattened into float32 buffers: one call per bucket, not per tensor).
    // `extra` rides in the last bucket and is summed too (the step's loss and flags).
    void allReduceGradients(const std::vector<torch::Tensor>& params, std::vector<double>& extra,
                            std::int64_t bucketBytes = 16 << 20);

    // Seconds spent in all-reduce calls since the last call to this (for reports).
    double takeCommSeconds();

private:
    Collective() = default;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_rank = 0, m_size = 1;
    double m_commSeconds = 0;
    std::vector<torch::Tensor> m_buckets; // reused between steps
};

} // namespace kinora::train

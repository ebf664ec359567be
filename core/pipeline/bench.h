#pragma once

// `kinora-cli bench`: the machine's own matmul roofline and the pipeline's timings,
// measured in one process so they can be compared.

#include "pipeline/pipeline.h"

#include <nlohmann/json.hpp>

namespace kinora::pipeline {

struct BenchOptions {
    int repeats = 3;       // full generations timed (the median is reported)
    double seconds = 2.0;  // the clip length of a "default clip"
    std::string caption = "a red circle moving to the left on a black background";
};

// Matrix-multiply throughput in GFLOP/s for an n x n x n product in the given dtype.
double matmulGflops(torch::ScalarType type, int n = 2048, const torch::Device& device = torch::kCPU);

Result<nlohmann::json> runBench(Pipeline& pipeline, const BenchOptions& options);

} // namespace kinora::pipeline

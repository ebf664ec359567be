#include "train/flop_counter.h"

#include <torch/csrc/autograd/profiler_legacy.h>

#include <cstring>

namespace kinora::train {

namespace profiler = torch::autograd::profiler;

FlopCounter::FlopCounter()
{
    profiler::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(
        torch::profiler::impl::ProfilerState::CPU, /*report_input_shapes=*/true, /*profile_memory=*/false,
        /*with_stack=*/false, /*with_flops=*/true));
    m_running = true;
}

FlopCounter::~FlopCounter() { stop(); }

double FlopCounter::stop()
{
    if (!m_running)
        return 0;
    m_running = false;
    double flops = 0;
    for (const auto& events : profiler::disableProfilerLegacy())
        for (auto event : events) {
            if (event.kind() != profiler::EventKind::PushRange)
                continue;
            const char* name = event.name();
            for (const char* counted : {"aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"})
                if (std::strcmp(name, counted) == 0)
                    flops += static_cast<double>(event.flops());
            // model::matmul's oneDNN products (no LibTorch formula): a [..., M, K] b [..., K, N].
            if (std::strcmp(name, "kinora::matmul") == 0) {
                const auto shapes = event.shapes();
                if (shapes.size() >= 2 && shapes[0].size() >= 2 && !shapes[1].empty()) {
                    double product = 2.0 * static_cast<double>(shapes[1].back());
                    for (const auto size : shapes[0])
                        product *= static_cast<double>(size);
                    flops += product;
                }
            }
        }
    return flops;
}

} // namespace kinora::train

#pragma once

// LibTorch's module constructors draw their initial weights from the default CPU
// generator and take no generator of their own. SeededInit seeds that generator for its
// lifetime and then puts back the state it had, so a model built inside it is the same
// for the same seed while the rest of the process draws exactly what it would have drawn
// without it. Build the modules on the CPU inside it (a CUDA tensor would draw from the
// CUDA generator), then move them.

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdint>
#include <mutex>

namespace kinora::model {

class SeededInit {
public:
    explicit SeededInit(std::uint64_t seed) : m_generator(at::detail::getDefaultCPUGenerator())
    {
        std::lock_guard<std::mutex> lock(m_generator.mutex());
        m_saved = m_generator.get_state();
        m_generator.set_current_seed(seed);
    }
    ~SeededInit()
    {
        std::lock_guard<std::mutex> lock(m_generator.mutex());
        m_generator.set_state(m_saved);
    }
    SeededInit(const SeededInit&) = delete;
    SeededInit& operator=(const SeededInit&) = delete;

private:
    at::Generator m_generator;
    at::Tensor m_saved;
};

} // namespace kinora::model

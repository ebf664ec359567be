#pragma once

// Counts the FLOPs of the convolutions and matrix products this thread runs between
// construction and stop(), from LibTorch's own per-operator FLOP formulas (its legacy
// profiler with flops on): aten::conv2d, mm, addmm, bmm and baddbmm, and model::matmul's
// oneDNN products (kinora::matmul, from their recorded shapes), two FLOPs per multiply-add. Elementwise work, 3D convolutions and attention's softmax are not
// counted, the way the inference bench counts only the transformer's matrix products.

namespace kinora::train {

class FlopCounter {
public:
    FlopCounter();
    ~FlopCounter();
    FlopCounter(const FlopCounter&) = delete;
    FlopCounter& operator=(const FlopCounter&) = delete;
    double stop(); // the FLOPs counted; later calls return 0

private:
    bool m_running = false;
};

} // namespace kinora::train

#pragma once

#include "pipeline/request.h"

#include <atomic>
#include <string>

namespace kinora::cli {

// Set by SIGINT/SIGTERM; the engine checks it once per denoising step.
std::atomic<bool>& cancelFlag();
void installCancelHandler();

// Draws a progress bar on stderr when it is a terminal; silent otherwise.
class ProgressBar : public pipeline::GenerationObserver {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar() override;
    void onProgress(const pipeline::Progress& progress) override;

private:
    std::string m_label;
    bool m_tty = false;
    bool m_drawn = false;
};

} // namespace kinora::cli

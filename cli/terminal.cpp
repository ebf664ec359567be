#include "terminal.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace kinora::cli {

std::atomic<bool>& cancelFlag()
{
    static std::atomic<bool> flag{false};
    return flag;
}

namespace {
extern "C" void onSignal(int)
{
    cancelFlag().store(true);
}
} // namespace

void installCancelHandler()
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

ProgressBar::ProgressBar(std::string label) : m_label(std::move(label)), m_tty(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar()
{
    if (m_drawn)
        std::fputc('\n', stderr);
}

void ProgressBar::onProgress(const pipeline::Progress& p)
{
    if (!m_tty || p.steps <= 0)
        return;
    constexpr int kWidth = 30;
    const int filled = kWidth * p.step / p.steps;
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '.');
    const double eta = p.step > 0 ? p.elapsedSeconds * (p.steps - p.step) / p.step : 0.0;
    std::fprintf(stderr, "\r%s [%s] %d/%d steps, window %d/%d, %.1f s, about %.1f s left ", m_label.c_str(),
                 bar.c_str(), p.step, p.steps, p.window, p.windows, p.elapsedSeconds, eta);
    std::fflush(stderr);
    m_drawn = true;
}

} // namespace kinora::cli

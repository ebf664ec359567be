#pragma once

// A full disk for the tests that need one: RLIMIT_FSIZE lowered for this process (and the
// children it starts) for a scope, with SIGXFSZ ignored so a write past the limit fails
// with EFBIG ("File too large") instead of killing the process, as a full disk fails with
// ENOSPC. Kinora's programs ignore SIGXFSZ themselves (app/main.cpp, cli/main.cpp).

#include <csignal>
#include <sys/resource.h>

namespace kinora::test {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_old);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit { bytes, m_old.rlim_max };
        m_ok = setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    bool ok() const { return m_ok; }

private:
    rlimit m_old {};
    void (*m_handler)(int) = SIG_DFL;
    bool m_ok = false;
};

} // namespace kinora::test

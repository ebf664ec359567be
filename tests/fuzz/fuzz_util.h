#pragma once

// Shared by the fuzz targets: the input as a file (for readers that take a path), and a
// check that stops the fuzzer with a message when an invariant of a parser breaks.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace kinora::fuzz {

// The bytes in an anonymous memory file, reachable by path as /proc/self/fd/N: no disk
// traffic, nothing left behind.
class MemoryFile {
public:
    MemoryFile(const std::uint8_t* data, std::size_t size)
    {
        m_fd = memfd_create("kinora-fuzz", MFD_CLOEXEC);
        if (m_fd < 0 || (size > 0 && ::write(m_fd, data, size) != static_cast<ssize_t>(size))) {
            std::perror("memfd");
            std::abort();
        }
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemoryFile() { ::close(m_fd); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    int m_fd = -1;
    std::string m_path;
};

inline void require(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

} // namespace kinora::fuzz

#pragma once

// A cache of big CPU memory blocks in front of LibTorch's CPU allocator (internal to the
// engine; hosts turn it on through Engine::keepFreedMemory).
//
// A training or sampling step allocates and frees the same 30-80 MB tensors (attention
// scores, MLP activations) many times. glibc serves every block over 32 MB with a fresh
// mmap and unmaps it at free, so the kernel faults in and zeroes those pages again each
// time: a fifth of a training step on a 2-core CPU. The cache keeps freed blocks of 1 MiB
// or more and hands them out again for the same size, up to a bound on idle bytes (the
// least recently freed go back to the system first). Smaller blocks pass through.

#include <cstddef>

namespace kinora::pipeline {

struct BlockCacheStats {
    std::size_t idleBytes = 0;   // kept for reuse
    std::size_t idleBlocks = 0;
    std::size_t reused = 0;      // allocations served from the cache since it was installed
    std::size_t maxIdleBytes = 0;
};

// Installs the cache as LibTorch's CPU allocator (once; later calls only change the bound).
// maxIdleBytes 0: a quarter of the machine's memory.
void installBlockCache(std::size_t maxIdleBytes = 0);
bool blockCacheInstalled();
BlockCacheStats blockCacheStats();
// Gives every idle block back to the system.
void releaseIdleBlocks();

} // namespace kinora::pipeline

#include "pipeline/block_cache.h"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <unistd.h>

#include <list>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace kinora::pipeline {

namespace {

constexpr std::size_t kMinCachedBytes = std::size_t(1) << 20;

class BlockCache final : public c10::Allocator {
public:
    c10::DataPtr allocate(std::size_t n) const override
    {
        if (n < kMinCachedBytes) { // straight to the C library, no lock on free
            void* data = c10::alloc_cpu(n);
            return {data, data, &c10::free_cpu, c10::Device(c10::DeviceType::CPU)};
        }
        void* data = const_cast<BlockCache*>(this)->take(n);
        return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    void setMaxIdle(std::size_t bytes)
    {
        std::lock_guard lock(m_mutex);
        m_maxIdle = bytes;
        trimLocked();
    }
    BlockCacheStats stats()
    {
        std::lock_guard lock(m_mutex);
        return {m_idleBytes, m_lru.size(), m_reused, m_maxIdle};
    }
    void releaseIdle()
    {
        std::lock_guard lock(m_mutex);
        const auto keep = m_maxIdle;
        m_maxIdle = 0;
        trimLocked();
        m_maxIdle = keep;
    }

    static BlockCache& instance()
    {
        // Never destroyed: tensors freed during static destruction still find it.
        static auto* cache = new BlockCache;
        return *cache;
    }

private:
    struct Idle {
        void* data;
        std::size_t size;
    };

    void* take(std::size_t n)
    {
        {
            std::lock_guard lock(m_mutex);
            // The same size, or at most 1/16 larger: steps repeat their shapes exactly.
            auto it = m_bySize.lower_bound(n);
            if (it != m_bySize.end() && it->first <= n + n / 16) {
                const auto lru = it->second;
                void* data = lru->data;
                m_idleBytes -= lru->size;
                m_live.emplace(data, lru->size);
                m_lru.erase(lru);
                m_bySize.erase(it);
                ++m_reused;
                return data;
            }
        }
        void* data = c10::alloc_cpu(n); // throws c10::Error when out of memory
        std::lock_guard lock(m_mutex);
        m_live.emplace(data, n);
        return data;
    }

    void give(void* data)
    {
        {
            std::lock_guard lock(m_mutex);
            auto it = m_live.find(data);
            if (it != m_live.end()) {
                const auto size = it->second;
                m_live.erase(it);
                m_lru.push_back({data, size});
                m_bySize.emplace(size, std::prev(m_lru.end()));
                m_idleBytes += size;
                trimLocked();
                return;
            }
        }
        c10::free_cpu(data); // a small block given back through raw_deallocate
    }

    // Least recently freed first, until the idle bytes are within the bound.
    void trimLocked()
    {
        while (m_idleBytes > m_maxIdle && !m_lru.empty()) {
            const auto oldest = m_lru.begin();
            auto [first, last] = m_bySize.equal_range(oldest->size);
            for (auto it = first; it != last; ++it)
                if (it->second == oldest) {
                    m_bySize.erase(it);
                    break;
                }
            m_idleBytes -= oldest->size;
            c10::free_cpu(oldest->data);
            m_lru.erase(oldest);
        }
    }

    static void release(void* data) { instance().give(data); }

    std::mutex m_mutex;
    std::unordered_map<void*, std::size_t> m_live; // cached-size blocks in use
    std::list<Idle> m_lru;                          // idle blocks, least recently freed first
    std::multimap<std::size_t, std::list<Idle>::iterator> m_bySize;
    std::size_t m_idleBytes = 0;
    std::size_t m_maxIdle = 0;
    std::size_t m_reused = 0;
};

std::mutex g_installMutex;
bool g_installed = false;

std::size_t quarterOfMemory()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return std::size_t(2) << 30;
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize) / 4;
}

} // namespace

void installBlockCache(std::size_t maxIdleBytes)
{
    auto& cache = BlockCache::instance();
    cache.setMaxIdle(maxIdleBytes > 0 ? maxIdleBytes : quarterOfMemory());
    std::lock_guard lock(g_installMutex);
    if (!g_installed) {
        c10::SetAllocator(c10::DeviceType::CPU, &cache, /*priority=*/1);
        g_installed = true;
    }
}

bool blockCacheInstalled()
{
    std::lock_guard lock(g_installMutex);
    return g_installed;
}

BlockCacheStats blockCacheStats()
{
    return BlockCache::instance().stats();
}

void releaseIdleBlocks()
{
    BlockCache::instance().releaseIdle();
}

} // namespace kinora::pipeline

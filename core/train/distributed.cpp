#include "train/distributed.h"

#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO // Debian's LibTorch is built with it; its header needs the macro
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cstdlib>
#include <limits>

namespace kinora::train {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds millis(double seconds)
{
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.001, seconds) * 1000));
}

// The first line of a c10d or Gloo message (they append C++ stack traces).
std::string firstLine(const std::string& text)
{
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

bool loopback(const std::string& host)
{
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

} // namespace

struct Collective::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    std::chrono::milliseconds timeout{60000};
};

Collective::~Collective() = default;

Result<std::unique_ptr<Collective>> Collective::connect(const DistributedOptions& o)
{
    if (o.worldSize < 1 || o.rank < 0 || o.rank >= o.worldSize)
        return makeError(ErrorCode::InvalidArgument, "rank " + std::to_string(o.rank) + " is not in 0.." +
                                                         std::to_string(o.worldSize - 1) + " (world size " +
                                                         std::to_string(o.worldSize) + ")");
    if (o.masterPort < 1 || o.masterPort > 65535)
        return makeError(ErrorCode::InvalidArgument, "master port " + std::to_string(o.masterPort) + " is not a port");
    if (!(o.timeoutSeconds > 0))
        return makeError(ErrorCode::InvalidArgument, "the distributed timeout must be positive");
    std::unique_ptr<Collective> c(new Collective());
    c->m_impl = std::make_unique<Impl>();
    c->m_rank = o.rank;
    c->m_size = o.worldSize;
    c->m_impl->timeout = millis(o.timeoutSeconds);
    const std::string where = o.masterAddr + ":" + std::to_string(o.masterPort);
    try {
        c10d::TCPStoreOptions so;
        so.port = static_cast<std::uint16_t>(o.masterPort);
        so.isServer = o.rank == 0;
        so.numWorkers = static_cast<std::size_t>(o.worldSize);
        so.waitWorkers = true;
        so.timeout = c->m_impl->timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(o.masterAddr, so);
        c->m_impl->store = c10::make_intrusive<c10d::PrefixStore>("kinora-train", tcp);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, "rank " + std::to_string(o.rank) + " of " + std::to_string(o.worldSize) +
                                            " could not meet the other ranks at " + where + " within " +
                                            std::to_string(static_cast<int>(o.timeoutSeconds)) +
                                            " s: " + firstLine(e.what()));
    }
    try {
        auto options = c10d::ProcessGroupGloo::Options::create(c->m_impl->timeout);
        // GLOO_SOCKET_IFNAME picks the network interface (as in PyTorch); on one machine
        // the loopback address; elsewhere the address this host's name resolves to.
        if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
        else if (loopback(o.masterAddr))
            options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        else
            options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 1;
        c->m_impl->group =
            c10::make_intrusive<c10d::ProcessGroupGloo>(c->m_impl->store, o.rank, o.worldSize, options);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, "rank " + std::to_string(o.rank) + " of " + std::to_string(o.worldSize) +
                                            " could not connect to the other ranks (store at " + where +
                                            "): " + firstLine(e.what()));
    }
    return c;
}

namespace {

// Waits for one collective call, turning a lost or silent peer into a DistributedError.
void finish(const c10::intrusive_ptr<c10d::Work>& work, const char* what, int rank, int size)
{
    try {
        work->wait();
    } catch (const std::exception& e) {
        throw DistributedError("rank " + std::to_string(rank) + " of " + std::to_string(size) + ": " + what +
                               " failed (another rank stopped or did not answer in time): " + firstLine(e.what()));
    }
}

} // namespace

void Collective::allReduceSum(std::vector<torch::Tensor>& buffers)
{
    const auto started = Clock::now();
    // Gloo reduces host memory: device buffers pass through copies.
    std::vector<torch::Tensor> host(buffers.size());
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    std::vector<std::vector<at::Tensor>> lists(buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) {
        host[i] = buffers[i].device().is_cpu() && buffers[i].is_contiguous() ? buffers[i]
                                                                              : buffers[i].to(torch::kCPU).contiguous();
        lists[i] = {host[i]};
        try {
            works.push_back(m_impl->group->allreduce(lists[i]));
        } catch (const std::exception& e) {
            throw DistributedError("rank " + std::to_string(m_rank) + " of " + std::to_string(m_size) +
                                   ": all-reduce failed: " + firstLine(e.what()));
        }
    }
    for (auto& w : works)
        finish(w, "all-reduce", m_rank, m_size);
    for (size_t i = 0; i < buffers.size(); ++i)
        if (!host[i].is_same(buffers[i]))
            buffers[i].copy_(host[i]);
    m_commSeconds += std::chrono::duration<double>(Clock::now() - started).count();
}

double Collective::sum(double value)
{
    std::vector<torch::Tensor> one{torch::full({1}, value, torch::kFloat64)};
    allReduceSum(one);
    return one[0].item<double>();
}

void Collective::broadcast(torch::Tensor& buffer)
{
    auto host = buffer.device().is_cpu() && buffer.is_contiguous() ? buffer : buffer.to(torch::kCPU).contiguous();
    std::vector<at::Tensor> list{host};
    c10d::BroadcastOptions bo;
    bo.rootRank = 0;
    try {
        finish(m_impl->group->broadcast(list, bo), "broadcast", m_rank, m_size);
    } catch (const DistributedError&) {
        throw;
    } catch (const std::exception& e) {
        throw DistributedError("rank " + std::to_string(m_rank) + ": broadcast failed: " + firstLine(e.what()));
    }
    if (!host.is_same(buffer))
        buffer.copy_(host);
}

void Collective::allReduceGradients(const std::vector<torch::Tensor>& params, std::vector<double>& extra,
                                    std::int64_t bucketBytes)
{
    torch::NoGradGuard noGrad;
    // Buckets: consecutive tensors until a bucket holds bucketBytes; the extras at the end.
    const std::int64_t perBucket = std::max<std::int64_t>(1, bucketBytes / 4);
    std::vector<std::pair<size_t, size_t>> ranges; // [first, last) params per bucket
    std::vector<std::int64_t> sizes;
    size_t first = 0;
    std::int64_t filled = 0;
    for (size_t i = 0; i < params.size(); ++i) {
        filled += params[i].numel();
        if (filled >= perBucket) {
            ranges.emplace_back(first, i + 1);
            sizes.push_back(filled);
            first = i + 1;
            filled = 0;
        }
    }
    ranges.emplace_back(first, params.size());
    sizes.push_back(filled + static_cast<std::int64_t>(extra.size()));
    if (m_buckets.size() != ranges.size()) {
        m_buckets.clear();
        for (auto n : sizes)
            m_buckets.push_back(torch::empty({n}, torch::kFloat32));
    }
    for (size_t b = 0; b < ranges.size(); ++b) {
        std::int64_t at = 0;
        for (size_t i = ranges[b].first; i < ranges[b].second; ++i) {
            const auto n = params[i].numel();
            auto slot = m_buckets[b].narrow(0, at, n);
            const auto& g = params[i].grad();
            if (g.defined())
                slot.copy_(g.reshape({n}));
            else
                slot.zero_();
            at += n;
        }
        if (b + 1 == ranges.size())
            for (size_t e = 0; e < extra.size(); ++e)
                m_buckets[b][at + static_cast<std::int64_t>(e)] = static_cast<float>(extra[e]);
    }
    allReduceSum(m_buckets);
    for (size_t b = 0; b < ranges.size(); ++b) {
        std::int64_t at = 0;
        for (size_t i = ranges[b].first; i < ranges[b].second; ++i) {
            auto& p = params[i];
            const auto n = p.numel();
            auto summed = m_buckets[b].narrow(0, at, n).view(p.sizes());
            auto& g = p.mutable_grad();
            if (g.defined())
                g.copy_(summed);
            else
                g = summed.to(p.device(), p.scalar_type()).clone();
            at += n;
        }
        if (b + 1 == ranges.size())
            for (size_t e = 0; e < extra.size(); ++e)
                extra[e] = m_buckets[b][at + static_cast<std::int64_t>(e)].item<double>();
    }
}

double Collective::takeCommSeconds()
{
    const double s = m_commSeconds;
    m_commSeconds = 0;
    return s;
}

Result<DistributedOptions> distributedFromEnvironment(DistributedOptions o)
{
    auto number = [](const char* name, int low, int high, int* out) -> Result<void> {
        const char* text = std::getenv(name);
        if (!text || !*text)
            return success();
        char* end = nullptr;
        const long v = std::strtol(text, &end, 10);
        if (*end != '\0' || v < low || v > high)
            return makeError(ErrorCode::InvalidArgument, std::string("the environment's ") + name + "='" + text +
                                                             "' is not a number from " + std::to_string(low) +
                                                             " to " + std::to_string(high));
        *out = static_cast<int>(v);
        return success();
    };
    if (auto ok = number("WORLD_SIZE", 1, 65536, &o.worldSize); !ok)
        return ok.error();
    if (auto ok = number("RANK", 0, 65535, &o.rank); !ok)
        return ok.error();
    if (auto ok = number("LOCAL_RANK", 0, 65535, &o.localRank); !ok)
        return ok.error();
    if (auto ok = number("MASTER_PORT", 1, 65535, &o.masterPort); !ok)
        return ok.error();
    if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr)
        o.masterAddr = addr;
    return o;
}

} // namespace kinora::train

#include "sampling/sampler_kind.h"

namespace kinora::sampling {

const char* samplerName(SamplerKind kind)
{
    return kind == SamplerKind::Heun ? "heun" : "euler";
}

bool parseSampler(const std::string& name, SamplerKind* out)
{
    if (name == "euler")
        *out = SamplerKind::Euler;
    else if (name == "heun")
        *out = SamplerKind::Heun;
    else
        return false;
    return true;
}

} // namespace kinora::sampling

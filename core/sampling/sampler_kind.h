#pragma once

#include <string>

namespace kinora::sampling {

enum class SamplerKind { Euler, Heun };

const char* samplerName(SamplerKind kind);
bool parseSampler(const std::string& name, SamplerKind* out);

} // namespace kinora::sampling

#pragma once

// bf16 conversions on the bits, for hand-written CPU loops that the compiler should
// vectorise (the fused optimiser step, the fused channel norm and SiLU). bit_cast, not
// memcpy: with memcpy GCC kept the norm's loops scalar.

#include <bit>
#include <cstdint>

namespace kinora {

inline float bf16ToFloat(std::uint16_t h)
{
    return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16);
}

// c10::BFloat16's rounding: to nearest, ties to even; NaN to the quiet NaN.
inline std::uint16_t floatToBf16(float f)
{
    const auto bits = std::bit_cast<std::uint32_t>(f);
    const std::uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    return f != f ? std::uint16_t(0x7FC0) : static_cast<std::uint16_t>(rounded);
}

} // namespace kinora

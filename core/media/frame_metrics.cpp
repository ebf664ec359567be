#include "media/video_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace kinora::media {

double psnr(const Frame& a, const Frame& b)
{
    if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size() || a.rgb.empty())
        return 0.0;
    double sum = 0.0;
    for (size_t i = 0; i < a.rgb.size(); ++i) {
        const double d = static_cast<double>(a.rgb[i]) - b.rgb[i];
        sum += d * d;
    }
    if (sum == 0.0)
        return std::numeric_limits<double>::infinity();
    const double mse = sum / static_cast<double>(a.rgb.size());
    return 10.0 * std::log10(255.0 * 255.0 / mse);
}

double meanChange(const Frame& a, const Frame& b)
{
    if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size() || a.rgb.empty())
        return 0.0;
    std::uint64_t sum = 0;
    for (size_t i = 0; i < a.rgb.size(); ++i)
        sum += static_cast<std::uint64_t>(std::abs(int(a.rgb[i]) - int(b.rgb[i])));
    return static_cast<double>(sum) / static_cast<double>(a.rgb.size());
}

double seamRatio(const Video& before, const Video& after)
{
    if (before.frames.empty() || after.frames.empty())
        return 0.0;
    std::vector<double> inside;
    for (const Video* v : {&before, &after})
        for (size_t i = 1; i < v->frames.size(); ++i)
            inside.push_back(meanChange(v->frames[i - 1], v->frames[i]));
    double typical = 0.5;
    if (!inside.empty()) {
        std::nth_element(inside.begin(), inside.begin() + inside.size() / 2, inside.end());
        typical = std::max(typical, inside[inside.size() / 2]);
    }
    return meanChange(before.frames.back(), after.frames.front()) / typical;
}

} // namespace kinora::media

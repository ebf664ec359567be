#pragma once

// Plain frame buffers: the currency between the engine, media I/O, the world
// renderer and (later) the UI. No torch, no Qt, no FFmpeg here.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kinora {

// One RGB24 frame, packed rows, no padding: size() == width * height * 3.
struct Frame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;

    Frame() = default;
    Frame(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3, 0) {}

    std::uint8_t* pixel(int x, int y) { return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
    const std::uint8_t* pixel(int x, int y) const
    {
        return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
    }
};

// A clip: frames of equal size at a fixed frame rate.
struct Video {
    double fps = 8.0;
    std::vector<Frame> frames;

    int width() const { return frames.empty() ? 0 : frames.front().width; }
    int height() const { return frames.empty() ? 0 : frames.front().height; }
    double seconds() const { return fps > 0 ? frames.size() / fps : 0.0; }
    // Frames first .. first + count - 1 (clamped to the clip), at the same rate.
    Video slice(int first, int count) const
    {
        Video out;
        out.fps = fps;
        first = first < 0 ? 0 : first > int(frames.size()) ? int(frames.size()) : first;
        count = count < 0 ? 0 : count > int(frames.size()) - first ? int(frames.size()) - first : count;
        out.frames.assign(frames.begin() + first, frames.begin() + first + count);
        return out;
    }
};

} // namespace kinora

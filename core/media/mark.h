#pragma once

// The visible provenance mark: a small label in the bottom-right corner, white letters on
// a dark translucent box, "AI GENERATED" where it fits in 40 % of the width and "AI" on
// smaller frames. Drawn into the pixels, so it survives re-encoding, screenshots and
// crops that keep the corner.

#include <cstdint>

#include "media/video.h"

namespace kinora::media {

struct MarkBox {
    int x = 0, y = 0, width = 0, height = 0; // the box the mark covers, in pixels
};

// Where the mark goes on a frame of this size (an empty box on frames under 16 x 12).
MarkBox markBox(int width, int height);

// Draws the mark into packed RGB24 pixels (rows of width * 3 bytes).
void drawMark(std::uint8_t* rgb, int width, int height);
void drawMark(Frame& frame);

} // namespace kinora::media

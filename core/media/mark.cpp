#include "media/mark.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace kinora::media {

namespace {

constexpr int kGlyphW = 5;
constexpr int kGlyphH = 7;

struct Glyph {
    char c;
    std::array<const char*, kGlyphH> rows;
};

// A 5 x 7 pixel font with the letters the labels need.
constexpr Glyph kFont[] = {
    { 'A', { ".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#" } },
    { 'D', { "####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####." } },
    { 'E', { "#####", "#....", "#....", "####.", "#....", "#....", "#####" } },
    { 'G', { ".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".###." } },
    { 'I', { ".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###." } },
    { 'N', { "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#" } },
    { 'R', { "####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#" } },
    { 'T', { "#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.." } },
};

const Glyph* glyphFor(char c)
{
    for (const auto& g : kFont)
        if (g.c == c)
            return &g;
    return nullptr; // a space
}

struct Layout {
    std::string_view text;
    int scale = 0; // font pixels per glyph pixel
    MarkBox box;
};

int textWidth(std::string_view text) { return int(text.size()) * (kGlyphW + 1) - 1; }

Layout layout(int width, int height)
{
    Layout l;
    if (width < 16 || height < 12)
        return l;
    // Letters about 3.5 % of the height, at least one pixel per glyph pixel.
    l.scale = std::max(1, int(height * 0.035 / kGlyphH + 0.5));
    const int pad = l.scale * 2;
    l.text = "AI GENERATED";
    if ((textWidth(l.text) + 2) * l.scale + 2 * pad > width * 2 / 5)
        l.text = "AI";
    l.box.width = (textWidth(l.text) + 2) * l.scale;
    l.box.height = (kGlyphH + 2) * l.scale;
    l.box.x = width - l.box.width - pad;
    l.box.y = height - l.box.height - pad;
    if (l.box.x < 0 || l.box.y < 0)
        return Layout {};
    return l;
}

} // namespace

MarkBox markBox(int width, int height) { return layout(width, height).box; }

void drawMark(std::uint8_t* rgb, int width, int height)
{
    const Layout l = layout(width, height);
    if (l.scale == 0)
        return;
    auto at = [&](int x, int y) { return rgb + (static_cast<size_t>(y) * width + x) * 3; };
    // The box: the picture darkened to 35 %, so the label reads on any background.
    for (int y = l.box.y; y < l.box.y + l.box.height; ++y)
        for (int x = l.box.x; x < l.box.x + l.box.width; ++x) {
            auto* p = at(x, y);
            for (int c = 0; c < 3; ++c)
                p[c] = static_cast<std::uint8_t>(p[c] * 35 / 100);
        }
    const int left = l.box.x + l.scale;
    const int top = l.box.y + l.scale;
    for (size_t i = 0; i < l.text.size(); ++i) {
        const Glyph* g = glyphFor(l.text[i]);
        if (!g)
            continue;
        const int gx = left + int(i) * (kGlyphW + 1) * l.scale;
        for (int r = 0; r < kGlyphH; ++r)
            for (int c = 0; c < kGlyphW; ++c) {
                if (g->rows[r][c] != '#')
                    continue;
                for (int dy = 0; dy < l.scale; ++dy)
                    for (int dx = 0; dx < l.scale; ++dx)
                        std::memset(at(gx + c * l.scale + dx, top + r * l.scale + dy), 245, 3);
            }
    }
}

void drawMark(Frame& frame)
{
    if (frame.rgb.size() == static_cast<size_t>(frame.width) * frame.height * 3)
        drawMark(frame.rgb.data(), frame.width, frame.height);
}

} // namespace kinora::media

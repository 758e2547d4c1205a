// Image files (PNG, JPEG, BMP, GIF, ... through Qt's image readers) decoded to 8-bit RGB, treated as hostile:
// the size is read from the header and checked against a limit before any pixel is decoded.
//
//   attnviz::RgbImage img = attnviz::decodeImage("shoe.png", "shoe.png");   // InputError naming the file
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/limits.h"

namespace attnviz {

// 8-bit RGB, row-major, 3 bytes per pixel. Alpha is dropped (not composited), as PIL's convert("RGB");
// greyscale becomes R = G = B; 16-bit samples become (v + 128) / 257 (v / 257 rounded).
struct RgbImage {
  std::int64_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
};

// maxPixels: the largest image decoded (width x height, kMaxImagePixelsLimit); larger ones are refused from
// their header, before any pixel is decoded, with a message naming the size and the limit.
RgbImage decodeImage(const std::string& path, const std::string& origin,
                     std::int64_t maxPixels = kMaxImagePixelsLimit.defaultValue);
// The same from an image file's bytes already in memory (the format is detected from them).
RgbImage decodeImageData(std::string_view bytes, const std::string& origin,
                         std::int64_t maxPixels = kMaxImagePixelsLimit.defaultValue);


}  // namespace attnviz

// Image files (PNG, JPEG, BMP, GIF, ... through Qt's image readers) decoded to 8-bit RGB, treated as hostile:
// the size is read from the header and checked against a limit before any pixel is decoded.
//
//   attnviz::RgbImage img = attnviz::decodeImage("shoe.png", "shoe.png");   // InputError naming the file
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

// 8-bit RGB, row-major, 3 bytes per pixel. Alpha is dropped (not composited), as PIL's convert("RGB");
// greyscale becomes R = G = B; 16-bit samples become (v + 128) / 257 (v / 257 rounded).
struct RgbImage {
  std::int64_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
};

// Largest image decoded, in pixels (width x height); larger ones are refused before decoding.
constexpr std::int64_t kMaxImagePixels = 64LL * 1024 * 1024;

RgbImage decodeImage(const std::string& path, const std::string& origin);
// The same from an image file's bytes already in memory (the format is detected from them).
RgbImage decodeImageData(std::string_view bytes, const std::string& origin);


}  // namespace attnviz

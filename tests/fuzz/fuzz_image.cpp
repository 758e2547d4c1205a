// Fuzzes image decoding (Qt's readers: PNG, JPEG, BMP, GIF, ...) and ViT preprocessing on what decodes. The first
// four bytes choose the preprocessing (target size 1-64, bilinear or bicubic, center crop, 1 or 3 channels,
// shortest edge); the rest is the image file. Decoding never exceeds the 64 M pixel limit (checked from the header
// first). Seeds: tests/fuzz/corpus/image (tests/data/images and the golden PNGs).
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "engine/io/image_file.h"
#include "engine/models/vit/image_input.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  attnviz::VitPreprocess p;
  p.height = 1 + data[0] % 64;
  p.width = 1 + data[1] % 64;
  p.filter = data[2] & 1 ? attnviz::ResampleFilter::Bicubic : attnviz::ResampleFilter::Bilinear;
  p.centerCrop = data[2] & 2;
  p.cropHeight = 1 + (data[3] % 48);
  p.cropWidth = 1 + (data[3] / 4 % 48);
  p.shortestEdge = data[2] & 4 ? 1 + data[0] % 64 : 0;
  p.resize = !(data[2] & 8);
  const std::int64_t channels = data[2] & 16 ? 1 : 3;
  p.mean.assign(static_cast<std::size_t>(channels), 0.5f);
  p.std.assign(static_cast<std::size_t>(channels), 0.25f);
  fuzz::expectResultOrError([&] {
    const attnviz::RgbImage image = attnviz::decodeImageData(fuzz::text(data + 4, size - 4), "image");
    if (image.width * image.height > 2048 * 2048) return;  // within the limits, but too slow per input here
    const attnviz::Tensor t = attnviz::preprocessImage(image, p, channels);
    for (float v : t.values())
      if (!std::isfinite(v)) std::abort();
  });
  return 0;
}

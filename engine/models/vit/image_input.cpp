#include "engine/models/vit/image_input.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// torch's source index for align_corners=False: (dst + 0.5) * scale - 0.5, negative clamped to 0.
struct Tap {
  std::int64_t i0, i1;
  float w1;  // weight of i1; i0 gets 1 - w1
};

std::vector<Tap> taps(std::int64_t inSize, std::int64_t outSize) {
  std::vector<Tap> out(static_cast<std::size_t>(outSize));
  const double scale = static_cast<double>(inSize) / static_cast<double>(outSize);
  for (std::int64_t o = 0; o < outSize; ++o) {
    const double src = std::max(0.0, (static_cast<double>(o) + 0.5) * scale - 0.5);
    const auto i0 = std::min(static_cast<std::int64_t>(std::floor(src)), inSize - 1);
    const std::int64_t i1 = std::min(i0 + 1, inSize - 1);
    out[static_cast<std::size_t>(o)] = {i0, i1, static_cast<float>(src - static_cast<double>(i0))};
  }
  return out;
}

}  // namespace

Tensor preprocessImage(const RgbImage& image, const VitPreprocess& p, std::int64_t channels) {
  if (image.width <= 0 || image.height <= 0) throw InputError("image", "the image has no pixels");
  // Channel planes at the image's size, 0..255 floats.
  const std::int64_t w = image.width, h = image.height;
  std::vector<float> planes(static_cast<std::size_t>(channels * w * h));
  for (std::int64_t i = 0; i < w * h; ++i) {
    const std::uint8_t* px = image.rgb.data() + i * 3;
    if (channels == 1) {
      planes[static_cast<std::size_t>(i)] = static_cast<float>((299 * px[0] + 587 * px[1] + 114 * px[2] + 500) / 1000);
    } else {
      for (std::int64_t c = 0; c < channels; ++c)
        planes[static_cast<std::size_t>(c * w * h + i)] = px[std::min<std::int64_t>(c, 2)];
    }
  }
  const std::int64_t outH = p.resize ? p.height : h, outW = p.resize ? p.width : w;
  Tensor out({channels, outH, outW});
  const std::vector<Tap> ys = taps(h, outH), xs = taps(w, outW);
  for (std::int64_t c = 0; c < channels; ++c) {
    const float* src = planes.data() + c * w * h;
    float* dst = out.data() + c * outH * outW;
    const float mean = p.normalize ? p.mean[static_cast<std::size_t>(c)] : 0.0f;
    const float stdev = p.normalize ? p.std[static_cast<std::size_t>(c)] : 1.0f;
    const float scale = p.rescale ? p.rescaleFactor : 1.0f;
    for (std::int64_t y = 0; y < outH; ++y) {
      const Tap& ty = ys[static_cast<std::size_t>(y)];
      for (std::int64_t x = 0; x < outW; ++x) {
        const Tap& tx = xs[static_cast<std::size_t>(x)];
        const float top = src[ty.i0 * w + tx.i0] * (1 - tx.w1) + src[ty.i0 * w + tx.i1] * tx.w1;
        const float bottom = src[ty.i1 * w + tx.i0] * (1 - tx.w1) + src[ty.i1 * w + tx.i1] * tx.w1;
        const float v = top * (1 - ty.w1) + bottom * ty.w1;
        dst[y * outW + x] = (v * scale - mean) / stdev;
      }
    }
  }
  return out;
}

}  // namespace attnviz

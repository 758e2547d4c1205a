#include "engine/models/vit/image_input.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// --- PIL's resampling (Pillow's libImaging/Resample.c, 8 bits per sample), what Hugging Face image processors run:
// a separable convolution whose filter widens by the scale when downscaling (antialiasing), coefficients in fixed
// point, each pass rounded and clipped back to 8 bits; horizontal pass first.

constexpr int kPrecisionBits = 32 - 8 - 2;

// The filters of Resample.c, with their supports (in source samples at scale 1).
double boxFilter(double x) { return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; }

double bilinearFilter(double x) {
  x = std::abs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double hammingFilter(double x) {
  x = std::abs(x);
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x *= std::numbers::pi;
  // PIL writes the constants as floats (0.54f, 0.46f): their float values, widened, are what it computes with.
  return std::sin(x) / x * (static_cast<double>(0.54f) + static_cast<double>(0.46f) * std::cos(x));
}

double bicubicFilter(double x) {  // Keys' cubic with a = -0.5, as PIL
  constexpr double a = -0.5;
  x = std::abs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}

double lanczosFilter(double x) { return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0; }  // truncated sinc, a = 3

struct Filter {
  double (*f)(double);
  double support;
};

Filter filterOf(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::Box: return {boxFilter, 0.5};
    case ResampleFilter::Bilinear: return {bilinearFilter, 1.0};
    case ResampleFilter::Hamming: return {hammingFilter, 1.0};
    case ResampleFilter::Bicubic: return {bicubicFilter, 2.0};
    case ResampleFilter::Lanczos: return {lanczosFilter, 3.0};
    case ResampleFilter::Nearest: break;  // not a convolution: nearestResize
  }
  throw InternalError("image", "no convolution filter for resample " + std::string(resampleName(filter)));
}

// For each output sample: the first source sample and the fixed-point weights of the source samples it reads.
struct Kernel {
  std::int64_t first = 0;
  std::vector<std::int32_t> weights;
};

std::vector<Kernel> pilKernels(std::int64_t inSize, std::int64_t outSize, ResampleFilter filter) {
  const Filter flt = filterOf(filter);
  const double support1 = flt.support;
  double (*f)(double) = flt.f;
  const double scale = static_cast<double>(inSize) / static_cast<double>(outSize);
  const double filterScale = std::max(scale, 1.0);
  const double support = support1 * filterScale;
  const double inverse = 1.0 / filterScale;  // multiplied, as PIL does (dividing can differ in the last bit)
  std::vector<Kernel> kernels(static_cast<std::size_t>(outSize));
  std::vector<double> w;
  for (std::int64_t o = 0; o < outSize; ++o) {
    const double center = (static_cast<double>(o) + 0.5) * scale;
    // (int) truncation as in C, then clamped to the image.
    const std::int64_t xmin = std::max<std::int64_t>(0, static_cast<std::int64_t>(center - support + 0.5));
    const std::int64_t xmax = std::min<std::int64_t>(inSize, static_cast<std::int64_t>(center + support + 0.5));
    w.assign(static_cast<std::size_t>(std::max<std::int64_t>(0, xmax - xmin)), 0.0);
    double total = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      w[i] = f((static_cast<double>(static_cast<std::int64_t>(i) + xmin) - center + 0.5) * inverse);
      total += w[i];
    }
    Kernel& k = kernels[static_cast<std::size_t>(o)];
    k.first = xmin;
    for (double v : w) {
      const double normalised = total != 0.0 ? v / total : v;
      const double fixed = normalised * static_cast<double>(1 << kPrecisionBits);
      k.weights.push_back(static_cast<std::int32_t>(normalised < 0 ? fixed - 0.5 : fixed + 0.5));
    }
  }
  return kernels;
}

std::uint8_t clip8(std::int64_t sum) {
  return static_cast<std::uint8_t>(std::clamp<std::int64_t>(sum >> kPrecisionBits, 0, 255));  // arithmetic shift: floor
}

// One plane [h, w] of 8-bit samples.
struct Plane {
  std::int64_t w = 0, h = 0;
  std::vector<std::uint8_t> v;
};

Plane resampleRows(const Plane& in, std::int64_t outW, ResampleFilter filter) {
  const std::vector<Kernel> ks = pilKernels(in.w, outW, filter);
  Plane out{outW, in.h, std::vector<std::uint8_t>(static_cast<std::size_t>(outW * in.h))};
  for (std::int64_t y = 0; y < in.h; ++y) {
    const std::uint8_t* row = in.v.data() + y * in.w;
    for (std::int64_t x = 0; x < outW; ++x) {
      const Kernel& k = ks[static_cast<std::size_t>(x)];
      std::int64_t sum = std::int64_t{1} << (kPrecisionBits - 1);
      for (std::size_t i = 0; i < k.weights.size(); ++i) sum += std::int64_t{row[k.first + static_cast<std::int64_t>(i)]} * k.weights[i];
      out.v[static_cast<std::size_t>(y * outW + x)] = clip8(sum);
    }
  }
  return out;
}

Plane resampleColumns(const Plane& in, std::int64_t outH, ResampleFilter filter) {
  const std::vector<Kernel> ks = pilKernels(in.h, outH, filter);
  Plane out{in.w, outH, std::vector<std::uint8_t>(static_cast<std::size_t>(in.w * outH))};
  for (std::int64_t y = 0; y < outH; ++y) {
    const Kernel& k = ks[static_cast<std::size_t>(y)];
    for (std::int64_t x = 0; x < in.w; ++x) {
      std::int64_t sum = std::int64_t{1} << (kPrecisionBits - 1);
      for (std::size_t i = 0; i < k.weights.size(); ++i)
        sum += std::int64_t{in.v[static_cast<std::size_t>((k.first + static_cast<std::int64_t>(i)) * in.w + x)]} * k.weights[i];
      out.v[static_cast<std::size_t>(y * in.w + x)] = clip8(sum);
    }
  }
  return out;
}

// PIL's NEAREST (Image.resize -> ImagingTransformAffine -> ImagingScaleAffine in Geometry.c): source position of
// output x is a0 / 2 + x * a0 with a0 = in / out, accumulated by repeated addition as PIL does (the sum can differ from
// the product in the last bit), truncated; a position outside the image gives 0 (PIL's fill).
Plane nearestResize(const Plane& in, std::int64_t outH, std::int64_t outW) {
  const auto table = [](std::int64_t inSize, std::int64_t outSize) {
    const double step = static_cast<double>(inSize) / static_cast<double>(outSize);
    std::vector<std::int64_t> index(static_cast<std::size_t>(outSize));
    double pos = step * 0.5;
    for (std::int64_t o = 0; o < outSize; ++o) {
      const std::int64_t i = pos < 0.0 ? -1 : static_cast<std::int64_t>(pos);
      index[static_cast<std::size_t>(o)] = i < inSize ? i : -1;
      pos += step;
    }
    return index;
  };
  const std::vector<std::int64_t> xs = table(in.w, outW), ys = table(in.h, outH);
  Plane out{outW, outH, std::vector<std::uint8_t>(static_cast<std::size_t>(outW * outH), 0)};
  for (std::int64_t y = 0; y < outH; ++y) {
    const std::int64_t sy = ys[static_cast<std::size_t>(y)];
    if (sy < 0) continue;
    for (std::int64_t x = 0; x < outW; ++x) {
      const std::int64_t sx = xs[static_cast<std::size_t>(x)];
      if (sx >= 0) out.v[static_cast<std::size_t>(y * outW + x)] = in.v[static_cast<std::size_t>(sy * in.w + sx)];
    }
  }
  return out;
}

Plane resize(Plane p, std::int64_t outH, std::int64_t outW, ResampleFilter filter) {
  if (filter == ResampleFilter::Nearest) return outH == p.h && outW == p.w ? p : nearestResize(p, outH, outW);
  // PIL's order (rows first) makes an outW x H intermediate: a 1-pixel-wide, 64 M-pixel-tall image resized to 224
  // wide would need 14 G samples. Refused past 4 x kMaxResizedPixels; real images stay far below (4000x3000 -> 224
  // wide: 0.7 M).
  if (outW != p.w && outW * p.h > 4 * kMaxResizedPixels)
    throw InputError("image", "the image is " + std::to_string(p.w) + "x" + std::to_string(p.h) +
                                  " pixels: too thin to resize to a width of " + std::to_string(outW) + " (" +
                                  std::to_string(outW * p.h) + " samples in between, more than " +
                                  std::to_string(4 * kMaxResizedPixels) + ")");
  if (outW != p.w) p = resampleRows(p, outW, filter);
  if (outH != p.h) p = resampleColumns(p, outH, filter);
  return p;
}

// Hugging Face's center_crop: top = floor((H - h) / 2), left likewise; outside the image (a crop bigger than it)
// is zero.
Plane centerCrop(const Plane& in, std::int64_t h, std::int64_t w) {
  const auto floorHalf = [](std::int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); };
  const std::int64_t top = floorHalf(in.h - h), left = floorHalf(in.w - w);
  Plane out{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w * h), 0)};
  for (std::int64_t y = 0; y < h; ++y)
    for (std::int64_t x = 0; x < w; ++x) {
      const std::int64_t sy = top + y, sx = left + x;
      if (sy >= 0 && sy < in.h && sx >= 0 && sx < in.w)
        out.v[static_cast<std::size_t>(y * w + x)] = in.v[static_cast<std::size_t>(sy * in.w + sx)];
    }
  return out;
}

// Hugging Face's get_resize_output_image_size(default_to_square=False): the shorter side to `edge`, the longer
// int(edge * long / short).
std::pair<std::int64_t, std::int64_t> shortestEdgeSize(std::int64_t h, std::int64_t w, std::int64_t edge) {
  const std::int64_t shortSide = std::min(h, w), longSide = std::max(h, w);
  const auto longOut = static_cast<std::int64_t>(static_cast<double>(edge) * static_cast<double>(longSide) /
                                                 static_cast<double>(shortSide));
  return w <= h ? std::pair{longOut, edge} : std::pair{edge, longOut};
}

}  // namespace

Tensor preprocessImage(const RgbImage& image, const VitPreprocess& p, std::int64_t channels) {
  if (image.width <= 0 || image.height <= 0) throw InputError("image", "the image has no pixels");
  const std::int64_t w = image.width, h = image.height;
  std::vector<Plane> planes(static_cast<std::size_t>(channels), Plane{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w * h))});
  for (std::int64_t i = 0; i < w * h; ++i) {
    const std::uint8_t* px = image.rgb.data() + i * 3;
    if (channels == 1) {
      planes[0].v[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((299 * px[0] + 587 * px[1] + 114 * px[2] + 500) / 1000);
    } else {
      for (std::int64_t c = 0; c < channels; ++c) planes[static_cast<std::size_t>(c)].v[static_cast<std::size_t>(i)] = px[std::min<std::int64_t>(c, 2)];
    }
  }
  if (p.resize) {
    const auto [outH, outW] = p.shortestEdge > 0 ? shortestEdgeSize(h, w, p.shortestEdge) : std::pair{p.height, p.width};
    // A long thin image resized by its shortest edge grows without bound (2x131074 pixels to 26 x 1.7 M): refuse
    // before allocating. 4 M pixels is 8x the largest ViT input in use (518x518 before a crop).
    if (outH * outW > kMaxResizedPixels)
      throw InputError("image", "resizing this " + std::to_string(w) + "x" + std::to_string(h) + " image as the model's "
                                "preprocessor asks would make " + std::to_string(outW) + "x" + std::to_string(outH) +
                                " pixels, more than the limit of " + std::to_string(kMaxResizedPixels));
    for (Plane& plane : planes) plane = resize(std::move(plane), outH, outW, p.filter);
  }
  if (p.centerCrop)
    for (Plane& plane : planes) plane = centerCrop(plane, p.cropHeight, p.cropWidth);

  const std::int64_t outH = planes[0].h, outW = planes[0].w;
  Tensor out({channels, outH, outW});
  for (std::int64_t c = 0; c < channels; ++c) {
    const std::vector<std::uint8_t>& src = planes[static_cast<std::size_t>(c)].v;
    float* dst = out.data() + c * outH * outW;
    const float mean = p.normalize ? p.mean[static_cast<std::size_t>(c)] : 0.0f;
    const float stdev = p.normalize ? p.std[static_cast<std::size_t>(c)] : 1.0f;
    for (std::size_t i = 0; i < src.size(); ++i) {
      // Rescaled in double, then float32 (numpy's uint8 * float, astype(float32)); normalised in float32.
      const float v = p.rescale ? static_cast<float>(src[i] * p.rescaleFactor) : static_cast<float>(src[i]);
      dst[i] = p.normalize ? (v - mean) / stdev : v;
    }
  }
  return out;
}

}  // namespace attnviz

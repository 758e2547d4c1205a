// ViT preprocessing (engine/models/vit/image_input.h): rounded luma grey conversion, rescale and normalisation per
// channel on hand-made images; the resize against Pillow itself (tests/data/pil-resize.npz, 48 bilinear and bicubic
// cases, made by tests/data/make_pil_resize_fixture.py), which must be identical; center crop and shortest-edge
// sizes as Hugging Face computes them.
#include <gtest/gtest.h>

#include <string>

#include "engine/core/error.h"
#include "engine/io/tensor_files.h"
#include "engine/models/vit/image_input.h"

using attnviz::RgbImage;
using attnviz::VitPreprocess;

namespace {

VitPreprocess identity(std::int64_t h, std::int64_t w, int channels) {
  VitPreprocess p;
  p.resize = false;
  p.height = h;
  p.width = w;
  p.rescale = false;
  p.normalize = false;
  p.mean.assign(static_cast<std::size_t>(channels), 0.0f);
  p.std.assign(static_cast<std::size_t>(channels), 1.0f);
  return p;
}

}  // namespace

TEST(ImagePreprocess, GreyIsRoundedLuma) {
  const RgbImage img{3, 1, {255, 0, 0, 0, 255, 0, 0, 0, 255}};
  const attnviz::Tensor t = attnviz::preprocessImage(img, identity(1, 3, 1), 1);
  ASSERT_EQ(t.shape(), (attnviz::Shape{1, 1, 3}));
  EXPECT_EQ(t.data()[0], 76.0f);   // (299 * 255 + 500) / 1000
  EXPECT_EQ(t.data()[1], 150.0f);  // (587 * 255 + 500) / 1000
  EXPECT_EQ(t.data()[2], 29.0f);   // (114 * 255 + 500) / 1000
}

TEST(ImagePreprocess, RgbPlanesRescaledAndNormalised) {
  const RgbImage img{1, 1, {255, 0, 51}};
  VitPreprocess p = identity(1, 1, 3);
  p.rescale = true;
  p.rescaleFactor = 1.0f / 255.0f;
  p.normalize = true;
  p.mean = {0.5f, 0.5f, 0.5f};
  p.std = {0.5f, 0.25f, 0.5f};
  const attnviz::Tensor t = attnviz::preprocessImage(img, p, 3);
  EXPECT_FLOAT_EQ(t.data()[0], 1.0f);
  EXPECT_FLOAT_EQ(t.data()[1], -2.0f);
  EXPECT_NEAR(t.data()[2], (0.2f - 0.5f) / 0.5f, 1e-6);
}

TEST(ImagePreprocess, ResizeIsPillowExactly) {
  const attnviz::NamedTensors npz = attnviz::readNpz(std::string(ATTNVIZ_TEST_DATA) + "/pil-resize.npz");
  auto get = [&](const std::string& name) -> const attnviz::Tensor& {
    for (const auto& [n, t] : npz.tensors)
      if (n == name) return t;
    throw std::runtime_error("pil-resize.npz has no " + name);
  };
  int cases = 0;
  for (int i = 0;; ++i) {
    bool present = false;
    for (const auto& entry : npz.tensors) present = present || entry.first == "in_" + std::to_string(i);
    if (!present) break;
    const attnviz::Tensor& in = get("in_" + std::to_string(i));    // [H, W, 3]
    const attnviz::Tensor& out = get("out_" + std::to_string(i));  // [h, w, 3]
    RgbImage img{in.dim(1), in.dim(0), {}};
    for (float v : in.values()) img.rgb.push_back(static_cast<std::uint8_t>(v));
    VitPreprocess p = identity(out.dim(0), out.dim(1), 3);
    p.resize = true;
    p.filter = get("resample_" + std::to_string(i)).data()[0] == 3 ? attnviz::ResampleFilter::Bicubic
                                                                   : attnviz::ResampleFilter::Bilinear;
    const attnviz::Tensor t = attnviz::preprocessImage(img, p, 3);  // [3, h, w]
    ASSERT_EQ(t.shape(), (attnviz::Shape{3, out.dim(0), out.dim(1)})) << "case " << i;
    int wrong = 0;
    for (std::int64_t c = 0; c < 3; ++c)
      for (std::int64_t y = 0; y < out.dim(0); ++y)
        for (std::int64_t x = 0; x < out.dim(1); ++x) wrong += t.at({c, y, x}) != out.at({y, x, c});
    EXPECT_EQ(wrong, 0) << "case " << i << ": " << in.dim(1) << "x" << in.dim(0) << " -> " << out.dim(1) << "x" << out.dim(0);
    ++cases;
  }
  EXPECT_EQ(cases, 48);
}

TEST(ImagePreprocess, ShrinkingIsAntialiased) {
  // 4x1 grey 0, 40, 80, 120 -> 2x1: PIL's bilinear filter widens by the scale 2. Output 0 is centred at 1.0 and
  // reads pixels 0, 1, 2 with triangle weights 0.75, 0.75, 0.25 (normalised: 3/7, 3/7, 1/7): 200 / 7 -> 29.
  const RgbImage wide{4, 1, {0, 0, 0, 40, 40, 40, 80, 80, 80, 120, 120, 120}};
  VitPreprocess q = identity(1, 2, 1);
  q.resize = true;
  const attnviz::Tensor u = attnviz::preprocessImage(wide, q, 1);
  EXPECT_FLOAT_EQ(u.data()[0], 29.0f);  // Pillow: Image.fromarray(...).resize((2, 1), BILINEAR) -> 29, 91
  EXPECT_FLOAT_EQ(u.data()[1], 91.0f);
}

TEST(ImagePreprocess, CenterCropAndShortestEdge) {
  // 4x3 grey 0..11 row-major, crop 2x2: top = (3 - 2) // 2 = 0, left = (4 - 2) // 2 = 1.
  RgbImage img{4, 3, {}};
  for (int v = 0; v < 12; ++v) img.rgb.insert(img.rgb.end(), {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v)});
  VitPreprocess p = identity(2, 2, 1);
  p.centerCrop = true;
  p.cropHeight = p.cropWidth = 2;
  const attnviz::Tensor t = attnviz::preprocessImage(img, p, 1);
  ASSERT_EQ(t.shape(), (attnviz::Shape{1, 2, 2}));
  EXPECT_EQ(std::vector<float>(t.values().begin(), t.values().end()), (std::vector<float>{1, 2, 5, 6}));
  // A crop bigger than the image: zeros around it (top = (3 - 5) // 2 = -1, left = (4 - 6) // 2 = -1).
  p.cropHeight = 5;
  p.cropWidth = 6;
  const attnviz::Tensor padded = attnviz::preprocessImage(img, p, 1);
  ASSERT_EQ(padded.shape(), (attnviz::Shape{1, 5, 6}));
  EXPECT_EQ(padded.at({0, 0, 0}), 0.0f);
  EXPECT_EQ(padded.at({0, 1, 1}), 0.0f);  // image (0, 0)
  EXPECT_EQ(padded.at({0, 3, 4}), 11.0f);  // image (2, 3)
  EXPECT_EQ(padded.at({0, 4, 5}), 0.0f);
  // shortest_edge 6 on 4x3 (W x H): height 6, width int(6 * 4 / 3) = 8.
  VitPreprocess s = identity(0, 0, 1);
  s.resize = true;
  s.shortestEdge = 6;
  EXPECT_EQ(attnviz::preprocessImage(img, s, 1).shape(), (attnviz::Shape{1, 6, 8}));
}

TEST(ImagePreprocess, ResizeOutputIsBounded) {
  // 2 x 40000 grey, shortest edge 256: 256 x 5,120,000 pixels would be made; refused with the sizes named.
  RgbImage thin{2, 40000, std::vector<std::uint8_t>(2 * 40000 * 3, 7)};
  VitPreprocess p = identity(0, 0, 1);
  p.resize = true;
  p.shortestEdge = 256;
  try {
    attnviz::preprocessImage(thin, p, 1);
    FAIL() << "a resize to 256 x 5,120,000 was allowed";
  } catch (const attnviz::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("256x5120000"), std::string::npos) << e.what();
  }
}

TEST(ImagePreprocess, ThinImagesDoNotBlowUpTheIntermediate) {
  // 1 x 100000 to 224 x 224: PIL's row pass first would make 224 x 100000 = 22.4 M samples; refused, sizes named.
  RgbImage thin{1, 100000, std::vector<std::uint8_t>(100000 * 3, 9)};
  VitPreprocess p = identity(224, 224, 3);
  p.resize = true;
  try {
    attnviz::preprocessImage(thin, p, 3);
    FAIL() << "a 224 x 100000 intermediate was allowed";
  } catch (const attnviz::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1x100000"), std::string::npos) << e.what();
  }
  // A tall but ordinary image still resizes: 100 x 20000 -> 224 x 224 (224 x 20000 = 4.5 M in between).
  RgbImage tall{100, 20000, std::vector<std::uint8_t>(100 * 20000 * 3, 9)};
  EXPECT_EQ(attnviz::preprocessImage(tall, p, 3).shape(), (attnviz::Shape{3, 224, 224}));
}

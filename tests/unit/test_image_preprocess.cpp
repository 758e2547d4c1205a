// ViT preprocessing (engine/models/vit/image_input.h) on hand-made images with known answers: rounded luma grey
// conversion, bilinear resize with half-pixel centres (torch interpolate, align_corners=False), rescale and
// normalisation per channel.
#include <gtest/gtest.h>

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

TEST(ImagePreprocess, BilinearHalfPixelCentres) {
  // 2x1 grey 0, 100 -> 4x1: source x = (dst + 0.5) * 0.5 - 0.5 = -0.25 (clamped 0), 0.25, 0.75, 1.25 (-> 1)
  const RgbImage img{2, 1, {0, 0, 0, 100, 100, 100}};
  VitPreprocess p = identity(1, 4, 1);
  p.resize = true;
  const attnviz::Tensor t = attnviz::preprocessImage(img, p, 1);
  ASSERT_EQ(t.shape(), (attnviz::Shape{1, 1, 4}));
  EXPECT_FLOAT_EQ(t.data()[0], 0.0f);
  EXPECT_FLOAT_EQ(t.data()[1], 25.0f);
  EXPECT_FLOAT_EQ(t.data()[2], 75.0f);
  EXPECT_FLOAT_EQ(t.data()[3], 100.0f);
  // Downscaling 4 -> 2 samples at 0.5 and 2.5: no antialiasing.
  const RgbImage wide{4, 1, {0, 0, 0, 40, 40, 40, 80, 80, 80, 120, 120, 120}};
  VitPreprocess q = identity(1, 2, 1);
  q.resize = true;
  const attnviz::Tensor u = attnviz::preprocessImage(wide, q, 1);
  EXPECT_FLOAT_EQ(u.data()[0], 20.0f);
  EXPECT_FLOAT_EQ(u.data()[1], 100.0f);
}

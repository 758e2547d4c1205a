// Image decoding (engine/io/image_file.h) on the byte-exact files of tests/data/images
// (tests/data/make_image_fixtures.py): RGB, greyscale, 16-bit, alpha, palette, BMP give the known pixels;
// truncated, non-image, missing and oversized files are InputErrors naming the file, never a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/image_file.h"

namespace {

const std::string kImages = std::string(ATTNVIZ_TEST_DATA) + "/images/";

std::vector<int> pixels(const attnviz::RgbImage& image) { return {image.rgb.begin(), image.rgb.end()}; }

void expectInputError(const std::string& name, const std::string& fragment) {
  try {
    attnviz::decodeImage(kImages + name, name);
    ADD_FAILURE() << name << " was decoded";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), name);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(ImageFile, DecodesKnownPixels) {
  const attnviz::RgbImage rgb = attnviz::decodeImage(kImages + "rgb-3x2.png", "rgb");
  EXPECT_EQ(rgb.width, 3);
  EXPECT_EQ(rgb.height, 2);
  EXPECT_EQ(pixels(rgb), (std::vector<int>{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 10, 20, 30}));
  EXPECT_EQ(pixels(attnviz::decodeImage(kImages + "grey-2x2.png", "g")),
            (std::vector<int>{0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255}));
  EXPECT_EQ(pixels(attnviz::decodeImage(kImages + "grey16-2x1.png", "g16")), (std::vector<int>{0, 0, 0, 255, 255, 255}));
  // Alpha dropped, not composited (PIL's convert("RGB")).
  EXPECT_EQ(pixels(attnviz::decodeImage(kImages + "rgba-2x1.png", "a")), (std::vector<int>{255, 0, 0, 0, 0, 255}));
  EXPECT_EQ(pixels(attnviz::decodeImage(kImages + "palette-2x1.png", "p")), (std::vector<int>{0, 128, 255, 255, 255, 0}));
  EXPECT_EQ(pixels(attnviz::decodeImage(kImages + "rgb-2x2.bmp", "bmp")),
            (std::vector<int>{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}));
}

TEST(ImageFile, BrokenFilesAreInputErrors) {
  expectInputError("truncated.png", "damaged");
  expectInputError("not-an-image.png", "cannot read");
  expectInputError("no-such-file.png", "cannot read");
  expectInputError("huge-header.png", "limit");
}

// Images for Vision Transformers: preprocessing as a Hugging Face ViTImageProcessor describes it (decoding is
// engine/io/image_file.h). The Python reference is preprocess() in models/reference/vit.py.
//
//   attnviz::RgbImage img = attnviz::decodeImage("shoe.png", "shoe.png");        // InputError naming the file
//   attnviz::Tensor pixels = attnviz::preprocessImage(img, preprocess, channels);  // [C, H, W]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/io/image_file.h"
#include "engine/models/vit/vit_config.h"

namespace attnviz {

// The most pixels preprocessing resizes an image to (a thin image by its shortest edge could otherwise grow huge).
constexpr std::int64_t kMaxResizedPixels = 4LL * 1024 * 1024;

// -> [channels, H, W] float: converted to `channels` (1: grey = (299 R + 587 G + 114 B + 500) / 1000, ITU-R 601
// luma rounded, as PIL's "L" documents it; 3: RGB), then as Hugging Face's processors: resized with PIL's
// algorithm on 8-bit samples (any of its six filters; the convolutions antialiased when shrinking), center-cropped, rescaled (in double,
// then float), normalised (float).
Tensor preprocessImage(const RgbImage& image, const VitPreprocess& preprocess, std::int64_t channels);

}  // namespace attnviz

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

// -> [channels, H, W] float: converted to `channels` (1: grey = (299 R + 587 G + 114 B + 500) / 1000, ITU-R 601
// luma rounded, as PIL's "L" documents it; 3: RGB), resized with bilinear interpolation (half-pixel centres, no antialiasing, as
// torch.nn.functional.interpolate(align_corners=False)) when asked, rescaled, normalised.
Tensor preprocessImage(const RgbImage& image, const VitPreprocess& preprocess, std::int64_t channels);

}  // namespace attnviz

// preprocessor_config.json of ViT/DeiT checkpoints (engine/models/vit/vit_config.h hfVitPreprocess): the layouts
// Hugging Face writes (ViT's height/width, DeiT's numbers with a center crop, shortest_edge with a crop) are read;
// what attnviz cannot honour is refused with a message naming the key: other resample filters, shortest_edge
// without a crop, a final size that is not the model's image_size, per-channel statistics of the wrong length or
// a zero std.
#include <gtest/gtest.h>

#include <string>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/models/vit/vit_config.h"

using attnviz::VitPreprocess;

namespace {

attnviz::VitConfig config224() {
  attnviz::VitConfig c;
  c.imageSize = 224;
  c.patchSize = 16;
  c.numChannels = 3;
  return c;
}

VitPreprocess read(const std::string& json) {
  const attnviz::Params p("preprocessor_config.json", json);
  return attnviz::hfVitPreprocess(&p, config224(), "preprocessor_config.json");
}

std::string refusal(const std::string& json) {
  try {
    read(json);
  } catch (const attnviz::ModelFileError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(VitPreprocessorConfig, HuggingFaceLayouts) {
  const VitPreprocess vit = read(R"({"size": {"height": 224, "width": 224}, "resample": 2, "image_mean": [0.5, 0.5, 0.5]})");
  EXPECT_EQ(vit.height, 224);
  EXPECT_FALSE(vit.centerCrop);
  EXPECT_EQ(vit.filter, attnviz::ResampleFilter::Bilinear);
  // DeiT: numbers are squares, bicubic, crop 224 out of 256.
  const VitPreprocess deit = read(R"({"size": 256, "resample": 3, "do_center_crop": true, "crop_size": 224})");
  EXPECT_EQ(deit.height, 256);
  EXPECT_EQ(deit.width, 256);
  EXPECT_TRUE(deit.centerCrop);
  EXPECT_EQ(deit.cropHeight, 224);
  EXPECT_EQ(deit.filter, attnviz::ResampleFilter::Bicubic);
  const VitPreprocess edge =
      read(R"({"size": {"shortest_edge": 256}, "do_center_crop": true, "crop_size": {"height": 224, "width": 224}})");
  EXPECT_EQ(edge.shortestEdge, 256);
  EXPECT_EQ(edge.cropWidth, 224);
  EXPECT_DOUBLE_EQ(read("{}").rescaleFactor, 1.0 / 255.0);
}

TEST(VitPreprocessorConfig, WhatCannotBeHonouredIsRefusedByKey) {
  EXPECT_NE(refusal(R"({"resample": 1})").find("resample 1"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"shortest_edge": 224}})").find("shortest_edge"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"height": 200, "width": 200}})").find("image_size is 224"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": 256, "do_center_crop": true, "crop_size": 200})").find("crop_size"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"width": 224}})").find("size must give"), std::string::npos);
  EXPECT_NE(refusal(R"({"image_mean": [0.5, 0.5]})").find("one value per channel"), std::string::npos);
  EXPECT_NE(refusal(R"({"image_std": [0.5, 0.0, 0.5]})").find("positive"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": -3})").find("size"), std::string::npos);
}

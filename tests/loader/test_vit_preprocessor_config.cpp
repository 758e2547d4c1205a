// preprocessor_config.json of ViT/DeiT checkpoints (engine/models/vit/vit_config.h hfVitPreprocess): the layouts
// Hugging Face writes (ViT's height/width, DeiT's numbers with a center crop, shortest_edge with a crop) are read;
// "resample" as transformers reads it, each of PIL's six filters identical to Pillow's; what attnviz cannot honour is
// refused with a message naming preprocessor_config.json and the key: a resample that is no PIL filter, shortest_edge
// without a crop, a final size that is not the model's image_size, per-channel statistics of the wrong length or
// a zero std.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "engine/models/vit/image_input.h"
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
  EXPECT_NE(refusal(R"({"resample": 7})").find("key 'resample' is 7"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"shortest_edge": 224}})").find("shortest_edge"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"height": 200, "width": 200}})").find("image_size is 224"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": 256, "do_center_crop": true, "crop_size": 200})").find("crop_size"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": {"width": 224}})").find("size must give"), std::string::npos);
  EXPECT_NE(refusal(R"({"image_mean": [0.5, 0.5]})").find("one value per channel"), std::string::npos);
  EXPECT_NE(refusal(R"({"image_std": [0.5, 0.0, 0.5]})").find("positive"), std::string::npos);
  EXPECT_NE(refusal(R"({"size": -3})").find("size"), std::string::npos);
}

// "resample" as transformers hands it to PIL: the numbers 0-5, a boolean as Python's 0/1 (older files hold false),
// null as transformers' resize() default, absent as the processor class's default.
TEST(VitPreprocessorConfig, ResampleIsReadAsTransformersReadsIt) {
  using attnviz::ResampleFilter;
  const ResampleFilter expected[] = {ResampleFilter::Nearest, ResampleFilter::Lanczos, ResampleFilter::Bilinear,
                                     ResampleFilter::Bicubic, ResampleFilter::Box,     ResampleFilter::Hamming};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(read(R"({"resample": )" + std::to_string(i) + "}").filter, expected[i]) << "resample " << i;
  EXPECT_EQ(read(R"({"resample": 3.0})").filter, ResampleFilter::Bicubic);
  EXPECT_EQ(read(R"({"resample": false})").filter, ResampleFilter::Nearest);  // False == 0 in Python
  EXPECT_EQ(read(R"({"resample": true})").filter, ResampleFilter::Lanczos);   // True == 1
  EXPECT_EQ(read(R"({"resample": null})").filter, ResampleFilter::Bilinear);
  EXPECT_EQ(read(R"({"image_processor_type": "ViTImageProcessor"})").filter, ResampleFilter::Bilinear);
  EXPECT_EQ(read(R"({"image_processor_type": "DeiTImageProcessor"})").filter, ResampleFilter::Bicubic);
  EXPECT_EQ(read(R"({"feature_extractor_type": "DeiTFeatureExtractor"})").filter, ResampleFilter::Bicubic);
  attnviz::VitConfig deit = config224();
  deit.distillationToken = true;
  const attnviz::Params empty("preprocessor_config.json", "{}");
  EXPECT_EQ(attnviz::hfVitPreprocess(&empty, deit, "preprocessor_config.json").filter, ResampleFilter::Bicubic);
  EXPECT_EQ(read("{}").filter, ResampleFilter::Bilinear);
  EXPECT_STREQ(attnviz::resampleName(ResampleFilter::Hamming), "HAMMING");
}

// Every refusal of a preprocessor key names preprocessor_config.json (never config.json), the key, the value and a fix.
TEST(VitPreprocessorConfig, RefusalsNamePreprocessorConfig) {
  const attnviz::VitConfig c = config224();
  const std::string file = "ckpt/preprocessor_config.json";
  auto message = [&](const std::string& json) {
    try {
      const attnviz::Params p(file, json);
      attnviz::hfVitPreprocess(&p, c, file);
    } catch (const attnviz::ModelFileError& e) {
      return e.where() + ": " + e.what();
    }
    return std::string("(accepted)");
  };
  for (const std::string json : {R"({"resample": 6})", R"({"resample": -1})", R"({"resample": 2.5})",
                                 R"({"resample": "bilinear"})", R"({"resample": "false"})", R"({"resample": [2]})",
                                 R"({"do_resize": "yes"})", R"({"do_normalize": 1})", R"({"rescale_factor": "x"})"}) {
    const std::string m = message(json);
    SCOPED_TRACE(json + " -> " + m);
    EXPECT_EQ(m.rfind(file + ": ", 0), 0u);
    EXPECT_EQ(m.find(" config.json"), std::string::npos);  // the preprocessor's file is at fault, not config.json
    EXPECT_EQ(m.find("fix config.json"), std::string::npos);
    EXPECT_NE(m.find("key '"), std::string::npos);
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
  EXPECT_NE(message(R"({"resample": 6})").find("0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING"), std::string::npos);
  EXPECT_NE(message(R"({"resample": "bilinear"})").find("the string \"bilinear\""), std::string::npos);
  EXPECT_NE(message(R"({"do_resize": "yes"})").find("fix preprocessor_config.json"), std::string::npos);
}

// Each of PIL's six filters gives exactly what Pillow 9.4's Image.resize gives (tests/data/pil-resample.npz, written
// by tests/data/make_pil_resample_fixture.py with Debian's python3-pil): up- and downscaling, random and smooth images.
TEST(VitPreprocessorConfig, EveryResampleFilterIsPillowExactly) {
  const attnviz::NamedTensors npz = attnviz::readNpz(std::string(ATTNVIZ_TEST_DATA) + "/pil-resample.npz");
  std::map<std::string, const attnviz::Tensor*> byName;
  for (const auto& [n, t] : npz.tensors) byName[n] = &t;
  int cases = 0, perFilter[6] = {};
  for (int i = 0; byName.count("in_" + std::to_string(i)); ++i) {
    const attnviz::Tensor& in = *byName.at("in_" + std::to_string(i));    // [H, W, 3]
    const attnviz::Tensor& out = *byName.at("out_" + std::to_string(i));  // [h, w, 3]
    const int resample = static_cast<int>(byName.at("resample_" + std::to_string(i))->data()[0]);
    attnviz::RgbImage img{in.dim(1), in.dim(0), {}};
    for (float v : in.values()) img.rgb.push_back(static_cast<std::uint8_t>(v));
    VitPreprocess p;
    p.height = out.dim(0);
    p.width = out.dim(1);
    p.filter = static_cast<attnviz::ResampleFilter>(resample);
    p.rescale = p.normalize = false;
    p.mean.assign(3, 0.0f);
    p.std.assign(3, 1.0f);
    const attnviz::Tensor t = attnviz::preprocessImage(img, p, 3);  // [3, h, w]
    ASSERT_EQ(t.shape(), (attnviz::Shape{3, out.dim(0), out.dim(1)})) << "case " << i;
    int wrong = 0;
    for (std::int64_t ch = 0; ch < 3; ++ch)
      for (std::int64_t y = 0; y < out.dim(0); ++y)
        for (std::int64_t x = 0; x < out.dim(1); ++x) wrong += t.at({ch, y, x}) != out.at({y, x, ch});
    EXPECT_EQ(wrong, 0) << "case " << i << ", " << attnviz::resampleName(p.filter) << ": " << in.dim(1) << "x"
                        << in.dim(0) << " -> " << out.dim(1) << "x" << out.dim(0);
    ++perFilter[resample];
    ++cases;
  }
  EXPECT_EQ(cases, 54);
  for (int f = 0; f < 6; ++f) EXPECT_EQ(perFilter[f], 9) << "resample " << f;
}

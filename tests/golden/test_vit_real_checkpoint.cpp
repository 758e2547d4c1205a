// Golden parity of the vit kind against transformers itself: ../shared/real-checkpoints/vit, a tiny random
// ViTForImageClassification saved by transformers 5.11 (its config with "architectures": null, "dtype": null,
// "problem_type": null; its layers under the 5.x names layers.N.attention.q_proj, mlp.fc1, ...; no
// preprocessor_config.json), with the float64 logits transformers computed for a given pixel tensor
// (_provenance/tiny_vit_logits.json, made by _provenance/vit_tiny_fixture.py: pixels [3][12][12] fed as
// pixel_values [1, 3, 12, 12]). Each pixel tensor goes in as --pixels does: written to a .npy (float64 as given
// and float32, [1, 3, H, W] and [3, H, W]) and run through Input::fromPixels. Logits within 1e-4 (maxdiff printed),
// attention rows sum to 1, the classifier applied to "hidden"[0] gives the logits. Fails, never skips, when the
// folder is missing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"

namespace fs = std::filesystem;
using attnviz::Tensor;

namespace {

const fs::path kCheckpoint = fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/vit";
constexpr double kTolerance = 1e-4;

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The numbers of the JSON array that follows "key": in `json`, flattened in order, and its nesting depth's sizes.
std::vector<double> jsonArray(const std::string& json, const std::string& key, std::vector<std::int64_t>& shape) {
  const std::size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return {};
  std::size_t i = json.find('[', at);
  std::vector<double> values;
  std::vector<std::int64_t> counts;  // elements seen at each depth, for the first array at that depth
  std::vector<bool> done;
  int depth = 0;
  for (; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '[') {
      ++depth;
      if (static_cast<int>(counts.size()) < depth) {
        counts.push_back(0);
        done.push_back(false);
      }
      if (depth > 1 && !done[static_cast<std::size_t>(depth - 2)]) ++counts[static_cast<std::size_t>(depth - 2)];
    } else if (c == ']') {
      done[static_cast<std::size_t>(depth - 1)] = true;
      if (--depth == 0) break;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      char* end = nullptr;
      values.push_back(std::strtod(json.c_str() + i, &end));
      if (!done[static_cast<std::size_t>(depth - 1)]) ++counts[static_cast<std::size_t>(depth - 1)];
      i = static_cast<std::size_t>(end - json.c_str()) - 1;
    }
  }
  shape = counts;
  return values;
}

// A .npy v1 file of little-endian float64 ('<f8') or float32 ('<f4') values.
void writeNpy(const fs::path& path, const std::vector<double>& values, const std::vector<std::int64_t>& shape, bool f64) {
  std::string dims;
  for (std::int64_t d : shape) dims += std::to_string(d) + ", ";
  std::string header = std::string("{'descr': '") + (f64 ? "<f8" : "<f4") + "', 'fortran_order': False, 'shape': (" +
                       dims + "), }";
  header.resize(118, ' ');  // 10 + 118 = 128 bytes before the data, as numpy aligns
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  const unsigned char preamble[] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<unsigned char>(header.size()), 0};
  out.write(reinterpret_cast<const char*>(preamble), sizeof preamble);
  out << header;
  for (double v : values) {
    if (f64) {
      out.write(reinterpret_cast<const char*>(&v), sizeof v);
    } else {
      const float f = static_cast<float>(v);
      out.write(reinterpret_cast<const char*>(&f), sizeof f);
    }
  }
}

const Tensor& tensorNamed(const attnviz::NamedTensors& t, const std::string& name) {
  for (const auto& [n, tensor] : t.tensors)
    if (n == name) return tensor;
  throw std::runtime_error("model.safetensors has no " + name);
}

}  // namespace

TEST(VitRealCheckpoint, LogitsMatchTransformers) {
  ASSERT_TRUE(fs::is_directory(kCheckpoint))
      << "the real-checkpoint oracle is missing: expected " << kCheckpoint << " (../shared/real-checkpoints beside the repository)";
  const std::string oracle = readText(kCheckpoint / "_provenance/tiny_vit_logits.json");
  std::vector<std::int64_t> pixelShape, logitShape;
  const std::vector<double> pixels = jsonArray(oracle, "pixels", pixelShape);
  const std::vector<double> expected = jsonArray(oracle, "logits", logitShape);
  ASSERT_EQ(pixelShape, (std::vector<std::int64_t>{3, 12, 12}));
  ASSERT_EQ(logitShape, (std::vector<std::int64_t>{1, 5}));

  const auto model = attnviz::loadModel(kCheckpoint.string());
  EXPECT_EQ(model->info().identity.kind, "vit");
  EXPECT_EQ(model->info().labels, (std::vector<std::string>{"LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4"}));
  const attnviz::NamedTensors weights = attnviz::readSafetensors((kCheckpoint / "model.safetensors").string());
  const Tensor& classifierWeight = tensorNamed(weights, "classifier.weight");  // [5, 16]
  const Tensor& classifierBias = tensorNamed(weights, "classifier.bias");      // [5]

  const fs::path dir = fs::temp_directory_path() / ("attnviz-vit-real-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Variant {
    const char* name;
    bool f64, batched;
  };
  for (const Variant v : {Variant{"f64-batched", true, true}, Variant{"f32-batched", false, true}, Variant{"f32", false, false},
                          Variant{"f64", true, false}}) {
    std::vector<std::int64_t> shape = pixelShape;
    if (v.batched) shape.insert(shape.begin(), 1);
    const fs::path npy = dir / (std::string(v.name) + ".npy");
    writeNpy(npy, pixels, shape, v.f64);
    attnviz::RunOptions options;
    options.hiddenStates = true;
    const attnviz::Trace t = model->run(attnviz::Input::fromPixels(npy.string()), options);

    EXPECT_EQ(t.input, npy.string());
    ASSERT_EQ(t.sourceTokens.size(), 10u);  // [CLS] + 3x3 patches
    EXPECT_EQ(t.sourceTokens.back(), "patch 2,2");
    const Tensor& logits = t.outputs.at("logits");
    ASSERT_EQ(logits.shape(), (attnviz::Shape{5}));
    double maxdiff = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
      maxdiff = std::max(maxdiff, std::abs(static_cast<double>(logits.data()[i]) - expected[i]));
    std::printf("vit real checkpoint, pixels %s: logits maxdiff = %.3e (tolerance %.0e)\n", v.name, maxdiff, kTolerance);
    EXPECT_LT(maxdiff, kTolerance) << v.name;
    EXPECT_EQ(t.prediction.label, "LABEL_4");  // the largest oracle logit, 2.066

    // "hidden" is the last hidden state after the final layer norm: the classifier reads its [CLS] row.
    const Tensor& hidden = t.outputs.at("hidden");
    ASSERT_EQ(hidden.shape(), (attnviz::Shape{10, 16}));
    double headDiff = 0;
    for (std::int64_t k = 0; k < 5; ++k) {
      double sum = classifierBias.data()[k];
      for (std::int64_t j = 0; j < 16; ++j) sum += static_cast<double>(classifierWeight.data()[k * 16 + j]) * hidden.data()[j];
      headDiff = std::max(headDiff, std::abs(sum - expected[static_cast<std::size_t>(k)]));
    }
    EXPECT_LT(headDiff, kTolerance) << v.name << ": classifier(hidden[0]) is not the logits";
    EXPECT_EQ(t.outputs.count("pooled"), 0u);  // ViTForImageClassification has no pooler

    const Tensor& self = t.attention.at("self");
    ASSERT_EQ(self.shape(), (attnviz::Shape{2, 4, 10, 10}));
    for (std::int64_t row = 0; row < self.numel() / 10; ++row) {
      double sum = 0;
      for (std::int64_t j = 0; j < 10; ++j) sum += self.data()[row * 10 + j];
      ASSERT_NEAR(sum, 1.0, 1e-5) << v.name << " attention row " << row;
    }
  }
  fs::remove_all(dir);
}

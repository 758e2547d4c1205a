// GlobEnc (contributions.h) and value zeroing (value_zeroing.h) against models/reference/globenc.py and
// value_zeroing.py, float64 numpy references written from reading mohsenfayyaz/GlobEnc and hmohebbi/ValueZeroing (the
// value-zeroing one also checked against a float64 PyTorch forward with the value rows zeroed by a hook; the BERT
// forward matches transformers' float64 logits to 1e-16). The cases of tests/data/contributions-golden/README.md:
// the transformers-written bert_seqcls, tiny-hf-bert, the shipped coref-bert and the pre-LN tiny ViT.
// globenc and globenc_rollout are raw norms (not normalised, as the GlobEnc repository): within 1e-4 of each map's
// largest entry. value_zeroing and its rollout within 1e-4; their rows sum to 1, and every value is non-negative.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "engine/api/model.h"
#include "engine/io/tensor_files.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

std::map<std::string, Tensor> golden(const std::string& file) {
  std::map<std::string, Tensor> out;
  for (auto& [name, t] : attnviz::readNpz(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/" + file).tensors)
    out[name] = t;
  return out;
}

std::vector<std::int64_t> ids(const Tensor& t) {
  std::vector<std::int64_t> out;
  for (float v : t.values()) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

double maxDiff(const Tensor& got, const Tensor& want) {
  EXPECT_EQ(got.shape(), want.shape());
  double worst = 0;
  for (std::int64_t i = 0; i < std::min(got.numel(), want.numel()); ++i)
    worst = std::max(worst, std::fabs(double(got.data()[i]) - want.data()[i]));
  return worst;
}

// The largest difference of each [N, N] map over that map's largest entry.
double maxRelativeToMapMax(const Tensor& got, const Tensor& want) {
  EXPECT_EQ(got.shape(), want.shape());
  const std::int64_t mapSize = want.dim(-1) * want.dim(-2);
  double worst = 0;
  for (std::int64_t m = 0; m * mapSize < want.numel(); ++m) {
    double top = 0, diff = 0;
    for (std::int64_t k = m * mapSize; k < (m + 1) * mapSize; ++k) {
      top = std::max(top, std::fabs(double(want.data()[k])));
      diff = std::max(diff, std::fabs(double(got.data()[k]) - want.data()[k]));
    }
    worst = std::max(worst, diff / std::max(top, 1e-30));
  }
  return worst;
}

void expectRowsSumToOne(const Tensor& t, const std::string& what) {
  const std::int64_t n = t.dim(-1);
  for (std::int64_t r = 0; r * n < t.numel(); ++r) {
    double sum = 0;
    for (std::int64_t k = 0; k < n; ++k) sum += t.data()[r * n + k];
    ASSERT_NEAR(sum, 1.0, 1e-5) << what << " row " << r;
  }
}

void expectCase(const attnviz::Model& model, const attnviz::Input& input, const std::map<std::string, Tensor>& g,
                const std::string& k, const std::string& label) {
  attnviz::RunOptions options;
  options.contributions = {.globenc = true, .valueZeroing = true};
  const attnviz::Trace t = model.run(input, options);
  const auto& a = t.attention;
  const double dG = maxRelativeToMapMax(a.at("globenc"), g.at("globenc_" + k));
  const double dGR = maxRelativeToMapMax(a.at("globenc_rollout"), g.at("globenc_rollout_" + k));
  const double dV = maxDiff(a.at("value_zeroing"), g.at("value_zeroing_" + k));
  const double dVR = maxDiff(a.at("value_zeroing_rollout"), g.at("value_zeroing_rollout_" + k));
  std::printf("%s case %s: globenc %.2e, globenc_rollout %.2e (of map max), value_zeroing %.2e, rollout %.2e\n",
              label.c_str(), k.c_str(), dG, dGR, dV, dVR);
  EXPECT_LT(dG, kTolerance) << label << " " << k;
  EXPECT_LT(dGR, kTolerance) << label << " " << k;
  EXPECT_LT(dV, kTolerance) << label << " " << k;
  EXPECT_LT(dVR, kTolerance) << label << " " << k;
  for (const char* name : {"globenc", "globenc_rollout", "value_zeroing", "value_zeroing_rollout"})
    for (float v : a.at(name).values()) ASSERT_GE(v, 0.0f) << label << " " << name;
  expectRowsSumToOne(a.at("value_zeroing"), label + " value_zeroing");
  expectRowsSumToOne(a.at("value_zeroing_rollout"), label + " value_zeroing_rollout");
  EXPECT_TRUE(t.attentionBlocks.empty()) << "the blocks are kept only when asked";
}

void expectTokenIdCases(const std::string& modelPath, const std::string& goldenFile) {
  const auto model = attnviz::loadModel(modelPath);
  const auto g = golden(goldenFile);
  int cases = 0;
  for (int k = 0; g.contains("ids_" + std::to_string(k)); ++k, ++cases) {
    const std::string key = std::to_string(k);
    expectCase(*model, attnviz::Input::fromTokenIds(ids(g.at("ids_" + key)), ids(g.at("types_" + key))), g, key, goldenFile);
  }
  EXPECT_GE(cases, 1) << goldenFile;
}

}  // namespace

TEST(GlobEncValueZeroingGolden, RealBertCheckpointWrittenByTransformers) {
  expectTokenIdCases((fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string(),
                     "globenc_vz_bert_seqcls.npz");
}

TEST(GlobEncValueZeroingGolden, TinyHfBert) {
  expectTokenIdCases(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert", "globenc_vz_tiny_hf_bert.npz");
}

TEST(GlobEncValueZeroingGolden, ShippedCoreferenceBert) {
  expectTokenIdCases(std::string(ATTNVIZ_SOURCE_DIR) + "/models/coref-bert", "globenc_vz_coref_bert.npz");
}

TEST(GlobEncValueZeroingGolden, PreLayerNormVit) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const auto g = golden("globenc_vz_tiny_hf_vit.npz");
  const Tensor& pixels = g.at("pixels");  // fed as they are (--pixels), from a .npy file
  const fs::path npy = fs::temp_directory_path() / ("attnviz-globenc-pixels-" + std::to_string(::getpid()) + ".npy");
  {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, " + std::to_string(pixels.dim(1)) + ", " +
                         std::to_string(pixels.dim(2)) + "), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::ofstream out(npy, std::ios::binary);
    const auto length = static_cast<unsigned short>(header.size());
    out << "\x93NUMPY" << char(1) << char(0) << char(length & 0xff) << char(length >> 8) << header;
    out.write(reinterpret_cast<const char*>(pixels.data()), pixels.numel() * 4);
  }
  expectCase(*model, attnviz::Input::fromPixels(npy.string()), g, "0", "globenc_vz_tiny_hf_vit.npz");
  fs::remove(npy);
}

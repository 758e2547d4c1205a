// Hugging Face checkpoints described for `attnviz info`: config.json keys, files present, and tensor and
// parameter counts from the safetensors header alone.
#include <gtest/gtest.h>

#include "engine/io/package.h"
#include "tests/loader/loader_test_util.h"

namespace attnviz {
namespace {

using test::failsWith;
using test::loaderData;

std::string configValue(const HfCheckpoint& h, const std::string& key) {
  for (const auto& [k, v] : h.config)
    if (k == key) return v;
  return "<no " + key + ">";
}

TEST(HfCheckpoint, DescribesAFolderAndAZip) {
  for (const char* name : {"valid/hf_bert", "valid/hf_bert.zip"}) {
    SCOPED_TRACE(name);
    const HfCheckpoint h = describeHfCheckpoint(loaderData(name));
    EXPECT_EQ(h.path, loaderData(name));
    EXPECT_EQ(h.isZip, std::string(name).ends_with(".zip"));
    EXPECT_EQ(h.modelType, "bert");
    EXPECT_EQ(h.architectures, (std::vector<std::string>{"BertForMaskedLM"}));
    EXPECT_EQ(configValue(h, "hidden_size"), "4");
    EXPECT_EQ(configValue(h, "layer_norm_eps"), "1e-12");
    EXPECT_EQ(configValue(h, "is_decoder"), "false");
    EXPECT_EQ(configValue(h, "id2label"), "<no id2label>");  // objects and arrays are not scalar keys
    EXPECT_EQ(h.files, (std::vector<std::string>{"config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"}));
    EXPECT_EQ(h.weightsFile, "model.safetensors");
    EXPECT_EQ(h.tensorCount, 3);      // the I64 buffer is counted, though readSafetensors would refuse it
    EXPECT_EQ(h.parameterCount, 13);  // 6 + 4 + 3
  }
}

TEST(HfCheckpoint, PickleIsNamedButNotRead) {
  const HfCheckpoint h = describeHfCheckpoint(loaderData("valid/hf_pickle"));
  EXPECT_EQ(h.modelType, "gpt2");
  EXPECT_EQ(h.weightsFile, "pytorch_model.bin");
  EXPECT_EQ(h.tensorCount, 0);
  EXPECT_EQ(h.parameterCount, 0);
}

TEST(HfCheckpoint, RefusesWhatIsNotACheckpoint) {
  EXPECT_TRUE(failsWith([] { describeHfCheckpoint(loaderData("valid/package")); }, {"has no config.json"}));
  EXPECT_TRUE(failsWith([] { describeHfCheckpoint(loaderData("valid/package.zip")); }, {"has no config.json"}));
  EXPECT_TRUE(failsWith([] { describeHfCheckpoint(loaderData("broken/not_a_zip.npz")); }, {"cannot be read as a zip"}));
}

}  // namespace
}  // namespace attnviz

// Hugging Face checkpoints that attnviz must refuse or read with care, each with a message naming the file, the
// key and the value: another activation, relative positions, a decoder, an unknown model_type, a pickle only,
// a vocabulary of the wrong size; and what it reads: a classifier without id2label (default labels), task heads
// it does not run listed, `attnviz info` of a runnable checkpoint. test_hf_heads.cpp has every head layout.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/api/model.h"

namespace fs = std::filesystem;

namespace {

const fs::path kBert = fs::path(ATTNVIZ_TEST_DATA) / "tiny-hf-bert";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// A copy of tiny-hf-bert in a fresh temporary folder, its config.json edited by `edit`.
fs::path copyWithConfig(const std::string& name, const std::function<std::string(std::string)>& edit) {
  const fs::path dir = fs::temp_directory_path() / ("attnviz-hf-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& f : fs::directory_iterator(kBert)) fs::copy_file(f.path(), dir / f.path().filename());
  write(dir / "config.json", edit(read(kBert / "config.json")));
  return dir;
}

std::string replaceKey(std::string config, const std::string& key, const std::string& value) {
  return std::regex_replace(config, std::regex("\"" + key + "\": [^,\\n]*"), "\"" + key + "\": " + value);
}

void expectRefused(const fs::path& dir, const std::string& fragment) {
  try {
    attnviz::loadModel(dir.string());
    ADD_FAILURE() << dir << " was loaded";
  } catch (const attnviz::ModelFileError& e) {
    const std::string all = e.where() + ": " + e.what();
    EXPECT_NE(all.find(fragment), std::string::npos) << all;
  }
  fs::remove_all(dir);
}

}  // namespace

TEST(HfEncoder, RefusesWhatItDoesNotImplement) {
  expectRefused(copyWithConfig("act", [](std::string c) { return replaceKey(c, "hidden_act", "\"relu\""); }),
                "'hidden_act' is \"relu\"");
  expectRefused(copyWithConfig("pos", [](std::string c) {
                  return replaceKey(c, "position_embedding_type", "\"relative_key\"");
                }),
                "'position_embedding_type' is \"relative_key\"");
  expectRefused(copyWithConfig("dec", [](std::string c) { return c.substr(0, c.rfind('}')) + ", \"is_decoder\": true}"; }),
                "'is_decoder' is true");
  expectRefused(copyWithConfig("heads", [](std::string c) { return replaceKey(c, "num_attention_heads", "3"); }),
                "not divisible");
  expectRefused(copyWithConfig("vocab", [](std::string c) { return replaceKey(c, "vocab_size", "99"); }),
                "config.json says vocab_size 99");
}

TEST(HfEncoder, RefusesPickles) {
  const fs::path pickle = copyWithConfig("pickle", [](std::string c) { return c; });
  fs::rename(pickle / "model.safetensors", pickle / "pytorch_model.bin");
  expectRefused(pickle, "pickle");
}

// save_pretrained leaves the default two-label map out of config.json: transformers then calls them LABEL_0, LABEL_1.
TEST(HfEncoder, ClassifierWithoutId2labelGetsDefaultLabels) {
  const fs::path dir = copyWithConfig("labels", [](std::string c) {
    return std::regex_replace(c, std::regex("\"id2label\": \\{[^}]*\\}"), "\"id2label\": {}");
  });
  EXPECT_EQ(attnviz::loadModel(dir.string())->info().labels, (std::vector<std::string>{"LABEL_0", "LABEL_1"}));
  fs::remove_all(dir);
}

TEST(HfEncoder, InfoDescribesARunnableCheckpoint) {
  const attnviz::ModelInfo info = attnviz::describeModel(kBert.string());
  EXPECT_EQ(info.identity.kind, "encoder");
  EXPECT_EQ(info.identity.variant, "bert");
  EXPECT_EQ(info.labels, (std::vector<std::string>{"NEGATIVE", "POSITIVE"}));
  EXPECT_TRUE(info.runnable());
  bool notRunListed = false;
  for (const auto& [key, value] : info.card)
    if (key == "heads not run") notRunListed = value.find("cls.predictions.bias") != std::string::npos;
  EXPECT_TRUE(notRunListed);
}

// Negative, absurd and 32-bit-overflowing sizes are refused from config.json by key, before anything is allocated.
TEST(HfEncoder, RefusesNegativeAndAbsurdSizes) {
  const std::pair<const char*, const char*> cases[] = {
      {"hidden_size", "-4"},                      {"hidden_size", "4294967296"},
      {"num_hidden_layers", "100000"},            {"intermediate_size", "2147483648"},
      {"max_position_embeddings", "1e12"},        {"num_attention_heads", "0"},
      {"vocab_size", "-1"},                       {"layer_norm_eps", "-1"},
  };
  for (const auto& [key, value] : cases)
    expectRefused(copyWithConfig(std::string("absurd-") + key, [&](std::string c) { return replaceKey(c, key, value); }),
                  key);
}

// Broken aligner packages (engine/models/aligner/aligner_model.h): every value of the t-table and the manifest is
// checked at load, and a bad one is one ModelFileError naming the file, the tensor or key and the index, ending with
// the fix. Each case copies tests/data/tiny-aligner (written by attnviz train-aligner from the toy corpus) and breaks
// one thing.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <unistd.h>

#include "engine/api/model.h"
#include "engine/io/tensor_files.h"
#include "tests/loader/loader_test_util.h"

namespace {

namespace fs = std::filesystem;
using attnviz::Tensor;
using attnviz::test::failsWith;

class AlignerPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("attnviz-aligner-loader-" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::copy(fs::path(ATTNVIZ_TEST_DATA) / "tiny-aligner", folder_);
    for (auto& [name, t] : attnviz::readSafetensors((folder_ / "ttable.safetensors").string()).tensors)
      tensors_.emplace_back(name, t.clone());
  }
  void TearDown() override { fs::remove_all(folder_); }

  Tensor& tensor(const std::string& name) {
    for (auto& [n, t] : tensors_)
      if (n == name) return t;
    throw std::runtime_error("no tensor " + name);
  }
  void writeTable() { attnviz::test::writeSafetensors((folder_ / "ttable.safetensors").string(), tensors_); }
  void replaceInManifest(const std::string& from, const std::string& to) {
    const fs::path path = folder_ / "attnviz.json";
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::trunc) << text;
  }
  ::testing::AssertionResult loadFails(const std::vector<std::string>& parts) {
    return failsWith([this] { attnviz::loadModel(folder_.string()); }, parts);
  }

  fs::path folder_;
  std::vector<std::pair<std::string, Tensor>> tensors_;
};

TEST_F(AlignerPackage, TheIntactPackageLoadsAndAligns) {
  const auto model = attnviz::loadModel(folder_.string());
  attnviz::RunOptions o;
  o.target = "le chat voit le chien .";
  const attnviz::Trace t = model->run(attnviz::Input::fromText("the cat sees the dog ."), o);
  EXPECT_EQ(t.attention.at("cross").shape(), (attnviz::Shape{7, 7}));
}

TEST_F(AlignerPackage, TargetIdsMustBeIntegersInRangeAscendingInTheirRow) {
  tensor("ttable.target").data()[3] = 2.5f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.safetensors: ttable.target[3]", "expected an integer in [0, 48]", "train-aligner"}));
  tensor("ttable.target").data()[3] = 49.0f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.target[3]", "is 49", "expected an integer in [0, 48]"}));
  tensor("ttable.target").data()[3] = std::numeric_limits<float>::quiet_NaN();
  writeTable();
  EXPECT_TRUE(loadFails({"'ttable.target'", "NaN or infinite", "flat index 3"}));  // the weights reader's own check
  // Row 0 (NULL) holds several entries: the second equal to the first is a duplicate.
  Tensor& target = tensor("ttable.target");
  target.data()[3] = 0.0f;
  ASSERT_GE(tensor("ttable.row_start").data()[1], 2.0f);
  target.data()[1] = target.data()[0];
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.target[1]", "targets must ascend, once each"}));
}

TEST_F(AlignerPackage, RowStartsMustCoverTheEntriesInOrder) {
  Tensor& rows = tensor("ttable.row_start");
  const float second = rows.data()[2];
  rows.data()[2] = rows.data()[1] - 1.0f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.row_start[2]", "below the row before it"}));
  rows.data()[2] = second;
  rows.data()[0] = 1.0f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.row_start[0]", "expected 0"}));
  rows.data()[0] = 0.0f;
  rows.data()[rows.numel() - 1] -= 1.0f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.row_start[51]", "expected table_entries 72"}));
  rows.data()[rows.numel() - 1] = 1e9f;
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.row_start[51]", "expected an integer in [0, 72]"}));
}

TEST_F(AlignerPackage, ProbabilitiesMustBeInZeroOne) {
  for (float bad : {0.0f, -0.5f, 1.5f}) {
    tensor("ttable.probability").data()[5] = bad;
    writeTable();
    EXPECT_TRUE(loadFails({"ttable.probability[5]", "expected a probability in (0, 1]"})) << bad;
  }
  tensor("ttable.probability").data()[5] = std::numeric_limits<float>::infinity();
  writeTable();
  EXPECT_TRUE(loadFails({"'ttable.probability'", "NaN or infinite", "flat index 5"}));
}

TEST_F(AlignerPackage, ShapesAndTensorsMustMatchTheManifest) {
  tensors_.pop_back();  // no probabilities
  writeTable();
  EXPECT_TRUE(loadFails({"ttable.probability"}));
  SetUp();
  replaceInManifest("\"table_entries\":72", "\"table_entries\":71");
  EXPECT_TRUE(loadFails({"ttable.target", "71"}));
}

TEST_F(AlignerPackage, ManifestValuesAreChecked) {
  replaceInManifest("\"null_probability\":0.08", "\"null_probability\":1");
  EXPECT_TRUE(loadFails({"null_probability", "every word would align to NULL"}));
  SetUp();
  replaceInManifest("\"unseen_probability\":1e-07", "\"unseen_probability\":0");
  EXPECT_TRUE(loadFails({"unseen_probability", "expected a number in (0"}));
  SetUp();
  replaceInManifest("\"tokenizer\":\"tatoeba-en-fr\"", "\"tokenizer\":\"bert\"");
  EXPECT_TRUE(loadFails({"tokenizer", "tatoeba-en-fr"}));
  SetUp();
  replaceInManifest("\"source_vocab_size\":51", "\"source_vocab_size\":50");
  EXPECT_TRUE(loadFails({"source_vocab.txt", "has 51 tokens but attnviz.json says source_vocab_size 50"}));
}

TEST_F(AlignerPackage, TheSourceVocabularyStartsWithNull) {
  std::ifstream in(folder_ / "source_vocab.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  text.replace(0, text.find('\n'), "nothing");
  std::ofstream(folder_ / "source_vocab.txt", std::ios::trunc) << text;
  EXPECT_TRUE(loadFails({"source_vocab.txt", "line 1 is \"nothing\", expected \"<null>\""}));
}

}  // namespace

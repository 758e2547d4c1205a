// Models load from a zip held in memory (loadModelFromZip) exactly as from the same zip on disk: attnviz packages
// (top-level and nested in one folder) and Hugging Face checkpoints give the same info and the same trace; bad bytes
// get the path loader's messages, named by the label; a zip over the size limit is refused before it is read.
#include <gtest/gtest.h>

#include "engine/api/model.h"
#include "loader_test_util.h"

using attnviz::test::failsWith;
using attnviz::test::loaderData;

namespace {

std::string testData(const std::string& name) { return std::string(ATTNVIZ_TEST_DATA) + "/" + name; }

std::vector<std::uint8_t> bytesOf(const std::string& path) {
  const attnviz::Bytes b = attnviz::test::fileBytes(path);
  return {b.data(), b.data() + b.size()};
}

void expectSameModel(const std::string& zipPath, const attnviz::Input& input) {
  const auto fromDisk = attnviz::loadModel(zipPath);
  const auto fromMemory = attnviz::loadModelFromZip(bytesOf(zipPath), "upload.zip");
  EXPECT_EQ(fromMemory->info().identity.kind, fromDisk->info().identity.kind);
  EXPECT_EQ(fromMemory->info().parameterCount, fromDisk->info().parameterCount);
  EXPECT_EQ(fromMemory->info().path, "upload.zip");
  const attnviz::Trace a = fromDisk->run(input, {});
  const attnviz::Trace b = fromMemory->run(input, {});
  EXPECT_EQ(a.sourceTokens, b.sourceTokens);
  ASSERT_EQ(a.attention.at("self").shape(), b.attention.at("self").shape());
  const auto& x = a.attention.at("self").values();
  const auto& y = b.attention.at("self").values();
  EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin())) << zipPath;
}

}  // namespace

TEST(LoadFromMemory, PackagesAndCheckpointsRunAsFromTheirFiles) {
  expectSameModel(testData("tiny-encoder-npz.zip"), attnviz::Input::fromText("the cat sat on the mat"));
  expectSameModel(testData("tiny-hf-distilbert.zip"), attnviz::Input::fromText("the cat sat on the mat"));
  const attnviz::ModelInfo info = attnviz::describeModelFromZip(bytesOf(testData("tiny-hf-distilbert.zip")), "bert.zip");
  EXPECT_TRUE(info.runnable()) << info.problem;
  EXPECT_NE(info.format.find("Hugging Face checkpoint (zip"), std::string::npos) << info.format;
}

TEST(LoadFromMemory, BadBytesAreNamedByTheLabel) {
  EXPECT_TRUE(failsWith([] { attnviz::loadModelFromZip({'n', 'o', 't'}, "upload.zip"); }, {"upload.zip"}));
  EXPECT_TRUE(failsWith([] { attnviz::loadModelFromZip(bytesOf(loaderData("valid/stored.npz")), "weights.npz"); },
                        {"weights.npz", "not a model", "attnviz.json", "config.json"}));
  EXPECT_TRUE(failsWith([] { attnviz::loadModelFromZip(bytesOf(loaderData("valid/package.zip")), "io-only.zip"); },
                        {"io-only.zip/attnviz.json", "vocab_size"}));  // a package whose manifest is for io tests only
  attnviz::LoadOptions small;
  small.maxFileBytes = 1 << 20;
  EXPECT_TRUE(failsWith([&] { attnviz::loadModelFromZip(std::vector<std::uint8_t>(2 << 20), "big.zip", small); },
                        {"big.zip", "more than the limit of 1048576", "--max-model-size"}));
}

// An image from memory (Input::fromImageData) gives the trace its file gives; a broken one is an input error
// named by its origin.
TEST(LoadFromMemory, ImagesRunFromTheirBytes) {
  const auto model = attnviz::loadModel(testData("tiny-hf-deit"));
  const std::string path = testData("images/rgb-3x2.png");
  const attnviz::Bytes file = attnviz::test::fileBytes(path);
  const std::string bytes(reinterpret_cast<const char*>(file.data()), file.size());
  const attnviz::Trace fromFile = model->run(attnviz::Input::fromImage(path), {});
  const attnviz::Trace fromMemory = model->run(attnviz::Input::fromImageData(bytes, "pasted image"), {});
  EXPECT_EQ(fromMemory.input, "pasted image");
  EXPECT_EQ(fromMemory.sourceTokens, fromFile.sourceTokens);
  const auto& x = fromFile.attention.at("self").values();
  const auto& y = fromMemory.attention.at("self").values();
  ASSERT_EQ(x.size(), y.size());
  EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin()));
  try {
    model->run(attnviz::Input::fromImageData("not an image", "clipboard"), {});
    ADD_FAILURE() << "ran";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "clipboard") << e.what();
  }
}

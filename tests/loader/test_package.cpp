// Model packages: the manifest (attnviz.json) checked field by field, typed architecture parameters, the card
// flattened, files read from a folder or a zip (top level or one folder deep), and broken or hostile packages
// refused with messages naming "<package>/attnviz.json", the key or file, and the fix.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/io/package.h"
#include "tests/loader/loader_test_util.h"

namespace attnviz {
namespace {

namespace fs = std::filesystem;
using test::failsWith;
using test::loaderData;

std::string cardValue(const Manifest& m, const std::string& key) {
  for (const auto& [k, v] : m.card)
    if (k == key) return v;
  return "<no " + key + ">";
}

void expectValidPackage(const Package& p) {
  const Manifest& m = p.manifest();
  EXPECT_EQ(m.formatVersion, 1);
  EXPECT_EQ(m.kind, "encoder");
  EXPECT_EQ(m.name, "loader-test");
  EXPECT_EQ(m.variant, "tiny");
  EXPECT_EQ(m.files.at("vocab"), "vocab.txt");
  EXPECT_TRUE(p.hasFile("labels"));
  EXPECT_FALSE(p.hasFile("merges"));
  EXPECT_EQ(m.architecture.getInt("hidden_size", 1, 65536), 4);
  // CRLF stripped, UTF-8 kept, the final newline does not add an empty line.
  EXPECT_EQ(p.readLines("vocab"), (std::vector<std::string>{"[PAD]", "[UNK]", "the", "straße", "日本"}));
  EXPECT_EQ(p.readLines("labels"), (std::vector<std::string>{"negative", "positive"}));
  WeightSet w = p.weights();
  test::expectValues(w.take("a", {2, 3}), {2, 3}, test::kA);
  test::expectValues(w.take("b", {4}), {4}, test::kB);
  EXPECT_NO_THROW(w.finish());
}

TEST(Package, OpensAFolder) {
  const Package p = Package::open(loaderData("valid/package"));
  EXPECT_FALSE(p.isZip());
  EXPECT_EQ(p.formatDescription(), "attnviz package (folder, safetensors)");
  expectValidPackage(p);
  EXPECT_EQ(Package::open(loaderData("valid/package/")).path(), loaderData("valid/package"));
}

TEST(Package, OpensAZipAtTheTopOrInsideOneFolder) {
  for (const char* name : {"valid/package.zip", "valid/package_nested.zip"}) {
    SCOPED_TRACE(name);
    const Package p = Package::open(loaderData(name));
    EXPECT_TRUE(p.isZip());
    EXPECT_EQ(p.formatDescription(), "attnviz package (zip, safetensors)");
    expectValidPackage(p);
  }
  EXPECT_EQ(Package::open(loaderData("valid/package_nested.zip")).readFile("labels").label(),
            loaderData("valid/package_nested.zip") + "!loader-test/labels.txt");
}

TEST(Package, NpzWeights) {
  const Package p = Package::open(loaderData("valid/package_npz"));
  EXPECT_EQ(p.formatDescription(), "attnviz package (folder, npz)");
  WeightSet w = p.weights();
  test::expectValues(w.take("a", {2, 3}), {2, 3}, test::kA);
  w.take("b", {4});
  EXPECT_NO_THROW(w.finish());
}

TEST(Package, ArchitectureParams) {
  const Package package = Package::open(loaderData("valid/package"));
  const Params& a = package.manifest().architecture;
  const std::string where = loaderData("valid/package") + "/attnviz.json";
  EXPECT_TRUE(a.has("ratio"));
  EXPECT_FALSE(a.has("missing"));
  EXPECT_EQ(a.getInt("big", 0, std::int64_t{1} << 40), 4294967296);
  EXPECT_EQ(a.getInt("missing", 0, 10, 7), 7);
  EXPECT_EQ(a.getNumber("ratio"), 0.5);
  EXPECT_EQ(a.getNumber("layer_norm_eps"), 1e-12);
  EXPECT_EQ(a.getNumber("missing", 2.0), 2.0);
  EXPECT_EQ(a.getString("act"), "gelu");
  EXPECT_EQ(a.getString("missing", "x"), "x");
  EXPECT_TRUE(a.getBool("lowercase", false));
  EXPECT_TRUE(a.getBool("missing", true));

  EXPECT_TRUE(failsWith([&] { a.getInt("ratio", 0, 10); }, {where, "key 'ratio' is a number 0.5, expected an integer from 0 to 10"}));
  EXPECT_TRUE(failsWith([&] { a.getInt("hidden_size", 8, 16); }, {where, "key 'hidden_size' is a number 4, expected an integer from 8 to 16"}));
  EXPECT_TRUE(failsWith([&] { a.getInt("heads", 1, 64); }, {where, "key 'heads' is missing, expected an integer from 1 to 64", "models/export.py"}));
  EXPECT_TRUE(failsWith([&] { a.getInt("act", 1, 64, 3); }, {"key 'act' is a string \"gelu\", expected an integer"}));
  EXPECT_TRUE(failsWith([&] { a.getInt("sizes", 1, 64); }, {"key 'sizes' is an array [1,2,3]"}));
  EXPECT_TRUE(failsWith([&] { a.getNumber("act"); }, {"key 'act' is a string \"gelu\", expected a number"}));
  EXPECT_TRUE(failsWith([&] { a.getNumber("missing"); }, {"key 'missing' is missing, expected a number"}));
  EXPECT_TRUE(failsWith([&] { a.getString("hidden_size"); }, {"key 'hidden_size' is a number 4, expected a string"}));
  EXPECT_TRUE(failsWith([&] { a.getBool("act", true); }, {"key 'act' is a string \"gelu\", expected true or false"}));

  const auto text = a.asText();
  const auto value = [&](const std::string& key) {
    for (const auto& [k, v] : text)
      if (k == key) return v;
    return std::string("<none>");
  };
  EXPECT_EQ(text.size(), 8u);
  EXPECT_EQ(value("hidden_size"), "4");
  EXPECT_EQ(value("layer_norm_eps"), "1e-12");
  EXPECT_EQ(value("lowercase"), "true");
  EXPECT_EQ(value("act"), "gelu");
  EXPECT_EQ(value("sizes"), "[1,2,3]");
  EXPECT_EQ(value("big"), "4294967296");
}

TEST(Package, CardIsFlattened) {
  const Manifest m = Package::open(loaderData("valid/package.zip")).manifest();
  EXPECT_EQ(cardValue(m, "description"), "Loader test package.");
  EXPECT_EQ(cardValue(m, "metrics.bleu"), "31.2");
  EXPECT_EQ(cardValue(m, "metrics.accuracy"), "0.875");
  EXPECT_EQ(cardValue(m, "datasets"), "wmt14, iwslt");
  EXPECT_EQ(cardValue(m, "epochs"), "3");
  EXPECT_EQ(cardValue(m, "public"), "false");
  EXPECT_EQ(m.card.size(), 6u);
}

TEST(Package, ReadFileIsBoundedAndByRole) {
  for (const char* name : {"valid/package", "valid/package.zip"}) {
    SCOPED_TRACE(name);
    const Package p = Package::open(loaderData(name));
    EXPECT_TRUE(failsWith([&] { p.readFile("labels", 4); }, {"labels.txt", "more than the limit of 4 bytes"}));
    EXPECT_TRUE(failsWith([&] { p.readLines("merges"); },
                          {"attnviz.json", "\"files\" has no \"merges\" file (it lists labels, vocab, weights)"}));
    EXPECT_EQ(p.readFile("labels").size(), 18u);
  }
}

struct BrokenPackageCase {
  const char* package;  // folder or zip under tests/data/loader/broken/packages
  std::vector<std::string> message;
};

class BrokenPackage : public ::testing::TestWithParam<BrokenPackageCase> {};

TEST_P(BrokenPackage, IsRefusedAtOpen) {
  const BrokenPackageCase& c = GetParam();
  const std::string path = loaderData(std::string("broken/packages/") + c.package);
  std::vector<std::string> parts = c.message;
  parts.insert(parts.begin(), path);
  EXPECT_TRUE(failsWith([&] { Package::open(path); }, parts));
}

INSTANTIATE_TEST_SUITE_P(
    Packages, BrokenPackage,
    ::testing::Values(
        BrokenPackageCase{"bad_kind", {"/attnviz.json: key 'kind' is \"gpt\", expected one of encoder, seq2seq, han, vit, aligner"}},
        BrokenPackageCase{"bad_format", {"/attnviz.json: key 'format' is a string \"something-else\", expected \"attnviz-model\""}},
        BrokenPackageCase{"format_version_2", {"/attnviz.json: format_version 2", "written by a newer attnviz", "update attnviz"}},
        BrokenPackageCase{"no_name", {"key 'name' is a string \"\", expected a non-empty string"}},
        BrokenPackageCase{"no_weights_role", {"/attnviz.json: \"files\" lacks \"weights\""}},
        BrokenPackageCase{"weights_file_missing",
                   {"/attnviz.json: key 'files.weights' names 'missing.safetensors', which is not in the package"}},
        BrokenPackageCase{"weights_not_tensors", {"key 'files.weights' names 'vocab.txt', expected a .safetensors or .npz file"}},
        BrokenPackageCase{"dotdot_name", {"key 'files.vocab' names '../vocab.txt', which is not a plain relative file name"}},
        BrokenPackageCase{"absolute_name", {"key 'files.vocab' names '/etc/passwd', which is not a plain relative file name"}},
        BrokenPackageCase{"backslash_name", {"key 'files.vocab' names 'sub\\vocab.txt'", "no backslash"}},
        BrokenPackageCase{"card_not_object", {"key 'card' is an array"}},
        BrokenPackageCase{"not_json", {"/attnviz.json: is not valid JSON", "line 1, column"}},
        BrokenPackageCase{"no_manifest", {"has no attnviz.json, so it is not an attnviz package"}},
        BrokenPackageCase{"dotdot_entry.zip", {"holds an entry named '../../x'", "refusing the package"}},
        BrokenPackageCase{"absolute_entry.zip", {"holds an entry named '/tmp/x'"}},
        BrokenPackageCase{"two_folders.zip", {"has no attnviz.json at its top or inside its single top-level folder"}},
        BrokenPackageCase{"no_manifest.zip", {"has no attnviz.json"}},
        BrokenPackageCase{"bad.zip", {"cannot be read as a zip archive"}},
        BrokenPackageCase{"does_not_exist", {"no such file or folder"}}),
    [](const auto& info) {
      std::string name = info.param.package;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(Package, BadFilesAreReportedWhenRead) {
  const Package utf8 = Package::open(loaderData("broken/packages/bad_utf8_vocab"));
  EXPECT_TRUE(failsWith([&] { utf8.readLines("vocab"); },
                        {"bad_utf8_vocab/vocab.txt", "line 3 is not valid UTF-8 (byte 4 of the line)", "save the file as UTF-8"}));
  const Package weights = Package::open(loaderData("broken/packages/bad_weights"));
  EXPECT_TRUE(failsWith([&] { weights.weights(); },
                        {"bad_weights/model.safetensors: tensor 'a'", "is not within the file bounds"}));
}

TEST(Package, HuggingFaceFolderGetsAHint) {
  EXPECT_TRUE(failsWith([] { Package::open(loaderData("valid/hf_bert")); }, {"has no attnviz.json", "Hugging Face"}));
  EXPECT_TRUE(failsWith([] { Package::open(loaderData("valid/hf_bert.zip")); }, {"has no attnviz.json", "Hugging Face"}));
}

// A symbolic link inside a folder package must not reach a file outside it.
TEST(Package, SymlinkOutOfTheFolderIsRefused) {
  const fs::path root = fs::temp_directory_path() / ("attnviz-loader-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  fs::copy(loaderData("valid/package"), root / "package");
  std::ofstream(root / "secret.txt") << "secret\n";
  fs::remove(root / "package" / "vocab.txt");
  fs::create_symlink("../secret.txt", root / "package" / "vocab.txt");
  const Package p = Package::open((root / "package").string());
  EXPECT_TRUE(failsWith([&] { p.readLines("vocab"); }, {"vocab.txt", "outside the package folder"}));
  fs::remove_all(root);
}

TEST(Manifest, ParsesAndChecksText) {
  const std::string ok = R"({"format": "attnviz-model", "format_version": 1, "kind": "vit", "name": "v",
                             "architecture": {}, "files": {"weights": "w.npz"}})";
  const Manifest m = parseManifest(ok, "m.json");
  EXPECT_EQ(m.kind, "vit");
  EXPECT_EQ(m.variant, "");
  EXPECT_TRUE(m.card.empty());
  EXPECT_TRUE(failsWith([] { parseManifest("[1]", "m.json"); }, {"m.json", "expected a JSON object"}));
  EXPECT_TRUE(failsWith([] { parseManifest("", "m.json"); }, {"m.json", "is not valid JSON"}));
  EXPECT_TRUE(failsWith([&] { parseManifest(R"({"format": "attnviz-model", "format_version": 1.5})", "m.json"); },
                        {"key 'format_version' is a number 1.5, expected the integer 1"}));
  EXPECT_TRUE(failsWith([&] { parseManifest(R"({"format": "attnviz-model", "format_version": 1, "kind": "han",
                                                "name": "n", "files": {"weights": "w.npz"}})", "m.json"); },
                        {"key 'architecture' is missing, expected an object"}));
  EXPECT_TRUE(failsWith([&] { parseManifest(R"({"format": "attnviz-model", "format_version": 1, "kind": "han",
                                                "name": "n", "variant": 3, "architecture": {}, "files": {}})", "m.json"); },
                        {"key 'variant' is a number 3, expected a string"}));
}

TEST(DetectSource, RecognisesPackagesAndCheckpoints) {
  EXPECT_EQ(detectSource(loaderData("valid/package")), SourceKind::AttnvizPackage);
  EXPECT_EQ(detectSource(loaderData("valid/package/")), SourceKind::AttnvizPackage);
  EXPECT_EQ(detectSource(loaderData("valid/package.zip")), SourceKind::AttnvizPackage);
  EXPECT_EQ(detectSource(loaderData("valid/package_nested.zip")), SourceKind::AttnvizPackage);
  EXPECT_EQ(detectSource(loaderData("valid/hf_bert")), SourceKind::HuggingFace);
  EXPECT_EQ(detectSource(loaderData("valid/hf_bert.zip")), SourceKind::HuggingFace);
  EXPECT_EQ(detectSource(loaderData("valid/f32.npy")), SourceKind::Unknown);
  EXPECT_EQ(detectSource(loaderData("valid/stored.npz")), SourceKind::Unknown);
  EXPECT_EQ(detectSource(loaderData("valid")), SourceKind::Unknown);
  EXPECT_EQ(detectSource(loaderData("does/not/exist")), SourceKind::Unknown);
  EXPECT_EQ(detectSource(loaderData("broken/not_a_zip.npz")), SourceKind::Unknown);
  // A damaged .zip is taken for a package, so that opening it says what is wrong with it.
  EXPECT_EQ(detectSource(loaderData("broken/packages/bad.zip")), SourceKind::AttnvizPackage);
}

}  // namespace
}  // namespace attnviz

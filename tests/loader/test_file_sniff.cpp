// Files that are not what their name claims (a Git LFS pointer, a saved web page, a note, a PyTorch pickle, an .npz,
// an empty or truncated file) where the weights should be: one line that names the file, says what it is and gives
// the remedy of the format it sits in (a Hugging Face folder: save_pretrained; an attnviz package: models/export.py;
// a lone timm/DINO file: safetensors.torch.save_file), and never the other format's remedy.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/io/file_sniff.h"
#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "engine/api/model.h"
#include "tests/loader/loader_test_util.h"

namespace fs = std::filesystem;

namespace attnviz {
namespace {

using test::failsWith;
using test::loaderData;

const fs::path kData = ATTNVIZ_TEST_DATA;

std::string fileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::uint32_t crc32(const std::string& s) {
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // little-endian hosts only, as engine/io
  out.append(b, sizeof(T));
}

// A stored (uncompressed) zip of the given entries, in order: what torch.save and numpy.savez write, minus deflate.
std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, directory;
  for (const auto& [name, data] : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto size = static_cast<std::uint32_t>(data.size());
    const auto nameSize = static_cast<std::uint16_t>(name.size());
    put<std::uint32_t>(out, 0x04034b50);
    for (std::uint16_t v : {20, 0, 0, 0, 0}) put(out, v);  // version, flags, method stored, time, date
    put(out, crc32(data));
    put(out, size);
    put(out, size);
    put(out, nameSize);
    put<std::uint16_t>(out, 0);
    out += name + data;
    put<std::uint32_t>(directory, 0x02014b50);
    for (std::uint16_t v : {20, 20, 0, 0, 0, 0}) put(directory, v);
    put(directory, crc32(data));
    put(directory, size);
    put(directory, size);
    put(directory, nameSize);
    for (std::uint16_t v : {0, 0, 0, 0}) put(directory, v);  // extra, comment, disk, internal attributes
    put<std::uint32_t>(directory, 0);
    put(directory, offset);
    directory += name;
  }
  const auto count = static_cast<std::uint16_t>(entries.size());
  const auto directoryOffset = static_cast<std::uint32_t>(out.size());
  out += directory;
  put<std::uint32_t>(out, 0x06054b50);
  for (std::uint16_t v : {std::uint16_t{0}, std::uint16_t{0}, count, count}) put(out, v);
  put(out, static_cast<std::uint32_t>(directory.size()));
  put(out, directoryOffset);
  put<std::uint16_t>(out, 0);
  return out;
}

// What each case puts where the weights should be, and what the message must say it is.
struct NotWeights {
  const char* name;
  std::string (*bytes)(const std::string& realWeights);
  const char* says;  // "is ..." part of the message
};

const std::string kLfsPointer =
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 27496\n";
constexpr const char* kLfsSays =
    "is a Git LFS pointer, not the weights: fetch them with git lfs pull (or download the file itself)";
// torch.save(obj, f, _use_new_zipfile_serialization=False) begins with PROTO 2 and the LONG1 magic number.
const std::string kRawPickle = std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15);

const NotWeights kCases[] = {
    {"GitLfsPointer", [](const std::string&) { return kLfsPointer; }, kLfsSays},
    {"HtmlPage",
     [](const std::string&) {
       return std::string("\xEF\xBB\xBF\n  <!doctype HTML>\n<html lang=\"en\"><head><title>model.safetensors</title>");
     },
     "is an HTML page (a saved download or error page), not a safetensors file: "},
    {"TextNote",
     [](const std::string&) { return std::string("The weights are on the lab drive: ask Ana.\nThanks!\n"); },
     "is a text file (it begins \"The weights are on the lab drive: ask Ana.\"), not a safetensors file: "},
    {"RawPickle", [](const std::string&) { return kRawPickle; },
     "is a PyTorch pickle (torch.save), not a safetensors file: attnviz never opens pickles"},
    {"TorchZipPickle",
     [](const std::string&) {
       return storedZip({{"archive/data.pkl", kRawPickle}, {"archive/byteorder", "little"}, {"archive/version", "3\n"}});
     },
     "is a PyTorch pickle (torch.save), not a safetensors file: attnviz never opens pickles"},
    {"Npz", [](const std::string&) { return fileText(loaderData("valid/stored.npz")); },
     "is a NumPy .npz archive (a zip of .npy arrays), not a safetensors file: "},
    {"Empty", [](const std::string&) { return std::string(); }, "is empty (0 bytes), not a safetensors file: "},
    {"TruncatedData", [](const std::string& real) { return real.substr(0, real.size() / 2); },
     "is not within the file bounds"},
    {"TruncatedHeader", [](const std::string& real) { return real.substr(0, 100); },
     "is larger than the file (100 bytes); the file is truncated"},
};

// The remedy of each format, and the one it must never give.
struct Format {
  const char* name;
  const char* remedy;
  const char* notRemedy;
};
constexpr Format kHf = {"hf", "model.save_pretrained(path, safe_serialization=True)", "models/export.py"};
constexpr Format kPackage = {"package", "models/export.py", "save_pretrained"};
constexpr Format kTimm = {"timm", "safetensors.torch.save_file(model.state_dict(), path)", "export.py"};

class FileSniff : public ::testing::TestWithParam<NotWeights> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("attnviz-sniff-" + std::to_string(::getpid()) + "-" + GetParam().name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The error of fn: one line, naming `file`, saying what it is and the format's remedy, not the other format's.
  void expectMessage(const std::function<void()>& fn, const fs::path& file, const Format& format) {
    SCOPED_TRACE(format.name);
    const NotWeights& c = GetParam();
    const bool lfs = std::string(c.says) == kLfsSays;
    std::vector<std::string> parts = {file.string() + ": ", c.says};
    if (!lfs) parts.push_back(format.remedy);  // an LFS pointer's remedy is git lfs pull, whatever the format
    const ::testing::AssertionResult r = failsWith(fn, parts);
    EXPECT_TRUE(r);
    const std::string message = r.message();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "more than one line: " << message;
    EXPECT_EQ(message.find(format.notRemedy), std::string::npos) << "the other format's remedy: " << message;
  }

  fs::path dir_;
};

TEST_P(FileSniff, InAHuggingFaceFolder) {
  const fs::path hf = dir_ / "bert";
  fs::create_directories(hf);
  fs::copy_file(kData / "tiny-hf-bert" / "config.json", hf / "config.json");
  writeFile(hf / "model.safetensors", GetParam().bytes(fileText(kData / "tiny-hf-bert" / "model.safetensors")));
  expectMessage([&] { loadModel(hf.string()); }, hf / "model.safetensors", kHf);
  expectMessage([&] { describeModel(hf.string()); }, hf / "model.safetensors", kHf);  // attnviz info
}

TEST_P(FileSniff, InAHuggingFaceZip) {
  const fs::path zip = dir_ / "bert.zip";
  writeFile(zip, storedZip({{"config.json", fileText(kData / "tiny-hf-bert" / "config.json")},
                            {"model.safetensors", GetParam().bytes(fileText(kData / "tiny-hf-bert" / "model.safetensors"))}}));
  expectMessage([&] { describeModel(zip.string()); }, zip.string() + "!model.safetensors", kHf);
}

TEST_P(FileSniff, InAnAttnvizPackage) {
  const fs::path package = dir_ / "tiny-encoder";
  fs::copy(kData / "tiny-encoder", package);
  writeFile(package / "model.safetensors", GetParam().bytes(fileText(kData / "tiny-encoder" / "model.safetensors")));
  expectMessage([&] { loadModel(package.string()); }, package / "model.safetensors", kPackage);
  expectMessage([&] { describeModel(package.string()); }, package / "model.safetensors", kPackage);
}

TEST_P(FileSniff, InAZippedAttnvizPackage) {
  const fs::path zip = dir_ / "tiny-encoder.zip";
  const fs::path source = kData / "tiny-encoder";
  writeFile(zip, storedZip({{"attnviz.json", fileText(source / "attnviz.json")},
                            {"vocab.txt", fileText(source / "vocab.txt")},
                            {"labels.txt", fileText(source / "labels.txt")},
                            {"model.safetensors", GetParam().bytes(fileText(source / "model.safetensors"))}}));
  expectMessage([&] { loadModel(zip.string()); }, zip.string() + "!model.safetensors", kPackage);
}

TEST_P(FileSniff, AsALoneTimmFile) {
  const fs::path file = dir_ / "dino_vits16.safetensors";
  writeFile(file, GetParam().bytes(fileText(kData / "tiny-timm-vit.safetensors")));
  expectMessage([&] { loadModel(file.string()); }, file, kTimm);
}

INSTANTIATE_TEST_SUITE_P(Cases, FileSniff, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<NotWeights>& info) { return std::string(info.param.name); });

// An .npz expected (a package's weights named model.npz): the same sniffing, the .npz's own words.
TEST(FileSniffNpz, PackageWithNpzWeights) {
  const fs::path dir = fs::temp_directory_path() / ("attnviz-sniff-npz-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(loaderData("valid/package_npz"), dir);
  const Manifest m = parseManifest(fileText(dir / "attnviz.json"), "attnviz.json");
  const fs::path weights = dir / m.files.at("weights");
  const std::string whole = fileText(weights);
  const auto expect = [&](const std::string& bytes, std::vector<std::string> parts) {
    writeFile(weights, bytes);
    parts.insert(parts.begin(), weights.string() + ": ");
    const ::testing::AssertionResult r = failsWith([&] { Package::open(dir.string()).weights(); }, parts);
    EXPECT_TRUE(r);
    EXPECT_EQ(std::string(r.message()).find("save_pretrained"), std::string::npos) << r.message();
  };
  expect(kLfsPointer, {kLfsSays});
  expect(whole.substr(0, whole.size() - 30),
         {"is truncated: a zip archive of", "cannot be read as a zip archive", "models/export.py"});
  expect(fileText(kData / "tiny-encoder" / "model.safetensors"),
         {"is a safetensors file, not an .npz file", "models/export.py"});
  expect(storedZip({{"archive/data.pkl", kRawPickle}}), {"is a PyTorch pickle (torch.save), not an .npz file"});
  expect("<html><body>404</body></html>", {"is an HTML page", "models/export.py"});
  fs::remove_all(dir);
}

// Every valid test file is taken for what it is, so sniffing never refuses a good file.
TEST(FileSniffKinds, ValidFilesAreWhatTheyClaim) {
  const std::pair<const char*, io::FileKind> files[] = {
      {"valid/f32.safetensors", io::FileKind::Safetensors}, {"valid/f32_unaligned.safetensors", io::FileKind::Safetensors},
      {"valid/f16.safetensors", io::FileKind::Safetensors}, {"valid/bf16.safetensors", io::FileKind::Safetensors},
      {"valid/f32.npy", io::FileKind::Npy},                 {"valid/f32_v3.npy", io::FileKind::Npy},
      {"valid/stored.npz", io::FileKind::Zip},              {"valid/deflated.npz", io::FileKind::Zip},
  };
  for (const auto& [name, kind] : files) {
    const std::string bytes = fileText(loaderData(name));
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    EXPECT_EQ(io::sniffFile(data, bytes.size(), bytes.size()).kind, kind) << name;
  }
}

TEST(FileSniffKinds, ASafetensorsHeaderLengthIsNotAPickle) {
  // A header of 0x0280 bytes begins "\x80\x02", like pickle protocol 2; the zero byte after it is no opcode.
  std::string bytes(8, '\0');
  bytes[0] = '\x80';
  bytes[1] = '\x02';
  bytes += "{" + std::string(0x27f, ' ');
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  EXPECT_EQ(io::sniffFile(data, bytes.size(), bytes.size()).kind, io::FileKind::Safetensors);
  EXPECT_EQ(io::sniffFile(data, 2, 2).kind, io::FileKind::Unknown);  // cut: too little to call it anything
  const auto* pickle = reinterpret_cast<const std::uint8_t*>(kRawPickle.data());
  EXPECT_EQ(io::sniffFile(pickle, kRawPickle.size(), kRawPickle.size()).kind, io::FileKind::Pickle);
}

TEST(FileSniffKinds, TextCutInsideACharacterIsStillText) {
  const std::string note = "Poids du mod\xC3\xA8le : voir le dossier partag\xC3\xA9.";
  const auto* data = reinterpret_cast<const std::uint8_t*>(note.data());
  const std::size_t cut = note.find('\xA8');  // between the two bytes of 'è'
  EXPECT_EQ(io::sniffFile(data, cut, note.size()).kind, io::FileKind::Text);
  EXPECT_EQ(io::sniffFile(data, cut, cut).kind, io::FileKind::Unknown);  // the whole file: a broken character
}

}  // namespace
}  // namespace attnviz

namespace attnviz {
namespace {

// The Open Model dialog picks files (issue 18, item 14): any file of a model folder opens the folder, so picking a
// Hugging Face checkpoint's config.json or model.safetensors, or a package's weights, opens the model; a .zip or a
// lone timm weight file opens itself, and loadModel then loads what modelPathForFile names.
TEST(ModelPathForFile, AFileOfAModelFolderOpensTheFolder) {
  const fs::path hf = fs::absolute(kData / "tiny-hf-bert");
  for (const char* name : {"config.json", "model.safetensors", "vocab.txt"}) {
    const std::string picked = modelPathForFile((hf / name).string());
    EXPECT_EQ(fs::path(picked), hf) << name;
    EXPECT_NO_THROW(loadModel(picked)) << name;
  }
  const fs::path package = fs::absolute(kData / "tiny-encoder");
  EXPECT_EQ(fs::path(modelPathForFile((package / "attnviz.json").string())), package);
  const std::string zip = (kData / "tiny-encoder-npz.zip").string();
  EXPECT_EQ(modelPathForFile(zip), zip);
  const std::string timm = (kData / "tiny-timm-vit.safetensors").string();
  EXPECT_EQ(modelPathForFile(timm), timm);  // tests/data holds no attnviz.json or config.json of its own
  EXPECT_NO_THROW(loadModel(modelPathForFile(timm)));
  EXPECT_EQ(modelPathForFile((kData / "no-such-file").string()), (kData / "no-such-file").string());
  EXPECT_EQ(fs::path(modelPathForFile(hf.string())), hf);  // a folder stays itself
}

}  // namespace
}  // namespace attnviz

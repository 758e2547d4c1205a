// Fuzzes loading an aligner package (engine/models/aligner/aligner_model.h), then one run on a sentence pair when it
// loads. The first byte picks the file the rest of the input replaces in a copy of tests/data/tiny-aligner:
//   0 ttable.safetensors (the t-table: row starts, target ids and probabilities stored as F32)
//   1 attnviz.json       2 source_vocab.txt       3 target_vocab.txt
// Seeds: tests/fuzz/corpus/aligner_package (each real file behind its selector byte).
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "engine/api/model.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

const char* const kFiles[] = {"ttable.safetensors", "attnviz.json", "source_vocab.txt", "target_vocab.txt"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(fuzz::scratchDir()) / "aligner";
  fs::remove_all(folder);
  fs::create_directories(folder);
  for (const char* file : kFiles) fuzz::copyFile(std::string(ATTNVIZ_TEST_DATA) + "/tiny-aligner/" + file, "aligner/" + std::string(file));
  const char* replaced = kFiles[data[0] % (sizeof(kFiles) / sizeof(kFiles[0]))];
  fuzz::writeFile("aligner/" + std::string(replaced), fuzz::text(data + 1, size - 1));
  fuzz::expectResultOrError([&] {
    const auto model = attnviz::loadModel(folder.string());
    attnviz::RunOptions options;
    options.target = "le chat rouge voit le zèbre .";
    (void)model->run(attnviz::Input::fromText("the red cat sees the zebra .", "fuzz"), options);
  });
  return 0;
}

// Fuzzes loading whole model folders as a user has them, with real weights and fuzzed small files, then one run
// when the model loads. The first byte picks the kind; the rest is split at NUL bytes into up to three files:
//   0 Hugging Face BERT: config.json, tokenizer_config.json, vocab.txt          (weights of tests/data/tiny-hf-bert)
//   1 Hugging Face BERT: config.json, tokenizer_config.json, tokenizer.json     (the same weights)
//   2 Hugging Face ViT:  config.json, preprocessor_config.json                  (tests/data/tiny-hf-vit)
//   3 attnviz han package: attnviz.json, vocab.txt, labels.txt                  (tests/data/tiny-han)
//   4 attnviz seq2seq package: attnviz.json, source_vocab.txt, target_vocab.txt (tests/data/tiny-seq2seq-luong-dot)
// Seeds: tests/fuzz/corpus/model_folder (the real files, joined).
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "engine/api/model.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

struct Kind {
  const char* source;  // folder under tests/data with the weights
  const char* files[3];
  bool image;
};

const Kind kKinds[] = {
    {"tiny-hf-bert", {"config.json", "tokenizer_config.json", "vocab.txt"}, false},
    {"tiny-hf-bert", {"config.json", "tokenizer_config.json", "tokenizer.json"}, false},
    {"tiny-hf-vit", {"config.json", "preprocessor_config.json", nullptr}, true},
    {"tiny-han", {"attnviz.json", "vocab.txt", "labels.txt"}, false},
    {"tiny-seq2seq-luong-dot", {"attnviz.json", "source_vocab.txt", "target_vocab.txt"}, false},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const Kind& kind = kKinds[data[0] % (sizeof(kKinds) / sizeof(kKinds[0]))];
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(fuzz::scratchDir()) / "model";
  fs::remove_all(folder);
  fs::create_directories(folder);
  fuzz::copyFile(std::string(ATTNVIZ_TEST_DATA) + "/" + kind.source + "/model.safetensors", "model/model.safetensors");
  const std::vector<std::string> parts = fuzz::split(fuzz::text(data + 1, size - 1), '\0', 3);
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (kind.files[i]) fuzz::writeFile("model/" + std::string(kind.files[i]), parts[i]);
  fuzz::expectResultOrError([&] {
    const auto model = attnviz::loadModel(folder.string());
    const attnviz::Input input = kind.image ? attnviz::Input::fromImage(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit-golden/rgb-45x30.png")
                                            : attnviz::Input::fromText("The cat sat on the mat. It was tired!", "fuzz");
    (void)model->run(input, {});
  });
  return 0;
}

// Fuzzes opening a model .zip (Hugging Face checkpoint or attnviz package zipped): the input is the zip file. Zip
// bombs, absurd sizes, `..` and absolute entry names, duplicate and nested entries must give a clear error.
// Seeds: tests/fuzz/corpus/model_zip (the test zips and small hand-made ones).
#include <cstddef>
#include <cstdint>

#include "engine/api/model.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz::writeFile("model.zip", fuzz::text(data, size));
  fuzz::expectResultOrError([&] {
    const auto model = attnviz::loadModel(path);
    (void)model->info();
  });
  return 0;
}

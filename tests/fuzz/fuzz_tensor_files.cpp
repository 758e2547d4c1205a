// Fuzzes the tensor readers on bytes: .npy, .npz (a zip of .npy) and .safetensors. The first byte picks the format,
// the rest is the file. Seeds: tests/fuzz/corpus/tensor_files.
#include <cstddef>
#include <cstdint>

#include "engine/io/tensor_files.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t format = data[0] % 3;
  const attnviz::Bytes b = fuzz::bytes(data + 1, size - 1, format == 0 ? "x.npy" : format == 1 ? "x.npz" : "x.safetensors");
  fuzz::expectResultOrError([&] {
    if (format == 0) {
      const attnviz::Tensor t = attnviz::readNpy(b);
      for (float v : t.values()) (void)v;  // every element readable
    } else {
      const attnviz::NamedTensors t = format == 1 ? attnviz::readNpz(b) : attnviz::readSafetensors(b);
      for (const auto& [name, tensor] : t.tensors)
        for (float v : tensor.values()) (void)v;
    }
  });
  return 0;
}

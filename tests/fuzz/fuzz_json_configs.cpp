// Fuzzes the JSON readers on text: the attnviz.json manifest, and the architecture readers every model kind applies
// to it or to a Hugging Face config.json / preprocessor_config.json (vit, deit, bert, distilbert, seq2seq, han). The
// first byte picks the reader. Seeds: tests/fuzz/corpus/json_configs.
#include <cstddef>
#include <cstdint>

#include "engine/io/package.h"
#include "engine/models/encoder/encoder_config.h"
#include "engine/models/encoder/hf_encoder.h"
#include "engine/models/han/han_config.h"
#include "engine/models/seq2seq/seq2seq_config.h"
#include "engine/models/vit/vit_config.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const int reader = data[0] % 7;
  const std::string json = fuzz::text(data + 1, size - 1);
  fuzz::expectResultOrError([&] {
    if (reader == 0) {
      (void)attnviz::parseManifest(json, "attnviz.json");
      return;
    }
    const attnviz::Params p("config.json", json);
    switch (reader) {
      case 1: {
        const attnviz::VitConfig c = attnviz::hfVitConfig(p, "vit", "config.json");
        (void)attnviz::hfVitPreprocess(&p, c, "preprocessor_config.json");  // the same text as a preprocessor
        break;
      }
      case 2: (void)attnviz::hfVitConfig(p, "deit", "config.json"); break;
      case 3: (void)attnviz::hfEncoderConfig(p, "bert", "config.json"); break;
      case 4: (void)attnviz::hfEncoderConfig(p, "distilbert", "config.json"); break;
      case 5: (void)attnviz::seq2seq::readConfig(p, "attnviz.json"); break;
      default: (void)attnviz::han::readConfig(p, "attnviz.json"); break;
    }
  });
  return 0;
}

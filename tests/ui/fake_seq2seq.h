// FakeSeq2seq: a deterministic stand-in for a seq2seq translation model, for UI tests that must not
// depend on trained weights. Source tokens are the input's words plus "<eos>"; the free translation maps
// each word through a small English->French dictionary; a target in the options is force-decoded (its
// words plus "<eos>"). cross [T, S]: row t peaks at source t (clamped), how sharply depending on the
// variant (options.layers: [L, H, T, S], layer l's peaks l words right; options.kind "aligner": a pair aligner
// that needs the target); with beam > 1 and no target, `beam` hypotheses whose k-th moves every peak k words right.
//
//   auto m = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "bahdanau"});
//   ws.addModel(m, "fake:bahdanau");
#pragma once

#include <atomic>
#include <string>

#include "engine/api/model.h"

namespace attnviz::test {

class FakeSeq2seq : public attnviz::Model {
 public:
  struct Options {
    std::string variant = "bahdanau";
    float sharpness = 3.0f;   // logit of the peak; larger: closer to one-hot
    bool dropLastWord = false;  // a free translation one word shorter (maps of another shape)
    int delayMs = 0;
    std::int64_t targetVocab = 100;  // ModelInfo::vocabSizes "target": another size is another vocabulary
    // A transformer's cross [L, H, T, S] when layers > 0: layer l's heads peak at source min(t + l, S - 2) (layer 0
    // is the diagonal, layer 1 one word right, ...), each head with its own noise. No beam then.
    int layers = 0, heads = 0;
    // "aligner": kind aligner (a pair aligner: a target is required, no translation of its own).
    std::string kind = "seq2seq";
    std::string name;  // the model's name; "" = "fake-<kind>-<variant>"
  };

  FakeSeq2seq() : FakeSeq2seq(Options{}) {}
  explicit FakeSeq2seq(Options options);
  const attnviz::ModelInfo& info() const override { return info_; }
  attnviz::Trace runImpl(const attnviz::Input& input, const attnviz::RunOptions& options) const override;
  int runs() const { return runs_.load(); }
  // The options of the latest run (tests check forced decoding and beam width).
  attnviz::RunOptions lastOptions() const;

  // The free translation of `text` ("the cat sat" -> "le chat assis").
  static std::string translate(const std::string& text, bool dropLastWord = false);

 private:
  Options options_;
  attnviz::ModelInfo info_;
  mutable std::atomic<int> runs_{0};
  mutable std::atomic<int> lastBeam_{1};
  mutable std::atomic<bool> lastForced_{false};
};

}  // namespace attnviz::test

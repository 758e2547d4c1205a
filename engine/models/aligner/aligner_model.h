// The `aligner` kind: a statistical word aligner (IBM Model 1 then fast_align's diagonal Model 2, trained by
// `attnviz train-aligner`: ibm_training.h). It translates nothing: run() REQUIRES a target (RunOptions::target, a
// forced pair) and gives the posterior link probabilities p(a_j = i | e, f) in the place of a seq2seq model's
// cross-attention, so the alignment view, `attnviz align` and the comparison show it beside attention models.
//
// Trace, with the seq2seq kind's tokens (seq2seq_tokenizer.h, cut to --max-tokens with a warning; a word the table
// does not know shown as "<unk>", as seq2seq shows words its vocabulary lacks):
//   tokens.source = source tokens + "<eos>" (S = m + 1), tokens.target = target tokens + "<eos>" (T = n + 1)
//   attention.cross [T, S]: row j < n is p(a_j = . | e, f): column i < m the source token i, column m (the source
//     "<eos>") NULL's share; every row sums to 1. Row n (the target "<eos>") is 1 on the source "<eos>" (the end of
//     the target aligned to the end of the source, as the RNN models' <eos> rows mostly are) and 0 elsewhere.
//   prediction.translation = the target as French text, prediction.forced = true.
// Argmax over the words (attnviz align, the alignment view) never picks the <eos> column, so NULL's share only
// lowers the others; fast_align's own rule (NULL wins: the word stays unlinked) is argmax over the whole row.
//
// Package (written by aligner_package.h): attnviz.json "architecture": tokenizer "tatoeba-en-fr",
// null_probability p0, diagonal_tension lambda, unseen_probability (t of a pair the table lacks: a pruned pair or an
// unknown word), source_vocab_size (with "<null>" first), target_vocab_size, table_entries; files "weights" (the
// t-table in safetensors, F32: "ttable.row_start" [source_vocab_size + 1], "ttable.target" [table_entries],
// "ttable.probability" [table_entries], compressed rows as translation_table.h, ids stored exactly as floats below
// 2^24), "source_vocab", "target_vocab" (one token per line). Every value is checked at load.
//
//   auto model = attnviz::loadModel("models/aligner-hansards-ibm1-fastalign");
//   attnviz::RunOptions o; o.target = "la maison bleue";
//   attnviz::Trace t = model->run(attnviz::Input::fromText("the blue house"), o);   // t.attention["cross"]: [4, 4]
#pragma once

#include <memory>

#include "engine/api/model.h"
#include "engine/models/aligner/ibm_training.h"
#include "engine/models/aligner/translation_table.h"
#include "engine/models/seq2seq/vocabulary.h"

namespace attnviz {

class Package;

std::unique_ptr<Model> loadAligner(const Package& package);

extern const ModelKind kAlignerKind;  // aligner_kind.cpp: this kind's row of the kind table

namespace aligner {

constexpr const char* kTokenizerName = "tatoeba-en-fr";
// Integers stored as F32 are exact below this: ids, offsets and counts of a package stay under it.
constexpr std::int64_t kMaxExactFloatInteger = 1 << 24;

class AlignerModel final : public Model {
 public:
  explicit AlignerModel(const Package& package);
  const ModelInfo& info() const override { return info_; }
  const TranslationTable& table() const { return table_; }
  const AlignmentPrior& prior() const { return prior_; }
  double unseenProbability() const { return unseen_; }

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;

 private:
  ModelInfo info_;
  seq2seq::Vocabulary sourceVocab_, targetVocab_;
  TranslationTable table_;
  AlignmentPrior prior_;
  double unseen_ = 0.0;
};

}  // namespace aligner
}  // namespace attnviz

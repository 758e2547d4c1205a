// The seq2seq kind's row of the kind table (engine/api/model_kind.h): encoder-decoders with attention that
// translate text and give their cross-attention: attnviz's RNN packages (Bahdanau, Luong) and Hugging Face
// MarianMT / BART checkpoints (transformer_model.h).
#include "engine/api/model_kind.h"
#include "engine/models/seq2seq/seq2seq_model.h"
#include "engine/models/seq2seq/transformer_model.h"

namespace attnviz {

const ModelKind kSeq2seqKind = {
    .name = "seq2seq",
    .description = "seq2seq translation model",
    .can = {.text = true, .tokenIds = true, .decodes = true},
    .hfModelTypes = {"marian", "bart"},
    .loadPackage = loadSeq2seq,
    .loadHf = [](const HfFiles& files, const LoadOptions& options) { return loadHfSeq2seq(files, options); },
};

}  // namespace attnviz

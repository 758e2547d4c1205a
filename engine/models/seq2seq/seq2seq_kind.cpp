// The seq2seq kind's row of the kind table (engine/api/model_kind.h): RNN encoder-decoders with attention
// (Bahdanau, Luong), which translate text and give their cross-attention.
#include "engine/api/model_kind.h"
#include "engine/models/seq2seq/seq2seq_model.h"

namespace attnviz {

const ModelKind kSeq2seqKind = {
    .name = "seq2seq",
    .description = "seq2seq translation model",
    .can = {.text = true, .decodes = true},
    .loadPackage = loadSeq2seq,
};

}  // namespace attnviz

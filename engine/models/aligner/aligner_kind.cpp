// The aligner kind's row of the kind table (engine/api/model_kind.h): statistical word aligners, which align a
// given sentence pair (a target is required) and give posterior link probabilities as cross-attention.
#include "engine/api/model_kind.h"
#include "engine/models/aligner/aligner_model.h"

namespace attnviz {

const ModelKind kAlignerKind = {
    .name = "aligner",
    .description = "statistical word aligner",
    .can = {.text = true, .alignsPairs = true},
    .loadPackage = loadAligner,
};

}  // namespace attnviz

// The encoder kind's row of the kind table (engine/api/model_kind.h): transformer encoders (BERT, DistilBERT and
// attnviz's own encoder packages), which read text or token ids.
#include "engine/api/model_kind.h"
#include "engine/models/encoder/encoder_model.h"
#include "engine/models/encoder/hf_encoder.h"

namespace attnviz {

const ModelKind kEncoderKind = {
    .name = "encoder",
    .description = "transformer encoder",
    .can = {.text = true, .tokenIds = true, .selfAttention = true, .contributions = true, .bf16 = true, .hiddenStates = true},
    .hfModelTypes = {"bert", "distilbert"},
    .hfRelatives = {"roberta"},
    .loadPackage = loadEncoder,
    .loadHf = [](const HfFiles& files, const LoadOptions& options) { return loadHfEncoder(files, options); },
};

}  // namespace attnviz

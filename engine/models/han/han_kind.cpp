// The han kind's row of the kind table (engine/api/model_kind.h): hierarchical attention networks, which classify a
// document read as sentences of words, and score leave-one-out occlusion of those units.
#include "engine/api/model_kind.h"
#include "engine/models/han/han_model.h"

namespace attnviz {

const ModelKind kHanKind = {
    .name = "han",
    .description = "han classifier",
    .can = {.text = true, .sentences = true, .occlusion = true},
    .loadPackage = loadHan,
};

}  // namespace attnviz

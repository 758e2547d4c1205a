// The kind table (engine/api/model_kind.h): one registration line per kind (and its header), whose row is in
// engine/models/<kind>/<kind>_kind.cpp. The order is the order of messages and --help.
#include "engine/api/model_kind.h"
#include "engine/models/aligner/aligner_model.h"
#include "engine/models/encoder/encoder_model.h"
#include "engine/models/han/han_model.h"
#include "engine/models/seq2seq/seq2seq_model.h"
#include "engine/models/vit/vit_model.h"

namespace attnviz {

const std::vector<const ModelKind*>& modelKinds() {
  static const std::vector<const ModelKind*> kinds = {
      &kEncoderKind,
      &kSeq2seqKind,
      &kHanKind,
      &kVitKind,
      &kAlignerKind,
  };
  return kinds;
}

}  // namespace attnviz

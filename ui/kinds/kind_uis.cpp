// The window's kind table (kind_ui.h): one registration line per kind (and its declaration), whose row is in
// ui/kinds/<kind>/<kind>_ui.cpp.
#include "ui/kinds/kind_ui.h"

#include "engine/api/model_kind.h"

namespace attnviz::ui {

extern const KindUi kEncoderUi, kSeq2seqUi, kHanUi, kVitUi, kAlignerUi;

const std::vector<const KindUi*>& kindUis() {
  static const std::vector<const KindUi*> rows = {
      &kEncoderUi,
      &kSeq2seqUi,
      &kHanUi,
      &kVitUi,
      &kAlignerUi,
  };
  return rows;
}

const KindUi* findKindUi(const QString& kind) {
  for (const KindUi* row : kindUis())
    if (row->name == kind) return row;
  return nullptr;
}

bool kindCan(const QString& kind, bool KindCapabilities::*capability) { return kindCan(kind.toStdString(), capability); }

bool kindCan(const std::string& kind, bool KindCapabilities::*capability) {
  const ModelKind* row = findModelKind(kind);
  return row && row->can.*capability;
}

bool kindTakesTarget(const QString& kind) {
  const ModelKind* row = findModelKind(kind.toStdString());
  return row && takesTarget(*row);
}

}  // namespace attnviz::ui

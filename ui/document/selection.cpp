#include "ui/document/selection.h"

#include <QScopedValueRollback>

namespace attnviz::ui {

Selection::Selection(QObject* parent) : QObject(parent) {}

void Selection::setCell(int row, int column) {
  if (inCell_ || (row == row_ && column == column_)) return;
  row_ = row;
  column_ = column;
  QScopedValueRollback guard(inCell_, true);
  emit cellChanged(row_, column_);
}

void Selection::setLayerHead(int layer, int head) {
  if (inLayerHead_ || (layer == layer_ && head == head_)) return;
  layer_ = layer;
  head_ = head;
  QScopedValueRollback guard(inLayerHead_, true);
  emit layerHeadChanged(layer_, head_);
}

void Selection::setLayer(int layer) { setLayerHead(layer, head_); }
void Selection::setHead(int head) { setLayerHead(layer_, head); }

void Selection::setSentence(int sentence) {
  if (inSentence_ || sentence == sentence_) return;
  sentence_ = sentence;
  QScopedValueRollback guard(inSentence_, true);
  emit sentenceChanged(sentence_);
}

void Selection::setPatch(int patch) {
  if (inPatch_ || patch == patch_) return;
  patch_ = patch;
  QScopedValueRollback guard(inPatch_, true);
  emit patchChanged(patch_);
}

void Selection::setVariant(const QString& variant) {
  if (inVariant_ || variant == variant_) return;
  variant_ = variant;
  QScopedValueRollback guard(inVariant_, true);
  emit variantChanged(variant_);
}

void Selection::setHypothesis(int hypothesis) {
  if (inHypothesis_ || hypothesis == hypothesis_) return;
  hypothesis_ = hypothesis;
  QScopedValueRollback guard(inHypothesis_, true);
  emit hypothesisChanged(hypothesis_);
}

void Selection::reset() {
  setCell(kNone, kNone);
  setLayerHead(0, 0);
  setSentence(kNone);
  setPatch(kNone);
  setHypothesis(0);
}

}  // namespace attnviz::ui

#include "ui/document/selection.h"

#include <QScopedValueRollback>
#include <utility>

#include "engine/api/trace.h"

#include "ui/document/token_follow.h"

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

void Selection::setPinnedRow(int row) {
  if (inPin_) return;
  if (row != kNone) setCell(row, column_);
  if (row == pinnedRow_) return;
  pinnedRow_ = row;
  QScopedValueRollback guard(inPin_, true);
  emit pinChanged(pinnedRow_);
}

namespace {

// index's place in `map` (followTokens), kNone for kNone or an index outside the old axis.
int followed(const std::vector<int>& map, int index) {
  return index >= 0 && index < static_cast<int>(map.size()) ? map[static_cast<std::size_t>(index)] : Selection::kNone;
}

QString tokenName(const std::vector<std::string>& axis, int index) {
  return index >= 0 && index < static_cast<int>(axis.size()) ? QString::fromStdString(axis[static_cast<std::size_t>(index)])
                                                              : QString::number(index);
}

}  // namespace

QString Selection::followAxes(Axes axes) {
  if (axes == axes_) return {};
  const bool first = axes_.rows.empty() && axes_.columns.empty() && axes_.input.empty();
  const Axes before = std::exchange(axes_, std::move(axes));
  if (first) return {};
  const std::vector<int> rowMap = followTokens(before.rows, axes_.rows);
  const std::vector<int> columnMap =
      before.columns == before.rows && axes_.columns == axes_.rows ? rowMap : followTokens(before.columns, axes_.columns);
  const int pin = pinnedRow_;
  const int newPin = followed(rowMap, pin);
  const int newRow = followed(rowMap, row_);
  if (patch_ != kNone && newRow != row_) setPatch(kNone);  // a patch is its row's token: it goes where the row goes
  if (newPin != pin) {
    pinnedRow_ = newPin;
    QScopedValueRollback guard(inPin_, true);
    emit pinChanged(pinnedRow_);
  }
  setCell(newRow, followed(columnMap, column_));
  if (pin == kNone) return {};
  const QString name = tokenName(before.rows, pin);
  QString note;
  if (newPin == kNone) note = tr("Pin on “%1” released: that token is not in the new input").arg(name);
  else if (newPin != pin) note = tr("Pin on “%1” followed the token: now token %2 (was %3)").arg(name).arg(newPin).arg(pin);
  else note = tr("Pin kept on “%1”: the same token (%2) in the new input").arg(name).arg(newPin);
  emit pinFollowed(note);
  return note;
}

Selection::Axes Selection::axesOf(const attnviz::Trace& trace) {
  Axes axes;
  axes.input = trace.input;
  if (!trace.sentences.empty()) {  // han: a row is a sentence, a column a word of it (not followed)
    for (const auto& words : trace.sentences) {
      std::string sentence;
      for (const std::string& w : words) sentence += (sentence.empty() ? "" : " ") + w;
      axes.rows.push_back(std::move(sentence));
    }
    return axes;
  }
  axes.rows = trace.targetTokens.empty() ? trace.sourceTokens : trace.targetTokens;
  axes.columns = trace.sourceTokens;
  return axes;
}

void Selection::reset() {
  setPinnedRow(kNone);
  axes_ = {};
  setCell(kNone, kNone);
  setLayerHead(0, 0);
  setSentence(kNone);
  setPatch(kNone);
  setHypothesis(0);
}

}  // namespace attnviz::ui

#include "ui/alignment/beam_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QScopedValueRollback>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "ui/document/hypothesis_trace.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kFigureRowHeight = 22.0;
constexpr double kFigureMargin = 8.0;
constexpr double kFigureWidth = 520.0;
constexpr int kFigureFontPx = 12;

// A row's translation cell: hypothesisText, the one text of a target the header, the beam list and `attnviz run` show
// (special tokens such as <unk> kept). Its tooltip adds the tokens (the heatmap's rows), escaped: a tooltip is rich
// text, where a bare "<unk>" would be swallowed as a tag.
QTableWidgetItem* translationItem(const std::vector<std::string>& tokens) {
  auto* item = new QTableWidgetItem(hypothesisText(tokens));
  QStringList words;
  for (const std::string& t : tokens) words << QString::fromStdString(t);
  item->setToolTip(QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
                       .arg((hypothesisText(tokens) + QStringLiteral("\n") + BeamPanel::tr("tokens: %1").arg(words.join(QStringLiteral(" · "))))
                                .toHtmlEscaped()));
  return item;
}

}  // namespace

BeamPanel::BeamPanel(QWidget* parent) : Panel(parent) {
  table_ = new QTableWidget(0, 3, this);
  table_->setObjectName(QStringLiteral("beamTable"));
  table_->setHorizontalHeaderLabels({tr("#"), tr("score"), tr("translation")});
  table_->horizontalHeaderItem(1)->setToolTip(tr("Log-probability of the hypothesis as the model scores it (higher is better)"));
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideRight);  // the full translation is the cell's tooltip
  table_->setToolTip(tr("The beam's n-best list, best first. Pick one to see its attention in every panel"));
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("color: #707070;"));
  auto* caption = new QLabel(tr("<b>Beam hypotheses</b>"), this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(caption);
  layout->addWidget(table_, 1);
  layout->addWidget(note_);
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) {
    if (!syncing_ && workspace_ && row >= 0) workspace_->selection().setHypothesis(row);
  });
  rebuild();
}

void BeamPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::traceChanged, this, &BeamPanel::rebuild);
    listen(&workspace_->selection(), &Selection::hypothesisChanged, this, &BeamPanel::onHypothesisChanged);
  }
  rebuild();
}

void BeamPanel::rebuild() {
  const QScopedValueRollback guard(syncing_, true);
  const TracePtr trace = workspace_ ? workspace_->trace() : nullptr;
  table_->setRowCount(0);
  if (!trace) {
    note_->setText(tr("The n-best list of beam search appears here."));
    return;
  }
  const auto& hyps = trace->hypotheses;
  if (hyps.empty()) {
    table_->setRowCount(1);
    table_->setItem(0, 0, new QTableWidgetItem(QStringLiteral("1")));
    table_->setItem(0, 1, new QTableWidgetItem(QStringLiteral("—")));
    table_->setItem(0, 2, translationItem(trace->targetTokens));
    note_->setText(trace->prediction.forced ? tr("Forced decoding: one path (the forced target), no n-best list.")
                                           : tr("Greedy decoding (beam width 1): set a beam width above 1 for an n-best list."));
  } else {
    table_->setRowCount(static_cast<int>(hyps.size()));
    for (int i = 0; i < static_cast<int>(hyps.size()); ++i) {
      const attnviz::Hypothesis& h = hyps[static_cast<std::size_t>(i)];
      auto* rank = new QTableWidgetItem(QString::number(i + 1));
      rank->setTextAlignment(Qt::AlignCenter);
      auto* score = new QTableWidgetItem(QString::number(h.score, 'f', 3));
      score->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(i, 0, rank);
      table_->setItem(i, 1, score);
      table_->setItem(i, 2, translationItem(h.tokens));
    }
    note_->setText(tr("%n hypotheses, best first; pick one to show its attention.", nullptr, static_cast<int>(hyps.size())));
  }
  table_->setCurrentCell(workspace_->selection().hypothesis(), 0);
}

void BeamPanel::onHypothesisChanged(int k) {
  const QScopedValueRollback guard(syncing_, true);
  if (table_->currentRow() != k) table_->setCurrentCell(k, 0);
}

void BeamPanel::paintFigure(QPainter& p, const QRectF& rect) const {
  p.save();
  p.fillRect(rect, Qt::white);
  QFont f;
  f.setPixelSize(kFigureFontPx);
  QFont bold = f;
  bold.setBold(true);
  const QFontMetricsF fm(f);
  const double scoreW = fm.horizontalAdvance(QStringLiteral("-00.000")) + 12;
  const double rankW = fm.horizontalAdvance(QStringLiteral("00")) + 12;
  double y = rect.top() + kFigureMargin;
  const double x = rect.left() + kFigureMargin;
  const double w = rect.width() - 2 * kFigureMargin;
  auto row = [&](const QString& a, const QString& b, const QString& c, bool header, bool picked) {
    const QRectF line(x, y, w, kFigureRowHeight);
    if (picked) p.fillRect(line, QColor(0xfd, 0xe8, 0xe6));
    p.setFont(header ? bold : f);
    p.setPen(picked ? QColor(0xc0, 0x39, 0x2b) : QColor(0x20, 0x20, 0x20));
    p.drawText(QRectF(x, y, rankW, kFigureRowHeight), Qt::AlignCenter, a);
    p.drawText(QRectF(x + rankW, y, scoreW - 6, kFigureRowHeight), Qt::AlignRight | Qt::AlignVCenter, b);
    p.drawText(QRectF(x + rankW + scoreW, y, w - rankW - scoreW, kFigureRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(c, Qt::ElideRight, w - rankW - scoreW));
    y += kFigureRowHeight;
  };
  row(tr("#"), tr("score"), tr("translation"), true, false);
  p.setPen(QPen(QColor(0x90, 0x90, 0x90), 0.8));
  p.drawLine(QPointF(x, y), QPointF(x + w, y));
  for (int i = 0; i < table_->rowCount(); ++i) {
    auto text = [&](int c) { return table_->item(i, c) ? table_->item(i, c)->text() : QString(); };
    row(text(0), text(1), text(2), false, i == table_->currentRow() && table_->rowCount() > 1);
  }
  p.restore();
}

QSizeF BeamPanel::figureSize() const {
  return {kFigureWidth, std::ceil(2 * kFigureMargin + kFigureRowHeight * (table_->rowCount() + 1) + 2)};
}

}  // namespace attnviz::ui

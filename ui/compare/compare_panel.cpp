#include "ui/compare/compare_panel.h"

#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QVBoxLayout>

#include "ui/kinds/kind_ui.h"
#include "ui/compare/compare_export.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/faithfulness_bar.h"
#include "ui/export/confirm_replace.h"
#include "ui/export/data_export.h"
#include "ui/export/export_dialog.h"
#include "ui/export/export_folder.h"
#include "ui/export/file_suffix.h"
#include "ui/compare/metrics_table.h"
#include "ui/panels/panel_controls.h"
#include "ui/compare/patch_comparison.h"
#include "ui/kinds/vit/trace_image.h"
#include "ui/document/workspace.h"
#include "ui/alignment/seq2seq_extension.h"

namespace attnviz::ui {
namespace {

constexpr int kGridFontPx = 11;  // a little smaller than a single heatmap's: several maps share the width

QLabel* caption(const QString& text, QWidget* buddy, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setBuddy(buddy);
  return l;
}

}  // namespace

ComparePanel::ComparePanel(QWidget* parent) : Panel(parent) {
  body_ = new QWidget(this);
  mapBox_ = new QComboBox(body_);
  rememberControl(mapBox_, "map");
  mapBox_->setToolTip(tr("Which attention map of the traces to compare"));
  referenceBox_ = new QComboBox(body_);
  referenceBox_->setObjectName(QStringLiteral("referenceVariant"));
  referenceBox_->setToolTip(tr("The reference variant: the others are force-decoded on its translation and the "
                               "Jensen-Shannon divergence is measured to it"));
  decodeBox_ = new QComboBox(body_);
  decodeBox_->addItem(tr("reference's translation"), static_cast<int>(CompareTarget::ReferenceOutput));
  decodeBox_->addItem(tr("each its own"), static_cast<int>(CompareTarget::OwnOutput));
  decodeBox_->setToolTip(tr("What every variant decodes. Maps line up row for row only when all decode the same "
                            "target: the reference's translation (default) or the target field of the alignment tab"));
  diffBox_ = new QCheckBox(tr("Difference"), body_);
  rememberControl(diffBox_, "difference");
  diffBox_->setChecked(true);
  diffBox_->setToolTip(tr("Show the cell-by-cell difference of two variants (diverging colours, symmetric scale)"));
  diffA_ = new QComboBox(body_);
  rememberControl(diffA_, "differenceA");
  diffA_->setToolTip(tr("The difference shows this variant's map…"));
  diffB_ = new QComboBox(body_);
  rememberControl(diffB_, "differenceB");
  diffB_->setToolTip(tr("…minus this variant's map (red: more attention in the first, blue: in the second)"));
  colormapBox_ = new QComboBox(body_);
  rememberControl(colormapBox_, "colormap");
  colormapBox_->setToolTip(tr("Colour map of the variant maps (all share one scale)"));
  for (ColormapId id : Colormap::all()) colormapBox_->addItem(Colormap::byId(id).name(), static_cast<int>(id));
  scaleBox_ = new QComboBox(body_);
  scaleBox_->setObjectName(QStringLiteral("compareScale"));
  rememberControl(scaleBox_, "scale");
  scaleBox_->addItem(tr("Scale: auto"), static_cast<int>(Scale::Auto));
  scaleBox_->addItem(tr("Scale: one for all"), static_cast<int>(Scale::Shared));
  scaleBox_->addItem(tr("Scale: per map"), static_cast<int>(Scale::PerMap));
  scaleBox_->setToolTip(tr("One for all: every map on one colour scale, so equal colours are equal weights. Per map: each map "
                           "on its own min-to-max scale with its own colour bar, for maps of different quantities (rollout and "
                           "flow vary little and look one colour beside raw attention). Auto: one for all when comparing "
                           "models, per map for maps of one trace. The grid's title says which is used"));
  valuesBox_ = new QCheckBox(tr("Values"), body_);
  rememberControl(valuesBox_, "values");
  valuesBox_->setToolTip(tr("Print the weights inside the cells where they fit"));
  auto* exportFigure = new QPushButton(tr("Export figure…"), body_);
  exportFigure->setToolTip(tr("The whole grid as one figure (PNG, SVG or PDF), panels labelled (a), (b), …"));
  auto* exportData = new QPushButton(tr("Export data…"), body_);
  exportData->setToolTip(tr("Every variant's map and metrics as CSV (long format) or JSON"));

  traceMapsBox_ = new QCheckBox(tr("Maps of this trace"), body_);
  traceMapsBox_->setObjectName(QStringLiteral("compareTraceMaps"));
  traceMapsBox_->setToolTip(tr("Compare maps of the current input instead of models: the last layer's mean over heads, "
                               "rollout (fusion and discard ratio of the Attention tab), the coreference head and the "
                               "shown head"));

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(traceMapsBox_);
  mapCaption_ = caption(tr("&Map"), mapBox_, body_);
  controls->addWidget(mapCaption_);
  controls->addWidget(mapBox_);
  auto* referenceCaption = caption(tr("&Reference"), referenceBox_, body_);
  auto* decodeCaption = caption(tr("&Decode"), decodeBox_, body_);
  controls->addWidget(referenceCaption);
  controls->addWidget(referenceBox_);
  controls->addWidget(decodeCaption);
  controls->addWidget(decodeBox_);
  variantControls_ = {referenceCaption, referenceBox_, decodeCaption, decodeBox_};
  controls->addSpacing(8);
  controls->addWidget(diffBox_);
  controls->addWidget(diffA_);
  controls->addWidget(new QLabel(QStringLiteral("−"), body_));
  controls->addWidget(diffB_);
  controls->addStretch(1);
  controls->addWidget(scaleBox_);
  controls->addWidget(colormapBox_);
  controls->addWidget(valuesBox_);
  controls->addWidget(exportFigure);
  controls->addWidget(exportData);

  note_ = new QLabel(body_);
  note_->setObjectName(QStringLiteral("compareNote"));
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("color: #505050; padding: 0 4px;"));
  view_ = new CompareView(body_);
  view_->setObjectName(QStringLiteral("compareView"));
  metrics_ = new MetricsTable(body_);
  auto* split = new QSplitter(Qt::Vertical, body_);
  split->setChildrenCollapsible(false);
  split->addWidget(view_);
  split->addWidget(metrics_);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  auto* bodyLayout = new QVBoxLayout(body_);
  bodyLayout->setContentsMargins(0, 0, 0, 0);
  bodyLayout->setSpacing(2);
  bodyLayout->addLayout(controls);
  faithfulness_ = new FaithfulnessBar(body_);
  faithfulness_->setVisible(false);
  bodyLayout->addWidget(faithfulness_);
  bodyLayout->addWidget(note_);
  bodyLayout->addWidget(split, 1);

  placeholder_ = placeholderLabel(nullptr);  // laid out in empty_ below
  compareAll_ = new QPushButton;
  compareAll_->setObjectName(QStringLiteral("compareAll"));
  compareAll_->setToolTip(tr("Run every open model of this kind on the input and show their maps side by side"));
  traceMapsButton_ = new QPushButton(tr("Compare maps of this trace (last layer, rollout, coreference head, shown head)"));
  traceMapsButton_->setObjectName(QStringLiteral("compareTraceMapsButton"));
  traceMapsButton_->setToolTip(tr("Put several maps of the current trace side by side, with metrics"));
  // Shown instead of body_ while fewer than two models are compared.
  empty_ = new QWidget(this);
  auto* emptyLayout = new QVBoxLayout(empty_);
  emptyLayout->addStretch(1);
  emptyLayout->addWidget(placeholder_);
  emptyLayout->addWidget(compareAll_, 0, Qt::AlignHCenter);
  emptyLayout->addWidget(traceMapsButton_, 0, Qt::AlignHCenter);
  emptyLayout->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(body_, 1);
  layout->addWidget(empty_, 1);

  connect(view_, &CompareView::hovered, this, &ComparePanel::onHovered);
  connect(mapBox_, &QComboBox::activated, this, [this] {
    mapName_ = mapBox_->currentData().toString();
    refresh();
  });
  connect(referenceBox_, &QComboBox::activated, this, [this] {
    if (!syncing_ && workspace_) workspace_->setReference(referenceBox_->currentData().toInt());
  });
  connect(decodeBox_, &QComboBox::activated, this, [this] {
    if (!syncing_ && workspace_) workspace_->setCompareTarget(static_cast<CompareTarget>(decodeBox_->currentData().toInt()));
  });
  for (QComboBox* b : {diffA_, diffB_, colormapBox_, scaleBox_}) connect(b, &QComboBox::activated, this, &ComparePanel::refresh);
  connect(diffBox_, &QCheckBox::toggled, this, &ComparePanel::refresh);
  connect(valuesBox_, &QCheckBox::toggled, this, &ComparePanel::refresh);
  connect(faithfulness_, &FaithfulnessBar::removalChanged, this, &ComparePanel::refresh);
  connect(exportFigure, &QPushButton::clicked, this, &ComparePanel::exportFigureDialog);
  connect(exportData, &QPushButton::clicked, this, &ComparePanel::exportDataDialog);
  connect(traceMapsButton_, &QPushButton::clicked, this, [this] { setTraceMaps(true); });
  connect(traceMapsBox_, &QCheckBox::toggled, this, [this](bool on) {
    if (!syncing_) setTraceMaps(on);
  });
  connect(compareAll_, &QPushButton::clicked, this, [this] {
    if (!workspace_) return;
    QList<int> all;
    const QString kind = workspace_->currentKind();
    for (int i = 0; i < static_cast<int>(workspace_->models().size()); ++i) {
      if (comparableKinds(QString::fromStdString(workspace_->models()[static_cast<std::size_t>(i)].model->info().identity.kind), kind)) all << i;
    }
    workspace_->setCompared(all);
  });
  rebuildChoices();
  refresh();
}

void ComparePanel::attach() {
  faithfulness_->setWorkspace(workspace_);
  if (workspace_) {
    for (auto changed : {&DerivedResults::faithfulnessChanged, &DerivedResults::valueZeroingChanged})
      listen(&workspace_->derived(), changed, this, [this] {
        if (traceMaps_) refresh();
      });
    listen(workspace_, &Workspace::comparedTracesChanged, this, &ComparePanel::refresh);
    listen(workspace_, &Workspace::compareChanged, this, &ComparePanel::rebuildChoices);
    listen(workspace_, &Workspace::modelsChanged, this, &ComparePanel::rebuildChoices);
    listen(&workspace_->extension<Seq2seqExtension>().gold(), &GoldSet::corpusAerChanged, this, &ComparePanel::refresh);
    listen(&workspace_->extension<Seq2seqExtension>().gold(), &GoldSet::currentChanged, this, &ComparePanel::refresh);
    listen(&workspace_->extension<Seq2seqExtension>(), &Seq2seqExtension::methodChanged, this, &ComparePanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &ComparePanel::followSelection);
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &ComparePanel::refresh);
    // Maps of one trace follow the shown trace and the rollout settings.
    listen(workspace_, &Workspace::shownTraceChanged, this, [this] {
      if (traceMaps_) rebuildChoices();
    });
    listen(workspace_, &Workspace::currentModelChanged, this, &ComparePanel::rebuildChoices);
    listen(workspace_, &Workspace::rolloutFusionChanged, this, [this] {
      if (traceMaps_) refresh();
    });
    listen(workspace_, &Workspace::rolloutDiscardChanged, this, [this] {
      if (traceMaps_) refresh();
    });
    listen(workspace_, &Workspace::flowChanged, this, [this] {
      if (traceMaps_) rebuildChoices();  // a flow map joins (or leaves) the grid
    });
  }
  rebuildChoices();
}

bool ComparePanel::hasTraceMaps() const {
  return workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::selfAttention);
}

bool ComparePanel::showing() const { return workspace_ && ((traceMaps_ && hasTraceMaps()) || workspace_->isComparing()); }

Comparison ComparePanel::traceMapsNow() {
  patchGrid_ = shownPatchGrid(*workspace_);
  if (!patchGrid_) return buildTraceMaps(*workspace_);
  const QString path = QString::fromStdString(workspace_->shownTrace()->input);
  if (path != underlayPath_) {
    underlayPath_ = path;
    underlay_ = traceImage(path.toStdString());  // null when unreadable: grey cells only
  }
  return buildPatchTraceMaps(*workspace_, underlay_);
}

void ComparePanel::followSelection() {
  if (!workspace_) return;
  const Selection& sel = workspace_->selection();
  if (!patchGrid_) {
    view_->setHighlight(sel.row(), sel.column());
    return;
  }
  // A patch map's cell (r, c) is token "patch r,c": highlight the key patch of the Selection's cell.
  const int patch = patchGrid_->patchOf(sel.column());
  view_->setHighlight(patch < 0 ? -1 : patch / patchGrid_->cols, patch < 0 ? -1 : patch % patchGrid_->cols);
}

void ComparePanel::setTraceMaps(bool on) {
  if (on == traceMaps_) return;
  traceMaps_ = on;
  rebuildChoices();
}

void ComparePanel::rebuildChoices() {
  {
    const QScopedValueRollback guard(syncing_, true);
    const bool traceMaps = traceMaps_ && hasTraceMaps();
    const bool comparing = workspace_ && workspace_->isComparing() && !traceMaps;
    referenceBox_->clear();
    const int oldA = diffA_->currentData().isValid() ? diffA_->currentData().toInt() : -1;
    const int oldB = diffB_->currentData().isValid() ? diffB_->currentData().toInt() : -1;
    diffA_->clear();
    diffB_->clear();
    if (comparing) {
      const QList<int>& compared = workspace_->compared();
      for (qsizetype i = 0; i < compared.size(); ++i) {
        const QString label = workspace_->modelLabel(compared[i]);
        referenceBox_->addItem(label, compared[i]);
        diffA_->addItem(CompareFigure::panelLetter(static_cast<int>(i)) + QLatin1Char(' ') + label, static_cast<int>(i));
        diffB_->addItem(CompareFigure::panelLetter(static_cast<int>(i)) + QLatin1Char(' ') + label, static_cast<int>(i));
      }
      referenceBox_->setCurrentIndex(referenceBox_->findData(workspace_->reference()));
      decodeBox_->setCurrentIndex(decodeBox_->findData(static_cast<int>(workspace_->compareTarget())));
      // Default difference: the first other variant minus the reference.
      const int ref = static_cast<int>(compared.indexOf(workspace_->reference()));
      const int a = oldA >= 0 && oldA < compared.size() ? oldA : (ref == 0 ? 1 : 0);
      const int b = oldB >= 0 && oldB < compared.size() ? oldB : ref;
      diffA_->setCurrentIndex(diffA_->findData(a));
      diffB_->setCurrentIndex(diffB_->findData(b));
    } else if (traceMaps) {
      const Comparison maps = traceMapsNow();
      for (std::size_t i = 0; i < maps.rows.size(); ++i) {
        const QString label = CompareFigure::panelLetter(static_cast<int>(i)) + QLatin1Char(' ') + maps.rows[i].label;
        diffA_->addItem(label, static_cast<int>(i));
        diffB_->addItem(label, static_cast<int>(i));
      }
      // Default difference: rollout minus the raw last layer.
      const int n = static_cast<int>(maps.rows.size());
      diffA_->setCurrentIndex(diffA_->findData(oldA >= 0 && oldA < n ? oldA : std::min(1, n - 1)));
      diffB_->setCurrentIndex(diffB_->findData(oldB >= 0 && oldB < n ? oldB : 0));
    }
    traceMapsBox_->setChecked(traceMaps);
    traceMapsBox_->setVisible(hasTraceMaps());
    for (QWidget* w : variantControls_) w->setVisible(!traceMaps);
    faithfulness_->setVisible(traceMaps && kindCan(workspace_->currentKind(), &KindCapabilities::contributions));
    traceMapsButton_->setVisible(hasTraceMaps() && !traceMaps);
    const bool methods = workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::contributions);
    traceMapsButton_->setText(workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::image)
                                  ? tr("Compare maps of this image (layers, rollout, flow, shown head)")
                                  : tr("Compare maps of this trace (last layer, rollout, coreference head, shown head)"));
    if (methods) traceMapsButton_->setText(traceMapsButton_->text() + tr(" — with contribution methods and their faithfulness"));
    int sameKind = 0;
    if (workspace_) {
      for (const auto& m : workspace_->models())
        sameKind += comparableKinds(QString::fromStdString(m.model->info().identity.kind), workspace_->currentKind());
    }
    body_->setVisible(comparing || traceMaps);
    empty_->setVisible(!comparing && !traceMaps);
    compareAll_->setVisible(!comparing && sameKind >= 2);
    compareAll_->setText((workspace_ && kindTakesTarget(workspace_->currentKind()))
                             ? tr("Compare all %1 open seq2seq and aligner models").arg(sameKind)
                             : tr("Compare all %1 open %2 models").arg(sameKind).arg(workspace_ ? workspace_->currentKind() : QString()));
    placeholder_->setText(sameKind >= 2 ? tr("Tick the models to compare in the Models dock (two or more of this kind), or:")
                                        : tr("Open two or more models of this kind — e.g. several attention variants — "
                                             "and tick them in the Models dock to compare them on the same input."));
  }
  refresh();
}

void ComparePanel::setDifference(int a, int b) {
  diffBox_->setChecked(a >= 0 && b >= 0);
  diffA_->setCurrentIndex(diffA_->findData(a));
  diffB_->setCurrentIndex(diffB_->findData(b));
  refresh();
}

void ComparePanel::refresh() { refresh_.request(); }

void ComparePanel::refreshNow() {
  if (!showing()) {
    comparison_ = Comparison{};
    view_->setFigure({});
    metrics_->setComparison(comparison_);
    return;
  }
  const bool traceMaps = traceMaps_ && hasTraceMaps();
  if (!traceMaps) patchGrid_.reset();
  // Map choice: what the compared traces carry (cross for seq2seq); maps of one trace have none.
  std::vector<MapInfo> maps;
  for (const TracePtr& t : workspace_->comparedTraces()) {
    if (t && !traceMaps) {
      maps = availableMaps(*t);
      break;
    }
  }
  {
    const QScopedValueRollback guard(syncing_, true);
    QStringList names;
    for (const MapInfo& m : maps) names << m.name;
    if (!maps.empty() && !names.contains(mapName_)) mapName_ = maps.front().name;
    mapBox_->clear();
    for (const MapInfo& m : maps) mapBox_->addItem(mapTitle({m.name, false, 0, 0}, {}), m.name);
    mapBox_->setCurrentIndex(mapBox_->findData(mapName_));
    mapBox_->setVisible(maps.size() > 1);
    mapCaption_->setVisible(maps.size() > 1);
  }
  const Selection& sel = workspace_->selection();
  comparison_ = traceMaps ? traceMapsNow() : buildComparison(*workspace_, {mapName_, sel.layer(), sel.head()});
  if (traceMaps) {  // the Methods view: each ranking's faithfulness, once computed
    if (const attnviz::Faithfulness* fa = workspace_->derived().faithfulness(faithfulness_->removal())) {
      const QString removal = fa->removal == "mask" ? tr("masked with %1").arg(QString::fromStdString(fa->maskToken)) : tr("deleted");
      for (VariantRow& row : comparison_.rows)
        for (const attnviz::RankingFaithfulness& m : fa->methods)
          if (row.faithfulnessMethod == QString::fromStdString(m.method)) row.faithfulness = m, row.faithfulnessRemoval = removal;
    }
  }

  CompareFigure f;
  f.style.colormap = static_cast<ColormapId>(colormapBox_->currentData().toInt());
  f.style.fontPixelSize = kGridFontPx;
  f.style.showValues = valuesBox_->isChecked();
  f.style.fullDetailCells = workspace_->limits().fullDetailCells;
  // The grid's title is the first cell's map title. Cross maps are read per model (a transformer's chosen layer and
  // head beside an RNN's one map, an aligner's link posteriors) and each cell's label names its own: when their titles
  // differ the grid title is only the map's name. Other maps follow the one Selection's layer and head.
  QString mapTitleText;
  bool oneMapTitle = true;
  for (std::size_t i = 0; i < comparison_.rows.size(); ++i) {
    HeatmapData m = comparison_.rows[i].map;
    if (!m.title.isEmpty()) {
      if (mapTitleText.isEmpty()) mapTitleText = m.title;
      oneMapTitle = oneMapTitle && m.title == mapTitleText;
    }
    m.title = CompareFigure::panelLetter(static_cast<int>(i)) + QLatin1Char(' ') + comparison_.rows[i].label +
              (static_cast<int>(i) == comparison_.reference ? tr(" (reference)") : QString());
    if (const auto& fa = comparison_.rows[i].faithfulness) {  // the ranking's scores in its label, for figures too
      const auto number = [](double v, int decimals) { return std::isfinite(v) ? QString::number(v, 'f', decimals) : tr("n/a"); };
      m.subtitle = tr("comp %1 · suff %2 · τ %3").arg(number(fa->aopcComprehensiveness, 3), number(fa->aopcSufficiency, 3), number(fa->tau, 2));
    }
    f.maps.push_back(std::move(m));
  }
  const auto scale = static_cast<Scale>(scaleBox_->currentData().toInt());
  f.sharedScale = scale == Scale::Shared || (scale == Scale::Auto && !traceMaps);
  if (f.sharedScale) f.style.fixedRange = CompareFigure::sharedRange(f.maps);
  const QString scaleText = f.sharedScale ? tr("one colour scale") : tr("each map on its own min–max scale");
  if (!oneMapTitle && mapName_ == QStringLiteral("cross")) mapTitleText = mapTitle({mapName_, false, 0, 0}, {});
  f.title = mapTitleText.isEmpty() ? QString() : mapTitleText + QStringLiteral(" · ") + scaleText;
  if (traceMaps && !comparison_.rows.empty() && comparison_.rows.front().trace)
  {
    constexpr int kTitleChars = 60;
    QString input = QString::fromStdString(comparison_.rows.front().trace->input).simplified();
    if (patchGrid_) input = QFileInfo(input).fileName();  // an image path: its name says enough
    if (input.size() > kTitleChars) input = input.left(kTitleChars - 1) + QStringLiteral("…");
    f.title = tr("Maps of “%1” · %2").arg(input, scaleText);
  }
  if (!comparison_.forcedTarget.isEmpty()) f.title += tr(" · all decode “%1”").arg(comparison_.forcedTarget);
  QString diffWhy;
  if (diffBox_->isChecked() && diffA_->currentIndex() >= 0 && diffB_->currentIndex() >= 0) {
    const int a = diffA_->currentData().toInt();
    const int b = diffB_->currentData().toInt();
    if (a != b && a < static_cast<int>(comparison_.rows.size()) && b < static_cast<int>(comparison_.rows.size())) {
      const VariantRow& ra = comparison_.rows[static_cast<std::size_t>(a)];
      const VariantRow& rb = comparison_.rows[static_cast<std::size_t>(b)];
      f.difference = difference(ra.map, rb.map,
                                CompareFigure::panelLetter(static_cast<int>(f.maps.size())) + QLatin1Char(' ') + ra.label +
                                    QStringLiteral(" − ") + rb.label);
      if (!f.difference && !ra.map.empty() && !rb.map.empty())
        diffWhy = tr(" No difference map: %1 and %2 decoded targets of different lengths.").arg(ra.label, rb.label);
      f.differenceStyle.colormap = ColormapId::RedBlue;
      f.differenceStyle.scaling = Scaling::Symmetric;
      f.differenceStyle.showValues = valuesBox_->isChecked();
      f.differenceStyle.fontPixelSize = kGridFontPx;
      f.differenceStyle.fullDetailCells = f.style.fullDetailCells;
    }
  }
  view_->setFigure(std::move(f));
  followSelection();
  metrics_->setComparison(comparison_);
  QString note = comparison_.note + diffWhy;
  for (const VariantRow& row : comparison_.rows)
    if (row.faithfulness) {
      note += tr(" Faithfulness (labels and table): AOPC comprehensiveness (comp, higher is better) and sufficiency "
                 "(suff, lower is better) over the top 10 … 50% of the tokens %1, and Kendall τ against leave-one-out.")
                  .arg(row.faithfulnessRemoval);
      break;
    }
  if (!comparison_.problems.isEmpty()) note += QStringLiteral("  ⚠ ") + comparison_.problems.join(QStringLiteral("; "));
  note_->setText(note);
}

void ComparePanel::onHovered(int panel, int row, int col) {
  if (!workspace_) return;
  if (patchGrid_) {  // cell (r, c) of a patch map: [CLS] (the maps' query) -> "patch r,c"
    const bool on = row >= 0 && col >= 0;
    workspace_->selection().setPatch(on ? row * patchGrid_->cols + col : Selection::kNone);
    workspace_->selection().setCell(on ? 0 : Selection::kNone, on ? patchGrid_->tokenOf(row * patchGrid_->cols + col) : Selection::kNone);
  } else {
    workspace_->selection().setCell(row, col);
  }
  if (panel >= 0 && panel < static_cast<int>(comparison_.rows.size()))
    workspace_->selection().setVariant(comparison_.rows[static_cast<std::size_t>(panel)].label);
}

QString ComparePanel::noteText() const {
  refresh_.flush();
  return note_->text();
}

void ComparePanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  refresh_.flush();
  CompareFigurePainter::paint(painter, rect, view_->figure());
}

// Every map of the grid takes the style as a heatmap figure does; the difference keeps its diverging colour map.
FigureFeatures ComparePanel::figureFeatures() const { return kHeatmapFigureFeatures; }

void ComparePanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
  refresh_.flush();
  CompareFigure f = view_->figure();
  f.title = style.titleFor(f.title);
  style.applyTo(f.style);
  const ColormapId diverging = f.differenceStyle.colormap;
  style.applyTo(f.differenceStyle);
  f.differenceStyle.colormap = diverging;
  CompareFigurePainter::paint(painter, rect, f);
}

QSizeF ComparePanel::figureSize() const {
  refresh_.flush();
  if (view_->isVisible() && view_->width() > 0 && view_->height() > 0) return QSizeF(view_->size());
  return CompareFigurePainter::naturalSize(view_->figure());
}

QByteArray ComparePanel::exportData(const QString& suffix) const {
  refresh_.flush();
  if (comparison_.rows.empty()) return {};
  if (suffix.compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0) return comparisonCsv(comparison_);
  if (suffix.compare(QLatin1String("json"), Qt::CaseInsensitive) == 0) return comparisonJson(comparison_);
  return {};
}

void ComparePanel::exportFigureDialog() {
  ExportDialog dialog(std::vector<const Panel*>{this}, 0, QDir(exportFolder()).filePath(QStringLiteral("comparison.pdf")), this);
  if (dialog.exec() != QDialog::Accepted) return;
  FigureOptions o = dialog.options();  // the dialog made the name's suffix and the format agree
  if (o.title.isEmpty()) o.title = panelTitle();
  const FigureStyle style = dialog.style();
  const SaveResult r = exportFigure(dialog.path(), o, [this, &style](QPainter& p, const QRectF& rect) { paintFigureWithStyle(*this, p, rect, style); });
  if (r) rememberExportFolder(dialog.path());
  note_->setText(r ? tr("Saved %1 as %2").arg(dialog.path(), figureFormatName(o.format)) : r.error);
}

void ComparePanel::exportDataDialog() {
  const QString csv = tr("CSV, one row per cell of every variant (*.csv)");
  const QString json = tr("JSON, maps and metrics (*.json)");
  QString filter = csv;
  const QString p = QFileDialog::getSaveFileName(this, tr("Export comparison data"),
                                                 QDir(exportFolder()).filePath(QStringLiteral("comparison.csv")),
                                                 csv + QStringLiteral(";;") + json, &filter);
  if (p.isEmpty()) return;
  const SuffixedPath file = applySuffixRule(p, {QStringLiteral("csv"), QStringLiteral("json")},
                                            filter == json ? QStringLiteral("json") : QStringLiteral("csv"));
  if (!file) {
    note_->setText(tr("Could not write %1").arg(file.error));
    return;
  }
  if (file.path != p && !confirmReplace(this, file.path)) return;  // the file dialog asked about `p` only
  const SaveResult r = writeBytes(file.path, exportData(file.suffix));
  if (r) rememberExportFolder(file.path);
  note_->setText(r ? tr("Saved %1").arg(file.path) : r.error);
}

void prepareMethodsFigure(Panel& panel, const FigureViewSettings& settings) {
  auto* compare = qobject_cast<ComparePanel*>(&panel);
  if (!compare) return;
  compare->setTraceMaps(true);
  compare->faithfulnessBar()->setRemoval(settings.removal);
}

}  // namespace attnviz::ui

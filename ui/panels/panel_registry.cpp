#include "ui/panels/panel_registry.h"

#include <QObject>

#include "ui/kinds/seq2seq/alignment_panel.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/kinds/seq2seq/attention_chart_panel.h"
#include "ui/kinds/seq2seq/beam_panel.h"
#include "ui/kinds/vit/class_chart_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/kinds/han/occlusion_panel.h"
#include "ui/kinds/vit/patch_heads_panel.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/kinds/han/sentence_chart_panel.h"

namespace attnviz::ui {
namespace {

template <typename P>
PanelSpec spec(const char* id, const QString& tab, PanelSpec::Place place = PanelSpec::Place::Main) {
  return {QString::fromLatin1(id), [](QWidget* parent) -> Panel* { return new P(parent); }, tab, place};
}

PanelSpec heatmap() { return spec<HeatmapPanel>("heatmap", QObject::tr("Attention")); }

}  // namespace

std::vector<PanelSpec> panelsForKind(const QString& kind) {
  // The comparison panel is generic (any kind whose traces carry the same maps).
  if (kind == QLatin1String("encoder")) {
    const QString attention = QObject::tr("Attention");
    return {spec<HeatmapPanel>("heatmap", attention),
            spec<HeadEntropyPanel>("headEntropy", attention, PanelSpec::Place::Side),
            spec<ArcsPanel>("arcs", QObject::tr("Arcs")),
            spec<HeadsGridPanel>("headsGrid", QObject::tr("All heads")),
            spec<ComparePanel>("compare", QObject::tr("Compare"))};  // models, or maps of one trace
  }
  if (kind == QLatin1String("seq2seq")) {
    const QString alignment = QObject::tr("Alignment");
    return {spec<AlignmentPanel>("alignment", alignment),
            spec<AttentionChartPanel>("attentionChart", alignment, PanelSpec::Place::Side),
            spec<BeamPanel>("beam", alignment, PanelSpec::Place::Side),
            spec<ComparePanel>("compare", QObject::tr("Compare variants"))};
  }
  if (kind == QLatin1String("han")) {
    const QString saliency = QObject::tr("Saliency");
    return {spec<SaliencyPanel>("saliency", saliency),
            spec<SentenceChartPanel>("sentenceChart", saliency, PanelSpec::Place::Side),
            spec<OcclusionPanel>("occlusion", QObject::tr("Attention vs occlusion")),
            spec<HeatmapPanel>("heatmap", QObject::tr("Heatmap")),
            spec<ComparePanel>("compare", QObject::tr("Compare variants"))};
  }
  if (kind == QLatin1String("vit")) {
    const QString patches = QObject::tr("Patches");
    const QString heatmapTab = QObject::tr("Heatmap");
    return {spec<PatchPanel>("patches", patches),
            spec<PatchHeadsPanel>("patchHeads", patches, PanelSpec::Place::Side),
            spec<ClassChartPanel>("classChart", patches, PanelSpec::Place::Side),
            spec<HeatmapPanel>("heatmap", heatmapTab),
            spec<HeadEntropyPanel>("headEntropy", heatmapTab, PanelSpec::Place::Side),
            spec<ComparePanel>("compare", QObject::tr("Compare"))};  // layers, rollout, flow over the image; or models
  }
  return {heatmap()};
}

}  // namespace attnviz::ui

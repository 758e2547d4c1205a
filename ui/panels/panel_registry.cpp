#include "ui/panels/panel_registry.h"

#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_panel.h"

namespace attnviz::ui {

std::vector<PanelSpec> panelsForKind(const QString& kind) {
  if (const KindUi* row = findKindUi(kind)) return row->panels();
  return {panelSpec<HeatmapPanel>("heatmap", QObject::tr("Attention"))};
}

}  // namespace attnviz::ui

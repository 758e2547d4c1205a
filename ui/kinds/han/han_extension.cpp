#include "ui/kinds/han/han_extension.h"

#include "ui/document/workspace.h"

namespace attnviz::ui {

HanExtension::HanExtension(Workspace& workspace) : KindExtension(workspace) {
  connect(&workspace_, &Workspace::traceChanged, this, &HanExtension::onTraceChanged);
}

void HanExtension::setAutoOcclusion(bool on) {
  if (on == autoOcclusion_) return;
  autoOcclusion_ = on;
  onTraceChanged();
}

void HanExtension::onTraceChanged() {
  // Only models that score occlusion (derived().canScoreOcclusion); a trace already scored or being scored is left.
  DerivedResults& derived = workspace_.derived();
  if (autoOcclusion_ && derived.trace() && !derived.occlusionJob().isRunning()) derived.startOcclusion();
}

}  // namespace attnviz::ui

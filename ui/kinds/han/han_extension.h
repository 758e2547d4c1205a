// HanExtension: what han models add to the Workspace (kind_extension.h): leave-one-out occlusion starts by itself
// for every new trace, in the background (the Workspace's derived results, derived_results.h), unless switched off
// (the Occlusion tab's "For every document"; `attnviz export`, which draws attention only).
//
//   ws.extension<HanExtension>().setAutoOcclusion(false);   // Compute on the Occlusion tab still starts it
#pragma once

#include "ui/document/kind_extension.h"

namespace attnviz::ui {

class HanExtension : public KindExtension {
  Q_OBJECT

 public:
  explicit HanExtension(Workspace& workspace);

  // On by default. Switching it on starts the current trace's occlusion unless computed or computing.
  void setAutoOcclusion(bool on);
  bool autoOcclusion() const { return autoOcclusion_; }

 private:
  void onTraceChanged();

  bool autoOcclusion_ = true;
};

}  // namespace attnviz::ui

// VitExtension: what vit models add to the Workspace (kind_extension.h): what the Patches tab's overlay shows — its
// method and its query token — so the side views follow it instead of the pointer: the per-head thumbnails show the
// same query's row, and say so when the method (rollout, flow) has no per-head form and they show raw attention.
//
//   ws.extension<VitExtension>().setShownMap({tr("attention flow"), /*query=*/0, /*perHead=*/false});
//   connect(&ws.extension<VitExtension>(), &VitExtension::shownMapChanged, ...);
#pragma once

#include <QString>

#include "ui/document/kind_extension.h"

namespace attnviz::ui {

class VitExtension : public KindExtension {
  Q_OBJECT

 public:
  struct ShownMap {
    QString method;        // e.g. "attention flow", "rollout"; empty: the Patches tab shows nothing
    int query = -1;        // token whose row the overlay shows; -1: none
    bool perHead = true;   // one layer's attention (one head, the mean, top patches): each head has its own form
    bool operator==(const ShownMap&) const = default;
  };

  explicit VitExtension(Workspace& workspace) : KindExtension(workspace) {}

  void setShownMap(const ShownMap& map);  // emits shownMapChanged when it differs
  const ShownMap& shownMap() const { return shown_; }

 signals:
  void shownMapChanged();

 private:
  ShownMap shown_;
};

}  // namespace attnviz::ui

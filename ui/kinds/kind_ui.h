// KindUi: the window's side of a model kind — its panels (tabs), and the views `attnviz export --view` draws with
// them. One row per kind in ui/kinds/<kind>/<kind>_ui.cpp, listed once in ui/kinds/kind_uis.cpp; what a kind can do
// (inputs, decoding, self-attention, ...) is the engine's kind table (engine/api/model_kind.h), asked with kindCan.
// Adding a kind: ui/README.md.
//
//   for (const PanelSpec& spec : panelsForKind(ws.currentKind())) area->add(spec.create(area));  // panel_registry.h
//   if (kindCan(ws.currentKind(), &KindCapabilities::image)) ...;                                   // an image model
#pragma once

#include <QString>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/api/model.h"
#include "ui/panels/panel_registry.h"

namespace attnviz::ui {

class KindExtension;
class Panel;
class Workspace;

// What the command line asks a figure view to show beyond the Selection's layer and head.
struct FigureViewSettings {
  bool headGiven = false;                       // --head: arcs show that head alone, not every head of the layer
  RolloutFusion rollout = RolloutFusion::None;  // --rollout
  double discardRatio = 0.0;                    // --discard-ratio
  attnviz::KnockoutMode knockout = attnviz::KnockoutMode::OneHead;  // --head-knockout (the knockout view runs it)
  attnviz::TokenRemoval::How removal = attnviz::TokenRemoval::How::Mask;  // --removal (the methods view's faithfulness)
};

// A view `attnviz export --view NAME` draws with the panel of id panelId: the kind's own tab panel, or another kind's
// when the kind's tabs have none (vit's grid is the encoders' all-heads grid).
struct FigureView {
  std::string name;            // "heatmap", "arcs", "saliency", "patches", "grid"
  std::string panelId;         // PanelSpec::id of the kind's panel that paints it
  bool layered = false;        // shows one layer and head of attention.self: --layer and --head apply
  bool takesRollout = false;   // --rollout applies
  // Called after each trace is shown; sets the panel's own controls (idempotent). May be empty.
  std::function<void(Panel& panel, const FigureViewSettings& settings)> prepare;
};

struct KindUi {
  QString name;                               // the engine kind's name (ModelKind::name)
  std::vector<PanelSpec> (*panels)();         // its tabs' panels, in order
  std::vector<FigureView> (*figureViews)();   // its export views; the default is the view of its first Main panel
  // What the kind adds to the Workspace document (kind_extension.h), made once per Workspace; null: nothing.
  std::unique_ptr<KindExtension> (*extension)(Workspace& workspace) = nullptr;
};

const std::vector<const KindUi*>& kindUis();  // every row, in registration order
const KindUi* findKindUi(const QString& kind);  // null for an unknown or empty kind
// Whether the engine's kind `kind` has a capability, e.g. kindCan(kind, &KindCapabilities::selfAttention); false for
// an unknown or empty kind.
bool kindCan(const QString& kind, bool KindCapabilities::*capability);
// The same for a trace's or an identity's kind: kindCan(trace.model.kind, &KindCapabilities::alignsPairs).
bool kindCan(const std::string& kind, bool KindCapabilities::*capability);
// Whether the kind's run takes a target (RunOptions::target): decoders (forced decoding) and pair aligners.
bool kindTakesTarget(const QString& kind);

}  // namespace attnviz::ui

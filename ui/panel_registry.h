// Panel registry: which panels the central area lays out for each model kind. THE extension point for
// new panels: write the panel (one file, a Panel subclass), then add it to the kind's list in
// panel_registry.cpp. Order is left to right.
//
//   for (const PanelSpec& spec : panelsForKind("seq2seq")) area->add(spec.create(area));
#pragma once

#include <QString>
#include <functional>
#include <vector>

class QWidget;

namespace attnviz::ui {

class Panel;

struct PanelSpec {
  QString id;  // stable, for settings and tests: "heatmap"
  std::function<Panel*(QWidget* parent)> create;
};

// Panels for "encoder", "seq2seq", "han", "vit"; an unknown or empty kind gets the generic heatmap.
std::vector<PanelSpec> panelsForKind(const QString& kind);

}  // namespace attnviz::ui

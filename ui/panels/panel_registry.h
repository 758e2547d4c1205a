// Panel registry: which panels the central area lays out for each model kind. THE extension point for
// new panels: write the panel (one file, a Panel subclass), then add it to the kind's list in
// panel_registry.cpp. Panels are grouped into tabs (in list order); within a tab, Main panels sit side
// by side and Side panels stack in a column on the right. One tab shows no tab bar.
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
  enum class Place { Main, Side };
  QString id;  // stable, for settings and tests: "heatmap"
  std::function<Panel*(QWidget* parent)> create;
  QString tab;  // tab title; panels with the same title share a tab
  Place place = Place::Main;
};

// Panels for "encoder", "seq2seq", "han", "vit"; an unknown or empty kind gets the generic heatmap.
std::vector<PanelSpec> panelsForKind(const QString& kind);

}  // namespace attnviz::ui

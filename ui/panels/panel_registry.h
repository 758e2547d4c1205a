// Panel registry: which panels the central area lays out for each model kind. Adding a panel: write it (one file, a
// Panel subclass), then add panelSpec<ThePanel>(...) to its kind's list in ui/kinds/<kind>/<kind>_ui.cpp (the kind
// table, ui/kinds/kind_ui.h). Panels are grouped into tabs (in list order); within a tab, Main panels sit side by
// side and Side panels stack in a column on the right. One tab shows no tab bar.
//
//   for (const PanelSpec& spec : panelsForKind("seq2seq")) area->add(spec.create(area));
#pragma once

#include <QObject>
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

// A row of a kind's panel list: the panel P made with `new P(parent)`.
template <typename P>
PanelSpec panelSpec(const char* id, const QString& tab, PanelSpec::Place place = PanelSpec::Place::Main) {
  return {QString::fromLatin1(id), [](QWidget* parent) -> Panel* { return new P(parent); }, tab, place};
}

// The panels of a kind's tabs (its KindUi row); an unknown or empty kind gets the generic heatmap.
std::vector<PanelSpec> panelsForKind(const QString& kind);

}  // namespace attnviz::ui

// Panel: one view of the Workspace in a tab of the central area (panel_registry.cpp lists which panels each model
// kind gets). A panel only listens to its Workspace and writes the shared Selection; it never talks to another
// panel. It attaches through WorkspaceListener::setWorkspace (connections in its attach()) and paints itself for
// export through paintFigure, the same function its screen painting uses (STYLE.md 15).
//
//   class ArcsPanel : public Panel { ... };        // then list it in panel_registry.cpp
//   panel->setWorkspace(&ws);
//   panel->paintFigure(painter, QRectF(QPointF(), panel->figureSize()));
#pragma once

#include <QByteArray>
#include <QLabel>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QWidget>
#include <optional>

#include "ui/export/figure_style.h"
#include "ui/maps/heatmap_data.h"
#include "ui/panels/workspace_listener.h"

class QPainter;

namespace attnviz::ui {

class Panel : public QWidget, public WorkspaceListener {
  Q_OBJECT

 public:
  using QWidget::QWidget;

  // Short name for menus and file names, e.g. "Attention heatmap".
  virtual QString panelTitle() const = 0;
  // Paints what the panel shows (without its controls) into rect, for the screen and every figure format.
  virtual void paintFigure(QPainter& painter, const QRectF& rect) const = 0;
  // What of a FigureStyle (figure_style.h) the panel's figure honours, and the figure painted with it; the
  // default honours nothing and paints paintFigure (paintFigureWithStyle() in figure_style.h adds a title band).
  virtual FigureFeatures figureFeatures() const { return {}; }
  virtual void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
    Q_UNUSED(style);
    paintFigure(painter, rect);
  }
  // What the styled figure at `size` leaves out (the export dialog says it), e.g. "10 of 19 row labels shown: ...";
  // empty: nothing.
  virtual QString figureNote(const QSizeF& size, const FigureStyle& style) const {
    Q_UNUSED(size);
    Q_UNUSED(style);
    return {};
  }
  // Default figure size in logical pixels: what is on screen now, or a comfortable natural size.
  virtual QSizeF figureSize() const = 0;
  // The size whose shape the figure fills without blank margins (a heatmap: its square grid, not the view around
  // it), for packing panels into a layout figure (layout_figure.h); default: figureSize().
  virtual QSizeF tightFigureSize() const { return figureSize(); }
  // The matrix the panel shows, for CSV export; nullopt for panels that show none.
  virtual std::optional<HeatmapData> shownMatrix() const { return std::nullopt; }
  // View > Zoom In / Out / to Fit: false for panels that do not zoom.
  enum class ZoomStep { In, Out, Fit };
  virtual bool zoom(ZoomStep step) {
    Q_UNUSED(step);
    return false;
  }
  // Data in the panel's own format for a file suffix ("csv", "json"), e.g. a whole comparison; empty:
  // the window writes shownMatrix() as CSV and the trace as JSON instead.
  virtual QByteArray exportData(const QString& suffix) const {
    Q_UNUSED(suffix);
    return {};
  }

  // A grey line under a map that follows `view`'s detailNoteChanged (hidden while the note is empty).
  template <typename View>
  static QLabel* detailNoteLabel(View* view, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #707070; padding: 0 4px;"));
    label->hide();
    QObject::connect(view, &View::detailNoteChanged, label, [label](const QString& note) {
      label->setText(note);
      label->setVisible(!note.isEmpty());
    });
    return label;
  }

  // The grey, centred, wrapping label a panel shows instead of its view when there is nothing to draw (and says why).
  static QLabel* placeholderLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #707070;"));
    return label;
  }
};

}  // namespace attnviz::ui

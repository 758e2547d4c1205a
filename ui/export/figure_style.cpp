#include "ui/export/figure_style.h"

#include <QFont>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/maps/heatmap_labels.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {
namespace {

constexpr double kMinPoints = 4.0;
constexpr double kMaxPoints = 48.0;
constexpr double kTitleBandPad = 6.0;

}  // namespace

int FigureStyle::fontPixelSize(int screenPixels) const {
  if (fontPoints <= kScreenFontPoints) return screenPixels;
  return static_cast<int>(std::lround(std::clamp(fontPoints, kMinPoints, kMaxPoints) * 96.0 / 72.0));
}

QColor FigureStyle::background() const { return dark ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white); }
QColor FigureStyle::foreground() const { return dark ? QColor(0xe8, 0xe8, 0xe8) : QColor(0x20, 0x20, 0x20); }

QString FigureStyle::resolvedFamily() const { return fontFamily.isEmpty() ? QFontInfo(QFont()).family() : fontFamily; }

QString FigureStyle::titleFor(const QString& own) const {
  if (!showTitle) return {};
  return title.isEmpty() ? own : title;
}

void FigureStyle::applyTo(HeatmapStyle& s) const {
  if (colormap) s.colormap = *colormap;
  s.showTitle = showTitle;
  s.showColorBar = showColorBar;
  s.colorBarLabel = colorBarLabel;
  s.showLabels = showTokenLabels;
  s.background = background();
  s.foreground = foreground();
  s.fontFamily = resolvedFamily();
  s.fontPixelSize = fontPixelSize(s.fontPixelSize);
  s.minLabelPixelSize = heatmap_labels::kMinReadableLabelPixels;  // a figure cannot be zoomed: labels shrink first
  if (!showSelection) s.highlightRow = s.highlightCol = -1;
}

QJsonObject FigureStyle::toJson() const {
  QJsonObject o{{"title", title},
                {"showTitle", showTitle},
                {"showColorBar", showColorBar},
                {"colorBarLabel", colorBarLabel},
                {"showTokenLabels", showTokenLabels},
                {"dark", dark},
                {"fontFamily", fontFamily},
                {"fontPoints", fontPoints},
                {"showSelection", showSelection}};
  if (colormap) o.insert(QStringLiteral("colormap"), Colormap::byId(*colormap).name());
  return o;
}

FigureStyle FigureStyle::fromJson(const QJsonObject& o) {
  FigureStyle s;
  const auto text = [&](const char* key, QString& out) {
    if (o.value(QLatin1String(key)).isString()) out = o.value(QLatin1String(key)).toString().left(500);
  };
  const auto flag = [&](const char* key, bool& out) {
    if (o.value(QLatin1String(key)).isBool()) out = o.value(QLatin1String(key)).toBool();
  };
  text("title", s.title);
  flag("showTitle", s.showTitle);
  flag("showColorBar", s.showColorBar);
  text("colorBarLabel", s.colorBarLabel);
  flag("showTokenLabels", s.showTokenLabels);
  flag("dark", s.dark);
  flag("showSelection", s.showSelection);
  text("fontFamily", s.fontFamily);
  if (o.value(QStringLiteral("fontPoints")).isDouble()) {
    const double points = o.value(QStringLiteral("fontPoints")).toDouble();
    s.fontPoints = points <= kScreenFontPoints ? kScreenFontPoints : std::clamp(points, kMinPoints, kMaxPoints);
  }
  const QString cm = o.value(QStringLiteral("colormap")).toString();
  for (ColormapId id : Colormap::all()) {
    if (Colormap::byId(id).name() == cm) s.colormap = id;
  }
  return s;
}

void paintFigureWithStyle(const Panel& panel, QPainter& p, const QRectF& rect, const FigureStyle& style) {
  QRectF body = rect;
  if (!panel.figureFeatures().testFlag(FigureFeature::Title) && style.showTitle && !style.title.isEmpty()) {
    QFont f;
    f.setFamily(style.resolvedFamily());
    f.setPixelSize(style.fontPixelSize(FigureStyle::kTitleBandScreenPixels) + 1);
    f.setBold(true);
    const double band = QFontMetricsF(f).height() + 2 * kTitleBandPad;
    p.save();
    p.fillRect(QRectF(rect.topLeft(), QSizeF(rect.width(), band)), panel.figureFeatures().testFlag(FigureFeature::Dark)
                                                                         ? style.background()
                                                                         : QColor(Qt::white));
    p.setFont(f);
    p.setPen(panel.figureFeatures().testFlag(FigureFeature::Dark) ? style.foreground() : QColor(0x20, 0x20, 0x20));
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), band), Qt::AlignCenter,
               QFontMetricsF(f).elidedText(style.title, Qt::ElideRight, rect.width() - 2 * kTitleBandPad));
    p.restore();
    body.setTop(rect.top() + band);
  }
  panel.paintStyledFigure(p, body, style);
}

void paintStyledHeatmap(QPainter& p, const QRectF& rect, const HeatmapData& data, HeatmapStyle style, const FigureStyle& figure) {
  figure.applyTo(style);
  if (figure.title.isEmpty()) {
    HeatmapPainter::paint(p, rect, data, style);
    return;
  }
  HeatmapData titled = data;
  titled.title = figure.title;
  HeatmapPainter::paint(p, rect, titled, style);
}

}  // namespace attnviz::ui

namespace attnviz::ui {

QString styledHeatmapNote(const QSizeF& size, const HeatmapData& data, HeatmapStyle style, const FigureStyle& figure) {
  figure.applyTo(style);
  return heatmap_labels::thinnedNote(HeatmapPainter::layout(QRectF(QPointF(), size), data, style), style);
}

}  // namespace attnviz::ui

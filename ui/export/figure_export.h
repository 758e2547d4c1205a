// Figure export: PNG, SVG or PDF of anything that paints through a (QPainter&, QRectF) function —
// every panel's paintFigure — written atomically (save_file.h).
//
//   FigureOptions o{FigureFormat::Pdf, QSizeF(640, 480), 300};
//   SaveResult r = exportFigure("fig.pdf", o, [&](QPainter& p, const QRectF& rect) { panel->paintFigure(p, rect); });
//
// `size` is in logical pixels (1/96 inch) — the same units the panel uses on screen, so a figure
// keeps the on-screen proportions and text sizes. PNG: size * dpi / 96 pixels, DPI stored in the file.
// SVG: size as the view box. PDF: one page of exactly size (as points * 72/96), vector where the
// painter draws vectors.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <functional>

#include "ui/export/file_suffix.h"
#include "ui/export/save_file.h"

class QPainter;

namespace attnviz::ui {

enum class FigureFormat { Png, Svg, Pdf };

struct FigureOptions {
  FigureFormat format = FigureFormat::Png;
  QSizeF size{640, 480};  // logical pixels
  double dpi = 192;       // PNG resolution (96 = 1:1 with the screen) and PDF raster resolution
  QString title;          // SVG <title> / PDF document title
};

using FigurePainter = std::function<void(QPainter& painter, const QRectF& rect)>;

SaveResult exportFigure(const QString& path, const FigureOptions& options, const FigurePainter& paint);
// The same figure as bytes in memory (the clipboard's PNG and SVG); empty and *error set on failure.
QByteArray figureBytes(const FigureOptions& options, const FigurePainter& paint, QString* error);

// PNG in two steps, so that the encoding (zlib, the slow part) can run on another thread while the GUI thread paints
// the next figure (attnviz export): the figure's pixels at size * dpi / 96 with the DPI set (null and *error set when
// too large), then those pixels encoded and written atomically; both as exportFigure with FigureFormat::Png.
QImage figureImage(const FigureOptions& options, const FigurePainter& paint, QString* error);
SaveResult exportPngImage(const QString& path, const QImage& image);

// Format from a file name's suffix (png, svg, pdf; case-insensitive), or `fallback`.
FigureFormat figureFormatFor(const QString& path, FigureFormat fallback = FigureFormat::Png);
QString figureSuffix(FigureFormat format);  // "png", "svg", "pdf"
QStringList figureSuffixes();               // every format's suffix
QString figureFormatName(FigureFormat format);  // "PNG", "SVG", "PDF": what a message says was written
// file_suffix.h's rule for figures: the path to write and its format (the typed suffix's, else `chosen`'s with its
// suffix added); an unknown suffix is refused (error set, format = chosen).
struct FigurePath {
  SuffixedPath file;
  FigureFormat format = FigureFormat::Png;
};
FigurePath figurePath(const QString& path, FigureFormat chosen);

// PNG pixel size for the options: round(size * dpi / 96).
QSize pngPixelSize(const FigureOptions& options);

}  // namespace attnviz::ui

#include "ui/export/figure_export.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cmath>

namespace attnviz::ui {
namespace {

constexpr double kLogicalDpi = 96.0;
constexpr double kPointsPerInch = 72.0;
constexpr double kInchesPerMeter = 39.3700787;
constexpr int kMaxPngSide = 20000;

// The writers draw into memory (figureBytes' buffer), never into a file: libpng leaves a failing device by
// longjmp, skipping Qt's clean-up, and the SVG and PDF generators write in pieces.
bool encodePng(QIODevice& out, const QImage& image, QString& error) {
  if (!image.save(&out, "PNG")) {
    error = QStringLiteral("PNG encoding failed");
    return false;
  }
  return true;
}

bool writePng(QBuffer& out, const FigureOptions& o, const FigurePainter& paint, QString& error) {
  const QImage image = figureImage(o, paint, &error);
  return !image.isNull() && encodePng(out, image, error);
}

bool writeSvg(QBuffer& out, const FigureOptions& o, const FigurePainter& paint, QString& error) {
  QSvgGenerator svg;
  svg.setOutputDevice(&out);
  svg.setSize(o.size.toSize());
  svg.setViewBox(QRectF(QPointF(0, 0), o.size));
  svg.setResolution(static_cast<int>(kLogicalDpi));
  svg.setTitle(o.title);
  svg.setDescription(QStringLiteral("attnviz figure"));
  {
    QPainter p;
    if (!p.begin(&svg)) {
      error = QStringLiteral("could not start the SVG generator");
      return false;
    }
    paint(p, QRectF(QPointF(0, 0), o.size));
  }
  return true;
}

bool writePdf(QBuffer& out, const FigureOptions& o, const FigurePainter& paint, QString& error) {
  {
    QPdfWriter pdf(&out);
    pdf.setTitle(o.title);
    pdf.setCreator(QStringLiteral("attnviz"));
    pdf.setResolution(static_cast<int>(std::lround(std::max(o.dpi, kLogicalDpi))));
    const QSizeF points = o.size * (kPointsPerInch / kLogicalDpi);
    pdf.setPageLayout(QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                                  QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter p;
    if (!p.begin(&pdf)) {
      error = QStringLiteral("could not start the PDF writer");
      return false;
    }
    const double scale = pdf.resolution() / kLogicalDpi;
    p.scale(scale, scale);
    paint(p, QRectF(QPointF(0, 0), o.size));
  }
  return true;
}

}  // namespace

QImage figureImage(const FigureOptions& o, const FigurePainter& paint, QString* error) {
  const QSize px = pngPixelSize(o);
  QString why;
  if (px.isEmpty() || px.width() > kMaxPngSide || px.height() > kMaxPngSide) {
    why = QStringLiteral("a %1 x %2 pixel image is too large; lower the size or DPI").arg(px.width()).arg(px.height());
  } else if (QImage image(px, QImage::Format_ARGB32_Premultiplied); image.isNull()) {
    why = QStringLiteral("not enough memory for a %1 x %2 pixel image").arg(px.width()).arg(px.height());
  } else {
    const int dotsPerMeter = static_cast<int>(std::lround(o.dpi * kInchesPerMeter));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    image.fill(Qt::white);
    try {
      {
        QPainter p(&image);
        p.scale(px.width() / o.size.width(), px.height() / o.size.height());
        paint(p, QRectF(QPointF(0, 0), o.size));
      }
      return image;
    } catch (const std::exception& e) {
      why = QString::fromUtf8(e.what());
    }
  }
  if (error) *error = why;
  return {};
}

SaveResult exportPngImage(const QString& path, const QImage& image) {
  return saveAtomically(path, [&](QIODevice& out, QString& error) {
    QBuffer buffer;  // encoded whole before the file is touched (see writePng)
    buffer.open(QIODevice::WriteOnly);
    return encodePng(buffer, image, error) && out.write(buffer.data()) == buffer.data().size();
  });
}

QSize pngPixelSize(const FigureOptions& o) {
  const double k = o.dpi / kLogicalDpi;
  return {static_cast<int>(std::lround(o.size.width() * k)), static_cast<int>(std::lround(o.size.height() * k))};
}

FigureFormat figureFormatFor(const QString& path, FigureFormat fallback) {
  const QString s = QFileInfo(path).suffix().toLower();
  if (s == QLatin1String("png")) return FigureFormat::Png;
  if (s == QLatin1String("svg")) return FigureFormat::Svg;
  if (s == QLatin1String("pdf")) return FigureFormat::Pdf;
  return fallback;
}

QString figureSuffix(FigureFormat format) {
  switch (format) {
    case FigureFormat::Png: return QStringLiteral("png");
    case FigureFormat::Svg: return QStringLiteral("svg");
    case FigureFormat::Pdf: return QStringLiteral("pdf");
  }
  return QStringLiteral("png");
}

QStringList figureSuffixes() {
  return {figureSuffix(FigureFormat::Png), figureSuffix(FigureFormat::Svg), figureSuffix(FigureFormat::Pdf)};
}

QString figureFormatName(FigureFormat format) { return figureSuffix(format).toUpper(); }

FigurePath figurePath(const QString& path, FigureFormat chosen) {
  FigurePath r{applySuffixRule(path, figureSuffixes(), figureSuffix(chosen)), chosen};
  if (r.file) r.format = figureFormatFor(r.file.path, chosen);
  return r;
}

SaveResult exportFigure(const QString& path, const FigureOptions& options, const FigurePainter& paint) {
  return saveAtomically(path, [&](QIODevice& out, QString& error) {
    const QByteArray bytes = figureBytes(options, paint, &error);  // drawn whole before the file is touched
    return !bytes.isEmpty() && out.write(bytes) == bytes.size();
  });
}

QByteArray figureBytes(const FigureOptions& options, const FigurePainter& paint, QString* error) {
  QString why = QStringLiteral("the figure size and DPI must be positive");
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  bool ok = options.size.width() >= 1 && options.size.height() >= 1 && options.dpi > 0;
  try {
    if (ok) {
      why.clear();
      switch (options.format) {
        case FigureFormat::Png: ok = writePng(buffer, options, paint, why); break;
        case FigureFormat::Svg: ok = writeSvg(buffer, options, paint, why); break;
        case FigureFormat::Pdf: ok = writePdf(buffer, options, paint, why); break;
      }
    }
  } catch (const std::exception& e) {
    ok = false;
    why = QString::fromUtf8(e.what());
  }
  if (!ok) {
    if (error) *error = why.isEmpty() ? QStringLiteral("the figure could not be drawn") : why;
    return {};
  }
  return buffer.data();
}

}  // namespace attnviz::ui

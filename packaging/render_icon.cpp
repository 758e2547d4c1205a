// Build-time tool: renders the SVG icon to the PNG sizes of the hicolor icon theme, so the .deb carries both
// (desktops that cannot draw SVG icons, and crisp small sizes).
//
//   render_icon resources/icons/attnviz.svg OUT_DIR 16 24 32 48 64 128 256   # OUT_DIR/NxN/apps/attnviz.png
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: render_icon ICON.svg OUT_DIR SIZE...\n");
    return 2;
  }
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication app(argc, argv);
  QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
  if (!svg.isValid()) {
    std::fprintf(stderr, "render_icon: %s is not a valid SVG\n", argv[1]);
    return 1;
  }
  for (int i = 3; i < argc; ++i) {
    const int size = QString::fromLocal8Bit(argv[i]).toInt();
    if (size < 8 || size > 1024) {
      std::fprintf(stderr, "render_icon: size %s is not 8..1024\n", argv[i]);
      return 2;
    }
    const QString dir = QStringLiteral("%1/%2x%2/apps").arg(QString::fromLocal8Bit(argv[2])).arg(size);
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    if (!QDir().mkpath(dir) || !image.save(dir + QStringLiteral("/attnviz.png"))) {
      std::fprintf(stderr, "render_icon: cannot write %s/attnviz.png\n", qPrintable(dir));
      return 1;
    }
  }
  return 0;
}

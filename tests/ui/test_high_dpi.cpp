// High-DPI: a panel painted at device pixel ratio 2 (a 4K screen, a 2x PNG) has twice the pixels and text twice as
// tall in pixels, crisp, not a blurred upscale: checked on the heatmap's row labels (the glyphs' ink height and the
// share of sharp edges) for the figure rendered at ratio 2, and for the window's own screenshot when the whole
// program runs with QT_SCALE_FACTOR=2 (ctest ui_test_high_dpi_scale2).
#include <QImage>
#include <QPainter>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/maps/heatmap_panel.h"

using namespace attnviz::ui;

namespace {

// Rows of `area` (device pixels) that hold ink (pixels clearly darker than the background).
int inkHeight(const QImage& image, const QRect& area) {
  int top = -1, bottom = -1;
  for (int y = std::max(0, area.top()); y <= std::min(image.height() - 1, area.bottom()); ++y) {
    for (int x = std::max(0, area.left()); x <= std::min(image.width() - 1, area.right()); ++x) {
      if (qGray(image.pixel(x, y)) < 128) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  return top < 0 ? 0 : bottom - top + 1;
}

// Share of ink pixels that are fully dark: a blurred upscale has soft edges, crisp text keeps most of its ink solid.
double solidShare(const QImage& image, const QRect& area) {
  int ink = 0, solid = 0;
  for (int y = std::max(0, area.top()); y <= std::min(image.height() - 1, area.bottom()); ++y) {
    for (int x = std::max(0, area.left()); x <= std::min(image.width() - 1, area.right()); ++x) {
      const int g = qGray(image.pixel(x, y));
      if (g < 200) ++ink;
      if (g < 90) ++solid;
    }
  }
  return ink ? static_cast<double>(solid) / ink : 0.0;
}

QImage render(const Panel& panel, QSize size, qreal ratio) {
  QImage image(size * ratio, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(ratio);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  panel.paintFigure(p, QRectF(QPointF(), QSizeF(size)));
  return image;
}

}  // namespace

class TestHighDpi : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void init() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("MMM HHH the animal was tired")));
  }
  void cleanup() { closeWindow(); }

  void figureAtRatioTwoHasTwiceTheTextPixels() {
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    QVERIFY(heatmap);
    const QSize size(420, 360);
    const QImage one = render(*heatmap, size, 1.0);
    const QImage two = render(*heatmap, size, 2.0);
    QCOMPARE(two.size(), one.size() * 2);
    // Row 1's label ("MMM": tall capitals), found where the painter puts it.
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(QPointF(), QSizeF(size)), heatmap->view()->data(), heatmap->view()->heatmapStyle());
    const QRectF label(g.rowLabels.left(), g.grid.top() + g.cellHeight, g.rowLabels.width() - 2, g.cellHeight);
    const int h1 = inkHeight(one, label.toAlignedRect());
    const int h2 = inkHeight(two, QRectF(label.topLeft() * 2, label.size() * 2).toAlignedRect());
    QVERIFY2(h1 >= 6, qPrintable(QString::number(h1)));
    QVERIFY2(std::abs(h2 - 2.0 * h1) <= 2.0, qPrintable(QStringLiteral("%1 px at ratio 1, %2 px at ratio 2").arg(h1).arg(h2)));
    // Crisp: at least as much solid ink as at ratio 1 (a smoothed 2x upscale would have far less).
    const QImage upscaled = one.scaled(one.size() * 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const QRect area2 = QRectF(label.topLeft() * 2, label.size() * 2).toAlignedRect();
    QVERIFY2(solidShare(two, area2) > solidShare(upscaled, area2) + 0.05,
             qPrintable(QStringLiteral("solid %1 vs upscaled %2").arg(solidShare(two, area2)).arg(solidShare(upscaled, area2))));
    two.save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp")) + QStringLiteral("/heatmap-dpr2.png"));
  }

  // The window's screenshot at the screen's ratio (2 under QT_SCALE_FACTOR=2): device pixels = logical x ratio and
  // label glyphs as tall as the ratio says.
  void screenshotFollowsTheScreensRatio() {
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    HeatmapView* view = heatmap->view();
    const QImage shot = view->grab().toImage();
    const qreal ratio = view->devicePixelRatioF();
    if (qEnvironmentVariableIsSet("QT_SCALE_FACTOR")) QCOMPARE(ratio, qEnvironmentVariable("QT_SCALE_FACTOR").toDouble());
    QCOMPARE(shot.size(), (QSizeF(view->size()) * ratio).toSize());
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(view->rect()), view->data(), view->heatmapStyle());
    const QRectF label(g.rowLabels.left(), g.grid.top() + g.cellHeight, g.rowLabels.width() - 2, g.cellHeight);
    const int h = inkHeight(shot, QRectF(label.topLeft() * ratio, label.size() * ratio).toAlignedRect());
    // Capitals are about 0.7 of the font's pixel size, in device pixels.
    const double expected = 0.7 * view->heatmapStyle().fontPixelSize * ratio;
    QVERIFY2(std::abs(h - expected) <= 0.25 * expected, qPrintable(QStringLiteral("%1 px, expected about %2").arg(h).arg(expected)));
    shot.save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp")) + QStringLiteral("/heatmap-screen-ratio%1.png").arg(ratio));
  }
};

QTEST_MAIN(TestHighDpi)
#include "test_high_dpi.moc"

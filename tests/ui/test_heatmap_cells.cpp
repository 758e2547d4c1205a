// What a heatmap writes in and on its cells, and what stays readable when it is zoomed (issue 18, items 5 and 12):
// argmax dots and gold squares never cover a cell's number; the number's colour reads on the fill the cell really
// shows (a blend over an image too); a han map writes each cell's word; a zoomed map keeps its title, row/column
// labels and colour bar on screen (sticky headers) and hovering them hovers no cell.
#include <QPainter>
#include <QScrollArea>
#include <QScrollBar>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "ui/document/workspace.h"
#include "ui/maps/heatmap_cell_text.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/maps/heatmap_source.h"

using namespace attnviz::ui;
using attnviz::test::FakeModel;

namespace {

HeatmapData map3() {
  return HeatmapData::fromValues(3, 3, {0.10f, 0.75f, 0.15f, 0.60f, 0.20f, 0.20f, 0.05f, 0.05f, 0.90f},
                                 {"le", "chat", "dort"}, {"the", "cat", "sleeps"}, QStringLiteral("cross"));
}

QImage render(const HeatmapData& d, const HeatmapStyle& s, QSize size) {
  QImage img(size, QImage::Format_RGB32);
  QPainter p(&img);
  HeatmapPainter::paint(p, QRectF(QPointF(0, 0), QSizeF(size)), d, s);
  return img;
}

double luma(QRgb c) { return (0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c)) / 255.0; }

// The darkest and lightest luma inside r.
std::pair<double, double> lumaRange(const QImage& img, const QRectF& r) {
  double lo = 1.0, hi = 0.0;
  const QRect px = r.toAlignedRect().intersected(img.rect());
  for (int y = px.top(); y <= px.bottom(); ++y)
    for (int x = px.left(); x <= px.right(); ++x) {
      lo = std::min(lo, luma(img.pixel(x, y)));
      hi = std::max(hi, luma(img.pixel(x, y)));
    }
  return {lo, hi};
}

}  // namespace

class TestHeatmapCells : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  // "0●1": the argmax dot and the gold squares are drawn beside the number, never over it.
  void marksNeverCoverTheNumbers() {
    HeatmapData plain = map3();
    HeatmapData marked = plain;
    marked.marks = {{0, 1, MarkShape::Dot}, {0, 1, MarkShape::FilledSquare}, {1, 0, MarkShape::HollowSquare},
                    {2, 2, MarkShape::Dot}, {2, 2, MarkShape::FilledSquare}};
    HeatmapStyle style;
    const QSize size(360, 300);
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(0, 0, 360, 300), marked, style);
    const CellText text = cellTextLayout(g, marked, style);
    QVERIFY2(text.values, "cells of this size carry their numbers");
    QVERIFY(text.markSide >= 5.0);
    for (const HeatmapMark& m : marked.marks) {
      const QRectF cell = HeatmapPainter::cellRect(g, m.row, m.col);
      const QRectF box = markBox(cell, m.shape, text.markSide);
      QVERIFY2(!box.intersects(cellTextRect(cell, text)), "a mark meets the number");
      QVERIFY(cell.contains(box));
    }
    // On the painted map: the numbers' pixels are the same with and without the marks.
    const QImage with = render(marked, style, size);
    const QImage without = render(plain, style, size);
    for (const HeatmapMark& m : marked.marks) {
      const QRect r = cellTextRect(HeatmapPainter::cellRect(g, m.row, m.col), text).toAlignedRect();
      QCOMPARE(with.copy(r), without.copy(r));
    }
    // ... and the marks are drawn: the cells' corners changed.
    QVERIFY(with != without);
  }

  // A cell too small for a number and a corner mark shows the mark centred and no number (zoom in to read it).
  void smallCellsShowCentredMarksAndNoNumbers() {
    HeatmapData d = map3();
    d.marks = {{0, 1, MarkShape::Dot}};
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(0, 0, 150, 120), d, HeatmapStyle{});
    const CellText text = cellTextLayout(g, d, HeatmapStyle{});
    QVERIFY(!text.values);
    QCOMPARE(text.markSide, 0.0);
    const QRectF cell = HeatmapPainter::cellRect(g, 0, 1);
    QCOMPARE(markBox(cell, MarkShape::Dot, 0.0).center(), cell.center());
  }

  // The number's colour follows what the cell shows: a dark colour-map colour at 0.65 over a white image is light,
  // so its number is black (white on it was unreadable).
  void numbersReadOnTheBlendedFill() {
    HeatmapData d = HeatmapData::fromValues(2, 2, {0.0f, 0.0f, 0.0f, 1.0f}, {"0", "1"}, {"0", "1"});
    d.underlay = QImage(8, 8, QImage::Format_RGB32);
    d.underlay.fill(Qt::white);
    HeatmapStyle style;  // viridis: 0 is dark purple
    style.overlayOpacity = 0.3;
    style.showTitle = false;
    const QSize size(320, 300);
    const QImage img = render(d, style, size);
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(0, 0, 320, 300), d, style);
    const CellText text = cellTextLayout(g, d, style);
    QVERIFY(text.values);
    const auto [lo, hi] = lumaRange(img, cellTextRect(HeatmapPainter::cellRect(g, 0, 0), text));
    QVERIFY2(hi > 0.6, "the blended cell is light");
    QVERIFY2(lo < 0.25, "its number is drawn dark");
    QCOMPARE(Colormap::textColorOnFill(qRgb(240, 240, 240)), QColor(Qt::black));
    QCOMPARE(Colormap::textColorOnFill(qRgb(30, 10, 60)), QColor(Qt::white));
  }

  // A han map (sentences x words) writes each cell's own word: its word axis is positions, the words are in the cells.
  void hanMapWritesTheWords() {
    Workspace ws;
    ws.addModel(std::make_shared<attnviz::test::FakeHan>(), QStringLiteral("fake:han"));
    QFile review(QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/review-positive.txt"));  // ten sentences
    QVERIFY(review.open(QIODevice::ReadOnly));
    ws.setInputText(QString::fromUtf8(review.readAll()));
    ws.runNow();
    QTRY_VERIFY(ws.trace() != nullptr);
    const HeatmapData d = extractMap(*ws.trace(), {QStringLiteral("word"), 0, 0});
    QVERIFY(!d.cellLabels.isEmpty());
    for (const QSize size : {QSize(1100, 520), QSize(800, 420)}) {  // the tab at 1600x1000 and at 1280x720
      HeatmapStyle style;
      const HeatmapGeometry g = HeatmapPainter::layout(QRectF(QPointF(0, 0), QSizeF(size)), d, style);
      const CellText text = cellTextLayout(g, d, style);
      QVERIFY2(text.words, qPrintable(QStringLiteral("no words at %1x%2").arg(size.width()).arg(size.height())));
      QVERIFY2(g.cellWidth >= g.cellHeight, "cells with words are never narrower than tall");
      // The words are drawn: a word cell differs from the same cell with labels off.
      HeatmapStyle noLabels = style;
      noLabels.showLabels = false;
      noLabels.showValues = false;
      HeatmapStyle wordsOnly = style;
      wordsOnly.showValues = false;
      const QRect r = HeatmapPainter::cellRect(g, 0, 1).toAlignedRect();
      QVERIFY(render(d, wordsOnly, size).copy(r) != render(d, noLabels, size).copy(r));
    }
    // Labels that only name a cell (a vit patch map's "patch r,c") are not written in it, and its cells stay square.
    HeatmapData patches = map3();
    for (int i = 0; i < 9; ++i) patches.cellLabels << QStringLiteral("patch %1,%2").arg(i / 3).arg(i % 3);
    const HeatmapGeometry pg = HeatmapPainter::layout(QRectF(0, 0, 900, 300), patches, HeatmapStyle{});
    QCOMPARE(pg.cellWidth, pg.cellHeight);
    QVERIFY(!cellTextLayout(pg, patches, HeatmapStyle{}).words);
  }

  // A 64-token map zoomed 8x and scrolled to its far corner keeps title, labels and colour bar on screen.
  void zoomedMapKeepsItsHeadersInView() {
    Workspace ws;
    ws.addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QStringList words;
    for (int i = 0; i < 64; ++i) words << QStringLiteral("w%1").arg(i);
    ws.setInputText(words.join(QLatin1Char(' ')));
    ws.runNow();
    QTRY_VERIFY(ws.trace() != nullptr);
    HeatmapPanel panel;
    panel.setWorkspace(&ws);
    panel.resize(800, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    HeatmapView* view = panel.view();
    const HeatmapGeometry before = view->geometryNow();
    QVERIFY(before.viewport.isEmpty());  // the whole map in view: nothing pinned
    panel.setZoom(8.0);
    QScrollArea* scroll = panel.scrollArea();
    scroll->horizontalScrollBar()->setValue(scroll->horizontalScrollBar()->maximum() / 2);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum() / 2);
    QCoreApplication::processEvents();
    const QRectF seen(view->visibleRegion().boundingRect());
    const HeatmapGeometry g = view->geometryNow();
    QCOMPARE(g.viewport, seen);
    QVERIFY(seen.contains(g.title));
    QVERIFY(seen.contains(g.colorBar) && g.colorBar.height() > 20);
    QVERIFY(g.rowLabels.left() >= seen.left() && g.rowLabels.right() < seen.right());
    QVERIFY(g.colLabels.top() > seen.top() && g.colLabels.bottom() <= seen.bottom() + 0.5);
    // Row labels are those of the rows in view: their band lies over the rows on screen.
    QVERIFY(g.grid.top() < seen.top() && g.grid.bottom() > seen.bottom());
    // The pinned bands hide the cells under them: no hover through a label.
    const QPointF onRowLabel(g.rowLabels.center().x(), seen.center().y());
    QCOMPARE(HeatmapPainter::cellAt(g, onRowLabel), std::make_pair(-1, -1));
    const QPointF inCells = seen.center();
    QVERIFY(HeatmapPainter::cellAt(g, inCells).first >= 0);
    // On screen: the row-label band is background with text, not cells (viridis has no near-white colour).
    const QImage shot = view->grab(seen.toAlignedRect()).toImage();
    const QRectF band = HeatmapPainter::stickyBands(g).rowLabels.translated(-seen.topLeft());
    QVERIFY(band.width() > 10);
    const QRgb bg = view->heatmapStyle().background.rgb();
    int backgroundPixels = 0, all = 0;
    for (int y = static_cast<int>(band.top()); y < static_cast<int>(band.bottom()); y += 3)
      for (int x = static_cast<int>(band.left()); x < static_cast<int>(band.right()); x += 3, ++all)
        backgroundPixels += shot.pixel(x, y) == bg;
    QVERIFY2(backgroundPixels > all / 2, qPrintable(QStringLiteral("%1 of %2").arg(backgroundPixels).arg(all)));
  }
};

QTEST_MAIN(TestHeatmapCells)
#include "test_heatmap_cells.moc"

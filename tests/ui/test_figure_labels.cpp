// Figures for papers keep every token label readable or say what they leave out: a 19-token map exported at one
// column (8.5 cm, 7 pt) as SVG has all 19 row and 19 column labels, no two label boxes overlapping (boxes from each
// text's position, font size and rotation in the SVG), in the chosen font family; labels shrink down to 5 pt before
// they thin, and when they must thin the dialog says "n of m labels shown"; axis titles and the model in the title;
// the selection highlight is an export option, off by default, and a pinned label never collides.
#include <QComboBox>
#include <QFontInfo>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

#include "tests/ui/fake_model.h"
#include "tests/ui/svg_text_boxes.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/export/export_dialog.h"
#include "ui/maps/heatmap_labels.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/panels/panel.h"

using namespace attnviz::ui;
using attnviz::test::SvgText;

namespace {

// 17 words: with [CLS] and [SEP], 19 tokens.
const QString kNineteen = QStringLiteral("the animal did not cross the street because it was too tired and slept near an old");
const char* const kOneColumn = "Paper, one column (8.5 cm)";

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every pair of boxes that overlap, named, for the failure message.
QStringList collisions(const std::vector<SvgText>& labels) {
  QStringList out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t j = i + 1; j < labels.size(); ++j) {
      if (attnviz::test::overlap(labels[i].box, labels[j].box)) out << labels[i].text + QStringLiteral(" / ") + labels[j].text;
    }
  }
  return out;
}

}  // namespace

class TestFigureLabels : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void init() {
    createWindow();
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
  }
  void cleanup() { closeWindow(); }

  // The one-column SVG of a 19-token map: every label there, none overlapping, all in the chosen family.
  void oneColumnSvgShowsEveryLabelWithoutOverlap() {
    QVERIFY(typeAndWait(kNineteen));
    const auto& panels = w_->panelArea()->panels();
    const std::vector<const Panel*> shown(panels.begin(), panels.end());
    const QTemporaryDir dir;
    ExportDialog dialog(shown, 0, dir.filePath(QStringLiteral("map.svg")));
    QVERIFY(dialog.applyPreset(QString::fromLatin1(kOneColumn)));
    FigureStyle style = dialog.style();
    QCOMPARE(style.fontPoints, 7.0);
    QCOMPARE(dialog.options().size.width(), 8.5 / 2.54 * 96);
    QCOMPARE(dialog.options().format, FigureFormat::Svg);
    style.fontFamily = QStringLiteral("DejaVu Serif");
    QVERIFY2(dialog.figureNote().isEmpty(), qPrintable(dialog.figureNote()));
    QVERIFY(w_->exportFigureTo(dialog.path(), dialog.options(), 0, style));
    // The same figure as PNG and PDF, for people to look at ($ATTNVIZ_SHOT_DIR, default /tmp).
    const QString shots = qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp"));
    for (const char* suffix : {"png", "svg", "pdf"})
      QVERIFY(w_->exportFigureTo(shots + QStringLiteral("/one-column-19-tokens.") + QLatin1String(suffix), dialog.options(), 0, style));

    const std::vector<SvgText> texts = attnviz::test::svgTexts(readAll(dialog.path()));
    QVERIFY(!texts.empty());
    const QStringList tokens = QStringList{QStringLiteral("[CLS]")} + kNineteen.split(QLatin1Char(' ')) + QStringList{QStringLiteral("[SEP]")};
    QCOMPARE(tokens.size(), 19);
    std::map<QString, int> want;
    for (const QString& t : tokens) ++want[t];
    std::map<QString, int> rows, cols;
    std::vector<SvgText> labels;
    for (const SvgText& t : texts) {
      QCOMPARE(t.family, QStringLiteral("DejaVu Serif"));  // every text, title and ticks too
      if (!want.count(t.text)) continue;
      ++(t.rotated ? cols : rows)[t.text];
      labels.push_back(t);
    }
    QCOMPARE(rows, want);
    QCOMPARE(cols, want);
    const QStringList hit = collisions(labels);
    QVERIFY2(hit.isEmpty(), qPrintable(hit.join(QStringLiteral(", "))));
    // Readable: no label below 5 pt.
    for (const SvgText& t : labels) QVERIFY2(t.pixelSize >= heatmap_labels::kMinReadableLabelPixels, qPrintable(t.text));
    // Axis titles, and a title naming the model, the method, layer and head.
    const auto has = [&](const QString& s) {
      return std::any_of(texts.begin(), texts.end(), [&](const SvgText& t) { return t.text.contains(s); });
    };
    QVERIFY(has(QStringLiteral("query token")));
    QVERIFY(has(QStringLiteral("key token")));
    QVERIFY(has(QStringLiteral("fake-encoder")));
    QVERIFY(has(QStringLiteral("layer")));
    QVERIFY(has(QStringLiteral("head")));
  }

  // Too many tokens for one column even at 5 pt: labels thin, the dialog says how many are shown, none overlap, and a
  // pinned label (selection highlight on) pushes its neighbours aside instead of covering them.
  void thinnedLabelsAreSaidAndThePinnedOneNeverCollides() {
    QStringList words;
    for (int i = 0; i < 58; ++i) words << QStringLiteral("w%1").arg(i);  // 60 tokens
    QVERIFY(typeAndWait(words.join(QLatin1Char(' '))));
    ws_->selection().setCell(23, 23);
    const auto& panels = w_->panelArea()->panels();
    const std::vector<const Panel*> shown(panels.begin(), panels.end());
    const QTemporaryDir dir;
    ExportDialog dialog(shown, 0, dir.filePath(QStringLiteral("map.svg")));
    QVERIFY(dialog.applyPreset(QString::fromLatin1(kOneColumn)));
    QTRY_VERIFY(!dialog.figureNote().isEmpty());
    QVERIFY2(dialog.figureNote().contains(QStringLiteral("of 60 row labels")), qPrintable(dialog.figureNote()));
    QVERIFY(dialog.figureNote().contains(QStringLiteral("of 60 column labels")));
    QVERIFY(!dialog.style().showSelection);  // off by default

    for (bool selection : {false, true}) {
      FigureStyle style = dialog.style();
      style.showSelection = selection;
      const QString path = dir.filePath(QStringLiteral("map-%1.svg").arg(selection));
      QVERIFY(w_->exportFigureTo(path, dialog.options(), 0, style));
      std::vector<SvgText> labels;
      bool pinned = false;
      for (const SvgText& t : attnviz::test::svgTexts(readAll(path))) {
        // No family chosen: the one the application font resolves to, named (not "Sans Serif").
        QCOMPARE(t.family, QFontInfo(QFont()).family());
        if (!t.text.startsWith(QLatin1Char('w')) && !t.text.startsWith(QLatin1Char('['))) continue;
        labels.push_back(t);
        pinned = pinned || t.text == QStringLiteral("w22");  // token 23 (after [CLS])
        QVERIFY(t.pixelSize >= heatmap_labels::kMinReadableLabelPixels);
      }
      QCOMPARE(pinned, selection);  // w22 is not on the thinning's step: drawn only as the pinned label
      const QStringList hit = collisions(labels);
      QVERIFY2(hit.isEmpty(), qPrintable(hit.join(QStringLiteral(", "))));
    }
  }

  // Labels shrink before they thin: at a size where 7 pt would overlap but 5 pt fits, every label is drawn, smaller.
  void labelsShrinkBeforeTheyThin() {
    HeatmapData d;
    d.rows = d.cols = 30;
    d.values.assign(900, 0.01f);
    for (int i = 0; i < 30; ++i) d.rowLabels << QStringLiteral("t%1").arg(i);
    d.colLabels = d.rowLabels;
    HeatmapStyle screen;
    screen.fontPixelSize = 9;  // 7 pt
    FigureStyle figure;
    figure.fontPoints = 7;
    HeatmapStyle styled = screen;
    figure.applyTo(styled);
    // The sizes where the grid's cells are between the 5 pt and the 7 pt spacing: every label, smaller.
    QSizeF size;
    HeatmapGeometry g;
    for (int side = 150; side < 800 && size.isEmpty(); side += 5) {
      g = HeatmapPainter::layout(QRectF(0, 0, side, side), d, styled);
      if (g.labelPixelSize < 9 && g.rowLabelStep == 1) size = QSizeF(side, side);
    }
    QVERIFY2(!size.isEmpty(), "no size shrinks the labels without thinning them");
    QVERIFY(g.cellHeight < heatmap_labels::spacing(styled, 9));  // 7 pt labels would overlap here
    QVERIFY(g.labelPixelSize >= heatmap_labels::kMinReadableLabelPixels);
    // Smaller still: thinned, at the smallest readable size.
    const HeatmapGeometry small = HeatmapPainter::layout(QRectF(0, 0, 150, 150), d, styled);
    QVERIFY(small.rowLabelStep > 1);
    QCOMPARE(small.labelPixelSize, heatmap_labels::kMinReadableLabelPixels);
    QVERIFY(styledHeatmapNote(size, d, screen, figure).isEmpty());
    // The screen does not shrink (it zooms): the same size there thins instead.
    const HeatmapGeometry onScreen = HeatmapPainter::layout(QRectF(QPointF(), size), d, screen);
    QCOMPARE(onScreen.labelPixelSize, 9);
    QVERIFY(onScreen.rowLabelStep > 1);
  }
};

QTEST_MAIN(TestFigureLabels)
#include "test_figure_labels.moc"

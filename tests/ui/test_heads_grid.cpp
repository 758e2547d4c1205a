// The encoder's all-heads grid and head-entropy chart on the real random-weight tests/data/tiny-encoder:
// clicking a thumbnail sets the Selection's layer and head, and the arcs panel's selectors, the heatmap and the
// chart's highlighted bar follow; clicking a bar selects its head; thumbnails are made once per trace; the
// entropies are the mean row entropies; tiny-hf-coref's coreference head (config.json) is pre-selected and marked,
// its prediction shown above the arcs (a click focuses the pronoun); truncation warnings reach the status bar;
// the grid, chart and arcs export as SVG (well-formed), PDF and PNG (of the asked pixel size).
#include <QBarSeries>
#include <QBarSet>
#include <QComboBox>
#include <QImage>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QLabel>
#include <QtTest>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/kinds/encoder/coreference_pointer.h"
#include "ui/export/figure_export.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestHeadsGrid : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
    QVERIFY(panel<HeadsGridPanel>("headsGrid"));
    QVERIFY(panel<HeadEntropyPanel>("headEntropy"));
    QVERIFY(panel<ArcsPanel>("arcs"));
    QVERIFY(panel<HeatmapPanel>("heatmap"));
  }

  void cleanup() {
    closeWindow();
  }

  void clickThumbnailFocusesTheHeadEverywhere() {
    auto* grid = panel<HeadsGridPanel>("headsGrid");
    auto* arcs = panel<ArcsPanel>("arcs");
    auto* chart = panel<HeadEntropyPanel>("headEntropy");
    arcs->setAllHeads(false);
    QCOMPARE(grid->data().layers, 2);
    QCOMPARE(grid->data().heads, 2);
    QCOMPARE(static_cast<int>(grid->data().thumbnails.size()), 4);
    QCOMPARE(grid->data().thumbnails[0].size(), QSize(16, 16));
    QCOMPARE(chart->highlighted(), std::make_pair(0, 0));

    w_->panelArea()->showPanel(QStringLiteral("headsGrid"));
    QTRY_VERIFY(grid->canvas()->isVisible() && grid->canvas()->width() > 100);
    QSignalSpy spy(&ws_->selection(), &Selection::layerHeadChanged);
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, grid->thumbnailCenter(1, 1).toPoint());
    QTRY_COMPARE(ws_->selection().layer(), 1);
    QCOMPARE(ws_->selection().head(), 1);
    QCOMPARE(spy.count(), 1);  // no bounce
    QCOMPARE(grid->data().current.layer, 1);
    QCOMPARE(grid->data().current.head, 1);
    QCOMPARE(arcs->layerBox()->value(), 2);
    QCOMPARE(arcs->headBox()->currentIndex(), 2);
    QCOMPARE(arcs->view()->data().heads, std::vector<int>{1});
    QCOMPARE(chart->highlighted(), std::make_pair(1, 1));
    QVERIFY(panel<HeatmapPanel>("heatmap")->view()->data().title.contains(QStringLiteral("layer 2")));
    QVERIFY(grid->toolTipAt(grid->thumbnailCenter(0, 1)).startsWith(QStringLiteral("layer 1, head 2")));
    // A gap between thumbnails hits nothing; the selection stays.
    const QPointF gap = (grid->thumbnailCenter(0, 0) + grid->thumbnailCenter(0, 1)) / 2;
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, gap.toPoint());
    QCOMPARE(ws_->selection().layer(), 1);

    // Arcs panel in all-heads mode leaves it when a head is picked elsewhere.
    arcs->setAllHeads(true);
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, grid->thumbnailCenter(0, 0).toPoint());
    QTRY_COMPARE(ws_->selection().head(), 0);
    QVERIFY(!arcs->allHeads());
    QCOMPARE(arcs->headBox()->currentIndex(), 1);
    QCOMPARE(chart->highlighted(), std::make_pair(0, 0));

    // Thumbnails are kept while the trace is the same.
    const int builds = grid->thumbnailBuilds();
    ws_->selection().setLayerHead(1, 0);
    QCOMPARE(grid->thumbnailBuilds(), builds);
  }

  void chartShowsEntropiesAndClickSelects() {
    auto* chart = panel<HeadEntropyPanel>("headEntropy");
    const auto& self = ws_->trace()->attention.at("self");
    const int n = static_cast<int>(self.dim(2));
    // Layer 2, head 1 by hand.
    double total = 0;
    const float* m = self.data() + static_cast<std::size_t>(1 * 2 + 0) * n * n;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const double p = m[static_cast<std::size_t>(i) * n + j];
        if (p > 0) total -= p * std::log2(p);
      }
    QCOMPARE_LE(std::abs(chart->shown().at(1, 0) - total / n), 1e-4);
    QVERIFY(chart->shown().at(1, 0) <= std::log2(n) + 1e-4);
    QCOMPARE(chart->series()->count(), 2);  // a bar set per layer
    // A click on a bar (the series' signal, as QChart emits it) selects its layer and head.
    emit chart->series()->clicked(1, chart->series()->barSets()[1]);
    QCOMPARE(ws_->selection().layer(), 1);
    QCOMPARE(ws_->selection().head(), 1);
    QCOMPARE(chart->highlighted(), std::make_pair(1, 1));
    QVERIFY(panel<HeadsGridPanel>("headsGrid")->data().current.head == 1);
  }

  void coreferenceHeadIsPreselectedAndMarked() {
    auto* grid = panel<HeadsGridPanel>("headsGrid");
    QVERIFY(!grid->data().coreference.valid());  // the tiny encoder has none
    QCOMPARE(ws_->selection().layer(), 0);
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref"));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws_->models().size()), 2, 20000);
    // config.json "coreference_head": [1, 0] -> layer 2, head 1 shown from the first trace on.
    QCOMPARE(ws_->selection().layer(), 1);
    QCOMPARE(ws_->selection().head(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->model.name != "tiny-encoder" && !ws_->trace()->prediction.coreference.empty(), 20000);
    grid = panel<HeadsGridPanel>("headsGrid");
    auto* arcs = panel<ArcsPanel>("arcs");
    QTRY_VERIFY(grid->data().coreference.valid());
    QCOMPARE(grid->data().coreference.layer, 1);
    QCOMPARE(grid->data().coreference.head, 0);
    QCOMPARE(grid->data().current.layer, 1);
    QCOMPARE(arcs->layerBox()->value(), 2);
    QCOMPARE(arcs->headBox()->currentIndex(), 1);  // head 1, not all heads
    QVERIFY(panel<HeatmapPanel>("heatmap")->view()->data().title.contains(QStringLiteral("layer 2/2 · head 1/2")));
    w_->panelArea()->showPanel(QStringLiteral("headsGrid"));
    QTRY_VERIFY(grid->canvas()->width() > 100);
    QVERIFY(grid->toolTipAt(grid->thumbnailCenter(1, 0)).contains(QStringLiteral("coreference head")));

    // The prediction above the arcs: "it → ..." ; clicking it focuses the pronoun.
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    const attnviz::CoreferenceLink link = ws_->trace()->prediction.coreference.front();
    QTRY_VERIFY(arcs->coreferenceLabel()->isVisible());
    QVERIFY(arcs->coreferenceLabel()->text().contains(QStringLiteral("it</b> → ") + QString::fromStdString(link.antecedentText)));
    emit arcs->coreferenceLabel()->linkActivated(QStringLiteral("0"));
    QCOMPARE(ws_->selection().row(), static_cast<int>(link.pronoun));
    QCOMPARE(ws_->selection().column(), static_cast<int>(link.antecedent));
    QVERIFY(arcs->view()->pinned());
    QCOMPARE(arcs->view()->arcsStyle().focus, groupOf(arcs->view()->data().groups, static_cast<int>(link.pronoun)));
    QVERIFY(!arcs->view()->shownArcs().empty());

    // The line says whose prediction it is, and names the shown coreference head with the card's words (the tiny
    // model's card has no figure: said so), not as the decision.
    const QString line = arcs->coreferenceLabel()->text();
    QVERIFY2(line.contains(QStringLiteral("by the pointer head")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("layer 2, head 1 (config.json coreference_head)")) &&
                 line.contains(QStringLiteral("gives no figure")),
             qPrintable(line));
    // The pointer's own distribution: one more head-box entry, its arcs from the pronoun are its probabilities.
    QCOMPARE(link.probabilities.size(), ws_->trace()->sourceTokens.size());
    double sum = 0;
    for (float p : link.probabilities) sum += p;
    QCOMPARE_LT(std::abs(sum - 1.0), 1e-4);
    QCOMPARE(link.probabilities[static_cast<std::size_t>(link.antecedent)], link.score);
    QCOMPARE(arcs->headBox()->itemText(ws_->trace()->attention.at("self").dim(1) + 1), QStringLiteral("Coreference pointer"));
    emit arcs->coreferenceLabel()->linkActivated(QStringLiteral("pointer"));
    QVERIFY(arcs->pointerShown());
    const ArcsData& pointer = arcs->view()->data();
    QCOMPARE(pointer.heads, std::vector<int>{kPointerHead});
    QVERIFY(pointer.title.startsWith(QStringLiteral("coreference pointer")));
    QCOMPARE(ws_->selection().pinnedRow(), static_cast<int>(link.pronoun));
    for (const Arc& a : arcs->view()->shownArcs()) {
      QCOMPARE(pointer.groups[static_cast<std::size_t>(a.from)].tokens.front(), static_cast<int>(link.pronoun));
      QCOMPARE(a.weight, link.probabilities[static_cast<std::size_t>(pointer.groups[static_cast<std::size_t>(a.to)].tokens.front())]);
    }
    QVERIFY(!arcs->view()->shownArcs().empty());
    QVERIFY(!arcs->coreferenceLabel()->text().contains(QStringLiteral("Shown: the “coreference head”")));
    // A head picked elsewhere leaves the pointer for that head.
    ws_->selection().setHead(1);
    QVERIFY(!arcs->pointerShown());
    QCOMPARE(arcs->headBox()->currentIndex(), 2);
  }

  void coreferenceHeadNoteQuotesTheModelCard() {
    attnviz::ModelInfo info;
    QVERIFY(coreferenceHeadNote(info).isEmpty());
    info.coreferenceHead = std::make_pair(2, 3);
    info.card = {{"coreference head", "layer 2 head 3 (0-based): its attention argmax lands on the antecedent in 44.5% of validation"}};
    QCOMPARE(coreferenceHeadNote(info), QStringLiteral("layer 3, head 4 (config.json coreference_head): its attention argmax lands "
                                                       "on the antecedent in 44.5% of validation"));
    // The shipped card's form (models/coref/card.py): the 0-based name ends in a comma before the description.
    info.coreferenceHead = std::make_pair(3, 0);
    info.card = {{"coreference head", "layer 3 head 0 (0-based), trained to attend from the pronoun to its antecedent: its "
                                      "attention argmax lands on the antecedent in 45.5% of validation"}};
    QCOMPARE(coreferenceHeadNote(info), QStringLiteral("layer 4, head 1 (config.json coreference_head): trained to attend from the "
                                                       "pronoun to its antecedent: its attention argmax lands on the antecedent "
                                                       "in 45.5% of validation"));
  }

  void truncationWarningIsShown() {
    // tiny-hf-coref has 24 positions: a longer input is cut, and the status bar says so.
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref"));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws_->models().size()), 2, 20000);
    w_->editor()->setPlainText(kSentence + QLatin1Char(' ') + kSentence + QLatin1Char(' ') + kSentence);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && !ws_->trace()->warnings.empty(), 20000);
    QTRY_VERIFY(w_->statusText().contains(QStringLiteral("truncated to 24 tokens")));
  }

  void exportsSvgPdfPng() {
    auto* grid = panel<HeadsGridPanel>("headsGrid");
    auto* chart = panel<HeadEntropyPanel>("headEntropy");
    QTemporaryDir dir;
    QByteArray gridSvg;
    auto* arcs = panel<ArcsPanel>("arcs");
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    ws_->selection().setRow(3);
    for (Panel* p : std::vector<Panel*>{grid, chart, arcs}) {
      const QSizeF size = p->figureSize();
      QVERIFY(size.width() > 100 && size.height() > 100);
      const FigurePainter paint = [p](QPainter& painter, const QRectF& r) { p->paintFigure(painter, r); };
      const QString stem = dir.filePath(p->objectName());
      QVERIFY(exportFigure(stem + QStringLiteral(".svg"), {FigureFormat::Svg, size, 96, {}}, paint).ok);
      QVERIFY(exportFigure(stem + QStringLiteral(".pdf"), {FigureFormat::Pdf, size, 96, {}}, paint).ok);
      const FigureOptions png{FigureFormat::Png, size, 192, {}};
      QVERIFY(exportFigure(stem + QStringLiteral(".png"), png, paint).ok);
      const QByteArray svg = readAll(stem + QStringLiteral(".svg"));
      QVERIFY(svg.contains("<svg"));
      QXmlStreamReader xml(svg);
      while (!xml.atEnd()) xml.readNext();
      QVERIFY2(!xml.hasError(), qPrintable(p->objectName() + QStringLiteral(": ") + xml.errorString()));
      if (p == grid) gridSvg = svg;
      QVERIFY(readAll(stem + QStringLiteral(".pdf")).startsWith("%PDF"));
      QVERIFY(readAll(stem + QStringLiteral(".png")).startsWith("\x89PNG"));
      QCOMPARE(QImage(stem + QStringLiteral(".png")).size(), pngPixelSize(png));
    }
    QVERIFY(gridSvg.contains("<image"));  // the thumbnails
  }
};

QTEST_MAIN(TestHeadsGrid)
#include "test_heads_grid.moc"

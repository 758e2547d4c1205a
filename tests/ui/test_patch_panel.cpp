// The vit Patches tab on the random-weight tests/data/tiny-hf-vit (32x32 RGB, patch 8: 4x4 patches after [CLS], 17
// tokens, 2 layers x 2 heads): the overlay is the focused query's attention row cut to the patches (one head, mean
// over heads, rollout); clicking a patch makes its token the Selection's row and patch, the heatmap's row highlight
// follows, a row focused elsewhere is shown here; the overlay exports as PNG at the image's native resolution and
// upscaled, as SVG and PDF; attention flow from [CLS] is computed in the background, kept per trace, and can be
// cancelled; the comparison tab shows the maps of one image over it (layers, rollout, flow, shown head) on the patch
// grid, linked to the Selection, and exports them. Last, a screenshot ($ATTNVIZ_SHOT_DIR/vit-patches.png) on models/vit-fashion-mnist (or $ATTNVIZ_VIT_SHOT_MODEL) when it loads, else
// on tiny-hf-vit.
#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QStatusBar>
#include <QtTest>
#include <cmath>
#include <set>

#include "engine/core/error.h"
#include "engine/analysis/attention_flow.h"
#include "engine/analysis/rollout.h"
#include "engine/api/model.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/kinds/vit/class_chart_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/export/figure_export.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/vit/patch_heads_panel.h"
#include "ui/kinds/vit/patch_maps.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/maps/rollout_map.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

const QString kImage = QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// self [layers, heads, T, T]: row `query` of (layer, head), patch columns only.
std::vector<float> selfRow(const attnviz::Trace& t, int layer, int head, int query, const PatchGrid& g) {
  const attnviz::Tensor& self = t.attention.at("self");
  std::vector<float> out;
  for (int p = 0; p < g.count(); ++p) out.push_back(self.at({layer, head, query, g.tokenOf(p)}));
  return out;
}

double maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return 1e9;
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

// The trained model is made by another step of the project: a copy that does not load yet is no reason to fail here.
bool loads(const QString& model) {
  try {
    attnviz::loadModel(model.toStdString());
    return true;
  } catch (const attnviz::Error& e) {
    qWarning("screenshot on tiny-hf-vit instead: %s", e.what());
    return false;
  }
}

QString shotPath(const char* name) {
  return QDir(qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp"))).filePath(QString::fromLatin1(name));
}

}  // namespace

class TestPatchPanel : public attnviz::test::WindowTest {
  Q_OBJECT

  void open(const QString& model, const QString& image) {
    createWindow();
    connect(ws_, &Workspace::loadFailed, this, [](const QString& path, const Problem& problem) {
      qWarning("%s: %s", qPrintable(path), qPrintable(problem.text()));  // says why the next check fails
    });
    QVERIFY(openModelAndWait(model));
    QVERIFY(showWindow({1100, 720}));
    w_->openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == image, 20000);
    w_->panelArea()->showPanel(QStringLiteral("patches"));
    QVERIFY(panel<PatchPanel>("patches"));
    QTRY_VERIFY(!panel<PatchPanel>("patches")->overlay().empty());
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void patchGridFromTokenNames() {
    const std::optional<PatchGrid> g = patchGrid({"[CLS]", "[DIST]", "patch 0,0", "patch 0,1", "patch 0,2", "patch 1,0", "patch 1,1", "patch 1,2"});
    QVERIFY(g);
    QCOMPARE(g->rows, 2);
    QCOMPARE(g->cols, 3);
    QCOMPARE(g->firstToken, 2);
    QCOMPARE(g->patchOf(7), 5);
    QCOMPARE(g->patchOf(1), -1);
    QVERIFY(!patchGrid({"[CLS]", "the", "cat"}));
  }

  void clickedPatchIsTheQueryEverywhere() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    PatchPanel* patches = panel<PatchPanel>("patches");
    HeatmapPanel* heat = panel<HeatmapPanel>("heatmap");
    QVERIFY(heat);
    const attnviz::Trace& t = *ws_->shownTrace();
    const PatchGrid g = patches->overlay().grid;
    QCOMPARE(g.rows, 4);
    QCOMPARE(g.cols, 4);
    QCOMPARE(g.firstToken, 1);
    // Nothing focused: [CLS]'s row of layer 1, head 1.
    QCOMPARE(patches->queryToken(), 0);
    QCOMPARE(maxDiff(patches->overlay().values, selfRow(t, 0, 0, 0, g)), 0.0);

    const int patch = 6;  // row 1, column 2
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());
    QTRY_COMPARE(ws_->selection().row(), g.tokenOf(patch));
    QCOMPARE(ws_->selection().patch(), patch);
    QVERIFY(patches->pinned());
    QCOMPARE(patches->queryToken(), 7);
    QCOMPARE(heat->view()->highlightRow(), 7);
    QCOMPARE(patches->view()->patchStyle().focusedPatch, patch);
    QCOMPARE(maxDiff(patches->overlay().values, selfRow(t, 0, 0, 7, g)), 0.0);
    QVERIFY(patches->view()->toolTipAt(patches->view()->patchCentre(patch).toPoint()).startsWith(QStringLiteral("patch 1,2: ")));
    QVERIFY(patches->view()->toolTipAt(QPoint(0, 0)).isEmpty());
    // Pinned: moving over another patch keeps it.
    QTest::mouseMove(patches->view(), patches->view()->patchCentre(0).toPoint());
    QCOMPARE(ws_->selection().row(), 7);

    // Another layer and head, the mean over heads, rollout: still patch 6's row.
    const int layers = static_cast<int>(t.attention.at("self").dim(0));
    const int heads = static_cast<int>(t.attention.at("self").dim(1));
    ws_->selection().setLayerHead(layers - 1, heads - 1);
    QCOMPARE(maxDiff(patches->overlay().values, selfRow(t, layers - 1, heads - 1, 7, g)), 0.0);
    patches->setMapKind(PatchPanel::MapKind::MeanOverHeads);
    std::vector<float> mean(static_cast<std::size_t>(g.count()), 0.0f);
    for (int h = 0; h < heads; ++h) {
      const std::vector<float> row = selfRow(t, layers - 1, h, 7, g);
      for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += row[i] / static_cast<float>(heads);
    }
    QVERIFY(maxDiff(patches->overlay().values, mean) < 1e-6);
    patches->setMapKind(PatchPanel::MapKind::Rollout);
    patches->setRollout(attnviz::RolloutFusion::Max, 0.5);
    const attnviz::Tensor r = attnviz::attentionRollout(t.attention.at("self"), attnviz::RolloutFusion::Max, 0.5);  // [N, N]
    std::vector<float> rolloutRow;
    for (int p = 0; p < g.count(); ++p) rolloutRow.push_back(r.at({7, g.tokenOf(p)}));
    QVERIFY(maxDiff(patches->overlay().values, rolloutRow) < 1e-6);
    QVERIFY(patches->overlay().title.contains(QStringLiteral("patch 1,2")));

    // A row focused elsewhere (the heatmap) is the query here.
    patches->setMapKind(PatchPanel::MapKind::Head);
    ws_->selection().setRow(3);
    QCOMPARE(patches->queryToken(), 3);
    QCOMPARE(patches->view()->patchStyle().focusedPatch, 2);
    // The pin is the Selection's (shared with Arcs and the heatmap): a row hovered elsewhere is shown but does not
    // move it; clicking the patch shown pins that one, and clicking it again releases it: back to [CLS].
    QCOMPARE(ws_->selection().pinnedRow(), 7);
    QVERIFY(!patches->pinned());
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(2).toPoint());
    QVERIFY(patches->pinned());
    QCOMPARE(ws_->selection().pinnedRow(), 3);
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(2).toPoint());
    QVERIFY(!patches->pinned());
    QCOMPARE(ws_->selection().pinnedRow(), Selection::kNone);
    QCOMPARE(ws_->selection().row(), Selection::kNone);
    QCOMPARE(patches->queryToken(), 0);
    // Hovering focuses without pinning.
    QTest::mouseMove(patches->view(), patches->view()->patchCentre(15).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 16);
    QCOMPARE(heat->view()->highlightRow(), 16);

    // Another image of the same grid: the pinned patch is kept by position, and the status bar says so.
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());
    QVERIFY(patches->pinned());
    const std::string firstInput = t.input;  // a copy: the new trace frees `t`
    w_->openImage(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/grey-20x20.png"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && ws_->shownTrace()->input != firstInput, 20000);
    QVERIFY(patches->pinned());
    QCOMPARE(ws_->selection().patch(), patch);
    QCOMPARE(patches->queryToken(), 7);
    QVERIFY2(w_->statusBar()->currentMessage().startsWith(QStringLiteral("Pin kept on “patch 1,2”")),
             qPrintable(w_->statusBar()->currentMessage()));
    QVERIFY(patches->infoText().contains(QStringLiteral("(pinned")));
  }

  void multiHeadOverlayAndHeadThumbnails() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    PatchPanel* patches = panel<PatchPanel>("patches");
    PatchHeadsPanel* thumbs = panel<PatchHeadsPanel>("patchHeads");
    QVERIFY(thumbs);
    const attnviz::Trace& t = *ws_->shownTrace();
    const PatchGrid g = patches->overlay().grid;
    const int heads = static_cast<int>(t.attention.at("self").dim(1));
    ws_->selection().setLayer(1);
    patches->setMapKind(PatchPanel::MapKind::TopPerHead);
    const PatchOverlay& o = patches->overlay();
    QCOMPARE(o.headCount, heads);
    QCOMPARE(static_cast<int>(o.heads.size()), g.count());
    const int top = std::max(1, static_cast<int>(std::lround(kTopPatchFraction * g.count())));
    for (int h = 0; h < heads; ++h) {  // each head marks exactly its `top` strongest patches of [CLS]'s row
      const std::vector<float> row = selfRow(t, 1, h, 0, g);
      const int best = static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
      QVERIFY(o.heads[static_cast<std::size_t>(best)] & (1u << h));
      int marked = 0;
      for (std::uint32_t m : o.heads) marked += (m >> h) & 1u;
      QCOMPARE(marked, top);
    }
    // Thumbnails: one per head of the shown layer, each that head's row; a click shows the head everywhere.
    QCOMPARE(static_cast<int>(thumbs->headOverlays().size()), heads);
    for (int h = 0; h < heads; ++h) QCOMPARE(maxDiff(thumbs->headOverlays()[static_cast<std::size_t>(h)].values, selfRow(t, 1, h, 0, g)), 0.0);
    QTest::mouseClick(thumbs, Qt::LeftButton, Qt::NoModifier, thumbs->thumbnailCentre(heads - 1).toPoint());
    QCOMPARE(ws_->selection().head(), heads - 1);
    patches->setMapKind(PatchPanel::MapKind::Head);
    QCOMPARE(maxDiff(patches->overlay().values, selfRow(t, 1, heads - 1, 0, g)), 0.0);
    // The thumbnails follow the focused patch.
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(9).toPoint());
    QCOMPARE(maxDiff(thumbs->headOverlays()[0].values, selfRow(t, 1, 0, g.tokenOf(9), g)), 0.0);
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("heads.svg"));
    QVERIFY(exportFigure(svg, {FigureFormat::Svg, thumbs->figureSize(), 96}, [&](QPainter& p, const QRectF& r) { thumbs->paintFigure(p, r); }).ok);
    QVERIFY(readAll(svg).contains("<svg"));
  }

  void classProbabilitiesChart() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    ClassChartPanel* chart = panel<ClassChartPanel>("classChart");
    QVERIFY(chart);
    const attnviz::Trace& t = *ws_->shownTrace();
    const HeatmapData& d = chart->shown();
    QCOMPARE(d.cols, static_cast<int>(t.prediction.probabilities.size()));
    QCOMPARE(d.colLabels.front(), QString::fromStdString(*t.prediction.label));  // the most probable first
    QVERIFY(std::is_sorted(d.values.rbegin(), d.values.rend()));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("classes.png"));
    QVERIFY(exportFigure(png, {FigureFormat::Png, QSizeF(360, 240), 96}, [&](QPainter& p, const QRectF& r) { chart->paintFigure(p, r); }).ok);
    QCOMPARE(QImage(png).size(), QSize(360, 240));
    // The Heatmap tab has the head entropy chart beside it: one bar per layer x head.
    HeadEntropyPanel* entropy = panel<HeadEntropyPanel>("headEntropy");
    QVERIFY(entropy);
    const attnviz::Tensor& self = t.attention.at("self");
    QCOMPARE(static_cast<std::int64_t>(entropy->shown().rows), self.dim(0));
    QCOMPARE(static_cast<std::int64_t>(entropy->shown().cols), self.dim(1));
  }

  void overlayExports() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    PatchPanel* patches = panel<PatchPanel>("patches");
    QCOMPARE(patches->imageSize(), QSize(32, 32));
    patches->setOpacity(1.0);
    patches->setGridShown(false);
    QTemporaryDir dir;
    const auto image = [&](QPainter& p, const QRectF& rect) { patches->paintImageFigure(p, rect); };
    // Native resolution: one figure pixel per image pixel; opaque overlay: each pixel is its patch's colour.
    const QString native = dir.filePath(QStringLiteral("native.png"));
    QVERIFY(exportFigure(native, {FigureFormat::Png, QSizeF(32, 32), 96}, image).ok);
    QImage png(native);
    QCOMPARE(png.size(), QSize(32, 32));
    const PatchOverlay& o = patches->overlay();
    for (int p : {0, 5, 15}) {
      const QRgb want = overlayColour(o, patches->view()->patchStyle(), o.values[static_cast<std::size_t>(p)]);
      const QRgb got = png.pixel((p % 4) * 8 + 4, (p / 4) * 8 + 4);
      QVERIFY2(std::abs(qRed(got) - qRed(want)) <= 1 && std::abs(qGreen(got) - qGreen(want)) <= 1 && std::abs(qBlue(got) - qBlue(want)) <= 1,
               qPrintable(QStringLiteral("patch %1").arg(p)));
    }
    const QString upscaled = dir.filePath(QStringLiteral("upscaled.png"));
    QVERIFY(exportFigure(upscaled, {FigureFormat::Png, QSizeF(32, 32), 96 * 8}, image).ok);
    QCOMPARE(QImage(upscaled).size(), QSize(256, 256));
    // The whole figure (title, colour bar) as SVG and PDF.
    const auto figure = [&](QPainter& p, const QRectF& rect) { patches->paintFigure(p, rect); };
    const QString svg = dir.filePath(QStringLiteral("patches.svg"));
    QVERIFY(exportFigure(svg, {FigureFormat::Svg, patches->figureSize(), 96}, figure).ok);
    QXmlStreamReader xml(readAll(svg));
    int images = 0;
    QImage embedded;
    while (!xml.atEnd()) {
      if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != QLatin1String("image")) continue;
      ++images;
      const QString href = xml.attributes().value(QStringLiteral("xlink:href")).toString();
      embedded = QImage::fromData(QByteArray::fromBase64(href.section(QLatin1Char(','), 1).toLatin1()));
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(images, 1);  // the image; the patches are rectangles
    // Embedded already scaled up by nearest neighbour, so viewers do not blur its pixels.
    QVERIFY2(embedded.width() >= 32 * 4, qPrintable(QString::number(embedded.width())));
    const QString pdf = dir.filePath(QStringLiteral("patches.pdf"));
    QVERIFY(exportFigure(pdf, {FigureFormat::Pdf, patches->figureSize(), 300}, figure).ok);
    QVERIFY(readAll(pdf).startsWith("%PDF"));
    // CSV export gets the overlay as a patch grid.
    const std::optional<HeatmapData> m = patches->shownMatrix();
    QVERIFY(m && m->rows == 4 && m->cols == 4);
  }

  void flowInTheBackground() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    PatchPanel* patches = panel<PatchPanel>("patches");
    const TracePtr trace = ws_->shownTrace();
    const PatchGrid g = patches->overlay().grid;
    ws_->selection().setRow(5);  // flow has [CLS] as its only query
    patches->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY(!patches->overlay().empty());
    QCOMPARE(patches->queryToken(), 0);
    const attnviz::Tensor flow = attnviz::attentionFlow(trace->attention.at("self"), {0});  // [1, N]
    std::vector<float> want;
    for (int p = 0; p < g.count(); ++p) want.push_back(flow.at({0, g.tokenOf(p)}));
    QVERIFY(maxDiff(patches->overlay().values, want) < 1e-6);
    QVERIFY(patches->overlay().title.contains(QStringLiteral("flow")));
    // Kept per trace: back to flow costs nothing.
    patches->setMapKind(PatchPanel::MapKind::Head);
    patches->setMapKind(PatchPanel::MapKind::Flow);
    QVERIFY(!patches->overlay().empty());
    QCOMPARE(patches->flowJob()->finishedCount(), 1);

    // A new image: flow starts again; Cancel (before the job can report back) leaves no overlay and offers Compute.
    patches->setMapKind(PatchPanel::MapKind::Head);
    const QString other = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/grey-20x20.png");
    w_->openImage(other);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == other, 20000);
    QSignalSpy canceled(patches->flowJob(), &BackgroundJob::canceled);
    patches->setMapKind(PatchPanel::MapKind::Flow);
    QVERIFY(patches->flowJob()->isRunning());
    QVERIFY(patches->flowCancelButton()->isVisibleTo(patches));
    QVERIFY(patches->flowProgress()->isVisibleTo(patches));
    patches->flowCancelButton()->click();
    QCOMPARE(canceled.count(), 1);
    QVERIFY(patches->overlay().empty());
    QVERIFY(!patches->flowCancelButton()->isVisibleTo(patches));
    QVERIFY(patches->flowComputeButton()->isVisibleTo(patches));
    QTest::qWait(100);  // the cancelled job's end is ignored
    QVERIFY(patches->overlay().empty());
    QCOMPARE(patches->flowJob()->finishedCount(), 1);
    patches->flowComputeButton()->click();
    QTRY_VERIFY(!patches->overlay().empty());
    QCOMPARE(patches->flowJob()->finishedCount(), 2);
  }

  void compareMapsOverTheImage() {
    open(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"), attnviz::test::testDataDir() + kImage);
    const TracePtr trace = ws_->shownTrace();
    const PatchGrid g = panel<PatchPanel>("patches")->overlay().grid;
    auto* compare = panel<ComparePanel>("compare");
    QVERIFY(compare);
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    auto* button = compare->findChild<QPushButton*>(QStringLiteral("compareTraceMapsButton"));
    QVERIFY(button && button->isVisible() && button->text().contains(QStringLiteral("image")));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(compare->traceMaps());
    // 2 layers: last-layer mean (reference), rollout, shown head L1 H1, layer 1 mean; no flow yet.
    const std::vector<VariantRow>& rows = compare->comparison().rows;
    QCOMPARE(static_cast<int>(rows.size()), 4);
    QVERIFY(rows[1].label.startsWith(QStringLiteral("rollout")));
    QCOMPARE(rows[2].label, QStringLiteral("shown head L1 H1"));
    QCOMPARE(rows[3].label, QStringLiteral("layer 1, head mean"));
    for (const VariantRow& r : rows) {
      QCOMPARE(r.map.rows, g.rows);
      QCOMPARE(r.map.cols, g.cols);
      QVERIFY(!r.map.underlay.isNull());
      QVERIFY(r.map.oneDistribution);
    }
    // Cell (r, c) of the head map is [CLS] -> "patch r,c" of that head.
    QVERIFY(maxDiff(rows[2].map.values, selfRow(*trace, 0, 0, 0, g)) < 1e-7);
    std::vector<float> mean = selfRow(*trace, 1, 0, 0, g), other = selfRow(*trace, 1, 1, 0, g);
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] = (mean[i] + other[i]) / 2;
    QVERIFY(maxDiff(rows[0].map.values, mean) < 1e-6);
    QVERIFY(!rows[0].js.has_value() || *rows[0].js < 1e-9);  // the reference against itself
    QVERIFY(rows[1].js && *rows[1].js > 0);
    // Flow computed in the Patches tab joins the comparison.
    panel<PatchPanel>("patches")->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY(ws_->flowFor(trace));
    QTRY_COMPARE(static_cast<int>(compare->comparison().rows.size()), 5);
    QCOMPARE(compare->comparison().rows[2].label, QStringLiteral("attention flow"));
    // Hovering patch (2, 1) in any map makes it the Selection's key patch; the grid highlights it back.
    // The flow row's arrival lays the grid out again: the cell's centre is asked anew at each try, so a move made
    // while the layout settled (seen once in CI: the neighbouring patch was hovered) is made again.
    CompareView* view = compare->view();
    const int wanted = g.tokenOf(2 * g.cols + 1);
    QTRY_VERIFY([&] {
      QTest::mouseMove(view, QPoint(1, 1));
      QTest::mouseMove(view, view->cellCenter(1, 2, 1).toPoint());
      return ws_->selection().column() == wanted;
    }());
    QCOMPARE(ws_->selection().row(), 0);
    QCOMPARE(ws_->selection().patch(), 2 * g.cols + 1);
    QCOMPARE(view->highlightRow(), 2);
    QCOMPARE(view->highlightCol(), 1);
    ws_->selection().setCell(0, g.tokenOf(3));  // and a cell focused elsewhere (the heatmap) shows here
    QCOMPARE(view->highlightRow(), 0);
    QCOMPARE(view->highlightCol(), 3);
    // The grid exports with the image under every map.
    QTemporaryDir dir;
    const FigurePainter paint = [compare](QPainter& p, const QRectF& r) { compare->paintFigure(p, r); };
    const FigureOptions png{FigureFormat::Png, compare->figureSize(), 96, {}};
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("maps.png")), png, paint).ok);
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("maps.svg")), {FigureFormat::Svg, compare->figureSize(), 96, {}}, paint).ok);
    QVERIFY(readAll(dir.filePath(QStringLiteral("maps.svg"))).contains("<image"));
    QVERIFY(compare->exportData(QStringLiteral("csv")).contains("attention flow"));
  }

  void screenshot() {
    const QString trained = qEnvironmentVariable("ATTNVIZ_VIT_SHOT_MODEL", QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/vit-fashion-mnist"));
    const QString sample = QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/fashion-mnist/0000-ankle-boot.png");
    const bool useTrained = QFile::exists(trained + QStringLiteral("/model.safetensors")) && QFile::exists(sample) && loads(trained);
    open(useTrained ? trained : attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"),
         useTrained ? sample : attnviz::test::testDataDir() + kImage);
    PatchPanel* patches = panel<PatchPanel>("patches");
    const PatchGrid g = patches->overlay().grid;
    const int patch = (g.rows / 2) * g.cols + g.cols / 2;
    ws_->selection().setLayer(static_cast<int>(ws_->shownTrace()->attention.at("self").dim(0)) - 1);
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());
    QTRY_COMPARE(ws_->selection().row(), g.tokenOf(patch));
    QTest::qWait(50);
    const QImage shot = w_->grab().toImage();
    QVERIFY(shot.save(shotPath("vit-patches.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-patches.png")));
    std::set<QRgb> colours;
    const QRect area(patches->view()->mapTo(w_.get(), QPoint(0, 0)), patches->view()->size());
    for (int y = area.top(); y < area.bottom(); y += 3) {
      for (int x = area.left(); x < area.right(); x += 3) colours.insert(shot.pixel(x, y));
    }
    QVERIFY(colours.size() > 10);
    // The DINO figure: each head's top patches of [CLS]'s row in its own colour.
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());  // release
    QTRY_COMPARE(ws_->selection().row(), Selection::kNone);
    QTest::mouseMove(w_->panelArea(), QPoint(1, 1));
    ws_->selection().clearCell();
    ws_->selection().setLayer(static_cast<int>(ws_->shownTrace()->attention.at("self").dim(0)) - 1);
    patches->setMapKind(PatchPanel::MapKind::TopPerHead);
    QTest::qWait(50);
    QVERIFY(w_->grab().toImage().save(shotPath("vit-patches-heads.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-patches-heads.png")));
    // The Compare tab: layers, rollout, flow and a head over the image.
    patches->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->flowFor(ws_->shownTrace()), 20000);
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    auto* compare = panel<ComparePanel>("compare");
    compare->setTraceMaps(true);
    QTRY_VERIFY(compare->comparison().rows.size() >= 4);
    QTest::qWait(50);
    QVERIFY(w_->grab().toImage().save(shotPath("vit-compare.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-compare.png")));
  }
};

QTEST_MAIN(TestPatchPanel)
#include "test_patch_panel.moc"

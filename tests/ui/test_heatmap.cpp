// Heatmap panel: geometry and level of detail, hover -> Selection, Selection -> highlight without
// bounce, layer/head controls, map choice by trace content.
#include <QComboBox>
#include <QPainter>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "engine/analysis/rollout.h"
#include "engine/api/model.h"
#include "tests/ui/fake_model.h"
#include "ui/maps/heatmap_painter.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/maps/heatmap_source.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeModel;

namespace {

HeatmapData square(int n) {
  std::vector<float> v(static_cast<std::size_t>(n) * n);
  for (int i = 0; i < n * n; ++i) v[i] = static_cast<float>(i % 7) / 7.0f;
  QStringList labels;
  for (int i = 0; i < n; ++i) labels << QStringLiteral("tok%1").arg(i);
  return HeatmapData::fromValues(n, n, std::move(v), labels, labels, QStringLiteral("test"));
}

}  // namespace

class TestHeatmap : public QObject {
  Q_OBJECT

  std::unique_ptr<Workspace> ws_;
  std::unique_ptr<HeatmapPanel> panel_;

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    ws_ = std::make_unique<Workspace>();
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    ws_->setInputText(QStringLiteral("the cat sat on the mat"));
    ws_->runNow();
    QTRY_VERIFY(ws_->trace() != nullptr);
    panel_ = std::make_unique<HeatmapPanel>();
    panel_->setWorkspace(ws_.get());
    panel_->resize(700, 520);
    panel_->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
  }

  void cleanup() {
    panel_.reset();
    ws_.reset();
  }

  void layoutFitsAndCellsAreSquare() {
    const HeatmapData d = square(8);
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(0, 0, 600, 400), d, HeatmapStyle{});
    QVERIFY(QRectF(0, 0, 600, 400).contains(g.grid));
    QVERIFY(QRectF(0, 0, 600, 400).contains(g.colorBar));
    QCOMPARE(g.cellWidth, g.cellHeight);
    QVERIFY(g.grid.left() >= g.rowLabels.right() - 0.01);
    QVERIFY(g.colLabels.top() >= g.grid.bottom() - 0.01);
    QCOMPARE(g.rowLabelStep, 1);
    const auto [row, col] = HeatmapPainter::cellAt(g, HeatmapPainter::cellRect(g, 5, 2).center());
    QCOMPARE(row, 5);
    QCOMPARE(col, 2);
    QCOMPARE(HeatmapPainter::cellAt(g, QPointF(1, 1)).first, -1);
  }

  // Level of detail: with 400 tokens in 400 px, labels are thinned so they never overlap.
  void labelsThinForLargeMaps() {
    const HeatmapData d = square(400);
    const HeatmapGeometry g = HeatmapPainter::layout(QRectF(0, 0, 700, 600), d, HeatmapStyle{});
    QVERIFY(g.rowLabelStep > 1);
    QVERIFY(g.rowLabelStep * g.cellHeight >= QFontMetricsF([] { QFont f; f.setPixelSize(12); return f; }()).height() - 0.01);
    // Cells stay crisp: one pixel per cell at 1:1 means neighbouring cells keep their own colours.
    QImage img(700, 600, QImage::Format_RGB32);
    QPainter p(&img);
    HeatmapStyle style;
    style.showValues = false;
    style.scaling = Scaling::PerRow;
    style.colormap = ColormapId::Magma;
    HeatmapPainter::paint(p, QRectF(0, 0, 700, 600), d, style);
    p.end();
    QVERIFY(!img.isNull());
    const HeatmapGeometry g1 = HeatmapPainter::layout(QRectF(0, 0, 700, 600), d, style);
    // Nearest neighbour: inside one cell (cells are about 1.2 px here) no blended colour appears that
    // is absent from the colour map's cells — check two far-apart pixels of one big-cell map instead.
    const HeatmapData small = square(4);
    QImage big(400, 400, QImage::Format_RGB32);
    QPainter pb(&big);
    HeatmapStyle plain;
    plain.showValues = false;
    HeatmapPainter::paint(pb, QRectF(0, 0, 400, 400), small, plain);
    pb.end();
    const HeatmapGeometry gs = HeatmapPainter::layout(QRectF(0, 0, 400, 400), small, plain);
    const QRectF c = HeatmapPainter::cellRect(gs, 1, 1).adjusted(1, 1, -1, -1);
    QCOMPARE(big.pixel(c.topLeft().toPoint()), big.pixel(c.bottomRight().toPoint()));
    Q_UNUSED(g1);
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR")) img.save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + "/large-map.png");
  }

  void perRowScaling() {
    HeatmapData d = HeatmapData::fromValues(2, 2, {0.1f, 0.2f, 0.5f, 1.0f}, {"a", "b"}, {"x", "y"});
    const auto global = HeatmapPainter::range(d, Scaling::Global, 0);
    QCOMPARE(global.second, 1.0f);
    const auto row0 = HeatmapPainter::range(d, Scaling::PerRow, 0);
    QCOMPARE(row0.first, 0.0f);
    QCOMPARE(row0.second, 0.2f);
  }

  void showsSelfMapWithTokens() {
    const HeatmapData& d = panel_->view()->data();
    QCOMPARE(d.rows, 8);  // [CLS] + 6 words + [SEP]
    QCOMPARE(d.cols, 8);
    QCOMPARE(d.rowLabels.front(), QStringLiteral("[CLS]"));
    QCOMPARE(d.colLabels.at(2), QStringLiteral("cat"));
    QVERIFY(d.title.contains(QStringLiteral("layer 1/2")));
    QVERIFY(d.title.contains(QStringLiteral("head 1/2")));
    float rowSum = 0;
    for (int c = 0; c < d.cols; ++c) rowSum += d.at(3, c);
    QVERIFY(std::abs(rowSum - 1.0f) < 1e-4f);
  }

  void hoverMovesSelection() {
    QSignalSpy spy(&ws_->selection(), &Selection::cellChanged);
    HeatmapView* view = panel_->view();
    QTest::mouseMove(view, view->cellCenter(3, 5).toPoint());
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(ws_->selection().row(), 3);
    QCOMPARE(ws_->selection().column(), 5);
    QCOMPARE(view->highlightRow(), 3);
    QCOMPARE(view->highlightCol(), 5);
    QVERIFY(view->toolTipAt(view->cellCenter(3, 5)).contains(QStringLiteral("sat → the")));
    QTest::mouseMove(view, view->cellCenter(4, 5).toPoint());
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(ws_->selection().row(), 4);
  }

  void selectionFromElsewhereHighlightsWithoutBounce() {
    QSignalSpy cell(&ws_->selection(), &Selection::cellChanged);
    QSignalSpy lh(&ws_->selection(), &Selection::layerHeadChanged);
    ws_->selection().setCell(2, 6);
    QCOMPARE(cell.count(), 1);
    QCOMPARE(panel_->view()->highlightRow(), 2);
    QCOMPARE(panel_->view()->highlightCol(), 6);
    ws_->selection().setCell(2, 6);
    QCOMPARE(cell.count(), 1);

    ws_->selection().setLayerHead(1, 1);
    QCoreApplication::processEvents();
    QCOMPARE(lh.count(), 1);  // the panel's spin boxes followed without writing back
    const auto spins = panel_->findChildren<QSpinBox*>();
    QCOMPARE(spins.size(), 2);
    QCOMPARE(spins[0]->value(), 2);
    QCOMPARE(spins[1]->value(), 2);
    QVERIFY(panel_->view()->data().title.contains(QStringLiteral("layer 2/2 · head 2/2")));
  }

  void headSpinWritesSelection() {
    QSignalSpy lh(&ws_->selection(), &Selection::layerHeadChanged);
    const auto spins = panel_->findChildren<QSpinBox*>();
    spins[1]->setValue(2);
    QCOMPARE(lh.count(), 1);
    QCOMPARE(ws_->selection().head(), 1);
    QCOMPARE(ws_->selection().layer(), 0);
  }

  void rolloutAppearsWhenRequested() {
    ws_->setRolloutFusion(attnviz::RolloutFusion::Mean);
    QTRY_COMPARE(panel_->mapName(), QStringLiteral("rollout"));
    QCOMPARE(ws_->trace()->attention.count("rollout"), std::size_t{0});  // derived from attention.self, not run
    QVERIFY(panel_->view()->data().title.contains(QStringLiteral("rollout")));
    auto* mapBox = panel_->findChild<QComboBox*>();
    // self, rollout, the contribution methods, value zeroing's two maps
    QCOMPARE(mapBox->count(), 2 + static_cast<int>(std::size(kContributionMapNames) + std::size(kValueZeroingMapNames)));
    QVERIFY(panel_->view()->data().title.contains(QStringLiteral("heads mean")));
  }

  void rolloutFusionChoiceDerivesWithoutARun() {
    // The real tiny encoder: its heads differ, so mean, max and min rollouts differ too.
    ws_->addModel(attnviz::loadModel(attnviz::test::testDataDir().toStdString() + "/tiny-encoder"),
                  QStringLiteral("tiny-encoder"));
    ws_->setRolloutFusion(attnviz::RolloutFusion::Mean);
    QTRY_VERIFY(ws_->trace() && !ws_->isRunning());
    const TracePtr trace = ws_->trace();
    QCOMPARE(trace->attention.count("rollout"), std::size_t{0});  // the model is never asked for rollout
    const attnviz::Tensor& self = trace->attention.at("self");     // [layers, heads, N, N]
    auto rollout = [&self](attnviz::RolloutFusion f) { return attnviz::attentionRollout(self, f).toVector(); };
    QTRY_COMPARE(panel_->mapName(), QStringLiteral("rollout"));
    QCOMPARE(panel_->view()->data().values, rollout(attnviz::RolloutFusion::Mean));
    QVERIFY(panel_->view()->data().title.contains(QStringLiteral("heads mean")));

    // Switching the fusion shows the other rollout of the same trace at once, titled as what it is: no run.
    const quint64 generation = ws_->generation();
    QSignalSpy running(ws_.get(), &Workspace::runningChanged);
    ws_->setRolloutFusion(attnviz::RolloutFusion::Max);
    QCOMPARE(ws_->generation(), generation);
    QCOMPARE(ws_->trace(), trace);
    QVERIFY(rollout(attnviz::RolloutFusion::Max) != rollout(attnviz::RolloutFusion::Mean));
    QCOMPARE(panel_->view()->data().values, rollout(attnviz::RolloutFusion::Max));
    const QString title = panel_->view()->data().title;
    QVERIFY2(title.contains(QStringLiteral("heads max")) && !title.contains(QStringLiteral("mean")), qPrintable(title));
    ws_->setRolloutFusion(attnviz::RolloutFusion::None);
    QCOMPARE(panel_->mapName(), QStringLiteral("self"));
    QTest::qWait(50);  // a run would have started by now
    QCOMPARE(ws_->generation(), generation);
    QCOMPARE(running.count(), 0);
  }

  void crossMapUsesTargetRowsSourceColumns() {
    attnviz::Trace t;
    t.sourceTokens = {"the", "cat"};
    t.targetTokens = {"<s>", "le", "chat"};
    t.attention["cross"] = attnviz::Tensor({3, 2}, {0.5f, 0.5f, 0.9f, 0.1f, 0.2f, 0.8f});
    const HeatmapData d = extractMap(t, {QStringLiteral("cross"), 0, 0});
    QCOMPARE(d.rows, 3);
    QCOMPARE(d.cols, 2);
    QCOMPARE(d.rowLabels.at(1), QStringLiteral("le"));
    QCOMPARE(d.colLabels.at(1), QStringLiteral("cat"));
    QCOMPARE(d.at(2, 1), 0.8f);
  }
};

QTEST_MAIN(TestHeatmap)
#include "test_heatmap.moc"

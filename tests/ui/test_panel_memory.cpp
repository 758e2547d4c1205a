// What the panels of one trace cost, on the real random-weight tests/data/tiny-encoder: the encoder panels read the
// trace's own attention.self (EncoderAttention views it, no copy); a tab that is not shown computes nothing until it
// is brought to the front (the arcs' merged maps, the grid's thumbnails, the maps of one trace in Compare), several traces while hidden cost one
// build, and a panel never shown (a figure export, `attnviz export`) still computes when asked; WhenShown on its
// own; and the vit image under the patches is decoded once however many panels ask for it.
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/compare/compare_panel.h"
#include "ui/document/workspace.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/maps/encoder_attention.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/kinds/vit/trace_image.h"
#include "ui/panels/panel_area.h"
#include "ui/panels/when_shown.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

constexpr int kWaitMs = 20000;  // a model load or a run of the tiny real model, with room for ASan

}  // namespace

class TestPanelMemory : public QObject {
  Q_OBJECT

  std::unique_ptr<MainWindow> w_;
  Workspace* ws_ = nullptr;

  template <typename P>
  P* panel(const char* id) {
    return qobject_cast<P*>(w_->panelArea()->panel(QString::fromLatin1(id)));
  }
  bool typeAndWait(const QString& text) {
    w_->editor()->setPlainText(text);
    return QTest::qWaitFor([&] { return ws_->trace() && QString::fromStdString(ws_->trace()->input) == text; }, kWaitMs);
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    w_ = std::make_unique<MainWindow>();
    ws_ = w_->workspace();
    ws_->setDebounceMs(0);
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder"));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws_->models().size()), 1, kWaitMs);
    w_->resize(1280, 820);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));  // the Attention tab: arcs and all heads hidden
    QVERIFY(typeAndWait(QStringLiteral("the cat sat on the mat")));
  }

  void cleanup() {
    w_.reset();
    ws_ = nullptr;
  }

  void attentionIsAViewOfTheTrace() {
    const attnviz::Tensor& self = ws_->trace()->attention.at("self");  // [2, 2, N, N]
    const EncoderAttention a = EncoderAttention::fromTrace(*ws_->trace());
    QCOMPARE(a.layers, 2);
    QCOMPARE(a.heads, 2);
    const std::size_t n = static_cast<std::size_t>(a.n);
    // The same floats, not equal copies of them.
    QCOMPARE(a.map(0, 0), self.data());
    QCOMPARE(a.map(1, 1), self.data() + 3 * n * n);
  }

  void hiddenTabsComputeNothingUntilShown() {
    auto* arcs = panel<ArcsPanel>("arcs");
    auto* grid = panel<HeadsGridPanel>("headsGrid");
    QVERIFY(!arcs->isVisible() && !grid->isVisible());
    QCOMPARE(arcs->mapBuilds(), 0);
    QCOMPARE(grid->thumbnailBuilds(), 0);
    // Two more traces while hidden: still nothing.
    QVERIFY(typeAndWait(QStringLiteral("a dog ran")));
    QVERIFY(typeAndWait(QStringLiteral("a dog ran home")));
    QCOMPARE(arcs->mapBuilds(), 0);
    QCOMPARE(grid->thumbnailBuilds(), 0);

    // Shown: one build, of the last trace.
    w_->panelArea()->showPanel(QStringLiteral("headsGrid"));
    QTRY_VERIFY(grid->isVisible());
    QCOMPARE(grid->thumbnailBuilds(), 1);
    QCOMPARE(arcs->mapBuilds(), 0);
    const std::size_t n = ws_->trace()->sourceTokens.size();
    QCOMPARE(grid->data().thumbnails.front().width(), static_cast<int>(n));
    // Visible: a new trace is drawn at once.
    QVERIFY(typeAndWait(QStringLiteral("the dog")));
    QCOMPARE(grid->thumbnailBuilds(), 2);

    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_VERIFY(arcs->isVisible());
    QCOMPARE(arcs->mapBuilds(), 1);
    QCOMPARE(arcs->view()->data().groups.size(), ws_->trace()->sourceTokens.size());
    // A layer picked elsewhere while the arcs are hidden: merged when shown, not before.
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QTRY_VERIFY(!arcs->isVisible());
    ws_->selection().setLayerHead(1, 1);
    QCOMPARE(arcs->mapBuilds(), 1);
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_COMPARE(arcs->mapBuilds(), 2);
    QCOMPARE(arcs->view()->data().layer, 1);
  }

  void hiddenCompareBuildsNothing() {
    auto* compare = panel<ComparePanel>("compare");
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    QTRY_VERIFY(compare->isVisible());
    compare->setTraceMaps(true);  // last layer, rollout, shown head: [N, N] each, rebuilt per trace and head
    QVERIFY(!compare->comparison().rows.empty());
    const int built = compare->comparisonBuilds();
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QTRY_VERIFY(!compare->isVisible());
    ws_->selection().setLayerHead(1, 1);
    QVERIFY(typeAndWait(QStringLiteral("a dog ran")));
    QCOMPARE(compare->comparisonBuilds(), built);
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    QTRY_COMPARE(compare->comparisonBuilds(), built + 1);
    QCOMPARE(compare->comparison().key.layer, 1);
    QCOMPARE(compare->comparison().rows.front().trace, ws_->shownTrace());
  }

  void aPanelNeverShownComputesWhenAsked() {
    // As `attnviz export` and File > Export figure use a panel: not on screen, asked for its figure.
    HeadsGridPanel grid;
    grid.setWorkspace(ws_);
    QCOMPARE(grid.thumbnailBuilds(), 0);
    QVERIFY(grid.figureSize().width() > 0);  // asks for the data: built now
    QCOMPARE(grid.thumbnailBuilds(), 1);
    QCOMPARE(grid.data().layers, 2);
    ArcsPanel arcs;
    arcs.setWorkspace(ws_);
    QCOMPARE(arcs.mapBuilds(), 0);
    QVERIFY(arcs.shownMatrix().has_value());
    QCOMPARE(arcs.mapBuilds(), 1);
    grid.setWorkspace(nullptr);
    arcs.setWorkspace(nullptr);
  }

  void whenShownRunsOnShowOrFlush() {
    QTabWidget tabs;
    auto* front = new QWidget;
    auto* back = new QWidget;
    tabs.addTab(front, QStringLiteral("front"));
    tabs.addTab(back, QStringLiteral("back"));
    int frontRuns = 0, backRuns = 0;
    WhenShown frontWork(front, [&] { ++frontRuns; });
    WhenShown backWork(back, [&] { ++backRuns; });
    tabs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tabs));
    frontWork.request();
    backWork.request();
    backWork.request();
    QCOMPARE(frontRuns, 1);  // on screen: at once
    QCOMPARE(backRuns, 0);   // hidden tab: held back
    QVERIFY(backWork.pending());
    tabs.setCurrentIndex(1);
    QCOMPARE(backRuns, 1);   // shown: once for both requests
    QVERIFY(!backWork.pending());
    tabs.setCurrentIndex(0);
    backWork.request();
    backWork.flush();        // read off screen
    QCOMPARE(backRuns, 2);
    backWork.flush();        // nothing pending: nothing to do
    QCOMPARE(backRuns, 2);
    QCOMPARE(backWork.runs(), 2);
  }

  void traceImageIsDecodedOnce() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("cat.png"));
    QImage red(32, 24, QImage::Format_RGB32);
    red.fill(Qt::red);
    QVERIFY(red.save(path));
    const int before = traceImageDecodes();
    const QImage a = traceImage(path.toStdString());  // the Patches tab
    const QImage b = traceImage(path.toStdString());  // its all-heads side panel
    const QImage c = traceImage(path.toStdString());  // Compare
    QCOMPARE(traceImageDecodes(), before + 1);
    QCOMPARE(a.size(), QSize(32, 24));
    QCOMPARE(a.pixel(0, 0), qRgb(255, 0, 0));
    QCOMPARE(b.constBits(), a.constBits());  // one copy of the pixels
    QCOMPARE(c.constBits(), a.constBits());
    // The file rewritten under the same name (another size): read again.
    QImage blue(16, 16, QImage::Format_RGB32);
    blue.fill(Qt::blue);
    QVERIFY(blue.save(path));
    QFile rewritten(path);  // a later time too, in case both files have the same size within one clock tick
    QVERIFY(rewritten.open(QIODevice::ReadWrite));
    QVERIFY(rewritten.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
    rewritten.close();
    const QImage d = traceImage(path.toStdString());
    QCOMPARE(traceImageDecodes(), before + 2);
    QCOMPARE(d.size(), QSize(16, 16));
    QCOMPARE(d.pixel(0, 0), qRgb(0, 0, 255));
    // A missing file: a null image, as before.
    QVERIFY(traceImage(dir.filePath(QStringLiteral("none.png")).toStdString()).isNull());
  }
};

QTEST_MAIN(TestPanelMemory)
#include "test_panel_memory.moc"

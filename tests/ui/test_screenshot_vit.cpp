// Screenshots of the vit tabs on the shipped models/vit-fashion-mnist and
// resources/samples/fashion-mnist/0000-ankle-boot.png, grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for
// people to look at: vit-patches.png (Patches tab, the centre patch clicked in the last layer: its own attention over
// the image, head thumbnails, class chart), vit-patches-heads.png (each head's top patches of [CLS] in its own
// colour) and vit-compare.png (Compare tab: maps of this trace over the image: last layer, rollout, attention flow,
// shown head, every earlier layer). Without that model: the random-weight tests/data/tiny-hf-vit on one of its
// golden images (a failure instead with ATTNVIZ_SHOT_REQUIRE_SHIPPED=1). resources/screenshots/make_screenshots.sh
// copies the three into resources/screenshots/. Checks the grabs are not blank.
#include <QFile>
#include <QImage>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/test_screenshot_support.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::distinctColours;
using attnviz::test::grabSteady;
using attnviz::test::shotPath;

namespace {

const QString kSample = QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/fashion-mnist/0000-ankle-boot.png");
const QString kTinyImage = QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");

QRect areaOf(const QWidget* widget, const QWidget* window) { return {widget->mapTo(window, QPoint(0, 0)), widget->size()}; }

}  // namespace

class TestScreenshotVit : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabVitTabs() {
    const QString tiny = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit");
    const QString model = attnviz::test::shotModel("models/vit-fashion-mnist", "model.safetensors", tiny);
    if (QTest::currentTestFailed()) return;
    const QString image = model == tiny ? attnviz::test::testDataDir() + kTinyImage : kSample;
    QVERIFY2(QFile::exists(image), qPrintable(image));
    qInfo("model: %s, image: %s", qPrintable(model), qPrintable(image));

    MainWindow w;
    Workspace* ws = w.workspace();
    connect(ws, &Workspace::loadFailed, this, [](const QString& path, const Problem& problem) {
      qWarning("%s: %s", qPrintable(path), qPrintable(problem.text()));  // says why the next check fails
    });
    ws->openModel(model);
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 60000);
    w.resize(1440, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws->shownTrace() && QString::fromStdString(ws->shownTrace()->input) == image, 60000);
    w.panelArea()->showPanel(QStringLiteral("patches"));
    auto* patches = qobject_cast<PatchPanel*>(w.panelArea()->panel(QStringLiteral("patches")));
    QVERIFY(patches);
    QTRY_VERIFY(patches->view()->isVisible() && !patches->overlay().empty());

    // One patch clicked (pinned) in the last layer: its own attention over the image.
    const PatchGrid g = patches->overlay().grid;
    const int patch = (g.rows / 2) * g.cols + g.cols / 2;
    const int lastLayer = static_cast<int>(ws->shownTrace()->attention.at("self").dim(0)) - 1;
    ws->selection().setLayer(lastLayer);
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());
    QTRY_COMPARE(ws->selection().row(), g.tokenOf(patch));
    QTest::qWait(150);
    const QImage shot = grabSteady(w);
    QVERIFY(shot.save(shotPath("vit-patches.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-patches.png")));
    QVERIFY(distinctColours(shot, areaOf(patches->view(), &w)) > 10);

    // The DINO figure: each head's top patches of [CLS]'s row in its own colour.
    QTest::mouseClick(patches->view(), Qt::LeftButton, Qt::NoModifier, patches->view()->patchCentre(patch).toPoint());  // release
    QTRY_COMPARE(ws->selection().row(), Selection::kNone);
    QTest::mouseMove(w.panelArea(), QPoint(1, 1));
    ws->selection().clearCell();
    ws->selection().setLayer(lastLayer);
    patches->setMapKind(PatchPanel::MapKind::TopPerHead);
    QTest::qWait(150);
    const QImage heads = grabSteady(w);
    QVERIFY(heads.save(shotPath("vit-patches-heads.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-patches-heads.png")));
    QVERIFY(distinctColours(heads, areaOf(patches->view(), &w)) > 10);

    // The Compare tab: layers, rollout, flow and a head over the image.
    patches->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY_WITH_TIMEOUT(ws->flowFor(ws->shownTrace()), 60000);
    w.panelArea()->showPanel(QStringLiteral("compare"));
    auto* compare = qobject_cast<ComparePanel*>(w.panelArea()->panel(QStringLiteral("compare")));
    QVERIFY(compare);
    compare->setTraceMaps(true);
    QTRY_VERIFY(compare->view()->isVisible() && compare->comparison().rows.size() >= 4);
    QTest::qWait(150);
    const QImage maps = grabSteady(w);
    QVERIFY(maps.save(shotPath("vit-compare.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("vit-compare.png")));
    QVERIFY(distinctColours(maps, areaOf(compare->view(), &w)) > 20);
  }
};

QTEST_MAIN(TestScreenshotVit)
#include "test_screenshot_vit.moc"

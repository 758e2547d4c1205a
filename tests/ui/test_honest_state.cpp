// Issue 18 items 6 and 11: what the window shows says what it is. A failed run leaves the previous result on
// screen only under a banner (and a header mark) naming it as the previous input's; the heatmap shows only the
// controls that apply to the current model's maps; the input actions follow what the current model reads.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/maps/heatmap_panel.h"

using attnviz::test::FakeHan;
using attnviz::test::FakeModel;
using attnviz::ui::HeatmapPanel;

namespace {

// Whether the heatmap panel shows a control of type W (all of them: Layer and Head are both spin boxes).
template <typename W>
bool showsAny(const QWidget* panel) {
  const auto widgets = panel->findChildren<W*>();
  return std::any_of(widgets.begin(), widgets.end(), [panel](const W* w) { return w->isVisibleTo(panel); });
}

bool showsRollout(const HeatmapPanel* panel) {
  for (const QComboBox* box : panel->findChildren<QComboBox*>()) {
    if (box->findData(static_cast<int>(attnviz::RolloutFusion::Mean)) >= 0) return box->isVisibleTo(panel);
  }
  return false;
}

}  // namespace

class TestHonestState : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void failedRunMarksThePreviousResult() {
    createWindow();
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the cat sat")));
    auto* banner = w_->panelArea()->findChild<QLabel*>(QStringLiteral("previousResultBanner"));
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());

    QSignalSpy failed(ws_, &attnviz::ui::Workspace::runErrorChanged);
    w_->editor()->setPlainText(QStringLiteral("the boom sat"));  // FakeModel refuses "boom"
    QTRY_VERIFY_WITH_TIMEOUT(!ws_->runError().isEmpty(), kWaitMs);
    QVERIFY(ws_->showsPreviousResult());
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("the cat sat")), qPrintable(banner->text()));
    QVERIFY(banner->text().contains(QStringLiteral("Previous result")));

    QVERIFY(typeAndWait(QStringLiteral("the dog sat")));  // a good run: the banner goes
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(!ws_->showsPreviousResult());
  }

  void failureWithNothingShownHasNoBanner() {
    createWindow();
    ws_->addModel(std::make_shared<FakeModel>(FakeModel::Options{.failAlways = true}), QStringLiteral("fake:encoder"));
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws_->runError().isEmpty(), kWaitMs);
    QVERIFY(!ws_->showsPreviousResult());
    QVERIFY(!w_->panelArea()->findChild<QLabel*>(QStringLiteral("previousResultBanner"))->isVisible());
  }

  void heatmapControlsFollowTheModel() {
    createWindow();
    QVERIFY(showWindow());
    auto* empty = panel<HeatmapPanel>("heatmap");
    QVERIFY(empty);
    QVERIFY2(!showsAny<QSpinBox>(empty), "no model: no Layer/Head");
    QVERIFY2(!showsRollout(empty), "no model: no Rollout");

    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(typeAndWait(QStringLiteral("the cat sat")));
    auto* encoder = panel<HeatmapPanel>("heatmap");
    QTRY_VERIFY(showsAny<QSpinBox>(encoder));
    QVERIFY(showsRollout(encoder));
  }

  void hanHeatmapHasNoLayerHeadOrRollout() {
    createWindow();
    ws_->addModel(std::make_shared<FakeHan>(), QStringLiteral("fake:han"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the film was great .")));
    auto* han = panel<HeatmapPanel>("heatmap");
    QVERIFY(han);
    QVERIFY2(!showsAny<QSpinBox>(han), "han maps have no layers or heads");
    QVERIFY(!showsRollout(han));
  }

  void inputActionsFollowWhatTheModelReads() {
    createWindow();
    QVERIFY(showWindow());
    auto* paste = w_->findChild<QAction*>(QStringLiteral("pasteImageAction"));
    QVERIFY(paste);
    QVERIFY2(paste->isEnabled(), "no model open: any input may be prepared");

    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QTRY_VERIFY(!paste->isEnabled());
    QVERIFY(w_->editor()->isVisible());

    QVERIFY(openModelAndWait(QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/vit-fashion-mnist"), 2));
    ws_->setCurrentIndex(1);
    QTRY_VERIFY(paste->isEnabled());
    QVERIFY2(!w_->editor()->isVisible(), "an image model reads no text: no text box");
  }
};

QTEST_MAIN(TestHonestState)
#include "test_honest_state.moc"

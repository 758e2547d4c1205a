// The Knockout tab (knockout_panel.h) against the engine's own headKnockout (engine/analysis/head_knockout.h, itself
// checked against the numpy reference in tests/golden/test_head_knockout_golden.cpp): on the shipped coreference
// model (models/coref-bert) the grid shown is the engine's for the same sentence, in both modes; nothing is computed
// while the tab is hidden; a click shows the head everywhere; a new sentence replaces the grid (never the old one
// shown for it); with "For every input" off, Compute starts it. The tiny ViT's grid from an image; a model without a
// prediction says why; the grid exports as CSV.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QtTest>
#include <cmath>

#include "engine/analysis/head_knockout.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/maps/knockout_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");
const QString kOther = QStringLiteral("Sarah called her mother because she missed her.");

// max |a - b| over two [layers, heads] grids; infinity when their shapes differ.
double maxDiff(const attnviz::Tensor& a, const attnviz::Tensor& b) {
  if (a.shape() != b.shape()) return INFINITY;
  double worst = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) worst = std::max(worst, std::fabs(double(a.data()[i]) - b.data()[i]));
  return worst;
}

}  // namespace

class TestKnockoutPanel : public attnviz::test::WindowTest {
  Q_OBJECT

  // The engine's grid for the shown trace, on the same input.
  attnviz::HeadKnockout engineGrid(const attnviz::Input& input, attnviz::KnockoutMode mode) {
    const auto grid = attnviz::headKnockout(*ws_->currentModel(), input, {}, *ws_->shownTrace(), mode, {});
    return grid ? *grid : attnviz::HeadKnockout{};
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void coreferenceGridIsTheEnginesInBothModes() {
    createWindow();
    QVERIFY(openModelAndWait(QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/coref-bert")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
    auto* panel = this->panel<KnockoutPanel>("knockout");
    QVERIFY(panel);
    QTest::qWait(200);
    QCOMPARE(ws_->derived().knockoutJob().finishedCount(), 0);  // hidden tab: nothing computed
    QVERIFY(!ws_->derived().knockout(attnviz::KnockoutMode::OneHead));

    w_->panelArea()->showPanel(QStringLiteral("knockout"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->shown(), kWaitMs);
    const attnviz::Input input = attnviz::Input::fromText(kSentence.toStdString());
    const attnviz::HeadKnockout want = engineGrid(input, attnviz::KnockoutMode::OneHead);
    QCOMPARE(panel->shown()->scored, want.scored);
    QCOMPARE(panel->shown()->scored, std::string("p(animal | it)"));
    QVERIFY(std::fabs(panel->shown()->reference - want.reference) < 1e-6);
    QVERIFY2(maxDiff(panel->shown()->drop, want.drop) < 1e-6, "the grid is not the engine's");
    QCOMPARE(panel->gridData().layers, 4);
    QCOMPARE(panel->gridData().heads, 4);
    QCOMPARE(static_cast<int>(panel->gridData().cellTexts.size()), 16);
    QVERIFY(panel->gridData().note.contains(QStringLiteral("with every head")));
    QVERIFY(panel->canvas()->isVisible());

    // A click shows the head everywhere; the tooltip names its numbers.
    QTRY_VERIFY(panel->canvas()->width() > 100);
    QTest::mouseClick(panel->canvas(), Qt::LeftButton, {}, panel->cellCenter(1, 2).toPoint());
    QTRY_COMPARE(ws_->selection().layer(), 1);
    QCOMPARE(ws_->selection().head(), 2);
    QVERIFY(panel->toolTipAt(panel->cellCenter(1, 2)).contains(QStringLiteral("layer 2, head 3")));
    QVERIFY(panel->toolTipAt(panel->cellCenter(1, 2)).contains(QStringLiteral("p(animal | it)")));

    // The other mode: computed on choosing it, the engine's too.
    panel->setMode(attnviz::KnockoutMode::AllButOneHead);
    QTRY_VERIFY_WITH_TIMEOUT(panel->shown() && panel->shown()->mode == "all-but-one", kWaitMs);
    QVERIFY(maxDiff(panel->shown()->drop, engineGrid(input, attnviz::KnockoutMode::AllButOneHead).drop) < 1e-6);
    QVERIFY(panel->gridData().title.contains(QStringLiteral("only this head")));

    // CSV: a header and one row per head.
    const QList<QByteArray> lines = panel->exportData(QStringLiteral("csv")).trimmed().split('\n');
    QCOMPARE(lines.size(), 17);
    QCOMPARE(lines.front(), QByteArray("layer,head,mode,scored,reference,drop"));

    // A new sentence: the old grid is never shown for it; the new one arrives.
    panel->setMode(attnviz::KnockoutMode::OneHead);
    QVERIFY(typeAndWait(kOther));
    QTRY_VERIFY_WITH_TIMEOUT(panel->shown(), kWaitMs);
    QVERIFY(maxDiff(panel->shown()->drop, engineGrid(attnviz::Input::fromText(kOther.toStdString()),
                                                     attnviz::KnockoutMode::OneHead).drop) < 1e-6);
    QVERIFY(panel->shown()->scored != want.scored || maxDiff(panel->shown()->drop, want.drop) > 1e-6);

    // "For every input" off: a new sentence waits for Compute.
    auto* automatic = panel->findChild<QCheckBox*>();
    QVERIFY(automatic);
    automatic->setChecked(false);
    QVERIFY(typeAndWait(kSentence + QStringLiteral(" Then it slept.")));
    QTest::qWait(200);
    QVERIFY(!panel->shown());
    QVERIFY(!panel->canvas()->isVisible());
    QVERIFY(panel->computeButton()->isEnabled());
    QTest::mouseClick(panel->computeButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->shown(), kWaitMs);
  }

  void vitGridFromAnImage() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit")));
    QVERIFY(showWindow());
    const QString image = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");
    w_->openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == image, kWaitMs);
    auto* panel = this->panel<KnockoutPanel>("knockout");
    QVERIFY(panel);
    w_->panelArea()->showPanel(QStringLiteral("knockout"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->shown(), kWaitMs);
    const attnviz::HeadKnockout want = engineGrid(attnviz::Input::fromImage(image.toStdString()), attnviz::KnockoutMode::OneHead);
    QCOMPARE(panel->shown()->scored, want.scored);
    QVERIFY(maxDiff(panel->shown()->drop, want.drop) < 1e-6);
    QCOMPARE(panel->gridData().layers, 2);
    QCOMPARE(panel->gridData().heads, 2);
  }

  void aModelWithoutAPredictionSaysWhy() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("The animal was tired.")));  // no pronoun: the pointer has nothing to score
    auto* panel = this->panel<KnockoutPanel>("knockout");
    QVERIFY(panel);
    w_->panelArea()->showPanel(QStringLiteral("knockout"));
    QTest::qWait(100);
    QVERIFY(!panel->shown());
    QVERIFY(!panel->canvas()->isVisible());
    QVERIFY(!panel->computeButton()->isEnabled());
    const QString why = ws_->derived().whyNoKnockout();
    QVERIFY2(why.contains(QStringLiteral("no prediction")), qPrintable(why));
  }
};

QTEST_MAIN(TestKnockoutPanel)
#include "test_knockout_panel.moc"

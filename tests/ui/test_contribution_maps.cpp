// Token contribution maps (engine/analysis/contributions.h) in the views, on random-weight test models. Heatmap
// (tests/data/tiny-hf-coref): the Map list offers value norm and ALTI before any run computed them; choosing one
// turns the method on in the Workspace, the model runs again, and the map shown is the trace's own (ALTI rows sum to
// 1, no head for the per-layer maps, the value norm per head). Patches (tests/data/tiny-hf-vit): "ALTI rollout" draws
// the query's row of attention.alti_rollout over the image.
#include <QComboBox>
#include <QLabel>
#include <QtTest>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/document/workspace.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

QStringList mapChoices(HeatmapPanel* heatmap) {
  QStringList names;
  auto* box = heatmap->findChild<QComboBox*>();  // the Map list is the panel's first combo box
  for (int i = 0; box && i < box->count(); ++i) names << box->itemData(i).toString();
  return names;
}

}  // namespace

class TestContributionMaps : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() { createWindow(); }
  void cleanup() { closeWindow(); }

  void choosingGlobEncShowsTheTracesRawNorms() {
    HeatmapPanel* heatmap = openEncoder();
    heatmap->setMapName(QStringLiteral("globenc_rollout"));
    QVERIFY(ws_->contributions().globenc);
    QTRY_VERIFY(ws_->trace()->attention.contains("globenc_rollout"));
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("GlobEnc rollout")));
    const HeatmapData& d = heatmap->view()->data();
    const attnviz::Tensor& g = ws_->trace()->attention.at("globenc_rollout");
    QCOMPARE(d.rows, static_cast<int>(g.dim(0)));
    for (int r = 0; r < d.rows; ++r)
      for (int c = 0; c < d.cols; ++c) QCOMPARE(d.at(r, c), g.at({r, c}));
  }

  void choosingAltiRunsItAndShowsTheTracesMap() {
    HeatmapPanel* heatmap = openEncoder();
    QVERIFY(!ws_->contributions().alti && !ws_->trace()->attention.contains("alti"));  // off until asked
    const QStringList choices = mapChoices(heatmap);
    for (const char* name : {"value_norm", "value_norm_sum", "alti", "alti_rollout", "globenc", "globenc_rollout"})
      QVERIFY2(choices.contains(QLatin1String(name)), name);
    QVERIFY(!choices.contains(QStringLiteral("value_zeroing")));  // no Map choice runs it without progress
    heatmap->setMapName(QStringLiteral("alti"));
    QVERIFY(ws_->contributions().alti);
    QTRY_VERIFY(ws_->trace()->attention.contains("alti"));
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("ALTI · layer")));
    const HeatmapData& d = heatmap->view()->data();
    QVERIFY(!d.title.contains(QStringLiteral("head")));  // one map per layer
    QCOMPARE(d.rowAxis, QStringLiteral("output token"));
    QCOMPARE(d.colAxis, QStringLiteral("input token"));
    const attnviz::Tensor& alti = ws_->trace()->attention.at("alti");
    const int layer = std::min<int>(ws_->selection().layer(), static_cast<int>(alti.dim(0)) - 1);
    for (int r = 0; r < d.rows; ++r) {
      double sum = 0;
      for (int c = 0; c < d.cols; ++c) {
        sum += d.at(r, c);
        QCOMPARE(d.at(r, c), alti.at({layer, r, c}));
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }
    QVERIFY(!ws_->trace()->attention.contains("value_norm"));  // only what was asked for
  }

  void valueNormIsShownPerHead() {
    HeatmapPanel* heatmap = openEncoder();
    heatmap->setMapName(QStringLiteral("value_norm"));
    QTRY_VERIFY(ws_->trace()->attention.contains("value_norm"));
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("value norm")));
    QVERIFY(heatmap->view()->data().title.contains(QStringLiteral("head")));
    QVERIFY(ws_->contributions().valueNorm && !ws_->contributions().alti);
  }

  void arcsDrawTheLayersAltiMap() {
    QVERIFY(openEncoder());
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    auto* arcs = panel<ArcsPanel>("arcs");
    arcs->setMergeWordpieces(false);
    arcs->setHideSpecial(false);
    arcs->setAltiShown(true);
    QVERIFY(arcs->altiShown());
    QTRY_VERIFY(ws_->trace()->attention.contains("alti"));
    QTRY_VERIFY(arcs->view()->data().title.startsWith(QStringLiteral("ALTI contributions · layer")));
    const ArcsData& d = arcs->view()->data();
    QCOMPARE(d.heads, std::vector<int>{kAltiContributions});
    const attnviz::Tensor& alti = ws_->trace()->attention.at("alti");
    QCOMPARE(static_cast<int>(d.maps.front().size()), static_cast<int>(alti.dim(1) * alti.dim(2)));
    for (std::size_t k = 0; k < d.maps.front().size(); ++k) QCOMPARE(d.maps.front()[k], alti.slice(d.layer).data()[k]);
    // tiny-hf-coref names a coreference head: with ALTI shown, no line may call the arcs that head's.
    for (QLabel* label : arcs->findChildren<QLabel*>())
      QVERIFY2(!label->isVisible() || !label->text().contains(QStringLiteral("Shown: the")), qPrintable(label->text()));
  }

  void patchesShowTheAltiRolloutRowOverTheImage() {
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit")));
    QVERIFY(showWindow({1100, 720}));
    const QString image = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");
    w_->openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == image, 20000);
    w_->panelArea()->showPanel(QStringLiteral("patches"));
    auto* patches = panel<PatchPanel>("patches");
    QTRY_VERIFY(!patches->overlay().empty());
    patches->setMapKind(PatchPanel::MapKind::AltiRollout);
    QVERIFY(ws_->contributions().alti);
    QTRY_VERIFY(ws_->shownTrace()->attention.contains("alti_rollout"));
    QTRY_VERIFY(patches->overlay().title.contains(QStringLiteral("ALTI rollout")));
    // The overlay is the [CLS] row of the trace's rollout, cut to the patches (tokens 1..16 of tiny-hf-vit).
    const attnviz::Tensor& rollout = ws_->shownTrace()->attention.at("alti_rollout");
    const PatchOverlay& o = patches->overlay();
    QCOMPARE(static_cast<int>(o.values.size()), static_cast<int>(rollout.dim(1)) - 1);
    for (std::size_t p = 0; p < o.values.size(); ++p)
      QCOMPARE(o.values[p], rollout.at({0, static_cast<std::int64_t>(p) + 1}));
    QVERIFY(patches->scaledFromMin());  // auto scale: min..max, as for rollout
  }

 private:
  HeatmapPanel* openEncoder() {
    if (!openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref")) || !showWindow() ||
        !typeAndWait(kSentence))
      return nullptr;
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    return panel<HeatmapPanel>("heatmap");
  }
};

QTEST_MAIN(TestContributionMaps)
#include "test_contribution_maps.moc"

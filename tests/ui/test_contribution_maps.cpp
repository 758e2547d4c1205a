// Token contribution maps (engine/analysis/contributions.h) in the views, on random-weight test models. Heatmap
// (tests/data/tiny-hf-coref): the Map list offers value norm and ALTI before any run computed them; choosing one
// turns the method on in the Workspace, the model runs again, and the map shown is the trace's own (ALTI rows sum to
// 1, no head for the per-layer maps, the value norm per head). Value zeroing is listed too and computed in the
// background by the derived results, without a rerun of the shown trace: its maps equal `attnviz run --method
// value-zeroing`'s, and the Methods view and the JSON trace gain them. Patches (tests/data/tiny-hf-vit): "ALTI
// rollout" and "GlobEnc rollout" draw the query's row of the trace's rollout over the image.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QtTest>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/compare/comparison.h"
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

  void valueZeroingIsComputedInTheBackground() {
    HeatmapPanel* heatmap = openEncoder();
    QVERIFY(heatmap);
    const TracePtr shown = ws_->trace();
    QVERIFY(mapChoices(heatmap).contains(QStringLiteral("value_zeroing")));
    heatmap->setMapName(QStringLiteral("value_zeroing"));
    QTRY_VERIFY(ws_->derived().valueZeroing());
    QCOMPARE(ws_->trace(), shown);                      // no rerun of the shown trace
    QVERIFY(!ws_->contributions().valueZeroing);        // and no method turned on for every later run
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("value zeroing · layer")));
    QCOMPARE(heatmap->view()->data().rowAxis, QStringLiteral("output token"));
    QCOMPARE(heatmap->view()->data().colAxis, QStringLiteral("input token"));
    // The same maps as a run asking for them (requested_analyses.cpp).
    attnviz::RunOptions options;
    options.contributions.valueZeroing = true;
    const attnviz::Trace reference = ws_->currentModel()->run(attnviz::Input::fromText(kSentence.toStdString()), options);
    const attnviz::Tensor& perLayer = reference.attention.at("value_zeroing");
    const int layer = std::min<int>(ws_->selection().layer(), static_cast<int>(perLayer.dim(0)) - 1);
    const HeatmapData& d = heatmap->view()->data();
    QCOMPARE(d.rows, static_cast<int>(perLayer.dim(1)));
    for (int r = 0; r < d.rows; ++r) {
      double sum = 0;
      for (int c = 0; c < d.cols; ++c) {
        QVERIFY(std::abs(d.at(r, c) - perLayer.at({layer, r, c})) < 1e-6f);
        sum += d.at(r, c);
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-5);
    }
    heatmap->setMapName(QStringLiteral("value_zeroing_rollout"));
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("value zeroing rollout")));
    const attnviz::Trace merged = ws_->derived().traceWithResults(attnviz::RolloutFusion::None, 0.0);
    const attnviz::Tensor& rollout = reference.attention.at("value_zeroing_rollout");
    QCOMPARE(merged.attention.at("value_zeroing_rollout").shape(), rollout.shape());
    for (std::int64_t k = 0; k < rollout.numel(); ++k)
      QVERIFY(std::abs(merged.attention.at("value_zeroing_rollout").data()[k] - rollout.data()[k]) < 1e-6f);
    // The Methods view shows it and ranks it for faithfulness.
    const Comparison methods = buildTraceMaps(*ws_);
    QVERIFY(std::any_of(methods.rows.begin(), methods.rows.end(), [](const VariantRow& row) {
      return row.label == QStringLiteral("value zeroing rollout") && row.faithfulnessMethod == QStringLiteral("value-zeroing");
    }));
  }

  void rnnCrossAttentionNormsInTheAlignmentView() {
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-seq2seq-bahdanau")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("Tom is tired.")));
    w_->panelArea()->showPanel(QStringLiteral("alignment"));
    auto* alignment = panel<AlignmentPanel>("alignment");
    QVERIFY(alignment->normsBox()->isVisible());
    QVERIFY(!ws_->trace()->attention.contains("cross_norm"));  // off until asked
    alignment->normsBox()->setChecked(true);
    QVERIFY(ws_->contributions().valueNorm);
    QTRY_VERIFY(ws_->trace()->attention.contains("cross_norm"));
    QTRY_VERIFY(alignment->view()->data().title.contains(QStringLiteral("a‖h‖, rows normalised")));
    // The map is cross_norm with its rows normalised: a_tj ‖h_j‖ / Σ_k a_tk ‖h_k‖.
    const attnviz::Tensor& norms = ws_->trace()->attention.at("cross_norm");
    const HeatmapData& d = alignment->view()->data();
    QCOMPARE(d.rows, static_cast<int>(norms.dim(0)));
    for (int r = 0; r < d.rows; ++r) {
      double total = 0;
      for (int c = 0; c < d.cols; ++c) total += norms.at({r, c});
      for (int c = 0; c < d.cols; ++c) QVERIFY(std::abs(d.at(r, c) - norms.at({r, c}) / total) < 1e-6);
    }
    alignment->normsBox()->setChecked(false);
    QVERIFY(!alignment->view()->data().title.contains(QStringLiteral("a‖h‖")));
  }

  void hanWordAndSentenceNormsInTheHeatmap() {
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-han")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the film was great . the plot was thin .")));
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    QVERIFY(heatmap);
    const QStringList choices = mapChoices(heatmap);
    QVERIFY2(choices.contains(QStringLiteral("word_norm")) && choices.contains(QStringLiteral("sentence_norm")),
             qPrintable(choices.join(QLatin1Char(','))));
    heatmap->setMapName(QStringLiteral("sentence_norm"));
    QVERIFY(ws_->contributions().valueNorm);
    QTRY_VERIFY(ws_->trace()->attention.contains("sentence_norm"));
    QTRY_VERIFY(heatmap->view()->data().title.startsWith(QStringLiteral("sentence attention · a‖h‖")));
    const attnviz::Tensor& norms = ws_->trace()->attention.at("sentence_norm");
    const HeatmapData& d = heatmap->view()->data();
    QCOMPARE(d.rows * d.cols, static_cast<int>(norms.numel()));
    for (int c = 0; c < d.cols; ++c) QCOMPARE(d.at(0, c), norms.data()[c]);
    QVERIFY(ws_->trace()->raggedAttention.contains("word_norm"));
  }

  void patchesShowTheContributionRolloutRowsOverTheImage() {
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit")));
    QVERIFY(showWindow({1100, 720}));
    const QString image = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");
    w_->openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == image, 20000);
    w_->panelArea()->showPanel(QStringLiteral("patches"));
    auto* patches = panel<PatchPanel>("patches");
    QTRY_VERIFY(!patches->overlay().empty());
    struct Case {
      PatchPanel::MapKind kind;
      const char* map;
      QString title;
    };
    for (const Case& c : {Case{PatchPanel::MapKind::AltiRollout, "alti_rollout", QStringLiteral("ALTI rollout")},
                          Case{PatchPanel::MapKind::GlobEncRollout, "globenc_rollout", QStringLiteral("GlobEnc rollout")}}) {
      patches->setMapKind(c.kind);
      QVERIFY(c.kind == PatchPanel::MapKind::AltiRollout ? ws_->contributions().alti : ws_->contributions().globenc);
      QTRY_VERIFY(ws_->shownTrace()->attention.contains(c.map));
      QTRY_VERIFY2(patches->overlay().title.contains(c.title), qPrintable(patches->overlay().title));
      // The overlay is the [CLS] row of the trace's rollout, cut to the patches (tokens 1..16 of tiny-hf-vit).
      const attnviz::Tensor& rollout = ws_->shownTrace()->attention.at(c.map);
      const PatchOverlay& o = patches->overlay();
      QCOMPARE(static_cast<int>(o.values.size()), static_cast<int>(rollout.dim(1)) - 1);
      for (std::size_t p = 0; p < o.values.size(); ++p)
        QCOMPARE(o.values[p], rollout.at({0, static_cast<std::int64_t>(p) + 1}));
      QVERIFY(patches->scaledFromMin());  // auto scale: min..max, as for rollout
    }
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

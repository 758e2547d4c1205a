// The vit views say what they show and scale so they show it (issue 18, item 8), on the random-weight
// tests/data/tiny-hf-vit (4x4 patches after [CLS], 2 layers x 2 heads): the per-head thumbnails follow the Patches
// view's query ([CLS] for flow, not the pointer's patch) and say when its method has no per-head form; flow and
// rollout are coloured over their own min..max (auto), said on the colour bar; rollout from a patch can leave out its
// own weight and [CLS] (renormalised, said in the title); the Compare grid offers one scale for all or one per map and
// its title says which.
#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QtTest>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/document/workspace.h"
#include "ui/kinds/vit/patch_heads_panel.h"
#include "ui/kinds/vit/patch_maps.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

const QString kImage = QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");

// self [layers, heads, T, T]: row `query` of (layer, head), patch columns only.
std::vector<float> selfRow(const attnviz::Trace& t, int layer, int head, int query, const PatchGrid& g) {
  std::vector<float> out;
  for (int p = 0; p < g.count(); ++p) out.push_back(t.attention.at("self").at({layer, head, query, g.tokenOf(p)}));
  return out;
}

bool same(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > 1e-6f) return false;
  return true;
}

}  // namespace

class TestVitViews : public attnviz::test::WindowTest {
  Q_OBJECT

  PatchPanel* patches_ = nullptr;
  PatchGrid grid_;

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit")));
    QVERIFY(showWindow({1100, 720}));
    const QString image = attnviz::test::testDataDir() + kImage;
    w_->openImage(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && QString::fromStdString(ws_->shownTrace()->input) == image, 20000);
    w_->panelArea()->showPanel(QStringLiteral("patches"));
    patches_ = panel<PatchPanel>("patches");
    QVERIFY(patches_);
    QTRY_VERIFY(!patches_->overlay().empty());
    grid_ = patches_->overlay().grid;
  }
  void cleanup() { closeWindow(); }

  // "patch 3,3" thumbnails beside flow from [CLS]: they follow the Patches view's query and say what they show.
  void thumbnailsFollowTheShownMap() {
    auto* heads = panel<PatchHeadsPanel>("patchHeads");
    QVERIFY(heads);
    const TracePtr trace = ws_->shownTrace();
    const int patchToken = grid_.tokenOf(5);
    ws_->selection().setRow(patchToken);
    QTRY_COMPARE(patches_->queryToken(), patchToken);
    QVERIFY(same(heads->headOverlays()[1].values, selfRow(*trace, 0, 1, patchToken, grid_)));
    QVERIFY(heads->title().startsWith(QStringLiteral("patch 1,1")));
    QVERIFY(!heads->title().contains(QStringLiteral("per-head form")));

    patches_->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY(!patches_->overlay().empty());
    QCOMPARE(ws_->selection().row(), patchToken);  // the pointer's patch is still the Selection's row...
    for (int h = 0; h < 2; ++h) QVERIFY(same(heads->headOverlays()[h].values, selfRow(*trace, 0, h, 0, grid_)));  // ...not theirs
    QVERIFY2(heads->title().startsWith(QStringLiteral("[CLS] → patches")), qPrintable(heads->title()));
    QVERIFY(heads->title().contains(QStringLiteral("attention flow")) && heads->title().contains(QStringLiteral("per-head form")));

    patches_->setMapKind(PatchPanel::MapKind::Rollout);
    QTRY_VERIFY(heads->title().contains(QStringLiteral("rollout")));
    QVERIFY(heads->title().startsWith(QStringLiteral("patch 1,1")));  // rollout follows the query: so do they
  }

  // Flow from 0 is one colour: auto scales it to its own [min, max]; attention rows stay from 0; both can be forced.
  void flowAndRolloutUseTheirOwnRange() {
    patches_->setMapKind(PatchPanel::MapKind::Flow);
    QTRY_VERIFY(!patches_->overlay().empty());
    QVERIFY(patches_->scaledFromMin());
    const PatchOverlay& flow = patches_->overlay();
    const PatchStyle& style = patches_->view()->patchStyle();
    const float lo = *std::min_element(flow.values.begin(), flow.values.end());
    const float hi = *std::max_element(flow.values.begin(), flow.values.end());
    QVERIFY(lo > 0.0f);
    QCOMPARE(overlayRange(flow, style), std::make_pair(lo, hi));
    const Colormap& cm = Colormap::byId(style.colormap);
    QCOMPARE(overlayColour(flow, style, lo), cm.rgb(0.0));  // the least-flow patch is the colour map's bottom
    QCOMPARE(overlayColour(flow, style, hi), cm.rgb(1.0));

    QComboBox* scale = patches_->scaleBox();
    scale->setCurrentIndex(scale->findData(static_cast<int>(PatchPanel::Scale::ZeroToMax)));
    QVERIFY(!patches_->scaledFromMin());
    QCOMPARE(overlayRange(patches_->overlay(), patches_->view()->patchStyle()).first, 0.0f);
    scale->setCurrentIndex(scale->findData(static_cast<int>(PatchPanel::Scale::Auto)));
    patches_->setMapKind(PatchPanel::MapKind::Head);
    QVERIFY(!patches_->scaledFromMin());  // one head's attention: from 0
    patches_->setMapKind(PatchPanel::MapKind::Rollout);
    QVERIFY(patches_->scaledFromMin());
  }

  // Rollout from a patch without its own weight and [CLS]: those are left out (no value) and the rest sums to 1.
  void rolloutCanLeaveOutSelfAndCls() {
    patches_->setMapKind(PatchPanel::MapKind::Rollout);
    ws_->selection().setRow(grid_.tokenOf(6));
    QTRY_COMPARE(patches_->queryToken(), grid_.tokenOf(6));
    QVERIFY(patches_->withoutSelfBox()->isVisibleTo(patches_));
    const std::vector<float> with = patches_->overlay().values;
    QVERIFY(!std::isnan(with[6]));
    patches_->withoutSelfBox()->setChecked(true);
    const PatchOverlay& o = patches_->overlay();
    QVERIFY(std::isnan(o.values[6]));
    double sum = 0;
    for (std::size_t i = 0; i < o.values.size(); ++i) {
      if (i == 6) continue;
      QVERIFY(!std::isnan(o.values[i]));
      sum += o.values[i];
      // Renormalised: every other patch keeps its share of what was left.
      QVERIFY(std::abs(o.values[i] / o.values[0] - with[i] / with[0]) < 1e-4);
    }
    QVERIFY(std::abs(sum - 1.0) < 1e-5);
    QVERIFY2(o.title.contains(QStringLiteral("own weight and [CLS] left out")), qPrintable(o.title));
    patches_->setMapKind(PatchPanel::MapKind::Head);
    QVERIFY(!patches_->withoutSelfBox()->isVisibleTo(patches_));  // rollout only
  }

  // The grid of maps of one image: auto gives each map its own scale (rollout beside layer 2 is not one colour);
  // one scale for all on request; the title says which.
  void compareGridOffersPerMapScales() {
    auto* compare = panel<ComparePanel>("compare");
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    compare->setTraceMaps(true);
    const CompareFigure* f = &compare->view()->figure();
    QVERIFY(f->maps.size() >= 3);
    QVERIFY(!f->sharedScale);
    QVERIFY2(f->title.contains(QStringLiteral("own min–max scale")), qPrintable(f->title));
    for (int i = 0; i < static_cast<int>(f->maps.size()); ++i) {
      const HeatmapStyle s = CompareFigurePainter::panelStyle(*f, i);
      QVERIFY(s.showColorBar);
      QCOMPARE(HeatmapPainter::range(f->maps[static_cast<std::size_t>(i)], s, -1), CompareFigure::ownRange(f->maps[static_cast<std::size_t>(i)]));
    }
    QVERIFY(CompareFigurePainter::layout(QRectF(0, 0, 900, 500), *f).colorBar.isEmpty());  // no shared bar

    auto* scale = compare->findChild<QComboBox*>(QStringLiteral("compareScale"));
    QVERIFY(scale);
    scale->setCurrentIndex(scale->findData(static_cast<int>(ComparePanel::Scale::Shared)));
    emit scale->activated(scale->currentIndex());
    f = &compare->view()->figure();
    QVERIFY(f->sharedScale);
    QVERIFY(f->title.contains(QStringLiteral("one colour scale")));
    QCOMPARE(*f->style.fixedRange, CompareFigure::sharedRange(f->maps));
    QVERIFY(!CompareFigurePainter::panelStyle(*f, 0).showColorBar);
    QVERIFY(!CompareFigurePainter::layout(QRectF(0, 0, 900, 500), *f).colorBar.isEmpty());
  }
};

QTEST_MAIN(TestVitViews)
#include "test_vit_views.moc"

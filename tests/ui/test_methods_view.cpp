// The Methods view: the Compare tab's "Maps of this trace" for an encoder, with the token contribution maps added and
// every map's token ranking scored (faithfulness_bar.h, engine/analysis/faithfulness.h, itself checked against the
// numpy reference in tests/golden/test_faithfulness_golden.cpp). On the shipped coreference model the window's
// numbers are the engine's own for the same sentence and options; deleting is refused there (the pointer is read at
// positions) and says so; the figure's labels and the JSON export carry the scores; a new sentence replaces them.
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QtTest>
#include <cmath>

#include "engine/analysis/faithfulness.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/faithfulness_bar.h"
#include "ui/compare/metrics_table.h"
#include "ui/document/workspace.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");
const QString kOther = QStringLiteral("Sarah called her mother because she missed her.");

}  // namespace

class TestMethodsView : public attnviz::test::WindowTest {
  Q_OBJECT

  ComparePanel* compare() { return panel<ComparePanel>("compare"); }

  // The engine's faithfulness for the shown trace, on the same input, every method the trace has maps for.
  attnviz::Faithfulness engineFaithfulness(const QString& text) {
    attnviz::RunOptions options;
    options.contributions = ws_->contributions();
    const attnviz::Input input = attnviz::Input::fromText(text.toStdString());
    const attnviz::Trace trace = ws_->currentModel()->run(input, options);
    const auto f = attnviz::faithfulness(*ws_->currentModel(), input, options, trace,
                                         {attnviz::faithfulnessMethodsOf(trace), attnviz::TokenRemoval::How::Mask}, {});
    return f ? *f : attnviz::Faithfulness{};
  }

  // The metrics table's row whose variant label starts with `label`, or -1.
  int rowOf(const QString& label) {
    MetricsTable* t = compare()->metrics();
    for (int r = 0; r < t->rowCount(); ++r)
      if (t->cellText(r, MetricsTable::Variant).startsWith(label)) return r;
    return -1;
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void coreferenceMapsScoredAsTheEngineScoresThem() {
    createWindow();
    QVERIFY(openModelAndWait(QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/coref-bert")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    compare()->setTraceMaps(true);
    FaithfulnessBar* bar = compare()->faithfulnessBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible(), kWaitMs);

    // The contribution maps join the grid after one rerun.
    auto* add = bar->findChild<QPushButton*>(QStringLiteral("addContributionMaps"));
    QVERIFY(add && add->isVisible());
    QTest::mouseClick(add, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->shownTrace() && ws_->shownTrace()->attention.contains("globenc_rollout"), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("ALTI rollout")) >= 0, kWaitMs);
    QVERIFY(rowOf(QStringLiteral("GlobEnc rollout")) >= 0);
    QVERIFY(rowOf(QStringLiteral("value norm, last layer")) >= 0);
    QVERIFY(!add->isVisible());

    // Faithfulness arrives by itself ("For every input"), the engine's numbers for the same sentence.
    QTRY_VERIFY_WITH_TIMEOUT(ws_->derived().faithfulness(attnviz::TokenRemoval::How::Mask), kWaitMs);
    const attnviz::Faithfulness want = engineFaithfulness(kSentence);
    QCOMPARE(want.methods.size(), std::size_t{5});  // attention, rollout, value-norm, alti, globenc
    QCOMPARE(want.scored, std::string("p(animal | it)"));
    const std::pair<const char*, QString> rows[] = {{"attention", QStringLiteral("last layer, head mean")},
                                                    {"rollout", QStringLiteral("rollout mean")},
                                                    {"value-norm", QStringLiteral("value norm, last layer")},
                                                    {"alti", QStringLiteral("ALTI rollout")},
                                                    {"globenc", QStringLiteral("GlobEnc rollout")}};
    QTRY_VERIFY_WITH_TIMEOUT(!compare()->metrics()->cellText(rowOf(QStringLiteral("ALTI rollout")), MetricsTable::TauLeaveOneOut).startsWith(QStringLiteral("—")), kWaitMs);
    for (const auto& [method, label] : rows) {
      const int r = rowOf(label);
      QVERIFY2(r >= 0, qPrintable(label));
      const auto m = std::find_if(want.methods.begin(), want.methods.end(), [&](const auto& x) { return x.method == method; });
      QVERIFY(m != want.methods.end());
      const double comp = compare()->metrics()->cellText(r, MetricsTable::AopcComprehensiveness).toDouble();
      const double tau = compare()->metrics()->cellText(r, MetricsTable::TauLeaveOneOut).toDouble();
      QVERIFY2(std::fabs(comp - m->aopcComprehensiveness) < 1e-4, qPrintable(label));  // shown with 4 decimals
      QVERIFY2(std::fabs(tau - m->tau) < 1e-3, qPrintable(label));                      // 3 decimals
    }
    // A single head ranks nothing: its cells say why in their tooltip.
    const int head = rowOf(QStringLiteral("coreference head"));
    QVERIFY(head >= 0);
    QCOMPARE(compare()->metrics()->cellText(head, MetricsTable::AopcComprehensiveness), QStringLiteral("—"));
    QVERIFY(bar->statusText().contains(QStringLiteral("p(animal | it)")));
    QVERIFY(bar->statusText().contains(QStringLiteral("[MASK]")));

    // The figure's labels and the JSON export carry the scores.
    bool labelled = false;
    for (const HeatmapData& m : compare()->view()->figure().maps) labelled = labelled || m.subtitle.contains(QStringLiteral("τ"));
    QVERIFY(labelled);
    const QJsonObject json = QJsonDocument::fromJson(compare()->exportData(QStringLiteral("json"))).object();
    int scored = 0;
    for (const QJsonValue& v : json.value(QStringLiteral("variants")).toArray())
      scored += v.toObject().contains(QStringLiteral("faithfulness"));
    QCOMPARE(scored, 5);

    // Deleting is refused for a pointer read at positions, and the bar says so.
    auto* removal = bar->findChild<QComboBox*>(QStringLiteral("faithfulnessRemoval"));
    removal->setCurrentIndex(removal->findData(static_cast<int>(attnviz::TokenRemoval::How::Delete)));
    emit removal->activated(removal->currentIndex());
    QTRY_VERIFY(bar->statusText().contains(QStringLiteral("use masking")));
    QTRY_COMPARE(compare()->metrics()->cellText(rowOf(QStringLiteral("ALTI rollout")), MetricsTable::AopcComprehensiveness), QStringLiteral("—"));
    removal->setCurrentIndex(removal->findData(static_cast<int>(attnviz::TokenRemoval::How::Mask)));
    emit removal->activated(removal->currentIndex());

    // A new sentence: scored again, never the old numbers shown for it.
    QVERIFY(typeAndWait(kOther));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->derived().faithfulness(attnviz::TokenRemoval::How::Mask), kWaitMs);
    const attnviz::Faithfulness other = engineFaithfulness(kOther);
    const auto alti = std::find_if(other.methods.begin(), other.methods.end(), [](const auto& x) { return x.method == "alti"; });
    QTRY_VERIFY_WITH_TIMEOUT(std::fabs(compare()->metrics()->cellText(rowOf(QStringLiteral("ALTI rollout")), MetricsTable::TauLeaveOneOut).toDouble() - alti->tau) < 1e-3, kWaitMs);
  }
};

QTEST_MAIN(TestMethodsView)
#include "test_methods_view.moc"

// Comparing variants (fake seq2seq models, deterministic): the Workspace runs every compared model on
// the worker and keeps one trace each, force-decoded on the reference's translation; hover in one grid
// cell moves the Selection once and every other view follows; one shared colour scale; difference
// map; metrics; bar chart sets per variant; the grid exports as ONE PNG/SVG/PDF figure and as CSV/JSON.
#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/attention_chart_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/shell/main_window.h"
#include "ui/compare/metrics_table.h"
#include "ui/shell/models_dock.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeSeq2seq;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestCompare : public attnviz::test::WindowTest {
  Q_OBJECT

  std::shared_ptr<FakeSeq2seq> sharp_, soft_, short_;
  QTemporaryDir dir_;

  ComparePanel* compare() { return panel<ComparePanel>("compare"); }
  int compareIndex() {
    const auto& panels = w_->panelArea()->panels();
    for (std::size_t i = 0; i < panels.size(); ++i)
      if (panels[i]->objectName() == QLatin1String("compare")) return static_cast<int>(i);
    return -1;
  }

  void compareTwo() {
    ws_->setCompared({0, 1});
    QTRY_VERIFY(ws_->comparedTraces().size() == 2 && ws_->comparedTraces()[0] && ws_->comparedTraces()[1]);
    QTRY_COMPARE(static_cast<int>(compare()->view()->figure().maps.size()), 2);
  }

 private slots:
  void initTestCase() {
    attnviz::test::isolateSettings();
    QVERIFY(dir_.isValid());
  }

  void init() {
    createWindow();
    sharp_ = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "bahdanau", .sharpness = 4.0f});
    soft_ = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "luong-dot", .sharpness = 1.0f});
    short_ = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "local-p", .sharpness = 2.0f, .dropLastWord = true});
    ws_->addModel(sharp_, QStringLiteral("fake:bahdanau"));
    ws_->addModel(soft_, QStringLiteral("fake:luong-dot"));
    ws_->addModel(short_, QStringLiteral("fake:local-p"));
    ws_->setCurrentIndex(0);
    QVERIFY(showWindow({1280, 860}));
    w_->editor()->setPlainText(QStringLiteral("the cat sat on the mat"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "the cat sat on the mat");
  }

  void cleanup() { closeWindow(); }

  void notComparingShowsHowTo() {
    QVERIFY(!ws_->isComparing());
    QVERIFY(!compare()->view()->isVisibleTo(compare()));
    auto* all = compare()->findChild<QPushButton*>(QStringLiteral("compareAll"));
    QVERIFY(all && all->isVisibleTo(compare()));
    QVERIFY(all->text().contains(QStringLiteral("3")));
    all->click();
    QCOMPARE(ws_->compared(), (QList<int>{0, 1, 2}));
    QTRY_COMPARE(static_cast<int>(compare()->view()->figure().maps.size()), 3);
  }

  void ticksInTheModelsDockCompare() {
    QListWidget* list = w_->modelsDock()->modelList();
    QCOMPARE(list->count(), 3);
    QVERIFY(list->item(0)->flags() & Qt::ItemIsUserCheckable);
    list->item(0)->setCheckState(Qt::Checked);
    QCOMPARE(ws_->compared(), QList<int>{0});
    QVERIFY(!ws_->isComparing());
    list->item(2)->setCheckState(Qt::Checked);
    QCOMPARE(ws_->compared(), (QList<int>{0, 2}));
    QVERIFY(ws_->isComparing());
    QCOMPARE(list->item(2)->checkState(), Qt::Checked);  // the dock rebuilt with the ticks kept
  }

  void comparedModelsRunOnTheWorkerForcedOnTheReference() {
    compareTwo();
    const auto& traces = ws_->comparedTraces();
    QCOMPARE(traces[0]->targetTokens, traces[1]->targetTokens);
    QCOMPARE(QString::fromStdString(traces[1]->model.variant), QStringLiteral("luong-dot"));
    QVERIFY(soft_->lastOptions().target.has_value());  // forced on bahdanau's translation
    QCOMPARE(ws_->comparison().forcedTarget, QStringLiteral("le chat assis sur le tapis"));
    QVERIFY2(compare()->noteText().contains(QStringLiteral("force-decoded on the reference (bahdanau)")), qPrintable(compare()->noteText()));
    // Another reference: bahdanau is now forced on luong-dot's output.
    ws_->setReference(1);
    QTRY_VERIFY(compare()->noteText().contains(QStringLiteral("reference (luong-dot)")));
  }

  void hoverInOneGridCellMovesSelectionAndEveryViewFollows() {
    compareTwo();
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    CompareView* view = compare()->view();
    QTRY_VERIFY(view->isVisible() && view->width() > 100);
    QCoreApplication::sendPostedEvents();  // pending layouts first: cell centres must stay put
    QCoreApplication::processEvents();
    QTest::qWait(30);
    QSignalSpy cell(&ws_->selection(), &Selection::cellChanged);
    QTest::mouseMove(view, view->cellCenter(1, 2, 2).toPoint());  // panel (b), target "assis", source "sat"
    QTRY_COMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), 2);
    QCOMPARE(cell.count(), 1);  // no bounce
    QCOMPARE(ws_->selection().variant(), QStringLiteral("luong-dot"));
    QCOMPARE(view->highlightRow(), 2);  // every map of the grid highlights the same cell
    QCOMPARE(view->highlightCol(), 2);
    auto* alignment = panel<AlignmentPanel>("alignment");
    QCOMPARE(alignment->view()->highlightRow(), 2);  // the other tab's panel follows too
    QCOMPARE(alignment->view()->highlightCol(), 2);
    QTRY_COMPARE(panel<AttentionChartPanel>("attentionChart")->shownRow(), 2);
    QVERIFY(view->toolTipAt(view->cellCenter(0, 2, 2)).contains(QStringLiteral("assis → sat")));
    // Moving within the same cell emits nothing more; another cell once.
    QTest::mouseMove(view, view->cellCenter(1, 2, 2).toPoint() + QPoint(1, 1));
    QCOMPARE(cell.count(), 1);
    QTest::mouseMove(view, view->cellCenter(0, 1, 1).toPoint());
    QTRY_COMPARE(cell.count(), 2);
    QCOMPARE(ws_->selection().variant(), QStringLiteral("bahdanau"));
  }

  void oneSharedColourScaleAndADifferenceMap() {
    compareTwo();
    const CompareFigure& f = compare()->view()->figure();
    QVERIFY(f.style.fixedRange.has_value());
    float hi = 0;
    for (const HeatmapData& m : f.maps)
      for (float v : m.values) hi = std::max(hi, v);
    QCOMPARE(f.style.fixedRange->second, hi);  // the scale covers both maps
    QVERIFY(f.maps[0].title.startsWith(QStringLiteral("(a) bahdanau")));
    QVERIFY(f.maps[1].title.startsWith(QStringLiteral("(b) luong-dot")));
    QVERIFY(f.difference.has_value());
    QCOMPARE(f.differenceStyle.colormap, ColormapId::RedBlue);
    QCOMPARE(f.differenceStyle.scaling, Scaling::Symmetric);
    QVERIFY(f.difference->title.contains(QStringLiteral("(c) luong-dot − bahdanau")));
    QCOMPARE(f.difference->at(1, 1), f.maps[1].at(1, 1) - f.maps[0].at(1, 1));
    const auto range = HeatmapPainter::range(*f.difference, f.differenceStyle, -1);
    QCOMPARE(range.first, -range.second);
    // Painted diverging: the middle of the difference's colour bar (0) is near-white, its ends blue and red.
    const QRectF rect(0, 0, 900, 420);
    QImage img(rect.size().toSize(), QImage::Format_RGB32);
    {
      QPainter p(&img);
      CompareFigurePainter::paint(p, rect, f);
    }
    const CompareGeometry g = CompareFigurePainter::layout(rect, f);
    const HeatmapGeometry dg = HeatmapPainter::layout(g.panels[2], *f.difference, CompareFigurePainter::panelStyle(f, 2));
    const QColor mid = img.pixelColor(dg.colorBar.center().toPoint());
    QVERIFY2(mid.red() > 230 && mid.green() > 230 && mid.blue() > 230, qPrintable(mid.name()));
    const QColor top = img.pixelColor(QPoint(static_cast<int>(dg.colorBar.center().x()), static_cast<int>(dg.colorBar.top()) + 2));
    QVERIFY2(top.red() > top.blue() + 60, qPrintable(top.name()));  // positive: red
    const QColor bottom = img.pixelColor(QPoint(static_cast<int>(dg.colorBar.center().x()), static_cast<int>(dg.colorBar.bottom()) - 2));
    QVERIFY2(bottom.blue() > bottom.red() + 60, qPrintable(bottom.name()));
    compare()->setDifference(-1, -1);
    QVERIFY(!compare()->view()->figure().difference.has_value());
  }

  void metricsTable() {
    compareTwo();
    MetricsTable* t = compare()->metrics();
    QCOMPARE(t->rowCount(), 2);
    QVERIFY(t->cellText(0, MetricsTable::Variant).contains(QStringLiteral("(reference)")));
    QCOMPARE(t->cellText(0, MetricsTable::JsToReference), QStringLiteral("0.0000"));
    QVERIFY(t->cellText(1, MetricsTable::JsToReference).toDouble() > 0.01);
    const auto& rows = compare()->comparison().rows;
    QVERIFY(rows[0].metrics.meanMaxWeight > rows[1].metrics.meanMaxWeight);  // bahdanau is the sharper
    QVERIFY(rows[0].metrics.meanRowEntropyBits < rows[1].metrics.meanRowEntropyBits);
    QCOMPARE(t->cellText(0, MetricsTable::SentenceAer), QStringLiteral("—"));  // no gold loaded
  }

  void ownOutputsOfDifferentLengthsAreNotCompared() {
    ws_->setCompared({0, 2});
    ws_->setCompareTarget(CompareTarget::OwnOutput);
    QTRY_VERIFY(ws_->comparedTraces().size() == 2 && ws_->comparedTraces()[1] &&
                ws_->comparedTraces()[1]->targetTokens.size() != ws_->comparedTraces()[0]->targetTokens.size());
    QTRY_VERIFY(compare()->noteText().contains(QStringLiteral("Each variant decodes on its own")));
    QCOMPARE(compare()->metrics()->cellText(1, MetricsTable::JsToReference), QStringLiteral("—"));
    QVERIFY(!compare()->view()->figure().difference.has_value());
    QVERIFY(compare()->noteText().contains(QStringLiteral("No difference map")));
    // Back to forcing on the reference: the shapes agree again.
    ws_->setCompareTarget(CompareTarget::ReferenceOutput);
    QTRY_VERIFY(compare()->metrics()->cellText(1, MetricsTable::JsToReference) != QStringLiteral("—"));
  }

  void barChartHasOneSetPerVariant() {
    auto* chart = panel<AttentionChartPanel>("attentionChart");
    ws_->selection().setCell(1, -1);
    QTRY_COMPARE(chart->barSetCount(), 1);
    ws_->setCompared({0, 1});
    QTRY_COMPARE(chart->barSetCount(), 2);
    QCOMPARE(chart->barSetLabels(), (QStringList{QStringLiteral("bahdanau"), QStringLiteral("luong-dot")}));
    ws_->setCompareTarget(CompareTarget::ReferenceOutput);
    ws_->setCompared({0, 1, 2});
    QTRY_COMPARE(chart->barSetCount(), 3);
    ws_->setCompared({});
    QTRY_COMPARE(chart->barSetCount(), 1);
  }

  void exportsTheWholeGridAsOneFigure() {
    compareTwo();
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    QTRY_VERIFY(compare()->view()->isVisible());
    const int index = compareIndex();
    const QSizeF size(900, 420);
    const QString png = dir_.filePath(QStringLiteral("grid.png"));
    SaveResult r = w_->exportFigureTo(png, {FigureFormat::Png, size, 192, {}}, index);
    QVERIFY2(r.ok, qPrintable(r.error));
    const QImage img(png);
    QCOMPARE(img.size(), QSize(1800, 840));
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 9)
      for (int x = 0; x < img.width(); x += 9) colours.insert(img.pixel(x, y));
    QVERIFY2(colours.size() > 30, qPrintable(QString::number(colours.size())));

    const QString svg = dir_.filePath(QStringLiteral("grid.svg"));
    QVERIFY(w_->exportFigureTo(svg, {FigureFormat::Svg, size, 96, {}}, index).ok);
    const QByteArray svgText = readAll(svg);
    QVERIFY(svgText.contains("viewBox=\"0 0 900 420\""));
    QVERIFY(svgText.contains("(a) bahdanau"));
    QVERIFY(svgText.contains("(b) luong-dot"));
    QVERIFY(svgText.contains("(c) luong-dot"));
    QVERIFY(QSvgRenderer(svg).isValid());

    const QString pdf = dir_.filePath(QStringLiteral("grid.pdf"));
    QVERIFY(w_->exportFigureTo(pdf, {FigureFormat::Pdf, size, 300, {}}, index).ok);
    const QByteArray pdfBytes = readAll(pdf);
    QVERIFY(pdfBytes.startsWith("%PDF"));
    QVERIFY(pdfBytes.size() > 2000);
    // One page of exactly the figure: 900 x 420 px at 96 px/inch = 675 x 315 pt.
    const QRegularExpressionMatch box = QRegularExpression(QStringLiteral("/MediaBox \\[([^\\]]*)\\]")).match(QString::fromLatin1(pdfBytes));
    QVERIFY(box.hasMatch());
    const QStringList corners = box.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(corners.size(), 4);
    QVERIFY2(std::abs(corners[2].toDouble() - 675) < 0.5 && std::abs(corners[3].toDouble() - 315) < 0.5, qPrintable(box.captured(0)));
  }

  void exportsTheComparisonData() {
    compareTwo();
    const int index = compareIndex();
    const QString csv = dir_.filePath(QStringLiteral("grid.csv"));
    SaveResult r = w_->exportDataTo(csv, index);
    QVERIFY2(r.ok, qPrintable(r.error));
    const QList<QByteArray> lines = readAll(csv).split('\n');
    QCOMPARE(lines.front().trimmed(), QByteArray("variant,target_index,target_token,source_index,source_token,weight"));
    QCOMPARE(lines.size() - 2, 2 * 7 * 7);  // 2 variants x 7 target x 7 source, header, final newline
    QVERIFY(lines.at(1).startsWith("bahdanau,0,le,0,the,"));

    const QString json = dir_.filePath(QStringLiteral("grid.json"));
    QVERIFY(w_->exportDataTo(json, index).ok);
    const QJsonObject root = QJsonDocument::fromJson(readAll(json)).object();
    QCOMPARE(root.value(QStringLiteral("map")).toString(), QStringLiteral("cross"));
    QCOMPARE(root.value(QStringLiteral("reference")).toString(), QStringLiteral("bahdanau"));
    QCOMPARE(root.value(QStringLiteral("forced_target")).toString(), QStringLiteral("le chat assis sur le tapis"));
    const QJsonArray variants = root.value(QStringLiteral("variants")).toArray();
    QCOMPARE(variants.size(), 2);
    const QJsonObject b = variants.at(1).toObject();
    QCOMPARE(b.value(QStringLiteral("weights")).toArray().size(), 7);
    QVERIFY(b.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("js_to_reference")).toDouble() > 0);
    QVERIFY(b.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("aer_sentence")).isNull());
  }

  // Labels: the variant, or the name when two open models share the variant (two families), or "#2" when they share
  // the name too.
  void labelsTellModelsApart() {
    Workspace ws;
    using attnviz::test::FakeSeq2seq;
    ws.addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.name = "tatoeba-en-fr-bahdanau"}), QStringLiteral("fake:a"));
    ws.addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.name = "hansards-en-fr-bahdanau"}), QStringLiteral("fake:b"));
    ws.addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "luong-dot"}), QStringLiteral("fake:c"));
    ws.addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "local-p"}), QStringLiteral("fake:d"));
    ws.addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "local-p"}), QStringLiteral("fake:e"));
    QCOMPARE(ws.modelLabel(0), QStringLiteral("tatoeba-en-fr-bahdanau"));
    QCOMPARE(ws.modelLabel(1), QStringLiteral("hansards-en-fr-bahdanau"));
    QCOMPARE(ws.modelLabel(2), QStringLiteral("luong-dot"));
    QCOMPARE(ws.modelLabel(3), QStringLiteral("local-p"));
    QCOMPARE(ws.modelLabel(4), QStringLiteral("local-p #2"));
  }

  // The panel is generic: encoders compare their self-attention of the Selection's layer and head.
  void comparesOtherKindsToo() {
    Workspace ws;
    ws.setDebounceMs(0);
    ws.addModel(std::make_shared<attnviz::test::FakeModel>(attnviz::test::FakeModel::Options{.name = "enc-a"}), QStringLiteral("fake:a"));
    ws.addModel(std::make_shared<attnviz::test::FakeModel>(attnviz::test::FakeModel::Options{.name = "enc-b", .heads = 3}),
                QStringLiteral("fake:b"));
    ComparePanel panel;
    panel.setWorkspace(&ws);
    ws.setInputText(QStringLiteral("the cat sat"));
    ws.setCompared({0, 1});
    QTRY_VERIFY(ws.comparedTraces().size() == 2 && ws.comparedTraces()[0] && ws.comparedTraces()[1]);
    QTRY_COMPARE(static_cast<int>(panel.view()->figure().maps.size()), 2);
    QVERIFY(panel.view()->figure().title.startsWith(QStringLiteral("self-attention · layer 1/2 · head 1/2")));
    QVERIFY(panel.noteText().contains(QStringLiteral("same input")));
    const std::vector<float> before = panel.view()->figure().maps[1].values;
    ws.selection().setLayerHead(1, 2);
    QVERIFY(panel.view()->figure().maps[1].values != before);
    QVERIFY(panel.comparison().rows[1].js.has_value());  // same tokens, same shape
  }

  void switchingToAnotherKindStopsComparing() {
    compareTwo();
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(!ws_->isComparing());
    QVERIFY(ws_->compared().isEmpty());
    QCOMPARE(w_->panelArea()->kind(), QStringLiteral("encoder"));
  }
};

QTEST_MAIN(TestCompare)
#include "test_compare.moc"

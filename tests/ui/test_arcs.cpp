// The encoder arcs panel: the wordpiece merge (sums over key pieces, means over query pieces, rows still sum
// to 1) on a hand-made matrix; with the real random-weight tests/data/tiny-encoder: hovering a token writes the
// Selection row and draws arcs to exactly the tokens above the threshold (geometry and hit functions, not
// pixels), a row from elsewhere focuses here, click pins, all heads / two columns / hide specials; a
// 512-token synthetic trace lays out once and hovering does not lay out again; SVG/PDF/PNG export.
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <set>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/export/figure_export.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void settle() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  QTest::qWait(30);
}

}  // namespace

class TestArcs : public attnviz::test::WindowTest {
  Q_OBJECT

  ArcsPanel* arcs() { return qobject_cast<ArcsPanel*>(w_->panelArea()->panel(QStringLiteral("arcs"))); }

  void openTinyEncoder() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
    QVERIFY(arcs());
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_VERIFY(arcs()->view()->isVisible() && !arcs()->view()->data().empty());
    settle();
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() {
    closeWindow();
  }

  // --- the merge, on a hand-made matrix
  void mergeWordpiecesSumsKeysAndAveragesQueries() {
    const QStringList tokens{QStringLiteral("[CLS]"), QStringLiteral("play"), QStringLiteral("##ing"), QStringLiteral("it"),
                             QStringLiteral("[SEP]")};
    // rows = query, columns = key; each row sums to 1
    const std::vector<float> m{0.2f, 0.2f, 0.2f, 0.2f, 0.2f,   // [CLS]
                               0.1f, 0.3f, 0.2f, 0.3f, 0.1f,   // play
                               0.0f, 0.5f, 0.1f, 0.2f, 0.2f,   // ##ing
                               0.4f, 0.1f, 0.1f, 0.1f, 0.3f,   // it
                               0.5f, 0.0f, 0.0f, 0.0f, 0.5f};  // [SEP]
    const std::vector<TokenGroup> g = groupTokens(tokens, {.mergeWordpieces = true});
    QCOMPARE(static_cast<int>(g.size()), 4);
    QCOMPARE(g[1].text, QStringLiteral("playing"));
    QCOMPARE(g[1].tokens, (std::vector<int>{1, 2}));
    const std::vector<float> w = mergeMap(m.data(), 5, g);
    auto at = [&](int r, int c) { return w[static_cast<std::size_t>(r) * 4 + c]; };
    // to a word: sum over its pieces as keys
    QCOMPARE_LE(std::abs(at(0, 1) - (0.2f + 0.2f)), 1e-6f);
    QCOMPARE_LE(std::abs(at(2, 1) - (0.1f + 0.1f)), 1e-6f);
    // from a word: mean over its pieces as queries
    QCOMPARE_LE(std::abs(at(1, 0) - (0.1f + 0.0f) / 2), 1e-6f);
    QCOMPARE_LE(std::abs(at(1, 1) - ((0.3f + 0.2f) + (0.5f + 0.1f)) / 2), 1e-6f);
    QCOMPARE_LE(std::abs(at(1, 2) - (0.3f + 0.2f) / 2), 1e-6f);
    for (int r = 0; r < 4; ++r) {
      float sum = 0;
      for (int c = 0; c < 4; ++c) sum += at(r, c);
      QCOMPARE_LE(std::abs(sum - 1.0f), 1e-6f);
    }
    // Hiding specials keeps the weights as they are (not renormalised).
    const std::vector<TokenGroup> h = groupTokens(tokens, {.mergeWordpieces = true, .hideSpecial = true});
    QCOMPARE(static_cast<int>(h.size()), 2);
    QCOMPARE_LE(std::abs(mergeMap(m.data(), 5, h)[1] - (0.3f + 0.2f) / 2), 1e-6f);  // "playing" -> "it"
    QCOMPARE(groupOf(h, 2), 0);
    QCOMPARE(groupOf(h, 0), -1);
    // A "##" piece right after [CLS] starts a word of its own.
    QCOMPARE(static_cast<int>(groupTokens({QStringLiteral("[CLS]"), QStringLiteral("##x")}, {.mergeWordpieces = true}).size()), 2);
  }

  void coreferenceHeadComesFromModelInfo() {
    attnviz::ModelInfo info;
    QVERIFY(!coreferenceHeadOf(info).valid());
    info.coreferenceHead = std::make_pair(3, 5);
    QCOMPARE(coreferenceHeadOf(info).layer, 3);
    QCOMPARE(coreferenceHeadOf(info).head, 5);
  }

  // --- the real tiny encoder
  void hoverWritesRowAndDrawsArcsToTheRightTokens() {
    openTinyEncoder();
    ArcsPanel* panel = arcs();
    ArcsView* view = panel->view();
    const ArcsData& data = view->data();
    QCOMPARE(data.size(), static_cast<int>(ws_->trace()->sourceTokens.size()));
    QStringList tokens;
    for (const std::string& t : ws_->trace()->sourceTokens) tokens << QString::fromStdString(t);
    qInfo("tokens: %s", qPrintable(tokens.join(QLatin1Char(' '))));
    const int layouts = view->layoutCount();
    const int g = 3;
    QTest::mouseMove(view->canvas(), view->groupCenter(g).toPoint());
    QTRY_COMPARE(ws_->selection().row(), data.groups[g].tokens.front());
    QCOMPARE(view->arcsStyle().focus, g);
    QCOMPARE(view->layoutCount(), layouts);  // hover does not lay out
    // Arcs: exactly the keys at or above the threshold, from g, drawn from g's box to the key's box.
    const auto& self = ws_->trace()->attention.at("self");
    const int n = data.size();
    const int layer = ws_->selection().layer(), head = ws_->selection().head();
    std::set<int> expected;
    for (int j = 0; j < n; ++j) {
      const float w = self.data()[((static_cast<std::size_t>(layer) * self.dim(1) + head) * n + g) * n + j];
      if (w >= ArcsPanel::kDefaultThreshold) expected.insert(j);
    }
    QVERIFY(panel->allHeads() || data.heads.size() == 1);
    panel->setAllHeads(false);
    QTRY_COMPARE(static_cast<int>(view->data().heads.size()), 1);
    std::set<int> drawn;
    for (const Arc& a : view->shownArcs()) {
      QCOMPARE(a.from, g);
      drawn.insert(a.to);
      const QPainterPath path = ArcsPainter::arcPath(view->layoutNow(), a, 1);
      const QRectF& from = view->layoutNow().queries[static_cast<std::size_t>(g)];
      const QRectF& to = view->layoutNow().keys[static_cast<std::size_t>(a.to)];
      QCOMPARE_LE(std::abs(path.pointAtPercent(0).y() - from.top()), 1.0);
      QCOMPARE_LE(std::abs(path.pointAtPercent(1).y() - to.top()), 1.0);
      QVERIFY(std::abs(path.pointAtPercent(0).x() - from.center().x()) < from.width() / 2);
      QVERIFY(std::abs(path.pointAtPercent(1).x() - to.center().x()) < to.width() / 2);
    }
    QCOMPARE(drawn, expected);
    // The hit function finds every token at its centre.
    for (int k = 0; k < n; ++k) QCOMPARE(view->hitAt(view->groupCenter(k)), k);
    QCOMPARE(view->hitAt(QPointF(-5, -5)), -1);
    QVERIFY(view->toolTipAt(view->groupCenter(g + 1)).contains(QStringLiteral("head %1").arg(head + 1)));

    // A row from elsewhere focuses here; a column outlines a key.
    ws_->selection().setCell(5, 2);
    QCOMPARE(view->arcsStyle().focus, 5);
    QCOMPARE(view->arcsStyle().keyHighlight, 2);

    // Click pins: hovering another token no longer moves the Selection.
    QTest::mouseClick(view->canvas(), Qt::LeftButton, {}, view->groupCenter(1).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 1);
    QVERIFY(view->pinned());
    QTest::mouseMove(view->canvas(), view->groupCenter(4).toPoint());
    settle();
    QCOMPARE(ws_->selection().row(), 1);
    QTest::mouseClick(view->canvas(), Qt::LeftButton, {}, view->groupCenter(1).toPoint());
    QVERIFY(!view->pinned());

    // All heads: one arc set per head, coloured per head.
    panel->setAllHeads(true);
    QCOMPARE(static_cast<int>(view->data().heads.size()), 2);
    std::set<int> slotsSeen;
    for (const Arc& a : view->shownArcs()) slotsSeen.insert(a.slot);
    QCOMPARE(static_cast<int>(slotsSeen.size()), 2);
    QVERIFY(ArcsPainter::headColor(0) != ArcsPainter::headColor(1));

    // Hide [CLS]/[SEP]; two columns.
    panel->setHideSpecial(true);
    QCOMPARE(view->data().size(), n - 2);
    QCOMPARE(view->data().groups.front().tokens.front(), 1);
    panel->setLayoutKind(ArcsLayoutKind::Columns);
    const ArcsLayout& l = view->layoutNow();
    QCOMPARE(l.kind, ArcsLayoutKind::Columns);
    QVERIFY(l.keys[0].left() > l.queries[0].right());
    QCOMPARE(view->hitAt(l.keys[2].center()), 2);
  }

  void layerAndHeadSelectorsFollowTheSelection() {
    openTinyEncoder();
    ArcsPanel* panel = arcs();
    panel->setAllHeads(false);
    ws_->selection().setLayerHead(1, 1);
    QCOMPARE(panel->layerBox()->value(), 2);
    QCOMPARE(panel->headBox()->currentIndex(), 2);
    QCOMPARE(panel->view()->data().layer, 1);
    QCOMPARE(panel->view()->data().heads, std::vector<int>{1});
    panel->headBox()->setCurrentIndex(1);  // head 1 picked here
    QCOMPARE(ws_->selection().head(), 0);
    panel->layerBox()->setValue(1);
    QCOMPARE(ws_->selection().layer(), 0);
  }

  void exportsSvgPdfPng() {
    openTinyEncoder();
    ArcsPanel* panel = arcs();
    ws_->selection().setRow(2);
    QTemporaryDir dir;
    const QSizeF size = panel->figureSize();
    QVERIFY(size.width() > 100 && size.height() > 60);
    const FigurePainter paint = [panel](QPainter& p, const QRectF& r) { panel->paintFigure(p, r); };
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("arcs.svg")), {FigureFormat::Svg, size, 96, {}}, paint).ok);
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("arcs.pdf")), {FigureFormat::Pdf, size, 96, {}}, paint).ok);
    const FigureOptions png{FigureFormat::Png, size, 192, {}};
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("arcs.png")), png, paint).ok);
    const QByteArray svg = readAll(dir.filePath(QStringLiteral("arcs.svg")));
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains("animal"));
    QVERIFY(readAll(dir.filePath(QStringLiteral("arcs.pdf"))).startsWith("%PDF"));
    QVERIFY(readAll(dir.filePath(QStringLiteral("arcs.png"))).startsWith("\x89PNG"));
    QCOMPARE(QImage(dir.filePath(QStringLiteral("arcs.png"))).size(), pngPixelSize(png));
  }

  // --- 512 tokens
  void longInputLaysOutOnceAndHoversFast() {
    Workspace ws;
    ws.setDebounceMs(0);
    ws.addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    ArcsPanel panel;
    panel.setWorkspace(&ws);
    panel.resize(1100, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QStringList words;
    for (int i = 0; i < 510; ++i) words << QStringLiteral("w%1").arg(i % 37);
    ws.setInputText(words.join(QLatin1Char(' ')));
    QTRY_VERIFY_WITH_TIMEOUT(ws.trace() && ws.trace()->sourceTokens.size() == 512, 20000);
    ArcsView* view = panel.view();
    QTRY_COMPARE(view->data().size(), 512);
    settle();
    const ArcsLayout& l = view->layoutNow();
    QCOMPARE(static_cast<int>(l.queries.size()), 512);
    QVERIFY(l.height > view->viewport()->height());  // wrapped over many lines
    for (const QRectF& r : l.queries) QVERIFY(r.right() <= l.width);
    const int layouts = view->layoutCount();
    QElapsedTimer timer;
    timer.start();
    for (int g : {0, 40, 80, 120, 20, 60}) {
      QTest::mouseMove(view->canvas(), view->groupCenter(g).toPoint());
      QCOMPARE(ws.selection().row(), g);
      QCOMPARE(view->arcsStyle().focus, g);
      view->canvas()->repaint();
    }
    QCOMPARE(view->layoutCount(), layouts);
    // Speed is measured by tests/ui/bench_hover_512 (not here: no timed assertions in tests).
    qInfo("6 hovers with repaint on 512 tokens: %lld ms", static_cast<long long>(timer.elapsed()));
    // Far down: scroll there, hover.
    view->ensureGroupVisible(500);
    settle();
    QTest::mouseMove(view->canvas(), view->groupCenter(500).toPoint());
    QTRY_COMPARE(ws.selection().row(), 500);
    QCOMPARE(view->layoutCount(), layouts);
    // Level of detail: exactly the weights at or above the threshold are drawn; a higher one hides more.
    const ArcsData& d = view->data();
    auto above = [&](double threshold) {
      int count = 0;
      for (int s = 0; s < static_cast<int>(d.maps.size()); ++s)
        for (int to = 0; to < d.size(); ++to) count += d.weight(s, 500, to) >= threshold && d.weight(s, 500, to) > 0.0f;
      return count;
    };
    const int all = static_cast<int>(d.maps.size()) * d.size();
    QCOMPARE(static_cast<int>(view->shownArcs().size()), above(ArcsPanel::kDefaultThreshold));
    QVERIFY(above(ArcsPanel::kDefaultThreshold) < all);  // most of 512 weights are hidden
    for (const Arc& a : view->shownArcs()) QVERIFY(a.weight >= ArcsPanel::kDefaultThreshold);
    panel.setThreshold(0.0);
    QCOMPARE(static_cast<int>(view->shownArcs().size()), above(0.0));
    const std::size_t before = view->shownArcs().size();
    panel.setThreshold(0.05);
    QCOMPARE(static_cast<int>(view->shownArcs().size()), above(0.05));
    QVERIFY(view->shownArcs().size() < before);
    QCOMPARE(view->layoutCount(), layouts);
  }
};

QTEST_MAIN(TestArcs)
#include "test_arcs.moc"

// Linking between the panels and the input editor (issue 18, items 4, 10, 15) on the real tests/data/tiny-encoder
// and tiny-hf-coref: a pin made in Arcs follows its word when the sentence is edited, or is released, and the status
// bar says which; a heatmap click pins the row; hovering a cell highlights the query and the key in the editor and in
// both label axes, shows its tooltip at once and puts "query token “it” (n) → key token … : w · title" in the status
// bar; hovering in Arcs reaches the editor; a truncated input is greyed in the editor from where the model stopped,
// with the limit in its tooltip.
#include <QHelpEvent>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTextBlock>
#include <QToolTip>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/editor_token_link.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

int tokenIndex(const attnviz::Trace& trace, const std::string& text) {
  for (std::size_t i = 0; i < trace.sourceTokens.size(); ++i)
    if (trace.sourceTokens[i] == text) return static_cast<int>(i);
  return -1;
}

// The editor's extra selections as the text each covers.
QStringList shaded(QPlainTextEdit* editor) {
  QStringList out;
  for (const QTextEdit::ExtraSelection& s : editor->extraSelections()) out << s.cursor.selectedText();
  return out;
}

void settle() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  QTest::qWait(30);
}

}  // namespace

class TestLinking : public attnviz::test::WindowTest {
  Q_OBJECT

  ArcsPanel* arcs() { return panel<ArcsPanel>("arcs"); }
  HeatmapPanel* heatmap() { return panel<HeatmapPanel>("heatmap"); }

  void openTinyEncoder() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
  }

  void showArcs() {
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_VERIFY(arcs()->view()->isVisible() && !arcs()->view()->data().empty());
    settle();
  }

  QString header() const {
    // What the arcs header says about the focus: the title plus the painter's " · from “…” (pinned)".
    const ArcsView* view = qobject_cast<ArcsPanel*>(w_->panelArea()->panel(QStringLiteral("arcs")))->view();
    const ArcsStyle& s = view->arcsStyle();
    if (s.focus < 0) return {};
    return QStringLiteral("from “%1”%2").arg(view->data().groups[static_cast<std::size_t>(s.focus)].text,
                                               s.pinned ? QStringLiteral(" (pinned)") : QString());
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void pinFollowsTheWordAcrossEdits() {
    openTinyEncoder();
    showArcs();
    const int it = tokenIndex(*ws_->trace(), "it");
    QVERIFY(it > 0);
    ArcsView* view = arcs()->view();
    QTest::mouseClick(view->canvas(), Qt::LeftButton, {}, view->groupCenter(it).toPoint());
    QTRY_COMPARE(ws_->selection().pinnedRow(), it);
    QCOMPARE(header(), QStringLiteral("from “it” (pinned)"));

    // Words inserted in front: the pin goes with "it" to its new index, and the status bar says so.
    QVERIFY(typeAndWait(QStringLiteral("Oh well. ") + kSentence));
    const int moved = tokenIndex(*ws_->trace(), "it");
    QVERIFY(moved > it);
    QTRY_COMPARE(ws_->selection().pinnedRow(), moved);
    QCOMPARE(ws_->selection().row(), moved);
    QTRY_COMPARE(header(), QStringLiteral("from “it” (pinned)"));
    QVERIFY2(w_->statusBar()->currentMessage().contains(QStringLiteral("Pin on “it” followed")),
             qPrintable(w_->statusBar()->currentMessage()));
    // The heatmap shows the same row.
    QCOMPARE(heatmap()->view()->highlightRow(), moved);

    // "it" edited away: the pin is released, said in the status bar, and no panel claims a pin.
    QString without = QStringLiteral("Oh well. ") + kSentence;
    without.replace(QStringLiteral(" it "), QStringLiteral(" she "));
    QVERIFY(typeAndWait(without));
    QTRY_COMPARE(ws_->selection().pinnedRow(), Selection::kNone);
    QVERIFY2(w_->statusBar()->currentMessage().startsWith(QStringLiteral("Pin on “it” released")),
             qPrintable(w_->statusBar()->currentMessage()));
    QVERIFY(!arcs()->view()->pinned());
    QVERIFY(!header().contains(QStringLiteral("pinned")));
  }

  void heatmapHoverLinksBothTokensAtOnceAndClickPins() {
    openTinyEncoder();
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    HeatmapView* view = heatmap()->view();
    QTRY_VERIFY(view->isVisible() && !view->data().empty());
    settle();
    const int it = tokenIndex(*ws_->trace(), "it");
    const int animal = tokenIndex(*ws_->trace(), "animal");
    QVERIFY(it > 0 && animal > 0);

    // Hover a cell: query and key in the Selection, both shaded in the editor, tooltip at once, status bar line.
    QTest::mouseMove(view, view->cellCenter(it, animal).toPoint());
    QTRY_COMPARE(ws_->selection().row(), it);
    QCOMPARE(ws_->selection().column(), animal);
    QCOMPARE(view->highlightRow(), it);
    QCOMPARE(view->highlightCol(), animal);
    QVERIFY(QToolTip::isVisible());  // no 700 ms wait
    QVERIFY2(QToolTip::text().startsWith(QStringLiteral("it → animal")), qPrintable(QToolTip::text()));
    const QStringList marks = shaded(w_->editor());
    QVERIFY2(marks.contains(QStringLiteral("it")) && marks.contains(QStringLiteral("animal")), qPrintable(marks.join(u'|')));
    const QString expected = QStringLiteral("query token “it” (%1) → key token “animal” (%2): %3 · ")
                                 .arg(it)
                                 .arg(animal)
                                 .arg(view->data().at(it, animal), 0, 'f', 3);
    QVERIFY2(w_->statusBar()->currentMessage().startsWith(expected), qPrintable(w_->statusBar()->currentMessage()));
    QVERIFY(w_->statusBar()->currentMessage().contains(QStringLiteral("layer")));

    // Hover a row label: that row alone; a column label: that column alone.
    const HeatmapGeometry g = view->geometryNow();
    const QPointF rowLabel(g.rowLabels.center().x(), view->cellCenter(animal, 0).y());
    QCOMPARE(view->hitAt(rowLabel), std::make_pair(animal, -1));
    QTest::mouseMove(view, rowLabel.toPoint());
    QTRY_COMPARE(ws_->selection().row(), animal);
    QCOMPARE(ws_->selection().column(), Selection::kNone);
    const QPointF colLabel(view->cellCenter(0, it).x(), g.colLabels.top() + 10);
    QCOMPARE(view->hitAt(colLabel), std::make_pair(-1, it));
    QTest::mouseMove(view, colLabel.toPoint());
    QTRY_COMPARE(ws_->selection().column(), it);

    // Click a cell: its row is pinned (as in Arcs); leaving the map goes back to it; clicking it again releases.
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellCenter(it, animal).toPoint());
    QCOMPARE(ws_->selection().pinnedRow(), it);
    QTest::mouseMove(view, view->cellCenter(2, 3).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 2);
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(view, &leave);
    QCOMPARE(ws_->selection().row(), it);
    QCOMPARE(ws_->selection().column(), Selection::kNone);
    QVERIFY(w_->statusBar()->currentMessage().isEmpty());
    showArcs();
    QVERIFY(arcs()->view()->pinned());
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QTRY_VERIFY(view->isVisible());
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellCenter(it, 1).toPoint());
    QCOMPARE(ws_->selection().pinnedRow(), Selection::kNone);
  }

  void arcsHoverReachesTheEditor() {
    openTinyEncoder();
    showArcs();
    const int animal = tokenIndex(*ws_->trace(), "animal");
    ArcsView* view = arcs()->view();
    QTest::mouseMove(view->canvas(), view->groupCenter(animal).toPoint());
    QTRY_COMPARE(ws_->selection().row(), animal);
    QTRY_VERIFY(shaded(w_->editor()).contains(QStringLiteral("animal")));
    // Pinned, hovering another token makes it the key: both shaded.
    QTest::mouseClick(view->canvas(), Qt::LeftButton, {}, view->groupCenter(animal).toPoint());
    const int street = tokenIndex(*ws_->trace(), "street");
    QTest::mouseMove(view->canvas(), view->groupCenter(street).toPoint());
    QTRY_COMPARE(ws_->selection().column(), street);
    QCOMPARE(ws_->selection().row(), animal);
    QCOMPARE(view->arcsStyle().keyHighlight, street);
    const QStringList marks = shaded(w_->editor());
    QVERIFY2(marks.contains(QStringLiteral("animal")) && marks.contains(QStringLiteral("street")), qPrintable(marks.join(u'|')));
  }

  void truncatedInputIsMarkedInTheEditor() {
    // tiny-hf-coref has 24 positions: the rest of a longer text is greyed, with the limit in its tooltip.
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref")));
    QVERIFY(showWindow());
    const QString text = kSentence + QLatin1Char(' ') + kSentence + QLatin1Char(' ') + kSentence;
    QVERIFY(typeAndWait(text));
    QVERIFY(!ws_->trace()->warnings.empty());
    auto* link = w_->editor()->findChild<EditorTokenLink*>();
    QVERIFY(link);
    QTRY_VERIFY(link->cutPosition() > 0);
    // The cut comes after the last token read: the greyed part starts there and runs to the end.
    const int cut = link->cutPosition();
    QVERIFY(cut < text.size());
    QVERIFY(!text[cut].isSpace());
    bool greyed = false;
    for (const QTextEdit::ExtraSelection& s : w_->editor()->extraSelections()) {
      if (s.cursor.selectionStart() == cut && s.cursor.selectionEnd() == text.size()) {
        greyed = s.format.underlineStyle() == QTextCharFormat::WaveUnderline;
      }
    }
    QVERIFY(greyed);
    QVERIFY2(link->cutToolTip().contains(QStringLiteral("truncated to 24 tokens")), qPrintable(link->cutToolTip()));
    // The tooltip over the greyed part is that text (not the editor's own).
    QTextCursor at(w_->editor()->document());
    at.setPosition(cut + 3);
    const QPoint over = w_->editor()->cursorRect(at).center();
    QHelpEvent help(QEvent::ToolTip, over, w_->editor()->viewport()->mapToGlobal(over));
    QCoreApplication::sendEvent(w_->editor()->viewport(), &help);
    QVERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), link->cutToolTip());
    // A text that fits: nothing marked.
    QVERIFY(typeAndWait(QStringLiteral("it was tired.")));
    QTRY_COMPARE(link->cutPosition(), -1);
  }
};

QTEST_MAIN(TestLinking)
#include "test_linking.moc"

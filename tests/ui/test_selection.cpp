// Selection: emits only on change, once per call, and ignores re-entrant writes of the same property.
#include <QSignalSpy>
#include <QtTest>

#include "ui/document/selection.h"

using attnviz::ui::Selection;

class TestSelection : public QObject {
  Q_OBJECT

 private slots:
  void startsEmpty() {
    Selection s;
    QCOMPARE(s.row(), Selection::kNone);
    QCOMPARE(s.column(), Selection::kNone);
    QCOMPARE(s.layer(), 0);
    QCOMPARE(s.head(), 0);
  }

  void emitsOnlyOnChange() {
    Selection s;
    QSignalSpy cell(&s, &Selection::cellChanged);
    QSignalSpy lh(&s, &Selection::layerHeadChanged);
    s.setCell(2, 3);
    s.setCell(2, 3);
    s.setRow(2);
    s.setColumn(3);
    QCOMPARE(cell.count(), 1);
    QCOMPARE(cell.at(0).at(0).toInt(), 2);
    QCOMPARE(cell.at(0).at(1).toInt(), 3);
    s.setLayerHead(1, 1);
    s.setLayer(1);
    s.setHead(1);
    QCOMPARE(lh.count(), 1);
    QSignalSpy variant(&s, &Selection::variantChanged);
    QSignalSpy sentence(&s, &Selection::sentenceChanged);
    QSignalSpy patch(&s, &Selection::patchChanged);
    s.setVariant(QStringLiteral("luong"));
    s.setVariant(QStringLiteral("luong"));
    s.setSentence(4);
    s.setSentence(4);
    s.setPatch(7);
    s.setPatch(7);
    QCOMPARE(variant.count(), 1);
    QCOMPARE(sentence.count(), 1);
    QCOMPARE(patch.count(), 1);
    QCOMPARE(s.variant(), QStringLiteral("luong"));
    QCOMPARE(s.sentence(), 4);
    QCOMPARE(s.patch(), 7);
  }

  // A listener that writes back a different value (a panel echoing with an off-by-one mapping) must
  // not start a ping-pong: the write-back is ignored while the signal is being delivered.
  void noBounceOnReentry() {
    Selection s;
    int calls = 0;
    connect(&s, &Selection::cellChanged, this, [&](int row, int col) {
      ++calls;
      s.setCell(row + 1, col + 1);
    });
    s.setCell(0, 0);
    QCOMPARE(calls, 1);
    QCOMPARE(s.row(), 0);
    QCOMPARE(s.column(), 0);
  }

  // Re-entry guards are per property: a cell listener may still move the layer.
  void otherPropertyMayChangeFromSlot() {
    Selection s;
    connect(&s, &Selection::cellChanged, this, [&](int row, int) { s.setLayer(row); });
    QSignalSpy lh(&s, &Selection::layerHeadChanged);
    s.setCell(1, 0);
    QCOMPARE(s.layer(), 1);
    QCOMPARE(lh.count(), 1);
  }

  void resetClearsFocus() {
    Selection s;
    s.setCell(1, 1);
    s.setLayerHead(1, 1);
    s.reset();
    QCOMPARE(s.row(), Selection::kNone);
    QCOMPARE(s.layer(), 0);
    QCOMPARE(s.head(), 0);
  }
};

QTEST_GUILESS_MAIN(TestSelection)
#include "test_selection.moc"

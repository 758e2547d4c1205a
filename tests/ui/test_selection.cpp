// Selection: emits only on change, once per call, and ignores re-entrant writes of the same property. The pin:
// a hover that ends goes back to it; new token axes move row, column and pin to the token each was on, or release
// them with a note (followTokens aligns the token lists).
#include <QSignalSpy>
#include <QtTest>

#include "ui/document/selection.h"
#include "ui/document/token_follow.h"

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
    s.setPinnedRow(1);
    s.reset();
    QCOMPARE(s.row(), Selection::kNone);
    QCOMPARE(s.pinnedRow(), Selection::kNone);
    QCOMPARE(s.layer(), 0);
    QCOMPARE(s.head(), 0);
  }

  void followTokensAlignsByText() {
    using attnviz::ui::followTokens;
    const std::vector<std::string> before{"[CLS]", "the", "cat", "sat", "on", "it", "[SEP]"};
    // Inserted in front: everything shifts by one.
    QCOMPARE(followTokens(before, {"[CLS]", "oh", "the", "cat", "sat", "on", "it", "[SEP]"}),
             (std::vector<int>{0, 2, 3, 4, 5, 6, 7}));
    // "cat" changed to "dog": gone; the rest stays where it is.
    QCOMPARE(followTokens(before, {"[CLS]", "the", "dog", "sat", "on", "it", "[SEP]"}),
             (std::vector<int>{0, 1, -1, 3, 4, 5, 6}));
    // A repeated word: the one at the matching place, not the first of its kind.
    QCOMPARE(followTokens({"a", "it", "b", "it", "c"}, {"a", "x", "b", "it", "c"}), (std::vector<int>{0, -1, 2, 3, 4}));
    QCOMPARE(followTokens({}, {"a"}), std::vector<int>{});
    QCOMPARE(followTokens({"a"}, {}), std::vector<int>{-1});
  }

  void pinFollowsItsTokenOrIsReleasedSayingSo() {
    Selection s;
    const std::vector<std::string> tokens{"[CLS]", "the", "animal", "was", "tired", "because", "it", "slept", "[SEP]"};
    s.followAxes({tokens, tokens});
    s.setCell(6, 2);
    s.setPinnedRow(6);
    QCOMPARE(s.pinnedRow(), 6);
    QSignalSpy pin(&s, &Selection::pinChanged);
    QSignalSpy note(&s, &Selection::pinFollowed);
    // Words inserted before: the pin goes with "it", the column with "animal".
    std::vector<std::string> edited{"[CLS]", "oh", ".", "the", "animal", "was", "tired", "because", "it", "slept", "[SEP]"};
    const QString followed = s.followAxes({edited, edited});
    QCOMPARE(s.pinnedRow(), 8);
    QCOMPARE(s.row(), 8);
    QCOMPARE(s.column(), 4);
    QCOMPARE(pin.count(), 1);
    QCOMPARE(note.count(), 1);
    QVERIFY2(followed.contains(QStringLiteral("“it”")) && followed.contains(QStringLiteral("now token 8")), qPrintable(followed));
    // The same axes again (a rerun): nothing to say.
    QVERIFY(s.followAxes({edited, edited}).isEmpty());
    // A hover elsewhere, then it ends: back to the pin.
    s.setCell(3, 5);
    s.releaseHover();
    QCOMPARE(s.row(), 8);
    QCOMPARE(s.column(), Selection::kNone);
    // "it" replaced by "she": released, and said.
    edited[8] = "she";
    const QString released = s.followAxes({edited, edited});
    QCOMPARE(s.pinnedRow(), Selection::kNone);
    QCOMPARE(s.row(), Selection::kNone);
    QVERIFY2(released.startsWith(QStringLiteral("Pin on “it” released")), qPrintable(released));
    QCOMPARE(note.count(), 2);
  }

  void samePositionPinIsKeptAndSaid() {
    // A vit image change: the same token names ([CLS], patch r,c): the pin and its patch stay, and that is said.
    Selection s;
    const std::vector<std::string> tokens{"[CLS]", "patch 0,0", "patch 0,1", "patch 1,0", "patch 1,1"};
    s.followAxes({tokens, tokens});
    s.setPatch(2);
    s.setPinnedRow(3);
    s.followAxes({tokens, tokens, "a.png"});
    const QString note = s.followAxes({tokens, tokens, "b.png"});
    QCOMPARE(s.pinnedRow(), 3);
    QCOMPARE(s.patch(), 2);
    QVERIFY2(note.startsWith(QStringLiteral("Pin kept on “patch 1,0”")), qPrintable(note));
    // A grid without that patch: released, and the patch with it.
    const std::vector<std::string> small{"[CLS]", "patch 0,0"};
    s.followAxes({small, small});
    QCOMPARE(s.pinnedRow(), Selection::kNone);
    QCOMPARE(s.patch(), Selection::kNone);
  }
};

QTEST_GUILESS_MAIN(TestSelection)
#include "test_selection.moc"

// Gold alignments in the GUI on hand-made sentences with a deterministic fake model (cross-attention
// peaks on the diagonal, so its argmax alignment is known): loading a WPT set, picking a sentence
// (source into the editor, gold target force-decoded), sure/possible squares and the sentence AER,
// corpus AER in the background with progress and cancel, token-to-word matching, broken files.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/gold_alignment.h"
#include "ui/alignment/gold_bar.h"
#include "ui/alignment/gold_files_dialog.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/alignment/seq2seq_run_bar.h"
#include "ui/document/workspace.h"
#include "ui/alignment/seq2seq_extension.h"

using namespace attnviz::ui;
using attnviz::test::FakeSeq2seq;

namespace {

void write(const QString& path, const QByteArray& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text);
}

int countMarks(const HeatmapData& d, MarkShape shape) {
  return static_cast<int>(std::count_if(d.marks.begin(), d.marks.end(), [shape](const HeatmapMark& m) { return m.shape == shape; }));
}

}  // namespace

class TestGold : public attnviz::test::WindowTest {
  Q_OBJECT

  QTemporaryDir dir_;
  std::shared_ptr<FakeSeq2seq> model_;

  AlignmentPanel* alignment() { return qobject_cast<AlignmentPanel*>(w_->panelArea()->panel(QStringLiteral("alignment"))); }
  QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }

  bool loadHandMade() { return alignment()->goldBar()->loadFiles(path("dev.wa"), path("dev.e"), path("dev.f")); }

 private slots:
  void initTestCase() {
    attnviz::test::isolateSettings();
    QVERIFY(dir_.isValid());
    // Sentence 1: S = {(1,1), (2,3)}, P adds (3,3). The fake's argmax links (1,1), (2,2), (3,3) (1-based),
    // so |A∩S| = 1, |A∩P| = 2, |A| = 3, |S| = 2: AER = 1 - 3/5 = 0.4.
    // Sentence 2: S = the diagonal, found exactly: AER 0. Corpus: 1 - (1+3 + 2+3) / (3+3 + 2+3) = 2/11.
    write(path("dev.wa"), "1 1 1 S\n1 2 3 S\n1 3 3 P\n2 1 1 S\n2 2 2\n2 3 3 S\n");
    write(path("dev.e"), "the cat sat\na dog sleeps\n");
    write(path("dev.f"), "le chat assis\nun chien dort\n");
    write(path("bad.wa"), "1 1 1 S\n1 x 2 S\n");
    write(path("far.wa"), "1 9 1 S\n");
  }

  void init() {
    createWindow();
    model_ = std::make_shared<FakeSeq2seq>();
    ws_->addModel(model_, QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow());
  }

  void cleanup() {
    closeWindow();
    model_.reset();
  }

  void tokensAreMatchedToGoldWords() {
    // Word-to-token matching itself is attnviz::alignWords (tests/unit/test_word_alignment.cpp); here the GUI's
    // side: the special tokens that end a sequence are not words, and a trace whose target is not the gold
    // target's tokens is not comparable and says to force-decode it.
    QCOMPARE(wordTokenCount({"le", "chat", "<eos>"}), 2);
    QCOMPARE(wordTokenCount({"le", "<unk>", "<eos>"}), 2);  // an unknown word is still a word
    GoldSentence s;
    s.source = {"the", "cat"};
    s.target = {"le", "chat"};
    attnviz::Trace t;
    t.sourceTokens = {"the", "cat", "<eos>"};
    t.targetTokens = {"le", "chien", "<eos>"};
    t.attention["cross"] = attnviz::Tensor({3, 3});
    const SentenceAlignment a = alignToGold(t, s);
    QVERIFY(!a.comparable);
    QVERIFY2(a.why.contains(QStringLiteral("force-decode the gold target")), qPrintable(a.why));
    t.targetTokens = {"le", "chat", "<eos>"};
    QVERIFY(alignToGold(t, s).comparable);
    const auto [e, f] = GoldFilesDialog::guessSentenceFiles(path("dev.wa"));
    QCOMPARE(e, path("dev.e"));
    QCOMPARE(f, path("dev.f"));
  }

  void pickingASentenceForcesItsTargetAndDrawsGold() {
    QVERIFY(loadHandMade());
    QCOMPARE(ws_->extension<Seq2seqExtension>().gold().size(), 2);
    QComboBox* box = alignment()->goldBar()->sentenceBox();
    QCOMPARE(box->count(), 2);
    QVERIFY(box->isVisible());
    box->setCurrentIndex(0);
    emit box->activated(0);  // what picking it with the mouse does
    QCOMPARE(w_->editor()->toPlainText(), QStringLiteral("the cat sat"));
    QCOMPARE(alignment()->runBar()->targetEdit()->text(), QStringLiteral("le chat assis"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "the cat sat" && ws_->trace()->hypotheses.empty());
    QVERIFY(model_->lastOptions().target.has_value());
    QCOMPARE(ws_->extension<Seq2seqExtension>().activeGoldSentence(), 0);

    QTRY_COMPARE(countMarks(alignment()->view()->data(), MarkShape::FilledSquare), 2);
    const HeatmapData& d = alignment()->view()->data();
    QCOMPARE(countMarks(d, MarkShape::HollowSquare), 1);
    QCOMPARE(countMarks(d, MarkShape::Dot), 3);
    // (source 2, target 3) 1-based is sure: target row 2, source column 1, 0-based.
    QVERIFY(std::any_of(d.marks.begin(), d.marks.end(), [](const HeatmapMark& m) {
      return m.row == 2 && m.col == 1 && m.shape == MarkShape::FilledSquare;
    }));
    QVERIFY2(d.title.contains(QStringLiteral("AER 0.400")), qPrintable(d.title));
    QVERIFY2(alignment()->goldBar()->sentenceAerText().contains(QStringLiteral("0.400")),
             qPrintable(alignment()->goldBar()->sentenceAerText()));
    QCOMPARE(d.markNames[static_cast<std::size_t>(MarkShape::FilledSquare)], QStringLiteral("gold sure"));

    // Gold off: squares go, dots stay.
    alignment()->setGoldShown(false);
    QCOMPARE(countMarks(alignment()->view()->data(), MarkShape::FilledSquare), 0);
    QCOMPARE(countMarks(alignment()->view()->data(), MarkShape::Dot), 3);
    alignment()->setGoldShown(true);

    // Sentence 2 is aligned perfectly.
    ws_->extension<Seq2seqExtension>().useGoldSentence(1);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "a dog sleeps");
    QTRY_VERIFY(alignment()->view()->data().title.contains(QStringLiteral("AER 0.000")));

    // Editing the input leaves the gold sentence: no squares, the bar says why.
    w_->editor()->setPlainText(QStringLiteral("a dog sleeps on the mat"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "a dog sleeps on the mat");
    QCOMPARE(ws_->extension<Seq2seqExtension>().activeGoldSentence(), -1);
    QCOMPARE(countMarks(alignment()->view()->data(), MarkShape::FilledSquare), 0);
    QVERIFY(alignment()->goldBar()->sentenceAerText().contains(QStringLiteral("edited")));
  }

  void corpusAerRunsInTheBackground() {
    QVERIFY(loadHandMade());
    QSignalSpy progress(&ws_->extension<Seq2seqExtension>().corpusAerRunner(), &CorpusAerRunner::progress);
    QSignalSpy finished(&ws_->extension<Seq2seqExtension>().corpusAerRunner(), &CorpusAerRunner::finished);
    QTest::mouseClick(alignment()->goldBar()->corpusButton(), Qt::LeftButton);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().at(0).toInt(), 2);
    const auto& results = ws_->extension<Seq2seqExtension>().gold().corpusAer();
    QCOMPARE(results.size(), 1);
    const CorpusAer& r = results.first();
    QCOMPARE(r.sentences, 2);
    QCOMPARE(r.skipped, 0);
    QVERIFY(std::abs(r.counts.aer() - 2.0 / 11.0) < 1e-9);
    QVERIFY2(alignment()->goldBar()->corpusAerText().contains(QStringLiteral("0.182")),
             qPrintable(alignment()->goldBar()->corpusAerText()));
  }

  void corpusAerCanBeCancelled() {
    // 40 sentences at 50 ms each: two seconds unless cancelled.
    QByteArray wa, e, f;
    for (int i = 1; i <= 40; ++i) {
      wa += QByteArray::number(i) + " 1 1 S\n";
      e += "the cat\n";
      f += "le chat\n";
    }
    write(path("long.wa"), wa);
    write(path("long.e"), e);
    write(path("long.f"), f);
    auto slow = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "slow", .delayMs = 50});
    ws_->addModel(slow, QStringLiteral("fake:slow"));
    QVERIFY(alignment()->goldBar()->loadFiles(path("long.wa"), path("long.e"), path("long.f")));
    QSignalSpy canceled(&ws_->extension<Seq2seqExtension>().corpusAerRunner(), &CorpusAerRunner::canceled);
    QSignalSpy finished(&ws_->extension<Seq2seqExtension>().corpusAerRunner(), &CorpusAerRunner::finished);
    ws_->extension<Seq2seqExtension>().startCorpusAer();
    QVERIFY(ws_->extension<Seq2seqExtension>().corpusAerRunner().isRunning());
    QTRY_VERIFY(alignment()->goldBar()->cancelButton()->isVisible());
    QTest::mouseClick(alignment()->goldBar()->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE(canceled.count(), 1);
    QCOMPARE(finished.count(), 0);
    QVERIFY(ws_->extension<Seq2seqExtension>().gold().corpusAer().isEmpty());
    QVERIFY(slow->runs() < 40);
    QVERIFY(alignment()->goldBar()->corpusAerText().contains(QStringLiteral("cancelled")));
  }

  void brokenGoldFilesAreReported() {
    QVERIFY(!alignment()->goldBar()->loadFiles(path("bad.wa"), path("dev.e"), path("dev.f")));
    QVERIFY(ws_->extension<Seq2seqExtension>().gold().isEmpty());
    QVERIFY(!alignment()->goldBar()->loadFiles(path("far.wa"), path("dev.e"), path("dev.f")));  // word 9 of 3
    QVERIFY(!alignment()->goldBar()->loadFiles(path("missing.wa"), path("dev.e"), path("dev.f")));
    QVERIFY(ws_->extension<Seq2seqExtension>().gold().isEmpty());
    const auto labels = alignment()->goldBar()->findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
      return l->isVisible() && l->text().contains(QStringLiteral("Could not load the gold alignments"));
    }));
  }
};

QTEST_MAIN(TestGold)
#include "test_gold.moc"

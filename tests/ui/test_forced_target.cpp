// A seq2seq forced target is visibly a forced target and never silently outlives the sentence it was made for
// (issue 18, item 1): the header and the translation strip say "Forced target", not "Translation"; editing the
// sentence, replacing the gold set it came from or opening a model with another target vocabulary releases it and
// the run bar says why, unless Keep is ticked; a session keeps the target with its sentence and never decodes it
// with another one.
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextDocumentFragment>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/gold_bar.h"
#include "ui/alignment/seq2seq_extension.h"
#include "ui/alignment/seq2seq_run_bar.h"
#include "ui/alignment/token_strip.h"
#include "ui/session/session_state.h"
#include "ui/shell/main_window.h"
#include "ui/shell/session_controller.h"

using namespace attnviz::ui;
using attnviz::test::FakeSeq2seq;

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

}  // namespace

class TestForcedTarget : public attnviz::test::WindowTest {
  Q_OBJECT

  std::shared_ptr<FakeSeq2seq> model_;
  QTemporaryDir dir_;

  AlignmentPanel* alignment() { return panel<AlignmentPanel>("alignment"); }
  Seq2seqRunBar* runBar() { return alignment()->runBar(); }
  // The line above the panels, as plain text.
  QString header() const {
    auto* label = w_->findChild<QLabel*>(QStringLiteral("prediction"));
    return label && !label->isHidden() ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : QString();
  }
  // Types a target into the run bar and waits for its forced run.
  bool forceTarget(const QString& target) {
    runBar()->targetEdit()->setText(target);
    return QTest::qWaitFor([&] { return ws_->trace() && ws_->trace()->prediction.forced &&
                                        ws_->trace()->prediction.translation == target.toStdString(); }, kWaitMs);
  }
  bool freeRunOf(const QString& input) {
    return QTest::qWaitFor([&] { return ws_->trace() && ws_->trace()->input == input.toStdString() &&
                                        !ws_->trace()->prediction.forced; }, kWaitMs);
  }

 private slots:
  void initTestCase() {
    attnviz::test::isolateSettings();
    QVERIFY(dir_.isValid());
  }

  void init() {
    createWindow();
    ws_->setLoader([](const std::string& path, const attnviz::LoadOptions&) -> ModelPtr {  // a session reopens it
      if (path.ends_with("fake:bahdanau")) return std::make_shared<FakeSeq2seq>();  // the session made it absolute
      throw attnviz::ModelFileError(path, "no such fake model");
    });
    model_ = std::make_shared<FakeSeq2seq>();
    ws_->addModel(model_, QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(QStringLiteral("the cat sat")));
  }

  void cleanup() {
    closeWindow();
    model_.reset();
  }

  void aForcedTargetIsCalledOneEverywhere() {
    QVERIFY2(header().startsWith(QStringLiteral("Translation: le chat assis")), qPrintable(header()));
    QCOMPARE(alignment()->translationStrip()->caption(), QStringLiteral("Translation"));
    QVERIFY(forceTarget(QStringLiteral("je suis très fatigué .")));
    QTRY_VERIFY2(header().startsWith(QStringLiteral("Forced target: je suis très fatigué .")), qPrintable(header()));
    QVERIFY(!header().contains(QStringLiteral("Translation:")));
    QCOMPARE(alignment()->translationStrip()->caption(), QStringLiteral("Forced target"));
    QVERIFY(alignment()->view()->data().title.contains(QStringLiteral("forced target")));
    QVERIFY2(runBar()->modeText().startsWith(QStringLiteral("forced decoding — The forced target is for “the cat sat”")), qPrintable(runBar()->modeText()));
    QCOMPARE(ws_->forcedTarget().source, QStringLiteral("the cat sat"));
  }

  void editingTheSentenceReleasesTheTargetAndSaysSo() {
    QVERIFY(forceTarget(QStringLiteral("je suis très fatigué .")));
    QSignalSpy released(ws_, &Workspace::targetReleased);
    const QString animal = QStringLiteral("The animal didn't cross the street because it was too tired.");
    w_->editor()->setPlainText(animal);
    QCOMPARE(released.count(), 1);
    QVERIFY(!ws_->hasTarget());
    QCOMPARE(runBar()->targetEdit()->text(), QString());
    QVERIFY(freeRunOf(animal));
    QVERIFY(!model_->lastOptions().target.has_value());
    QTRY_VERIFY2(header().startsWith(QStringLiteral("Translation: ")), qPrintable(header()));
    QVERIFY(!header().contains(QStringLiteral("je suis")));
    QCOMPARE(alignment()->translationStrip()->caption(), QStringLiteral("Translation"));
    const QString note = runBar()->noteText();
    QVERIFY2(note.contains(QStringLiteral("Forced target “je suis très fatigué .” released")) &&
                 note.contains(QStringLiteral("made for “the cat sat”")),
             qPrintable(note));
    // Spacing alone is the same sentence: a target survives it.
    QVERIFY(forceTarget(QStringLiteral("un animal")));
    QVERIFY(runBar()->noteText().isEmpty());  // a new target: the old release is no news
    w_->editor()->setPlainText(QStringLiteral("The animal didn't  cross the street because it was too tired. "));
    QVERIFY(ws_->hasTarget());
  }

  void keepKeepsItForEverySentenceUntilUnticked() {
    QVERIFY(forceTarget(QStringLiteral("le chat")));
    runBar()->keepBox()->setChecked(true);
    QVERIFY(ws_->targetKept());
    QVERIFY2(runBar()->modeText().contains(QStringLiteral("kept for every sentence")), qPrintable(runBar()->modeText()));
    w_->editor()->setPlainText(QStringLiteral("a dog sleeps"));
    QVERIFY(ws_->hasTarget());
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "a dog sleeps" && ws_->trace()->prediction.forced);
    runBar()->keepBox()->setChecked(false);  // no longer kept, and made for another sentence: released
    QVERIFY(!ws_->hasTarget());
    QVERIFY(freeRunOf(QStringLiteral("a dog sleeps")));
    QVERIFY(!runBar()->noteText().isEmpty());
  }

  void anotherTargetVocabularyReleasesItTheSameKeepsIt() {
    QVERIFY(forceTarget(QStringLiteral("le chat")));
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "luong-dot"}), QStringLiteral("fake:dot"));
    QVERIFY(ws_->hasTarget());  // same target vocabulary: a comparison of variants on one target
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced);
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "other", .targetVocab = 7}),
                  QStringLiteral("fake:other"));
    QVERIFY(!ws_->hasTarget());
    QVERIFY2(runBar()->noteText().contains(QStringLiteral("another target vocabulary (target 7)")), qPrintable(runBar()->noteText()));
    QVERIFY(freeRunOf(QStringLiteral("the cat sat")));
  }

  // The path: gold sentence 1 fills the target; typing another sentence must not decode it.
  void aGoldTargetBelongsToItsSentenceAndToItsSet() {
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("a.wa")), "1 1 1 S\n"));
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("a.e")), "i am very tired .\n"));
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("a.f")), "je suis très fatigué .\n"));
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("b.wa")), "1 1 1 S\n"));
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("b.e")), "the dog\n"));
    QVERIFY(writeFile(dir_.filePath(QStringLiteral("b.f")), "le chien\n"));
    QVERIFY(alignment()->goldBar()->loadFiles(dir_.filePath(QStringLiteral("a.wa")), dir_.filePath(QStringLiteral("a.e")),
                                              dir_.filePath(QStringLiteral("a.f"))));
    ws_->extension<Seq2seqExtension>().useGoldSentence(0);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced && ws_->trace()->input == "i am very tired .");
    QCOMPARE(ws_->forcedTarget().source, QStringLiteral("i am very tired ."));
    QVERIFY(runBar()->noteText().isEmpty());  // the previous input's (none) release is not this one's news

    // Replacing the gold set releases the target it filled, saying so.
    QVERIFY(alignment()->goldBar()->loadFiles(dir_.filePath(QStringLiteral("b.wa")), dir_.filePath(QStringLiteral("b.e")),
                                              dir_.filePath(QStringLiteral("b.f"))));
    QVERIFY(!ws_->hasTarget());
    QVERIFY2(runBar()->noteText().contains(QStringLiteral("gold alignments it came from (sentence 1) were replaced")),
             qPrintable(runBar()->noteText()));

    ws_->extension<Seq2seqExtension>().useGoldSentence(0);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced && ws_->trace()->input == "the dog");
    const QString animal = QStringLiteral("The animal didn't cross the street because it was too tired.");
    w_->editor()->setPlainText(animal);
    QVERIFY(freeRunOf(animal));
    QTRY_VERIFY2(header().startsWith(QStringLiteral("Translation: ")) && !header().contains(QStringLiteral("le chien")),
                 qPrintable(header()));
  }

  void aSessionKeepsTheTargetWithItsSentence() {
    QVERIFY(forceTarget(QStringLiteral("le chat")));
    const QString path = dir_.filePath(QStringLiteral("forced.attnviz"));
    QVERIFY(w_->saveSessionTo(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const SessionState saved = sessionFromJson(f.readAll(), path);
    QCOMPARE(saved.target, QStringLiteral("le chat"));
    QCOMPARE(saved.targetSource, QStringLiteral("the cat sat"));

    // A session whose target was made for another sentence than its input: released, said, never decoded.
    SessionState other = saved;
    other.input = QStringLiteral("a dog sleeps");
    const QString otherPath = dir_.filePath(QStringLiteral("other.attnviz"));
    QVERIFY(writeFile(otherPath, sessionToJson(other, QDir(dir_.path()))));
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(otherPath));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kWaitMs);
    QVERIFY(!ws_->hasTarget());
    QVERIFY(freeRunOf(QStringLiteral("a dog sleeps")));
    QVERIFY2(runBar()->noteText().contains(QStringLiteral("given for “the cat sat”")), qPrintable(runBar()->noteText()));

    // Its own sentence: the target comes back, forced.
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 2, kWaitMs);
    QCOMPARE(ws_->target(), QStringLiteral("le chat"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced && ws_->trace()->input == "the cat sat");
  }
};

QTEST_MAIN(TestForcedTarget)
#include "test_forced_target.moc"

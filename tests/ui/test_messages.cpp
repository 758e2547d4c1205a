// What the window says about models and inputs stays true (issue 18, item 13): a model-load error goes when a later
// model opens and a newer one replaces it (no stack); switching models clears messages about the other one; an image
// that cannot be read is titled as the input's problem, not "Inference failed"; the gold-alignment dialog's labels
// show their mnemonic, not a literal "&"; the model card counts layers and heads from 1 as the panels do, follows the
// current model while open, and wraps long values instead of cutting them off.
#include <QDialog>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/document/workspace.h"
#include "ui/alignment/gold_files_dialog.h"
#include "ui/shell/help_pages.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"

using namespace attnviz::ui;

namespace {

QString data(const char* name) { return attnviz::test::testDataDir() + QLatin1Char('/') + QLatin1String(name); }

QDialog* openCard(MainWindow& w) {
  for (QDialog* d : w.findChildren<QDialog*>(QStringLiteral("helpPage")))
    if (d->isVisible() && d->windowTitle().startsWith(QStringLiteral("Model card"))) return d;
  return nullptr;
}

QString cardText(QDialog* card) { return card->findChild<QTextBrowser*>(QStringLiteral("helpText"))->toPlainText(); }

}  // namespace

class TestMessages : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    ws_->setLoader(attnviz::test::fakeLoader());
    QVERIFY(showWindow());
  }

  void cleanup() { closeWindow(); }

  void loadErrorsDoNotStackAndGoWhenAModelOpens() {
    MessageBar* bar = w_->messageBar();
    QSignalSpy failed(ws_, &Workspace::loadFailed);
    ws_->openModel(QStringLiteral("fake:broken"));
    ws_->openModel(QStringLiteral("/nonexistent/model-a"));
    QTRY_COMPARE(failed.count(), 2);
    QCOMPARE(bar->count(), 1);  // the newer failure replaced the older one
    QVERIFY2(bar->text(QStringLiteral("load")).contains(QStringLiteral("/nonexistent/model-a")) ||
                 bar->text(QStringLiteral("load")).contains(QStringLiteral("missing \"kind\"")),
             qPrintable(bar->text(QStringLiteral("load"))));
    QVERIFY(openModelAndWait(data("tiny-encoder")));
    QVERIFY(!bar->hasMessage(QStringLiteral("load")));
    QTRY_VERIFY(!bar->isVisible());
  }

  void switchingModelsClearsWhatWasAboutTheOther() {
    ws_->addModel(std::make_shared<attnviz::test::FakeModel>(), QStringLiteral("fake:encoder"));
    ws_->setInputText(QStringLiteral("this goes boom"));
    ws_->runNow();
    QTRY_VERIFY(w_->messageBar()->hasMessage(QStringLiteral("run")));
    ws_->openModel(QStringLiteral("fake:broken"));
    QTRY_VERIFY(w_->messageBar()->hasMessage(QStringLiteral("load")));
    QVERIFY(openModelAndWait(data("tiny-encoder"), 2));  // becomes current
    QVERIFY(!w_->messageBar()->hasMessage(QStringLiteral("load")));
    QTRY_VERIFY(!w_->messageBar()->hasMessage(QStringLiteral("run")));
  }

  void anUnreadableImageIsTitledAsAnInputProblem() {
    const QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("not-an-image.png"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is text, not a PNG");
    f.close();
    QVERIFY(openModelAndWait(data("tiny-hf-vit")));
    ws_->setImagePath(bad);
    QTRY_VERIFY_WITH_TIMEOUT(w_->messageBar()->hasMessage(QStringLiteral("run")), kWaitMs);
    const QString text = w_->messageBar()->text(QStringLiteral("run"));
    QVERIFY2(text.startsWith(QStringLiteral("Could not read the image — ")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("not-an-image.png")));
    QVERIFY(!text.contains(QStringLiteral("Inference failed")));
  }

  void goldDialogLabelsShowTheirMnemonic() {
    GoldFilesDialog dialog(QDir::tempPath(), w_.get());
    int labels = 0;
    for (QLabel* label : dialog.findChildren<QLabel*>()) {
      if (!label->text().startsWith(QLatin1Char('&'))) continue;
      ++labels;
      QVERIFY2(qobject_cast<QLineEdit*>(label->buddy()) != nullptr, qPrintable(label->text()));  // "&" is a mnemonic
    }
    QCOMPARE(labels, 3);  // Alignments, Source sentences, Target sentences
  }

  void theModelCardCountsFromOneFollowsTheModelAndWraps() {
    QVERIFY(openModelAndWait(data("tiny-hf-coref")));
    const QString html = modelCardHtml(ws_->currentModel()->info());
    QVERIFY(!html.contains(QStringLiteral("0-based")));
    w_->showModelCard();
    QDialog* card = openCard(*w_);
    QVERIFY(card);
    const auto [layer, head] = *ws_->currentModel()->info().coreferenceHead;
    QVERIFY2(cardText(card).contains(QStringLiteral("layer %1, head %2").arg(layer + 1).arg(head + 1)), qPrintable(cardText(card)));
    QVERIFY(cardText(card).contains(QStringLiteral("count from 1, as in the panels")));
    // Nothing runs off the right edge: long values (the pointer's JSON configuration) wrap.
    auto* text = card->findChild<QTextBrowser*>(QStringLiteral("helpText"));
    card->resize(420, 500);
    QTest::qWait(50);
    QCOMPARE(text->horizontalScrollBar()->maximum(), 0);
    QVERIFY(text->document()->idealWidth() <= text->viewport()->width() + 1);

    QVERIFY(openModelAndWait(data("tiny-encoder"), 2));  // another model becomes current: the card follows it
    QCOMPARE(openCard(*w_), card);
    QVERIFY2(card->windowTitle().contains(QString::fromStdString(ws_->currentModel()->info().identity.name)),
             qPrintable(card->windowTitle()));
    QVERIFY(!cardText(card).contains(QStringLiteral("coreference head")));
  }

  // Item 14: the Open Model dialog and a drop hand the window a file; any file of a model folder opens the folder
  // (MainWindow's modelPathFor, attnviz::modelPathForFile), never a "not a model" error about config.json.
  void aFileOfAModelFolderOpensTheFolder() {
    for (const char* file : {"config.json", "model.safetensors"}) {
      const QString picked = data("tiny-hf-bert") + QLatin1Char('/') + QLatin1String(file);
      QMimeData mime;
      mime.setUrls({QUrl::fromLocalFile(picked)});
      QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QCoreApplication::sendEvent(w_.get(), &enter);
      QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QCoreApplication::sendEvent(w_.get(), &drop);
      QTRY_VERIFY_WITH_TIMEOUT(!ws_->models().empty() || w_->messageBar()->hasMessage(QStringLiteral("load")), kWaitMs);
      QVERIFY2(!w_->messageBar()->hasMessage(QStringLiteral("load")), qPrintable(w_->messageBar()->text(QStringLiteral("load"))));
      QCOMPARE(QDir(ws_->models().front().path).canonicalPath(), QDir(data("tiny-hf-bert")).canonicalPath());
      QCOMPARE(ws_->models().size(), std::size_t{1});  // the second pick is the same folder: selected, not opened twice
    }
  }

  void aCardFromATrainingScriptThatCountsFromZeroIsShownFromOne() {
    attnviz::ModelInfo info;
    info.identity = {"m", "encoder", ""};
    info.coreferenceHead = std::pair{2, 3};
    info.card = {{"coreference head", "layer 2 head 3 (0-based): lands on the antecedent in 44.5%"}};
    const QString html = modelCardHtml(info);
    QVERIFY2(html.contains(QStringLiteral("layer 3, head 4: lands on the antecedent")), qPrintable(html));
    QCOMPARE(html.count(QStringLiteral("layer 3, head 4")), 2);  // the card's metric and the model's own field agree
  }
};

QTEST_MAIN(TestMessages)
#include "test_messages.moc"

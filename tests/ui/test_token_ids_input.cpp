// The window's inputs that reproduce another implementation's run exactly: Run > Input Is Token Ids (the editor's
// text read as ids, "| segment ids" after a bar, bad lists reported as the run's error, the placeholder saying what
// to type, the state kept in a session) and preprocessed pixels (.npy) for a vit model, drawn min-max scaled under
// the attention with a note that they are not the original image.
#include <QAction>
#include <QDataStream>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/shell/session_controller.h"
#include "ui/session/session_state.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

QString data(const QString& relative) { return attnviz::test::testDataDir() + QLatin1Char('/') + relative; }

std::vector<std::string> tokensOf(const Workspace& ws) { return ws.trace() ? ws.trace()->sourceTokens : std::vector<std::string>{}; }

// A float32 .npy of shape [3, h, w] holding a ramp (numpy's format 1.0: magic, header dict padded to 64 bytes).
QString writePixels(const QString& path, int h, int w) {
  QByteArray header = QStringLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (3, %1, %2), }").arg(h).arg(w).toLatin1();
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write("\x93NUMPY\x01\x00", 8);
  const quint16 length = static_cast<quint16>(header.size());
  f.write(reinterpret_cast<const char*>(&length), 2);
  f.write(header);
  for (int i = 0; i < 3 * h * w; ++i) {
    const float v = static_cast<float>(i % 97) / 48.0f - 1.0f;
    f.write(reinterpret_cast<const char*>(&v), 4);
  }
  return path;
}

}  // namespace

class TestTokenIdsInput : public attnviz::test::WindowTest {
  Q_OBJECT

  QAction* tokenIdsAction() { return w_->findChild<QAction*>(QStringLiteral("tokenIdsAction")); }

  void openModel(const QString& path) {
    QVERIFY(openModelAndWait(path));
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    QVERIFY(showWindow());
  }

  void cleanup() { closeWindow(); }

  void editorTextIsReadAsTokenIds() {
    openModel(data(QStringLiteral("tiny-hf-bert")));
    QVERIFY(tokenIdsAction());
    QVERIFY(!tokenIdsAction()->isChecked());
    tokenIdsAction()->trigger();
    QVERIFY(ws_->tokenIdsInput());
    QVERIFY(w_->editor()->placeholderText().contains(QStringLiteral("token ids")));
    // [CLS] the animal [SEP] in tiny-hf-bert's vocabulary, exactly as given: nothing added.
    w_->editor()->setPlainText(QStringLiteral("2 5 6 3"));
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_), (std::vector<std::string>{"[CLS]", "the", "animal", "[SEP]"}), 20000);
    w_->editor()->setPlainText(QStringLiteral("5 6"));
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_), (std::vector<std::string>{"the", "animal"}), 20000);
    QVERIFY(ws_->trace()->input.empty());  // token ids have no text
    // Segment ids after a bar change the embedding, so the prediction.
    w_->editor()->setPlainText(QStringLiteral("2 5 6 3 | 0 0 1 1"));
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_).size(), std::size_t{4}, 20000);
    QVERIFY(ws_->runError().isEmpty());
    // A list that is not ids is the run's error, named; the same text as a sentence would run.
    w_->editor()->setPlainText(QStringLiteral("the animal"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->runError().contains(QStringLiteral("expects token ids")), 20000);
    w_->editor()->setPlainText(QStringLiteral("2 5 34 3"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->runError().contains(QStringLiteral("outside the vocabulary of 34")), 20000);
    tokenIdsAction()->trigger();  // back to text: the sentence runs through the tokenizer again
    w_->editor()->setPlainText(QStringLiteral("the animal"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == "the animal" && ws_->runError().isEmpty(), 20000);
    QCOMPARE(tokensOf(*ws_), (std::vector<std::string>{"[CLS]", "the", "animal", "[SEP]"}));
  }

  void aModelWithoutTokenizerSaysToTypeTokenIds() {
    QTemporaryDir dir;
    for (const QString file : {QStringLiteral("config.json"), QStringLiteral("model.safetensors")})
      QVERIFY(QFile::copy(data(QStringLiteral("tiny-hf-bert/") + file), dir.filePath(file)));
    openModel(dir.path());
    QTRY_VERIFY(w_->editor()->placeholderText().contains(QStringLiteral("no tokenizer")));
    w_->editor()->setPlainText(QStringLiteral("the animal"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->runError().contains(QStringLiteral("Run > Input Is Token Ids")), 20000);
    tokenIdsAction()->trigger();
    w_->editor()->setPlainText(QStringLiteral("2 5 3"));
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_), (std::vector<std::string>{"#2", "#5", "#3"}), 20000);
  }

  void predictionLineShowsTheHead() {
    openModel(data(QStringLiteral("tiny-hf-bert")));
    w_->editor()->setPlainText(QStringLiteral("the animal was tired"));
    auto* prediction = w_->findChild<QLabel*>(QStringLiteral("prediction"));
    QVERIFY(prediction);
    QTRY_VERIFY_WITH_TIMEOUT(prediction->text().contains(QStringLiteral("Prediction: <b>")), 20000);
    QVERIFY(prediction->text().contains(QStringLiteral("NEGATIVE")));
  }

  void tokenIdsModeIsKeptInTheSession() {
    QTemporaryDir dir;
    openModel(data(QStringLiteral("tiny-hf-bert")));
    tokenIdsAction()->trigger();
    w_->editor()->setPlainText(QStringLiteral("2 5 6 3"));
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_).size(), std::size_t{4}, 20000);
    const SessionState saved = w_->sessions()->capture();
    QVERIFY(saved.tokenIds);
    const QString path = dir.path() + QStringLiteral("/s.attnviz");
    const SessionState parsed = sessionFromJson(sessionToJson(saved, QDir(dir.path())), path);
    QVERIFY(parsed.tokenIds);
    tokenIdsAction()->trigger();
    QVERIFY(!ws_->tokenIdsInput());
    w_->sessions()->restore(parsed);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->tokenIdsInput() && tokenIdsAction()->isChecked(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(tokensOf(*ws_), (std::vector<std::string>{"[CLS]", "the", "animal", "[SEP]"}), 20000);
  }

  void preprocessedPixelsRunAndAreShownScaledWithANote() {
    QTemporaryDir dir;
    const QString npy = writePixels(dir.path() + QStringLiteral("/pixels.npy"), 32, 32);
    QVERIFY(!npy.isEmpty());
    openModel(data(QStringLiteral("tiny-hf-vit")));
    ws_->setImagePath(npy);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == npy.toStdString(), 20000);
    QCOMPARE(ws_->runError(), QString());
    QCOMPARE(ws_->trace()->sourceTokens.size(), std::size_t{1 + 16});  // [CLS] and a 4 x 4 patch grid
    auto* patches = qobject_cast<PatchPanel*>(w_->panelArea()->panel(QStringLiteral("patches")));
    QVERIFY(patches);
    QTRY_VERIFY(patches->infoText().contains(QStringLiteral("preprocessed pixels")));
    // A .npy of another size is refused by the model, and the window says so.
    ws_->setImagePath(writePixels(dir.path() + QStringLiteral("/small.npy"), 8, 8));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->runError().contains(QStringLiteral("small.npy")), 20000);
  }
};

QTEST_MAIN(TestTokenIdsInput)
#include "test_token_ids_input.moc"

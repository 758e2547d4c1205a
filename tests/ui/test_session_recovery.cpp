// Crash recovery end to end: the real attnviz binary opens two models and an input, autosaves, and is killed
// with SIGKILL; a new window then offers the autosave in its message bar, and Restore brings the models and
// the input back. Discard deletes the file instead.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/session/autosave.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/recovery_offer.h"
#include "ui/shell/session_controller.h"
#include "ui/session/session_state.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::testDataDir;

namespace {

constexpr int kWaitMs = 60000;
const char* const kText = "the animal didn't cross the street because it was too tired";

QString dataPath(const char* name) { return QDir(testDataDir()).absoluteFilePath(QLatin1String(name)); }

QPushButton* messageButton(MessageBar* bar, const QString& text) {
  QCoreApplication::processEvents();  // a child added to a shown widget appears on the next event loop pass
  for (QPushButton* b : bar->findChildren<QPushButton*>())
    if (b->text() == text && b->isVisibleTo(bar)) return b;
  return nullptr;
}

}  // namespace

class TestSessionRecovery : public QObject {
  Q_OBJECT

  QTemporaryDir home_;
  QString autosaveDir_;

  // Starts attnviz on the two models and the text with its own XDG folders, waits until its autosave holds
  // both models and the text, and kills it with SIGKILL (no chance to clean up).
  void runAndKill() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), home_.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home_.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("ATTNVIZ_AUTOSAVE_MS"), QStringLiteral("200"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess app;
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::ForwardedChannels);
    app.start(QStringLiteral(ATTNVIZ_BINARY),
              {dataPath("tiny-encoder"), dataPath("tiny-hf-bert"), QStringLiteral("--text"), QLatin1String(kText)});
    QVERIFY2(app.waitForStarted(), qPrintable(app.errorString()));
    const QString file = QDir(autosaveDir_).filePath(QStringLiteral("autosave-%1.attnviz").arg(app.processId()));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          try {
            const SessionState s = readSessionFile(file);
            return s.models.size() == 2 && s.input == QLatin1String(kText);
          } catch (...) {
            return false;
          }
        }(),
        kWaitMs);
    app.kill();  // SIGKILL
    QVERIFY(app.waitForFinished());
    QCOMPARE(app.exitStatus(), QProcess::CrashExit);
    QVERIFY(QFile::exists(file));  // nobody removed it
  }

 private slots:
  void initTestCase() {
    attnviz::test::isolateSettings();
    QVERIFY(home_.isValid());
    autosaveDir_ = home_.filePath(QStringLiteral("data/attnviz/attnviz/autosave"));
  }

  void restoreAfterKill() {
    runAndKill();
    QCOMPARE(Autosave::orphans(autosaveDir_).size(), 1);
    MainWindow w;
    w.show();
    QVERIFY(offerRecovery(w, autosaveDir_));
    QVERIFY(w.messageBar()->text(QStringLiteral("recover")).contains(QLatin1String("2 models")));
    QPushButton* restore = messageButton(w.messageBar(), QStringLiteral("Restore"));
    QVERIFY(restore);
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR"))
      w.grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QStringLiteral("/recovery-offer.png"));
    QSignalSpy restored(w.sessions(), &SessionController::restored);
    restore->click();
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kWaitMs);
    Workspace* ws = w.workspace();
    QCOMPARE(ws->models().size(), std::size_t{2});
    QStringList paths;
    for (const auto& m : ws->models()) paths << m.path;
    paths.sort();
    QCOMPARE(paths, QStringList({dataPath("tiny-encoder"), dataPath("tiny-hf-bert")}));
    QCOMPARE(ws->inputText(), QLatin1String(kText));
    QVERIFY(ws->trace() && ws->trace()->input == kText);
    QVERIFY(!w.messageBar()->hasMessage(QStringLiteral("recover")));
    QVERIFY(Autosave::orphans(autosaveDir_).isEmpty());  // restored: not offered again
  }

  void discardAfterKill() {
    runAndKill();
    MainWindow w;
    QVERIFY(offerRecovery(w, autosaveDir_));
    QPushButton* discard = messageButton(w.messageBar(), QStringLiteral("Discard"));
    QVERIFY(discard);
    discard->click();
    QVERIFY(Autosave::orphans(autosaveDir_).isEmpty());
    QVERIFY(w.workspace()->models().empty());
    QVERIFY(!offerRecovery(w, autosaveDir_));  // nothing left to offer
  }
};

QTEST_MAIN(TestSessionRecovery)
#include "test_session_recovery.moc"

// Sessions: the .attnviz JSON format (round trip, relative model paths, hostile files), saving a window's
// session and opening it in a fresh window (models, input, selection, comparison, panel controls, tab, notes),
// drag and drop of a session file, recent sessions, and the autosave file's life (orphans, clean removal).
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/seq2seq_extension.h"
#include "ui/session/autosave.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/notes_dock.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/session_controller.h"
#include "ui/session/session_state.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::testDataDir;

namespace {

constexpr int kLoadMs = 30000;

QString dataPath(const char* name) { return QDir(testDataDir()).absoluteFilePath(QLatin1String(name)); }

SessionState fullState() {
  SessionState s;
  s.models = {dataPath("tiny-encoder"), dataPath("tiny-hf-bert")};
  s.current = 1;
  s.input = QStringLiteral("the animal didn't cross the street because it was tired\nline two ✓");
  s.image = QStringLiteral("/tmp/cat.png");
  s.target = QStringLiteral("das Tier");
  s.targetSource = QStringLiteral("the animal");
  s.targetKept = true;
  s.run.beam = 3;
  s.run.sentences = attnviz::SentenceMode::Lines;
  s.run.rollout = attnviz::RolloutFusion::Max;
  s.run.rolloutDiscard = 0.5;
  s.run.bf16 = true;
  s.layer = 1;
  s.head = 2;
  s.row = 4;
  s.column = 7;
  s.sentence = 1;
  s.patch = 12;
  s.hypothesis = 2;
  s.compared = {0, 1};
  s.reference = 1;
  s.compareTarget = CompareTarget::OwnOutput;
  s.tab = QStringLiteral("Arcs");
  s.panels.insert(QStringLiteral("heatmap"), QJsonObject{{"colormap", "magma"}, {"values", true}});
  s.splitters.insert(QStringLiteral("Attention/0"), QByteArray("\x00\xff\x10split", 8));
  s.windowState = QByteArray("docks\x00\x01", 7);
  s.windowGeometry = QByteArray("geometry");
  s.notes = {{dataPath("tiny-encoder"), QStringLiteral("Attention"), QStringLiteral("head 1.2 finds the antecedent")}};
  return s;
}

// The error message of parsing `json`, or "" when it parses.
QString parseError(const QByteArray& json) {
  try {
    sessionFromJson(json, QStringLiteral("/tmp/bad.attnviz"));
    return {};
  } catch (const attnviz::Error& e) {
    return QString::fromStdString(e.message());
  }
}

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray withKey(const char* key, const QJsonValue& value) {
  QJsonObject o = QJsonDocument::fromJson(sessionToJson(SessionState{}, QDir::temp())).object();
  o.insert(QLatin1String(key), value);
  return QJsonDocument(o).toJson();
}

}  // namespace

class TestSession : public attnviz::test::WindowTest {
  Q_OBJECT

  void openWindow() {
    createWindow();
    w_->resize(1100, 700);
    w_->show();
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void init() { openWindow(); }
  void cleanup() { closeWindow(); }

  void jsonRoundTripKeepsEverything() {
    const SessionState s = fullState();
    const QTemporaryDir dir;
    const SessionState back = sessionFromJson(sessionToJson(s, QDir(dir.path())), dir.filePath(QStringLiteral("s.attnviz")));
    QCOMPARE(back.models, s.models);
    QCOMPARE(back.current, s.current);
    QCOMPARE(back.input, s.input);
    QCOMPARE(back.image, s.image);
    QCOMPARE(back.target, s.target);
    QCOMPARE(back.targetSource, s.targetSource);
    QCOMPARE(back.targetKept, s.targetKept);
    QCOMPARE(back.run.beam, s.run.beam);
    QVERIFY(back.run.sentences == s.run.sentences);
    QVERIFY(back.run.rollout == s.run.rollout);
    QCOMPARE(back.run.rolloutDiscard, s.run.rolloutDiscard);
    QCOMPARE(back.run.bf16, s.run.bf16);
    QCOMPARE(QList<int>({back.layer, back.head, back.row, back.column, back.sentence, back.patch, back.hypothesis}),
             QList<int>({1, 2, 4, 7, 1, 12, 2}));
    QCOMPARE(back.compared, s.compared);
    QCOMPARE(back.reference, s.reference);
    QVERIFY(back.compareTarget == CompareTarget::OwnOutput);
    QCOMPARE(back.tab, s.tab);
    QCOMPARE(back.panels, s.panels);
    QCOMPARE(back.splitters, s.splitters);
    QCOMPARE(back.windowState, s.windowState);
    QCOMPARE(back.windowGeometry, s.windowGeometry);
    QCOMPARE(back.notes, s.notes);
  }

  // A project folder (session + model) that moves keeps working: the relative path wins over a stale absolute one.
  void relativeModelPathsFollowTheFolder() {
    const QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("project/models/m"))));
    SessionState s;
    s.models = {dir.filePath(QStringLiteral("project/models/m"))};
    const QByteArray json = sessionToJson(s, QDir(dir.filePath(QStringLiteral("project"))));
    QVERIFY(json.contains("\"relative\": \"models/m\""));
    QVERIFY(QDir(dir.path()).rename(QStringLiteral("project"), QStringLiteral("moved")));
    const SessionState back = sessionFromJson(json, dir.filePath(QStringLiteral("moved/s.attnviz")));
    QCOMPARE(back.models, QStringList{QDir::cleanPath(dir.filePath(QStringLiteral("moved/models/m")))});
    // Neither exists: the absolute path, so the error names where the model was.
    const SessionState gone = sessionFromJson(json, dir.filePath(QStringLiteral("elsewhere/s.attnviz")));
    QCOMPARE(gone.models, s.models);
  }

  void hostileFilesGetMessagesNamingTheKey() {
    QVERIFY(parseError("{not json").contains(QLatin1String("not JSON")));
    QVERIFY(parseError("[1, 2]").contains(QLatin1String("not an object")));
    QVERIFY(parseError(R"({"format": "something-else", "version": 1})").contains(QLatin1String("\"format\"")));
    QVERIFY(parseError(withKey("version", 99)).contains(QLatin1String("99 is not supported")));
    QVERIFY(parseError(withKey("models", 3)).contains(QLatin1String("\"models\": must be an array")));
    QVERIFY(parseError(withKey("models", QJsonArray{QJsonObject{}})).contains(QLatin1String("models[0]")));
    QJsonArray many;
    for (int i = 0; i <= kMaxSessionModels; ++i) many.append(QJsonObject{{"path", QStringLiteral("/m%1").arg(i)}});
    QVERIFY(parseError(withKey("models", many)).contains(QLatin1String("at most 64")));
    QVERIFY(parseError(withKey("input", QJsonObject{{"text", 5}})).contains(QLatin1String("\"text\": must be a string")));
    QVERIFY(parseError(withKey("input", QJsonObject{{"sentences", "paragraphs"}})).contains(QLatin1String("expected one of auto, lines, split")));
    QVERIFY(parseError(withKey("compare", QJsonObject{{"models", QJsonArray{5}}})).contains(QLatin1String("compare.models")));
    QVERIFY(parseError(withKey("layout", QJsonObject{{"window", "***"}})).contains(QLatin1String("not base64")));
    QVERIFY(parseError(withKey("notes", QJsonArray{7})).contains(QLatin1String("notes[0]")));
    QVERIFY(parseError(QByteArray(kMaxSessionBytes + 1, ' ')).contains(QLatin1String("larger than 16 MiB")));
    QVERIFY(parseError(withKey("input", QJsonObject{{"text", QString(kMaxSessionTextChars + 1, QLatin1Char('a'))}}))
                .contains(QLatin1String("at most")));
    // Out-of-range numbers are clamped, not refused; the file's name is in every message.
    const SessionState clamped = sessionFromJson(withKey("input", QJsonObject{{"beam", 1e12}}), QStringLiteral("x.attnviz"));
    QCOMPARE(clamped.run.beam, 32);
    QVERIFY(parseError("{").startsWith(QLatin1String("/tmp/bad.attnviz: ")));
    // Missing files and folders.
    const QTemporaryDir dir;
    QVERIFY_THROWS_EXCEPTION(attnviz::InputError, readSessionFile(dir.filePath(QStringLiteral("none.attnviz"))));
    QVERIFY_THROWS_EXCEPTION(attnviz::InputError, readSessionFile(dir.path()));
  }

  void openingABadFileShowsAMessageAndKeepsTheWindow() {
    const QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.attnviz"));
    QVERIFY(writeFile(path, R"({"format": "attnviz-session", "version": 1, "models": "no"})"));
    ws_->setInputText(QStringLiteral("kept"));
    QVERIFY(!w_->sessions()->open(path));
    QVERIFY(w_->messageBar()->text(QStringLiteral("session")).contains(QLatin1String("broken.attnviz")));
    QCOMPARE(ws_->inputText(), QStringLiteral("kept"));
  }

  // Everything a user set up comes back in a new window from the saved file.
  void saveAndOpenRestoresTheWholeView() {
    QSignalSpy opened(ws_, &Workspace::modelOpened);
    ws_->openModel(dataPath("tiny-encoder"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kLoadMs);
    ws_->openModel(dataPath("tiny-hf-bert"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, kLoadMs);
    ws_->setCurrentIndex(0);
    w_->editor()->setPlainText(QStringLiteral("the cat sat on the mat"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == "the cat sat on the mat" && !ws_->isRunning(), kLoadMs);
    auto* heatmap = qobject_cast<HeatmapPanel*>(w_->panelArea()->panel(QStringLiteral("heatmap")));
    QVERIFY(heatmap);
    heatmap->setColormap(ColormapId::Magma);
    ws_->selection().setLayerHead(1, 1);
    ws_->selection().setCell(2, 3);
    ws_->setCompared({0, 1});
    ws_->setReference(1);
    w_->panelArea()->showPanel(QStringLiteral("arcs"));
    w_->notesDock()->show();
    w_->notesDock()->setNote(QStringLiteral("arcs of layer 2 look diagonal"));

    const QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fig3.attnviz"));
    QVERIFY(w_->saveSessionTo(path));
    QCOMPARE(w_->sessions()->path(), path);
    QCOMPARE(w_->recentSessions()->paths().value(0), path);
    QVERIFY(w_->windowTitle().startsWith(QLatin1String("fig3.attnviz")));
    const QByteArray json = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
    QVERIFY(json.contains("\"format\": \"attnviz-session\""));

    openWindow();  // a fresh window, as after a restart
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kLoadMs);
    QCOMPARE(ws_->models().size(), std::size_t{2});
    QCOMPARE(ws_->models()[static_cast<std::size_t>(ws_->currentIndex())].path, dataPath("tiny-encoder"));
    QCOMPARE(ws_->inputText(), QStringLiteral("the cat sat on the mat"));
    QCOMPARE(w_->editor()->toPlainText(), QStringLiteral("the cat sat on the mat"));
    QVERIFY(ws_->trace() && ws_->trace()->input == "the cat sat on the mat");
    QCOMPARE(ws_->selection().layer(), 1);
    QCOMPARE(ws_->selection().head(), 1);
    QCOMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), 3);
    QCOMPARE(ws_->compared().size(), 2);
    QCOMPARE(ws_->models()[static_cast<std::size_t>(ws_->reference())].path, dataPath("tiny-hf-bert"));
    const QTabWidget* tabs = w_->panelArea()->tabs();
    QCOMPARE(tabs->tabText(tabs->currentIndex()), QStringLiteral("Arcs"));
    auto* heatmap2 = qobject_cast<HeatmapPanel*>(w_->panelArea()->panel(QStringLiteral("heatmap")));
    QVERIFY(heatmap2->view()->heatmapStyle().colormap == ColormapId::Magma);
    QVERIFY(w_->notesDock()->isVisible());
    QCOMPARE(w_->notesDock()->note(), QStringLiteral("arcs of layer 2 look diagonal"));
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR"))
      w_->grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QStringLiteral("/session-restored.png"));
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QCOMPARE(w_->notesDock()->note(), QString());  // notes belong to their own tab
  }

  // The alignment view's extraction choice (layer, head, rule, threshold) is part of the figure: it comes back, with
  // the shipped transformer (3 layers, 4 heads; a real Marian package, so the boxes hold what a user sees).
  void alignmentExtractionChoiceComesBack() {
    const QString model = QDir(testDataDir()).absoluteFilePath(QStringLiteral("../../models/seq2seq-hansards-transformer"));
    QVERIFY2(QFileInfo::exists(model + QStringLiteral("/config.json")), qPrintable(model + " is missing"));
    QSignalSpy opened(ws_, &Workspace::modelOpened);
    ws_->openModel(model);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kLoadMs);
    w_->editor()->setPlainText(QStringLiteral("the house is open"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && !ws_->isRunning(), kLoadMs);
    w_->panelArea()->showPanel(QStringLiteral("alignment"));
    auto* alignment = qobject_cast<AlignmentPanel*>(w_->panelArea()->panel(QStringLiteral("alignment")));
    QVERIFY(alignment);
    QTRY_COMPARE(alignment->layerBox()->count(), 4);  // mean + 3 layers
    alignment->layerBox()->setCurrentIndex(2);
    alignment->headBox()->setCurrentIndex(3);
    alignment->methodBox()->setCurrentIndex(3);  // Shift-Att + threshold
    alignment->thresholdBox()->setValue(0.3);
    const attnviz::ExtractionMethod chosen = ws_->extension<Seq2seqExtension>().method();
    QCOMPARE(chosen.layer, 1);
    QCOMPARE(chosen.head, 2);

    const QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("align.attnviz"));
    QVERIFY(w_->saveSessionTo(path));
    openWindow();
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kLoadMs);
    const attnviz::ExtractionMethod back = ws_->extension<Seq2seqExtension>().method();
    QCOMPARE(back.layer, 1);
    QCOMPARE(back.head, 2);
    QVERIFY(back.shift);
    QVERIFY(back.rule == attnviz::ExtractionRule::Threshold);
    QCOMPARE(back.threshold, 0.3);
    auto* alignment2 = qobject_cast<AlignmentPanel*>(w_->panelArea()->panel(QStringLiteral("alignment")));
    QTRY_VERIFY2(alignment2->view()->data().title.contains(QStringLiteral("layer 2, head 3")),
                 qPrintable(alignment2->view()->data().title));
    QCOMPARE(alignment2->methodBox()->currentIndex(), 3);
  }

  // A model that is gone is reported by name; the rest of the session still opens.
  void aMissingModelIsReportedAndTheRestOpens() {
    const QTemporaryDir dir;
    SessionState s;
    s.models = {dir.filePath(QStringLiteral("deleted-model")), dataPath("tiny-encoder")};
    s.current = 1;
    s.input = QStringLiteral("a dog barked");
    const QString path = dir.filePath(QStringLiteral("s.attnviz"));
    QVERIFY(writeFile(path, sessionToJson(s, QDir(dir.path()))));
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kLoadMs);
    QCOMPARE(ws_->models().size(), std::size_t{1});
    QVERIFY(ws_->trace() && ws_->trace()->input == "a dog barked");
    QVERIFY(w_->messageBar()->text(QStringLiteral("session")).contains(QLatin1String("deleted-model")));
  }

  // A session saved with bf16 on: restored as bf16 where it runs; elsewhere float32, the Run menu action unchecked
  // and disabled, and the message bar names what the CPU lacks.
  void aFileOfThePreviousVersionOpens() {
    // As version 1 wrote it before the run settings became one RunOptions (Workspace::runOptions): beam and sentence
    // mode under "input", rollout, discard and bf16 under "run". Same keys, same meaning.
    const QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("old.attnviz"));
    QVERIFY(writeFile(path, QByteArrayLiteral(R"({"format": "attnviz-session", "version": 1, "models": [], "current": -1,
      "input": {"text": "the cat sat", "image": "", "target": "", "beam": 3, "sentences": "lines"},
      "run": {"rollout": "max", "discard": 0.5, "bf16": false, "token_ids": false},
      "selection": {"layer": 0, "head": 0, "row": -1, "column": -1, "sentence": -1, "patch": -1, "hypothesis": 0},
      "compare": {"models": [], "reference": -1, "target": "reference-output"},
      "layout": {"tab": "", "splitters": {}, "window": "", "geometry": ""}, "panels": {}, "notes": []})")));
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kLoadMs);
    const attnviz::RunOptions& run = ws_->runOptions();
    QCOMPARE(run.beam, 3);
    QVERIFY(run.sentences == attnviz::SentenceMode::Lines);
    QVERIFY(run.rollout == attnviz::RolloutFusion::Max);
    QCOMPARE(run.rolloutDiscard, 0.5);
    QVERIFY(!run.bf16);
    QCOMPARE(ws_->inputText(), QStringLiteral("the cat sat"));
  }

  void bf16SessionFollowsTheCpu() {
    const auto& cpu = attnviz::ops::cpuCapabilities();
    const QTemporaryDir dir;
    SessionState s;
    s.models = {dataPath("tiny-hf-bert")};
    s.input = QStringLiteral("it was too tired");
    s.run.bf16 = true;
    const QString path = dir.filePath(QStringLiteral("bf16.attnviz"));
    QVERIFY(writeFile(path, sessionToJson(s, QDir(dir.path()))));
    QSignalSpy restored(w_->sessions(), &SessionController::restored);
    QVERIFY(w_->sessions()->open(path));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, kLoadMs);
    auto* action = w_->findChild<QAction*>(QStringLiteral("bf16Action"));
    QVERIFY(action);
    QCOMPARE(ws_->bf16(), cpu.bf16);
    QCOMPARE(action->isChecked(), cpu.bf16);
    QVERIFY(ws_->trace() && ws_->trace()->input == "it was too tired");  // it ran, in whichever precision
    const QString message = w_->messageBar()->text(QStringLiteral("session-bf16"));
    if (cpu.bf16) {
      QVERIFY(message.isEmpty());
    } else {
      QVERIFY(!action->isEnabled());
      QVERIFY2(message.contains(QString::fromStdString(cpu.bf16Missing)) && message.contains(QLatin1String("float32")),
               qPrintable(message));
    }
  }

  void droppingASessionFileOpensIt() {
    const QTemporaryDir dir;
    SessionState s;
    s.input = QStringLiteral("dropped session");
    const QString path = dir.filePath(QStringLiteral("drop.attnviz"));
    QVERIFY(writeFile(path, sessionToJson(s, QDir(dir.path()))));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &drop);
    QTRY_COMPARE(ws_->inputText(), QStringLiteral("dropped session"));
    QCOMPARE(w_->sessions()->path(), path);
    QVERIFY(ws_->models().empty());  // a session file is not a model
  }

  void autosaveWritesOnChangeAndOnlyThen() {
    const QTemporaryDir dir;
    QByteArray snapshot = "one";
    int written = 0;
    Autosave autosave([&] { return snapshot; }, dir.path());
    connect(&autosave, &Autosave::saved, this, [&] { ++written; });
    QVERIFY(autosave.path().endsWith(QStringLiteral("autosave-%1.attnviz").arg(QCoreApplication::applicationPid())));
    QVERIFY(autosave.saveNow());
    QVERIFY(autosave.saveNow());  // unchanged: not written again
    QCOMPARE(written, 1);
    snapshot = "two";
    QVERIFY(autosave.saveNow());
    QCOMPARE(written, 2);
    QFile f(autosave.path());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("two"));
    QVERIFY(Autosave::orphans(dir.path()).isEmpty());  // this process is alive: not an orphan
    snapshot.clear();                                    // nothing worth saving any more
    QVERIFY(autosave.saveNow());
    QVERIFY(!QFile::exists(autosave.path()));
    snapshot = "three";
    QVERIFY(autosave.saveNow());
    autosave.discard();  // a clean exit
    QVERIFY(!QFile::exists(autosave.path()));
  }

  void orphansAreFilesOfDeadProcessesNewestFirst() {
    const QTemporaryDir dir;
    const auto touch = [&](const QString& name, int ageSeconds) {
      QFile f(dir.filePath(name));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("{}");
      f.flush();  // a later flush would set the time again
      QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-ageSeconds), QFileDevice::FileModificationTime));
    };
    touch(QStringLiteral("autosave-2147483000.attnviz"), 100);  // no such process
    touch(QStringLiteral("autosave-2147483001.attnviz"), 10);
    touch(QStringLiteral("autosave-%1.attnviz").arg(QCoreApplication::applicationPid()), 1);  // alive
    touch(QStringLiteral("autosave-x.attnviz"), 1);                                           // not ours
    touch(QStringLiteral("notes.attnviz"), 1);
    const QStringList orphans = Autosave::orphans(dir.path());
    QCOMPARE(orphans, QStringList({dir.filePath(QStringLiteral("autosave-2147483001.attnviz")),
                                   dir.filePath(QStringLiteral("autosave-2147483000.attnviz"))}));
  }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"

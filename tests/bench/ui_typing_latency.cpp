// Typing-to-repaint benchmark of the real main window (issue 19): not a ctest test (tests never assert timings).
// For each shipped text model a MainWindow opens it, a realistic sentence is typed into the editor one character at a
// time with QTest key events, first at human pace (80-150 ms between keys, fixed seed) and then as a burst (35 ms),
// and every keystroke is timed from its key event to the end of the first window repaint, after a result of that
// text (or a later one: coalesced runs skip texts) became the shown trace, in which a panel painted. The image model
// is timed from MainWindow::openImage (what open, drop and paste call) to that repaint instead. Nothing is guessed
// with sleeps: the result is Workspace::shownTraceChanged with the trace's input, the repaint is the window's
// UpdateRequest event (Qt paints every dirty widget and flushes in it), seen through QApplication::notify.
//
//   QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=PASSIVE build/release/tests/bench/bench_ui_typing [--json]
//       [--models DIR] [--model NAME]... [--threads N] [--keys N]
//   tests/bench/ui_typing_latency.sh build/release   # PASSIVE and unset, offscreen and Xvfb
//
// Prints per model and pace: keystrokes, p50/p95/max key-to-repaint ms, key-to-result p95, the debounce the workspace
// used (Workspace::debounceMs() right after each key, min-max; an image runs at once whatever it says), and the
// engine's run time (Trace::inferenceMs, median and max of the shown results). --json adds one JSON object per line with the same numbers. Timings on a shared machine are indicative.
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "engine/ops/cpu_capabilities.h"
#include "tests/ui/fake_model.h"
#include "ui/document/workspace.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

using attnviz::ui::MainWindow;
using attnviz::ui::Workspace;

namespace {

constexpr int kHumanMinMs = 80;   // human typing: 80-150 ms between keys (about 70-120 words per minute)
constexpr int kHumanMaxMs = 150;
constexpr int kBurstMs = 35;      // a fast burst, about key auto-repeat speed
constexpr int kSettleMs = 10000;  // longest wait for a model load or the last keystroke's repaint
constexpr int kImageRepeats = 2;  // the vit model: each sample image opened this many times (alternating)
const QSize kWindowSize(1280, 820);

// Sees every event after it was delivered: paints of the panels and the window's UpdateRequest (one repaint).
class ObservedApplication : public QApplication {
 public:
  using QApplication::QApplication;
  std::function<void(QObject*, QEvent::Type)> afterEvent;
  bool notify(QObject* receiver, QEvent* event) override {
    const QEvent::Type type = event->type();
    const bool r = QApplication::notify(receiver, event);
    if (afterEvent && (type == QEvent::Paint || type == QEvent::UpdateRequest)) afterEvent(receiver, type);
    return r;
  }
};

ObservedApplication* app() { return static_cast<ObservedApplication*>(QCoreApplication::instance()); }

// Runs the event loop for ms, sleeping while there is nothing to do (no busy polling that would take a core).
void runEventsFor(int ms) {
  QEventLoop loop;
  QTimer::singleShot(std::max(ms, 0), Qt::PreciseTimer, &loop, &QEventLoop::quit);
  loop.exec();
}

bool runEventsUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    runEventsFor(5);
  }
  return true;
}

// One timed action (a keystroke or an image opened): when it happened, the text it left, what was measured.
struct Action {
  qint64 startNs = 0;
  QString text;                 // the editor's text after the key; empty for images (any new result answers)
  int debounceMs = 0;           // Workspace::debounceMs() right after the action
  std::optional<double> resultMs;  // action -> its (or a later) result became the shown trace
  std::optional<double> paintMs;   // action -> end of the repaint that showed it
};

// Watches one window: which shown trace awaits its repaint, and resolves the actions it answers.
class Probe {
 public:
  Probe(MainWindow& window, QElapsedTimer& clock) : window_(window), clock_(clock) {
    shown_ = QObject::connect(window.workspace(), &Workspace::shownTraceChanged, &window, [this] { onShown(); });
    app()->afterEvent = [this](QObject* r, QEvent::Type t) { onEvent(r, t); };
  }
  ~Probe() {
    QObject::disconnect(shown_);
    app()->afterEvent = nullptr;
  }

  std::vector<Action> actions;
  std::vector<double> engineMs;  // Trace::inferenceMs of every result shown while measuring

  bool allAnswered() const {
    return std::all_of(actions.begin(), actions.end(), [](const Action& a) { return a.paintMs.has_value(); });
  }

 private:
  void onShown() {
    const attnviz::ui::TracePtr trace = window_.workspace()->shownTrace();
    if (!trace) return;
    pending_ = true;
    panelPainted_ = false;
    pendingText_ = QString::fromStdString(trace->input);
    pendingAtNs_ = clock_.nsecsElapsed();
    engineMs.push_back(trace->inferenceMs);
  }

  void onEvent(QObject* receiver, QEvent::Type type) {
    if (!pending_) return;
    auto* widget = qobject_cast<QWidget*>(receiver);
    if (!widget) return;
    QWidget* panels = window_.panelArea();
    if (type == QEvent::Paint && (widget == panels || panels->isAncestorOf(widget))) panelPainted_ = true;
    if (type == QEvent::UpdateRequest && widget == &window_ && panelPainted_) resolve(clock_.nsecsElapsed());
  }

  // The result of pendingText_ is on screen: it answers its own action and every earlier unanswered one.
  void resolve(qint64 nowNs) {
    pending_ = false;
    int last = -1;
    for (int i = static_cast<int>(actions.size()) - 1; i >= 0 && last < 0; --i)
      if (actions[i].text.isEmpty() || actions[i].text == pendingText_) last = i;
    for (int i = 0; i <= last; ++i) {
      Action& a = actions[static_cast<std::size_t>(i)];
      if (a.paintMs) continue;
      a.resultMs = double(pendingAtNs_ - a.startNs) / 1e6;
      a.paintMs = double(nowNs - a.startNs) / 1e6;
    }
  }

  MainWindow& window_;
  QElapsedTimer& clock_;
  QMetaObject::Connection shown_;
  bool pending_ = false;
  bool panelPainted_ = false;
  QString pendingText_;
  qint64 pendingAtNs_ = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double rank = p / 100.0 * double(v.size() - 1);  // linear between closest ranks
  const auto lo = static_cast<std::size_t>(rank);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - double(lo));
}

struct Row {
  QString model, pace;
  int count = 0, missed = 0;
  double p50 = 0, p95 = 0, max = 0, resultP95 = 0, engineP50 = 0, engineMax = 0;
  int debounceMin = 0, debounceMax = 0;
};

Row summarize(const QString& model, const QString& pace, const Probe& probe) {
  Row r{model, pace};
  std::vector<double> paint, result;
  r.debounceMin = std::numeric_limits<int>::max();
  for (const Action& a : probe.actions) {
    r.debounceMin = std::min(r.debounceMin, a.debounceMs);
    r.debounceMax = std::max(r.debounceMax, a.debounceMs);
    if (!a.paintMs) {
      ++r.missed;
      continue;
    }
    paint.push_back(*a.paintMs);
    result.push_back(*a.resultMs);
  }
  if (probe.actions.empty()) r.debounceMin = 0;
  r.count = static_cast<int>(paint.size());
  r.p50 = percentile(paint, 50);
  r.p95 = percentile(paint, 95);
  r.max = paint.empty() ? 0.0 : *std::max_element(paint.begin(), paint.end());
  r.resultP95 = percentile(result, 95);
  r.engineP50 = percentile(probe.engineMs, 50);
  r.engineMax = probe.engineMs.empty() ? 0.0 : *std::max_element(probe.engineMs.begin(), probe.engineMs.end());
  return r;
}

// A sentence of the kind each shipped model was trained on.
QString sentenceFor(const QString& kind) {
  if (kind == QLatin1String("seq2seq")) return QStringLiteral("i think that tom will be late for the meeting today .");
  if (kind == QLatin1String("han"))
    return QStringLiteral("The acting was wonderful, but the plot made no sense at all and the ending was dull.");
  return QStringLiteral("The animal didn't cross the street because it was too tired.");
}

struct Window {
  std::unique_ptr<MainWindow> window;
  Workspace* ws = nullptr;
};

// A shown window with `path` open; no window (and a one-line message) when the model does not open.
std::optional<Window> openWindow(const QString& path) {
  Window w{std::make_unique<MainWindow>()};
  w.ws = w.window->workspace();
  w.window->resize(kWindowSize);
  w.window->show();
  if (!QTest::qWaitForWindowExposed(w.window.get())) {
    std::fprintf(stderr, "bench_ui_typing: the window was never exposed (platform %s)\n",
                 qPrintable(QGuiApplication::platformName()));
    return std::nullopt;
  }
  bool failed = false;
  QObject::connect(w.ws, &Workspace::loadFailed, w.window.get(), [&failed](const QString& p, const attnviz::ui::Problem& problem) {
    std::fprintf(stderr, "bench_ui_typing: %s: %s\n", qPrintable(p), qPrintable(problem.text()));
    failed = true;
  });
  w.ws->openModel(path);
  if (!runEventsUntil([&] { return failed || !w.ws->models().empty(); }, kSettleMs) || failed) {
    if (!failed) std::fprintf(stderr, "bench_ui_typing: %s did not open within %d ms\n", qPrintable(path), kSettleMs);
    return std::nullopt;
  }
  return w;
}

bool idle(const Window& w) { return !w.ws->isRunning(); }

// Types `sentence` into an emptied editor, key by key, gapMs(i) apart; returns the timed keystrokes.
Row typeSentence(Window& w, const QString& name, const QString& pace, const QString& sentence, int keys,
                 const std::function<int()>& gapMs) {
  QPlainTextEdit* editor = w.window->editor();
  editor->setFocus();
  editor->clear();
  runEventsUntil([&] { return idle(w) && !w.ws->shownTrace(); }, kSettleMs);
  runEventsFor(300);  // whatever the clear caused is painted before the first key

  QElapsedTimer clock;
  clock.start();
  Probe probe(*w.window, clock);
  const int n = std::min<int>(keys, static_cast<int>(sentence.size()));
  for (int i = 0; i < n; ++i) {
    Action a;
    a.startNs = clock.nsecsElapsed();
    QTest::keyClicks(editor, QString(sentence.at(i)));
    a.text = editor->toPlainText();
    a.debounceMs = w.ws->debounceMs();
    probe.actions.push_back(a);
    if (i + 1 < n) runEventsFor(gapMs());
  }
  runEventsUntil([&] { return probe.allAnswered(); }, kSettleMs);
  return summarize(name, pace, probe);
}

// The image model: each sample image opened in turn, timed to its repaint, a human pause between.
Row openImages(Window& w, const QString& name, const QStringList& images) {
  QElapsedTimer clock;
  clock.start();
  Probe probe(*w.window, clock);
  for (int r = 0; r < kImageRepeats; ++r) {
    for (const QString& image : images) {
      Action a;
      a.startNs = clock.nsecsElapsed();
      w.window->openImage(image);
      a.debounceMs = w.ws->debounceMs();
      probe.actions.push_back(a);
      runEventsUntil([&] { return probe.allAnswered(); }, kSettleMs);
      runEventsFor(kHumanMaxMs);
    }
  }
  return summarize(name, QStringLiteral("open image"), probe);
}

void printRow(const Row& r, bool json, const QJsonObject& env) {
  std::printf("%-22s %-10s %5d %8.1f %8.1f %8.1f %10.1f %9d-%-4d %9.2f %9.2f%s\n", qPrintable(r.model), qPrintable(r.pace),
              r.count, r.p50, r.p95, r.max, r.resultP95, r.debounceMin, r.debounceMax, r.engineP50, r.engineMax,
              r.missed ? qPrintable(QStringLiteral("  (%1 never repainted)").arg(r.missed)) : "");
  std::fflush(stdout);
  if (!json) return;
  QJsonObject o = env;
  o[QStringLiteral("model")] = r.model;
  o[QStringLiteral("pace")] = r.pace;
  o[QStringLiteral("count")] = r.count;
  o[QStringLiteral("missed")] = r.missed;
  o[QStringLiteral("p50_ms")] = r.p50;
  o[QStringLiteral("p95_ms")] = r.p95;
  o[QStringLiteral("max_ms")] = r.max;
  o[QStringLiteral("result_p95_ms")] = r.resultP95;
  o[QStringLiteral("debounce_min_ms")] = r.debounceMin;
  o[QStringLiteral("debounce_max_ms")] = r.debounceMax;
  o[QStringLiteral("engine_p50_ms")] = r.engineP50;
  o[QStringLiteral("engine_max_ms")] = r.engineMax;
  std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
  std::fflush(stdout);
}

int usage(const char* why) {
  std::fprintf(stderr, "bench_ui_typing: %s\nusage: bench_ui_typing [--json] [--models DIR] [--model NAME]... [--threads N] [--keys N]\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // The offscreen platform warns on every window resize that it cannot propagate size hints: noise here.
  static const QtMessageHandler previous = qInstallMessageHandler(nullptr);
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (!message.contains(QLatin1String("propagateSizeHints"))) previous(type, context, message);
  });
  ObservedApplication application(argc, argv);
  attnviz::test::isolateSettings();  // no saved layout, export folder or autosave of the user's
  bool json = false;
  QString modelsDir = QStringLiteral(ATTNVIZ_SOURCE_DIR "/models");
  QStringList only;
  int keys = 1000;
  const QStringList args = application.arguments();
  for (int i = 1; i < args.size(); ++i) {
    const QString& a = args[i];
    const bool hasValue = i + 1 < args.size();
    if (a == QLatin1String("--json")) json = true;
    else if (a == QLatin1String("--models") && hasValue) modelsDir = args[++i];
    else if (a == QLatin1String("--model") && hasValue) only << args[++i];
    else if (a == QLatin1String("--keys") && hasValue) keys = args[++i].toInt();
    else if (a == QLatin1String("--threads") && hasValue) {
      const int n = args[++i].toInt();
      if (n < 1) return usage("--threads takes a count of 1 or more");
      attnviz::ops::setThreadCount(n);
    } else return usage(qPrintable(QStringLiteral("unknown or incomplete argument '%1'").arg(a)));
  }
  if (keys < 1) return usage("--keys takes a count of 1 or more");

  const QStringList shipped = {"seq2seq-bahdanau", "seq2seq-luong-dot", "seq2seq-luong-general", "seq2seq-luong-concat",
                               "seq2seq-scaled-dot", "seq2seq-local-p", "han-movie-reviews", "coref-bert",
                               "vit-fashion-mnist"};
  QStringList images;
  for (const QFileInfo& f : QDir(QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/fashion-mnist"))
                                .entryInfoList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
    images << f.absoluteFilePath();

  const char* policy = std::getenv("OMP_WAIT_POLICY");
  QJsonObject env;
  env[QStringLiteral("platform")] = QGuiApplication::platformName();
  env[QStringLiteral("omp_wait_policy")] = policy ? QString::fromLatin1(policy) : QStringLiteral("unset");
  env[QStringLiteral("threads")] = attnviz::ops::threadCount();
  std::printf("platform %s, OMP_WAIT_POLICY=%s, engine threads %d; ms from key (or image opened) to repaint\n",
              qPrintable(QGuiApplication::platformName()), policy ? policy : "(unset)", attnviz::ops::threadCount());
  std::printf("%-22s %-10s %5s %8s %8s %8s %10s %14s %9s %9s\n", "model", "pace", "count", "p50", "p95", "max",
              "result p95", "debounce", "engine50", "engineMax");

  std::mt19937 rng(19);  // the same human gaps on every run
  std::uniform_int_distribution<int> human(kHumanMinMs, kHumanMaxMs);
  int failures = 0;
  for (const QString& name : shipped) {
    if (!only.isEmpty() && !only.contains(name)) continue;
    std::optional<Window> w = openWindow(modelsDir + QLatin1Char('/') + name);
    if (!w) {
      ++failures;
      continue;
    }
    const QString kind = w->ws->currentKind();
    if (kind == QLatin1String("vit")) {
      if (images.isEmpty()) {
        std::fprintf(stderr, "bench_ui_typing: no sample images in resources/samples/fashion-mnist\n");
        ++failures;
        continue;
      }
      w->window->openImage(images.back());  // warm-up: the first run creates the engine's primitives
      runEventsUntil([&] { return w->ws->shownTrace() && idle(*w); }, kSettleMs);
      printRow(openImages(*w, name, images), json, env);
      continue;
    }
    const QString sentence = sentenceFor(kind);
    w->window->editor()->setPlainText(sentence);  // warm-up, as above
    runEventsUntil([&] { return w->ws->shownTrace() && idle(*w); }, kSettleMs);
    printRow(typeSentence(*w, name, QStringLiteral("human"), sentence, keys, [&] { return human(rng); }), json, env);
    printRow(typeSentence(*w, name, QStringLiteral("burst"), sentence, keys, [] { return kBurstMs; }), json, env);
  }
  return failures ? 1 : 0;
}

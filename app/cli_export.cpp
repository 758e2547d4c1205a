#include "app/cli_export.h"

#include <unistd.h>

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QTemporaryFile>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>

#include "app/cli_commands.h"
#include "app/export_items.h"
#include "app/figure_renderer.h"
#include "engine/core/error.h"

namespace attnviz::cli {

namespace {

// One input's result from the inference thread: a trace, or the error that stopped it.
struct Outcome {
  ui::TracePtr trace;
  std::optional<Error> error;
};

Outcome runItem(const Model& model, const ExportItem& item, const RunOptions& options) {
  try {
    return {std::make_shared<const Trace>(model.run(readExportItem(item), options)), std::nullopt};
  } catch (const Error& e) {
    return {nullptr, e};
  } catch (const std::bad_alloc&) {
    return {nullptr, InternalError(item.origin, "out of memory")};
  } catch (const std::exception& e) {
    return {nullptr, InternalError(item.origin, e.what())};
  }
}

// stderr: error lines always; on a terminal also one progress line, rewritten in place ("\r") and ended by the
// summary. Elsewhere (a log, a pipe) no progress, and a summary only when some input failed.
class Progress {
 public:
  Progress(std::size_t total, std::string dir) : tty_(isatty(STDERR_FILENO) == 1), total_(total), dir_(std::move(dir)) {}
  ~Progress() { clear(); }  // an error that ends the run is printed on a line of its own

  void report(const std::string& line) {
    clear();
    std::cerr << "attnviz: " << line << '\n';
    draw();
  }
  void step(std::size_t done, std::size_t written, std::size_t failed) {
    done_ = done, written_ = written, failed_ = failed;
    draw();
  }
  void finish() {
    const std::string summary = std::to_string(written_) + " figures written to " + dir_ +
                                (failed_ ? ", " + std::to_string(failed_) + " of " + std::to_string(total_) + " inputs failed" : "");
    if (tty_) clear();
    if (tty_ || failed_) std::cerr << "attnviz: " << summary << '\n';
  }

 private:
  void draw() {
    if (!tty_) return;
    line_ = "attnviz export: " + std::to_string(done_) + "/" + std::to_string(total_) + " inputs" +
            (failed_ ? ", " + std::to_string(failed_) + " failed" : "");
    std::cerr << '\r' << line_ << std::flush;
  }
  void clear() {
    if (tty_ && !line_.empty()) std::cerr << '\r' << std::string(line_.size(), ' ') << '\r';
    line_.clear();
  }

  bool tty_;
  std::size_t total_;
  std::string dir_;
  std::size_t done_ = 0, written_ = 0, failed_ = 0;
  std::string line_;  // on screen now
};

// PNG figures are encoded and written on threads of their own, one per core, while this thread paints the next
// ones: zlib takes about three quarters of a figure's time, painting the rest. At most one figure per thread waits,
// so memory holds a fixed number of images however many inputs there are. Results come back in input order.
class PngWriter {
 public:
  struct Done {
    std::string origin;
    ui::SaveResult result;
  };

  PngWriter() {
    pool_.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    pool_.setExpiryTimeout(-1);
  }
  bool full() const { return static_cast<int>(pending_.size()) >= pool_.maxThreadCount(); }
  void start(const QString& path, const QImage& image, const std::string& origin) {
    pending_.push_back({origin, QtConcurrent::run(&pool_, [path, image] { return ui::exportPngImage(path, image); })});
  }
  // The oldest figure on its way, once written (waits for it); nothing when none is.
  std::optional<Done> collect() {
    if (pending_.empty()) return std::nullopt;
    Done done{pending_.front().first, pending_.front().second.result()};
    pending_.pop_front();
    return done;
  }

 private:
  QThreadPool pool_;
  std::deque<std::pair<std::string, QFuture<ui::SaveResult>>> pending_;
};

// The folder figures go to: created if missing, and written to once (a probe file) so that a folder that cannot
// take files is a usage error before the model even loads.
QDir prepareOutDir(const std::string& out) {
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && !std::filesystem::is_directory(out, ec))
    throw UsageError(out, "is not a folder (--out names the folder the figures are written to)");
  // A new folder named like a figure ("vit-flow.svg") is a figure's name given to --out: figures inside it would
  // not be in the format its name says (file_suffix.h's rule, as the export dialog follows it).
  const QString suffix = QFileInfo(QString::fromStdString(out)).suffix().toLower();
  if (!std::filesystem::exists(out, ec) && ui::figureSuffixes().contains(suffix))
    throw UsageError("--out", "\"" + out + "\" names a ." + suffix.toStdString() + " file, but --out is the folder the " +
                                  "figures are written to (use --out DIR --format " + suffix.toStdString() + ")");
  std::filesystem::create_directories(out, ec);
  if (ec) throw UsageError(out, "the folder cannot be created: " + ec.message());
  const QDir dir(QString::fromStdString(out));
  QTemporaryFile probe(dir.filePath(QStringLiteral(".attnviz-export-XXXXXX")));
  if (!probe.open()) throw UsageError(out, "the folder cannot be written to: " + probe.errorString().toStdString());
  return dir;
}

// Qt's warning that XDG_RUNTIME_DIR is unset (it falls back to /tmp/runtime-USER), printed while the platform starts
// in containers and CI: noise on a command whose stderr is for errors. Everything else passes.
QtMessageHandler qtDefaultHandler = nullptr;
void quietPlatformStart(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (type == QtWarningMsg && message.contains(QLatin1String("XDG_RUNTIME_DIR not set"))) return;
  if (qtDefaultHandler) qtDefaultHandler(type, context, message);
}

ui::FigureFormat figureFormat(FigureFileFormat format) {
  switch (format) {
    case FigureFileFormat::Svg: return ui::FigureFormat::Svg;
    case FigureFileFormat::Pdf: return ui::FigureFormat::Pdf;
    case FigureFileFormat::Png: break;
  }
  return ui::FigureFormat::Png;
}

// The inputs of one export in order: inference on one thread, painting here, PNG encoding on PngWriter's threads.
class FigureBatch {
 public:
  FigureBatch(const ExportPlan& plan, const QDir& dir, const ui::FigureOptions& options, FigureRenderer& renderer,
              const std::string& out)
      : plan_(plan), dir_(dir), options_(options), renderer_(renderer),
        progress_(plan.items.size() + plan.unreadable.size(), out) {}

  // Returns the exit code: 0, or that of the first input that failed.
  int run(const Model& model, const RunOptions& runOptions) {
    for (const InputError& e : plan_.unreadable) fail(e, {});
    // One inference thread, kept for the whole run (OpenMP keeps its team per thread): input i + 1 runs on it while
    // this thread paints input i. Declared here, after everything its tasks use, so it is waited for first.
    QThreadPool inference;
    inference.setMaxThreadCount(1);
    inference.setExpiryTimeout(-1);
    auto start = [&](std::size_t i) {
      return QtConcurrent::run(&inference, [&model, &runOptions, &item = plan_.items[i]] { return runItem(model, item, runOptions); });
    };
    const std::size_t count = plan_.items.size();
    QFuture<Outcome> next = count ? start(0) : QFuture<Outcome>();
    for (std::size_t i = 0; i < count; ++i) {
      Outcome outcome = next.result();
      next = i + 1 < count ? start(i + 1) : QFuture<Outcome>();
      if (outcome.error) fail(*outcome.error, plan_.items[i].origin);
      else draw(plan_.items[i], std::move(outcome.trace));
      progress_.step(plan_.unreadable.size() + i + 1, written_, failed_);
    }
    while (collectPng()) {
    }
    progress_.step(plan_.unreadable.size() + count, written_, failed_);
    progress_.finish();
    return firstFailure_ ? exitCode(*firstFailure_) : 0;
  }

 private:
  void draw(const ExportItem& item, ui::TracePtr trace) {
    for (const auto& warning : trace->warnings) progress_.report(item.origin + ": warning: " + warning);
    renderer_.show(std::move(trace));
    // Labels thinned to fit are said, never dropped silently (a warning: the figure is still written).
    if (const QString note = renderer_.note(options_); !note.isEmpty())
      progress_.report(item.origin + ": warning: " + note.toStdString());
    // Names carry no suffix of their own (export_items.h: "fig.v2.txt" -> "fig.v2"), so the format's is always added.
    const QString path = dir_.filePath(QString::fromStdString(item.name) + QLatin1Char('.') + ui::figureSuffix(options_.format));
    if (options_.format != ui::FigureFormat::Png) {
      saved(renderer_.write(path, options_, item.origin), item.origin);
      return;
    }
    QString error;
    const QImage image = renderer_.image(options_, &error);
    while (pngWriter_.full()) collectPng();
    if (image.isNull()) saved({false, error}, item.origin);
    else pngWriter_.start(path, image, item.origin);
  }

  bool collectPng() {
    const auto done = pngWriter_.collect();
    if (done) saved(done->result, done->origin);
    return done.has_value();
  }

  // A figure that cannot be drawn (too large for PNG) or written is the --out's problem: exit code 2, as run's.
  void saved(const ui::SaveResult& result, const std::string& origin) {
    if (result) ++written_;
    else fail(UsageError({}, result.error.toStdString()), origin);
  }

  void fail(const Error& e, const std::string& origin) {
    progress_.report(e.where().empty() ? origin + ": " + e.what() : e.message());
    if (!firstFailure_) firstFailure_ = e.kind();
    ++failed_;
  }

  const ExportPlan& plan_;
  const QDir dir_;
  const ui::FigureOptions options_;
  FigureRenderer& renderer_;
  Progress progress_;
  PngWriter pngWriter_;
  std::size_t written_ = 0;
  std::size_t failed_ = 0;
  std::optional<ErrorKind> firstFailure_;
};

}  // namespace

int runExport(const CliCommand& c, int argc, char** argv) {
  // Before Qt starts: no window is ever shown, so no display is needed (a DISPLAY that cannot be reached would abort
  // xcb). The user's own choice wins. (OpenMP's waiting cannot be changed here: libgomp reads its environment when it
  // is loaded, before main; small runs use one thread and never spin, see Model::run.)
  setenv("QT_QPA_PLATFORM", "offscreen", /*overwrite=*/0);

  const ExportPlan plan = planExport(c.inputs);  // --lines files read, --text-dir folders listed
  const QDir dir = prepareOutDir(c.out);
  const ui::ModelPtr model = loadModel(c.model, {c.maxModelBytes});
  requireBf16Support(c, *model);  // one line, not one per input
  qtDefaultHandler = qInstallMessageHandler(quietPlatformStart);
  QApplication app(argc, argv);
  qInstallMessageHandler(qtDefaultHandler);
  FigureRenderer renderer(model, c);

  ui::FigureOptions options;
  options.format = figureFormat(c.figureFormat);
  options.dpi = c.dpi;
  options.size = c.figureSize ? QSizeF(c.figureSize->first, c.figureSize->second) : QSizeF();  // empty: the view's own
  RunOptions runOptions = runOptionsFor(c);
  if (c.view == "knockout" && !runOptions.headKnockout) runOptions.headKnockout = KnockoutMode::OneHead;  // what it draws
  if (c.view == "methods") {  // the maps of one trace with their faithfulness, as the window's Methods view shows them
    runOptions.contributions.valueNorm = runOptions.contributions.alti = runOptions.contributions.globenc = true;
    // Scored where the model predicts something faithfulness can score; the maps alone where it predicts nothing.
    runOptions.faithfulness = {{"attention", "rollout", "value-norm", "alti", "globenc"}, c.removal, /*optional=*/true};
  }
  return FigureBatch(plan, dir, options, renderer, c.out).run(*model, runOptions);
}

}  // namespace attnviz::cli

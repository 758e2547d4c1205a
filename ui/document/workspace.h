// Workspace: the document of one attnviz window. It owns the loaded models, the current model, the
// input text, the latest Trace and the shared Selection; panels attach with setWorkspace() and listen
// to its signals. It never blocks the UI thread: models load on the thread pool, inference runs on
// one worker thread, and only the newest input's result is kept. An edit runs after a wait paced by how long the
// current model's recent runs took (run_pacing.h): at once for models that run in a few ms, up to 150 ms for slow
// ones; an edit made while a run is in flight runs right after it.
//
//   Workspace ws;
//   panel->setWorkspace(&ws);                  // a Panel connects in its attach() (ui/panels/workspace_listener.h)
//   ws.openModel("tests/data/tiny-encoder");   // async: modelOpened(index) or loadFailed(path, problem)
//   ws.setInputText("the cat sat");             // runs after debounceMs() on the worker; traceChanged()
//   ws.trace()->attention.at("self");
//
// encoder: opening a model with a coreference head (ModelInfo::coreferenceHead) selects that layer and head.
//
// seq2seq: beam width (default 5) and an optional target to force-decode; the Selection's hypothesis
// picks which n-best entry shownTrace() shows (panels draw shownTrace()). Comparison: setCompared()
// with two or more models of the current kind runs them all on the same input on the worker (after
// the current model's own run) and keeps one trace per compared model (comparedTraces()).
//
// Run settings live in one attnviz::RunOptions (runOptions()): rollout fusion and discard ratio, bf16, beam width,
// sentence mode. Each run gets the part its model's kind takes (optionsFor), and never rollout, flow or occlusion:
// those are derived from the finished trace in derived() (derived_results.h), so changing the rollout fusion or
// ratio shows another rollout of the same trace without a run.
//
// What a model kind adds lives in its extension (kind_extension.h, extension<T>()):
// seq2seq's Seq2seqExtension holds the gold alignments and corpus AER, han's HanExtension starts leave-one-out occlusion for every new trace (derived().occlusionJob()); occlusionFor(trace)
// is its result once it has arrived. han: the sentence mode goes into RunOptions::sentences.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "engine/api/model.h"
#include "engine/core/error.h"
#include "ui/compare/compare_run.h"
#include "ui/document/derived_results.h"
#include "ui/document/forced_target.h"
#include "ui/document/kind_extension.h"
#include "ui/document/inference_worker.h"
#include "ui/document/limit_settings.h"
#include "ui/document/problem.h"
#include "ui/document/run_pacing.h"
#include "ui/document/selection.h"

namespace attnviz::ui {

// Whether models of kinds a and b can be compared side by side: the same kind, or both take a target (seq2seq
// decoders and pair aligners: one sentence pair, force-decoded with the same target).
bool comparableKinds(const QString& a, const QString& b);

class Workspace : public QObject {
  Q_OBJECT

 public:
  // Opens a model; may throw (attnviz::Error). Runs on a pool thread. Default: attnviz::loadModel.
  using Loader = std::function<ModelPtr(const std::string& path, const attnviz::LoadOptions& options)>;

  struct LoadedModel {
    ModelPtr model;
    QString path;
  };

  static constexpr int kAdaptiveDebounce = -1;  // setDebounceMs: pace runs by the model's run time (the default)
  static constexpr int kDefaultBeamWidth = 5;
  static constexpr int kMaxBeamWidth = 32;

  explicit Workspace(QObject* parent = nullptr);
  ~Workspace() override;

  // --- models
  void setLoader(Loader loader) { loader_ = std::move(loader); }
  void openModel(const QString& path);                        // async; a path already open is just selected
  int addModel(ModelPtr model, const QString& path);          // already loaded; becomes current; returns index
  const std::vector<LoadedModel>& models() const { return models_; }
  int currentIndex() const { return current_; }
  ModelPtr currentModel() const;
  QString currentKind() const;  // "encoder", "seq2seq", ... or empty
  void setCurrentIndex(int index);
  // Closes every model (a session being opened replaces them): no current model, no comparison, no trace; loads
  // still in flight are dropped when they finish.
  void closeAllModels();
  // Stops waiting for the models being loaded: they are dropped when their reading finishes (the reading itself
  // runs on to its end on its pool thread; nothing of it is kept).
  void cancelLoads();
  bool isLoading() const { return pendingLoads_ > 0; }
  // "luong-dot", or the model's name when it has no variant; the name when two open models share the variant
  // ("tatoeba-en-fr-luong-dot", "hansards-en-fr-luong-dot"); "luong-dot #2" when they share the name too.
  QString modelLabel(int index) const;

  // --- input and inference
  QString inputText() const { return input_; }
  void setInputText(const QString& text);  // schedules a run after debounceMs() (restarted by the next edit)
  // vit models run on an image instead of the text: this file (empty: none yet); reruns a vit model.
  void setImagePath(const QString& path);
  QString imagePath() const { return imagePath_; }
  // Text models read the editor's text as token ids ("101 7592 102", optionally "| 0 0 0" segment ids), exactly as
  // given, special tokens included (Run > Input Is Token Ids; --token-ids on the command line); reruns.
  void setTokenIdsInput(bool on);
  bool tokenIdsInput() const { return tokenIds_; }
  void runNow();                           // runs the current input at once
  // A fixed wait before an edit runs (tests: 0), instead of the pacing; kAdaptiveDebounce goes back to the pacing.
  void setDebounceMs(int ms) { fixedDebounceMs_ = ms < 0 ? kAdaptiveDebounce : ms; }
  // The wait the next edit gets: the fixed one, or the pacing's for the current model's recent runs.
  int debounceMs() const { return fixedDebounceMs_ >= 0 ? fixedDebounceMs_ : pacing_.delayMs(); }
  // The current model's recent runs as the pacing saw them (reset when another model becomes current).
  const RunPacing& runPacing() const { return pacing_; }
  // The run settings (RunOptions' rollout, rolloutDiscard, bf16, beam, sentences), as the user chose them.
  const attnviz::RunOptions& runOptions() const { return options_; }
  // Sets those five through their setters below (a session being restored): each signals its change, and a model
  // that runs with a changed one reruns.
  void setRunOptions(const attnviz::RunOptions& options);
  // Rollout shown for encoder/vit traces, heads fused by mean, max or min (None: no rollout). Derived from the
  // trace (derived().rollout): changing it never reruns the model.
  void setRolloutFusion(attnviz::RolloutFusion fusion);
  attnviz::RolloutFusion rolloutFusion() const { return options_.rollout; }
  bool rolloutEnabled() const { return options_.rollout != attnviz::RolloutFusion::None; }
  // Rollout discard ratio in [0, 1) (rollout.h); no rerun either. Clamped into [0, kMaxRolloutDiscard].
  static constexpr double kMaxRolloutDiscard = 0.99;
  void setRolloutDiscard(double ratio);
  double rolloutDiscard() const { return options_.rolloutDiscard; }

  // encoders and vits: bfloat16 matrix products (RunOptions::bf16, about twice as fast on CPUs with avx512_bf16,
  // attention within a few 1e-3); reruns such models. Stays off on a CPU without bf16 products
  // (ops::cpuCapabilities().bf16).
  void setBf16(bool on);
  bool bf16() const { return options_.bf16; }

  // encoders and vits: the token contribution maps each run adds (RunOptions::contributions: value norm, ALTI;
  // engine/analysis/contributions.h); attnviz's RNN models (ModelInfo::weightedNorms): value norm as a_j ‖h_j‖.
  // Reruns such models. Off until a view asks for one (the heatmap's Map list).
  void setContributions(const attnviz::ContributionSet& methods);
  const attnviz::ContributionSet& contributions() const { return options_.contributions; }

  // seq2seq: beam width for free decoding (1 = greedy) and a target to force-decode (empty: none).
  // Other kinds ignore both.
  void setBeamWidth(int beam);  // clamped to 1..kMaxBeamWidth; reruns
  int beamWidth() const { return options_.beam; }
  // The forced target belongs to a source sentence (forced_target.h): setTarget(text) to the current input,
  // setTarget(text, source) to `source` (a gold sentence's, a session's). Changing the input to another sentence, or
  // opening a seq2seq model with another target vocabulary, releases it (targetReleased says why; targetNote() keeps
  // saying it until a new target is set), unless setTargetKept(true). A target given for another sentence than the
  // input is released at once. Debounced like the input; whitespace-only counts as none.
  void setTarget(const QString& target);
  void setTarget(const QString& target, const QString& source);
  QString target() const { return target_.text; }
  bool hasTarget() const { return target_.isSet(); }
  const ForcedTarget& forcedTarget() const { return target_; }
  void setTargetKept(bool kept);  // keep the target for every sentence (not across target vocabularies)
  bool targetKept() const { return target_.kept; }
  // Lets go of the forced target, saying why ("why" completes "Forced target “…” released: "), e.g. when the gold
  // set it came from is replaced; reruns without it.
  void releaseTarget(const QString& why);
  // Why the last forced target was released ("" while a target is set, or none was ever released).
  QString targetNote() const { return targetNote_; }

  // han: how the document is cut into sentences (auto, one per line, by punctuation); reruns han models.
  void setSentenceMode(attnviz::SentenceMode mode);
  attnviz::SentenceMode sentenceMode() const { return options_.sentences; }

  // han: leave-one-out occlusion of `trace`, null until derived() has computed it (or when it is another trace's).
  // The trace's own Trace::occlusion counts as computed.
  const attnviz::Occlusion* occlusionFor(const TracePtr& trace) const;

  // vit: attention flow from [CLS] of the current trace ([tokens], summing to 1), once computed (derived().startFlow(),
  // which the Patches tab asks for); kept until the trace changes, so the comparison can show it too.
  const std::vector<float>* flowFor(const TracePtr& trace) const;
  // encoder, vit: value zeroing's maps of this trace: its own (attnviz run --method value-zeroing) or computed by
  // derived().startValueZeroing() (the heatmap's Map list asks); null otherwise.
  const attnviz::ValueZeroing* valueZeroingFor(const TracePtr& trace) const;

  // What is derived from trace() (rollout, flow, occlusion), computed once and kept until the trace changes.
  DerivedResults& derived() { return derived_; }
  const DerivedResults& derived() const { return derived_; }
  // trace() with every derived result computed so far (the shown rollout, flow, occlusion), as `attnviz run` writes
  // them: what File > Export Data saves. Empty trace without a trace.
  attnviz::Trace traceWithDerivedResults() const { return derived_.traceWithResults(options_.rollout, options_.rolloutDiscard); }

  // The extension T a kind adds to the document (kind_extension.h; the kind's KindUi::extension makes it).
  template <typename T>
  T& extension() const {
    for (const std::unique_ptr<KindExtension>& e : extensions_)
      if (auto* t = dynamic_cast<T*>(e.get())) return *t;
    throw attnviz::InternalError("Workspace::extension", "no kind's row in ui/kinds/<kind>/<kind>_ui.cpp makes it");
  }

  TracePtr trace() const { return trace_; }
  // trace() as the panels show it: the Selection's beam hypothesis (hypothesis_trace.h).
  TracePtr shownTrace() const { return shown_; }
  // Shows a trace the current model produced elsewhere, as if a run had just delivered it; a run in progress is
  // dropped. For `attnviz export`, which runs inference on a thread of its own while the panel paints the last trace.
  void showTrace(TracePtr trace) {
    latest_->store(++generation_);
    setRunning(false);
    setRunError({});
    setTrace(std::move(trace));
  }
  bool isRunning() const { return running_; }
  QString runError() const { return runError_; }     // text of the last run's problem, empty after a success
  const Problem& runProblem() const { return runProblem_; }  // the same problem, with its kind; empty after a success
  // The last run failed while an earlier result is still on screen: every view of trace() shows the previous
  // input's result (PanelArea says so above the panels; the header and exports say it too).
  bool showsPreviousResult() const { return trace_ && !runError_.isEmpty(); }
  quint64 generation() const { return generation_; }  // of the newest request

  // --- limits (limit_settings.h): tokens and image pixels go into every run, the model file size into every
  // load, full-detail cells into every heatmap. Defaults until set (the app sets the saved ones); a change
  // reruns the current input.
  void setLimits(const LimitSettings& limits);
  const LimitSettings& limits() const { return limits_; }

  // --- comparison of several models of one kind (indices into models()), in display order
  void setCompared(const QList<int>& modelIndices);  // keeps those of the current kind; comparing needs 2+
  const QList<int>& compared() const { return compared_; }
  bool isComparing() const { return compared_.size() >= 2; }
  void setReference(int modelIndex);  // a compared model; others are force-decoded on its output
  int reference() const;              // model index; unless set, the first compared one that translates (not an aligner)
  void setCompareTarget(CompareTarget target);
  CompareTarget compareTarget() const { return compareTarget_; }
  // One per compared(), null until its run arrives (or where that model failed).
  const std::vector<TracePtr>& comparedTraces() const { return comparedTraces_; }
  // What the last comparison decoded and what failed (compare_run.h).
  const CompareResult& comparison() const { return comparison_; }

  Selection& selection() { return selection_; }
  const Selection& selection() const { return selection_; }
  // Layers and heads of the shown trace's layered attention ("self": [layers, heads, N, N]); {0, 0} without one.
  std::pair<int, int> layerHeadCounts() const;
  // Moves the Selection's layer or head by delta, clamped to layerHeadCounts() (View > Next Layer / Head…).
  void stepLayer(int delta);
  void stepHead(int delta);

 signals:
  void imagePathChanged(const QString& path);
  void modelsChanged();
  void currentModelChanged(int index);
  void loadingChanged(bool loading);
  void modelOpened(int index, const QString& path);
  void loadFailed(const QString& path, const attnviz::ui::Problem& problem);
  void inputTextChanged(const QString& text);
  void tokenIdsInputChanged(bool on);
  void traceChanged();
  void runningChanged(bool running);
  void runErrorChanged(const QString& text);
  void rolloutFusionChanged();
  void rolloutDiscardChanged(double ratio);
  void bf16Changed(bool on);
  void contributionsChanged();
  void shownTraceChanged();  // a new trace or another hypothesis picked
  void beamWidthChanged(int beam);
  void targetChanged(const QString& target);
  void targetKeptChanged(bool kept);
  void targetReleased(const QString& target, const QString& why);  // why: targetNote()
  void compareChanged();          // compared models, reference or target mode
  void comparedTracesChanged();
  void sentenceModeChanged(attnviz::SentenceMode mode);
  void occlusionChanged();  // a result arrived or the trace it belonged to went away (derived())
  void flowChanged();       // the same for attention flow
  void limitsChanged();

 private:
  void onRunFinished(quint64 generation, TracePtr trace, RunSourcePtr source);
  void onRunFailed(quint64 generation, const Problem& problem);
  void onCompared(quint64 generation, const CompareResult& result);
  void onRan(quint64 generation, double busyMs);
  void scheduleRun();  // after debounceMs(); a later edit restarts the wait
  void updateShown();
  void setComparedTraces(CompareResult result);
  std::shared_ptr<const CompareRequest> compareRequest() const;
  void onLoaded(const QString& path, ModelPtr model, const Problem& problem);
  void setTrace(TracePtr trace, RunSourcePtr source = nullptr);  // source: what the run was given (derived())
  void setRunning(bool running);
  void setRunError(const QString& text);
  attnviz::RunOptions optionsFor(const attnviz::Model& model) const;
  static attnviz::RunOptions defaultRunOptions();

  Loader loader_;
  std::vector<LoadedModel> models_;
  int current_ = -1;
  int pendingLoads_ = 0;
  int loadEpoch_ = 0;  // closeAllModels() moves it on: a load started before is dropped

  QString input_;
  QTimer debounce_;
  int fixedDebounceMs_ = kAdaptiveDebounce;
  RunPacing pacing_;          // of the current model's runs
  quint64 pacedFrom_ = 0;     // runs of generations up to this one were another model's: not paced by
  // The user's run settings: rollout (fusion, discard: derived, never passed to a run), bf16, beam, sentences.
  attnviz::RunOptions options_ = defaultRunOptions();
  bool tokenIds_ = false;
  QString imagePath_;
  ForcedTarget target_;
  QString targetNote_;
  LimitSettings limits_;
  std::vector<std::unique_ptr<KindExtension>> extensions_;  // one per kind that has one (kindUis())
  DerivedResults derived_;  // of trace_
  TracePtr trace_;
  TracePtr shown_;
  bool holdShown_ = false;  // setTrace resets the hypothesis: shownTraceChanged once, after traceChanged
  QList<int> compared_;
  int reference_ = -1;
  CompareTarget compareTarget_ = CompareTarget::ReferenceOutput;
  std::vector<TracePtr> comparedTraces_;
  CompareResult comparison_;
  bool running_ = false;
  QString runError_;
  Problem runProblem_;
  quint64 generation_ = 0;
  std::shared_ptr<std::atomic<quint64>> latest_ = std::make_shared<std::atomic<quint64>>(0);

  Selection selection_;
  QThread thread_;
  InferenceWorker* worker_ = nullptr;  // lives on thread_, deleted when it finishes
};

}  // namespace attnviz::ui

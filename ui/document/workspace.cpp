#include "ui/document/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QScopedValueRollback>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

#include "engine/core/buffer_pool.h"
#include "engine/ops/cpu_capabilities.h"
#include "ui/kinds/kind_ui.h"
#include "ui/document/hypothesis_trace.h"

namespace attnviz::ui {
namespace {

struct LoadResult {
  ModelPtr model;
  Problem problem;
};

QString canonical(const QString& path) {
  const QFileInfo fi(path);
  const QString c = fi.canonicalFilePath();
  return c.isEmpty() ? QDir::cleanPath(fi.absoluteFilePath()) : c;
}

}  // namespace

Workspace::Workspace(QObject* parent) : QObject(parent) {
  loader_ = [](const std::string& path, const attnviz::LoadOptions& options) -> ModelPtr {
    return attnviz::loadModel(path, options);
  };
  debounce_.setSingleShot(true);
  connect(&debounce_, &QTimer::timeout, this, &Workspace::runNow);

  thread_.setObjectName(QStringLiteral("attnviz-inference"));
  worker_ = new InferenceWorker(latest_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &InferenceWorker::finished, this, &Workspace::onRunFinished);
  connect(worker_, &InferenceWorker::failed, this, &Workspace::onRunFailed);
  connect(worker_, &InferenceWorker::compared, this, &Workspace::onCompared);
  connect(worker_, &InferenceWorker::ran, this, &Workspace::onRan);
  connect(&selection_, &Selection::hypothesisChanged, this, &Workspace::updateShown);
  connect(&derived_, &DerivedResults::occlusionChanged, this, &Workspace::occlusionChanged);
  connect(&derived_, &DerivedResults::flowChanged, this, &Workspace::flowChanged);
  thread_.start();
  for (const KindUi* kind : kindUis())
    if (kind->extension) extensions_.push_back(kind->extension(*this));
}

Workspace::~Workspace() {
  // derived_'s jobs stop when it goes (BackgroundJob cancels and waits); they hold the model they use.
  // A run in progress cannot be interrupted; the newest generation makes any queued ones skip.
  latest_->store(std::numeric_limits<quint64>::max());
  thread_.quit();
  thread_.wait();
}

ModelPtr Workspace::currentModel() const {
  return current_ >= 0 && current_ < static_cast<int>(models_.size()) ? models_[current_].model : nullptr;
}

QString Workspace::currentKind() const {
  const ModelPtr m = currentModel();
  return m ? QString::fromStdString(m->info().identity.kind) : QString();
}

QString Workspace::modelLabel(int index) const {
  if (index < 0 || index >= static_cast<int>(models_.size())) return {};
  const auto identity = [this](int i) -> const attnviz::ModelIdentity& {
    return models_[static_cast<std::size_t>(i)].model->info().identity;
  };
  const auto variant = [&](int i) {
    const auto& id = identity(i);
    return QString::fromStdString(id.variant.empty() || id.variant == "fake" ? id.name : id.variant);
  };
  const auto name = [&](int i) { return QString::fromStdString(identity(i).name); };
  // The variant says it shortest; two models of one variant (the Tatoeba and the Hansards luong-dot, two Marian
  // checkpoints) go by their names, and models of one name too by their place: "bahdanau #2".
  const auto countSame = [&](const auto& key) {
    int same = 0, before = 0;
    for (int i = 0; i < static_cast<int>(models_.size()); ++i) {
      if (key(i) != key(index)) continue;
      ++same;
      if (i < index) ++before;
    }
    return std::pair{same, before};
  };
  if (countSame(variant).first == 1) return variant(index);
  const auto [same, before] = countSame(name);
  if (same == 1 && !name(index).isEmpty()) return name(index);
  return before > 0 ? QStringLiteral("%1 #%2").arg(variant(index)).arg(before + 1) : variant(index);
}

void Workspace::openModel(const QString& path) {
  const QString wanted = canonical(path);
  for (std::size_t i = 0; i < models_.size(); ++i) {
    if (canonical(models_[i].path) == wanted) {
      setCurrentIndex(static_cast<int>(i));
      emit modelOpened(static_cast<int>(i), models_[i].path);
      return;
    }
  }
  if (pendingLoads_++ == 0) emit loadingChanged(true);
  auto* watcher = new QFutureWatcher<LoadResult>(this);
  connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, path, epoch = loadEpoch_] {
    const LoadResult r = watcher->result();
    watcher->deleteLater();
    if (epoch == loadEpoch_) onLoaded(path, r.model, r.problem);
  });
  watcher->setFuture(QtConcurrent::run([loader = loader_, p = path.toStdString(), options = limits_.loadOptions()]() -> LoadResult {
    try {
      ModelPtr m = loader(p, options);
      if (!m) return {nullptr, {QStringLiteral("model file error"), QString::fromStdString(p), QStringLiteral("no model was loaded")}};
      return {std::move(m), {}};
    } catch (...) {
      return {nullptr, Problem::fromCurrentException()};
    }
  }));
}

void Workspace::onLoaded(const QString& path, ModelPtr model, const Problem& problem) {
  if (--pendingLoads_ == 0) emit loadingChanged(false);
  if (!model) {
    Problem p = problem;
    if (p.where.isEmpty()) p.where = path;
    emit loadFailed(path, p);
    return;
  }
  const int index = addModel(std::move(model), path);
  emit modelOpened(index, path);
}

int Workspace::addModel(ModelPtr model, const QString& path) {
  models_.push_back({std::move(model), path});
  emit modelsChanged();
  const int index = static_cast<int>(models_.size()) - 1;
  setCurrentIndex(index);
  return index;
}

void Workspace::setCurrentIndex(int index) {
  if (index < -1 || index >= static_cast<int>(models_.size()) || index == current_) return;
  current_ = index;
  pacing_.reset();
  pacedFrom_ = generation_;  // requests already sent ran the previous model
  setTrace(nullptr);  // before the selection resets, so no panel redraws the old model's trace
  setRunError({});
  selection_.reset();
  if (const ModelPtr model = currentModel(); model && model->info().coreferenceHead) {
    const auto [layer, head] = *model->info().coreferenceHead;  // the head trained to find antecedents
    selection_.setLayerHead(layer, head);
  }
  const QString kind = currentKind();
  QList<int> kept;
  for (int i : compared_) {
    if (comparableKinds(QString::fromStdString(models_[static_cast<std::size_t>(i)].model->info().identity.kind), kind)) kept << i;
  }
  if (kept != compared_) {
    compared_ = kept;
    setComparedTraces({});
    emit compareChanged();
  }
  emit currentModelChanged(current_);
  // A forced target is a sequence of the target vocabulary it was made with: another vocabulary releases it.
  if (const ModelPtr model = currentModel(); model && target_.isSet() && kindCan(kind, &KindCapabilities::decodes)) {
    const QString vocabulary = ForcedTarget::vocabularyOf(model->info());
    if (target_.vocabulary.isEmpty()) target_.vocabulary = vocabulary;  // set with no seq2seq model open
    // A model whose target vocabulary is not known (MarianMT: SentencePiece text in, no "target" size) keeps it.
    else if (!vocabulary.isEmpty() && vocabulary != target_.vocabulary)
      releaseTarget(tr("%1 has another target vocabulary (%2) than the model it was made with (%3)")
                        .arg(modelLabel(current_), vocabulary, target_.vocabulary));
  }
  runNow();
}

void Workspace::cancelLoads() {
  ++loadEpoch_;
  if (pendingLoads_ > 0) {
    pendingLoads_ = 0;
    emit loadingChanged(false);
  }
}

void Workspace::closeAllModels() {
  cancelLoads();
  setCompared({});
  reference_ = -1;
  setCurrentIndex(-1);
  if (models_.empty()) return;
  models_.clear();
  attnviz::BufferPool::global().releaseKept();  // the buffers the closed models' runs kept for reuse (engine/core)
  emit modelsChanged();
}

void Workspace::setInputText(const QString& text) {
  if (text == input_) return;
  input_ = text;
  emit inputTextChanged(input_);
  if (target_.isSet() && !target_.belongsTo(input_))
    releaseTarget(tr("it was made for %1, and the sentence changed (tick Keep to keep a target for every sentence)")
                      .arg(ForcedTarget::quoted(target_.source)));
  scheduleRun();
}

void Workspace::scheduleRun() {
  debounce_.start(debounceMs());  // restarts: a run happens once typing pauses for debounceMs (0: at the next turn of
                                  // the event loop, so edits made together run once)
}

attnviz::RunOptions Workspace::defaultRunOptions() {
  attnviz::RunOptions options;
  options.beam = kDefaultBeamWidth;
  return options;
}

void Workspace::setRunOptions(const attnviz::RunOptions& options) {
  setRolloutFusion(options.rollout);
  setRolloutDiscard(options.rolloutDiscard);
  setBf16(options.bf16);
  setBeamWidth(options.beam);
  setSentenceMode(options.sentences);
}

void Workspace::setRolloutFusion(attnviz::RolloutFusion fusion) {
  if (fusion == options_.rollout) return;
  options_.rollout = fusion;  // derived from the trace: no run
  emit rolloutFusionChanged();
}

void Workspace::setRolloutDiscard(double ratio) {
  ratio = std::clamp(std::isnan(ratio) ? 0.0 : ratio, 0.0, kMaxRolloutDiscard);
  if (ratio == options_.rolloutDiscard) return;
  options_.rolloutDiscard = ratio;
  emit rolloutDiscardChanged(ratio);
}

void Workspace::setBeamWidth(int beam) {
  beam = std::clamp(beam, 1, kMaxBeamWidth);
  if (beam == options_.beam) return;
  options_.beam = beam;
  emit beamWidthChanged(beam);
  if (kindTakesTarget(currentKind())) runNow();
}

void Workspace::setTarget(const QString& target) { setTarget(target, input_); }

void Workspace::setTarget(const QString& target, const QString& source) {
  const ModelPtr model = currentModel();
  const QString vocabulary = model ? ForcedTarget::vocabularyOf(model->info()) : QString();
  if (target == target_.text && source == target_.source) return;
  const bool wasSet = target_.isSet();
  target_.text = target;
  target_.source = source;
  target_.vocabulary = vocabulary;
  targetNote_.clear();  // the user (or a gold sentence, a session) chose anew: the last release is no news
  emit targetChanged(target_.text);
  if (target_.isSet() && !target_.belongsTo(input_)) {
    releaseTarget(tr("it was given for %1, not for the sentence shown").arg(ForcedTarget::quoted(source)));
    return;
  }
  if ((wasSet || target_.isSet()) && kindTakesTarget(currentKind())) scheduleRun();
}

void Workspace::setTargetKept(bool kept) {
  if (kept == target_.kept) return;
  target_.kept = kept;
  emit targetKeptChanged(kept);
  if (!kept && target_.isSet() && !target_.belongsTo(input_))
    releaseTarget(tr("it was made for %1, and is no longer kept").arg(ForcedTarget::quoted(target_.source)));
}

void Workspace::releaseTarget(const QString& why) {
  const QString released = target_.text;
  target_.text.clear();
  targetNote_ = tr("Forced target %1 released: %2.").arg(ForcedTarget::quoted(released), why);
  emit targetChanged(target_.text);
  emit targetReleased(released, targetNote_);
  if (kindTakesTarget(currentKind())) scheduleRun();
}

void Workspace::setImagePath(const QString& path) {
  if (path == imagePath_) return;
  imagePath_ = path;
  emit imagePathChanged(imagePath_);
  if (kindCan(currentKind(), &KindCapabilities::image)) runNow();
}

void Workspace::setTokenIdsInput(bool on) {
  if (on == tokenIds_) return;
  tokenIds_ = on;
  emit tokenIdsInputChanged(on);
  if (kindCan(currentKind(), &KindCapabilities::text)) runNow();  // a text model: its tokens or an error change
}

void Workspace::setBf16(bool on) {
  if (on && !attnviz::ops::cpuCapabilities().bf16) on = false;  // never where it cannot run (Run menu disables it)
  if (on == options_.bf16) return;
  options_.bf16 = on;
  emit bf16Changed(on);
  if (kindCan(currentKind(), &KindCapabilities::bf16)) runNow();
}

void Workspace::setContributions(const attnviz::ContributionSet& methods) {
  if (methods == options_.contributions) return;
  options_.contributions = methods;
  emit contributionsChanged();
  const ModelPtr model = currentModel();
  if (kindCan(currentKind(), &KindCapabilities::contributions) || (model && model->info().weightedNorms)) runNow();
}

void Workspace::setSentenceMode(attnviz::SentenceMode mode) {
  if (mode == options_.sentences) return;
  options_.sentences = mode;
  emit sentenceModeChanged(mode);
  if (kindCan(currentKind(), &KindCapabilities::sentences)) runNow();
}

const attnviz::Occlusion* Workspace::occlusionFor(const TracePtr& trace) const {
  return trace && trace == derived_.trace() ? derived_.occlusion() : nullptr;
}

const std::vector<float>* Workspace::flowFor(const TracePtr& trace) const {
  return trace && trace == derived_.trace() ? derived_.flow() : nullptr;
}

const attnviz::ValueZeroing* Workspace::valueZeroingFor(const TracePtr& trace) const {
  return trace && trace == derived_.trace() ? derived_.valueZeroing() : nullptr;
}

std::pair<int, int> Workspace::layerHeadCounts() const {
  if (!shown_) return {0, 0};
  const auto it = shown_->attention.find("self");
  if (it == shown_->attention.end() || it->second.rank() != 4) return {0, 0};
  return {static_cast<int>(it->second.dim(0)), static_cast<int>(it->second.dim(1))};
}

void Workspace::stepLayer(int delta) {
  const int layers = layerHeadCounts().first;
  if (layers > 0) selection_.setLayer(std::clamp(selection_.layer() + delta, 0, layers - 1));
}

void Workspace::stepHead(int delta) {
  const int heads = layerHeadCounts().second;
  if (heads > 0) selection_.setHead(std::clamp(selection_.head() + delta, 0, heads - 1));
}

void Workspace::setLimits(const LimitSettings& limits) {
  const LimitSettings l = limits.clamped();
  if (l == limits_) return;
  limits_ = l;
  emit limitsChanged();
  if (currentModel()) runNow();
}

bool comparableKinds(const QString& a, const QString& b) {
  // Seq2seq decoders and pair aligners both make a [T, S] cross map of one sentence pair when given the same target.
  return a == b || (kindTakesTarget(a) && kindTakesTarget(b));
}

attnviz::RunOptions Workspace::optionsFor(const attnviz::Model& model) const {
  attnviz::RunOptions options;
  options.maxTokens = limits_.maxTokens;
  options.maxImagePixels = limits_.maxImagePixels;
  // Rollout, flow and occlusion stay off (RunOptions' defaults): they are derived from the trace (derived_).
  const KindCapabilities& can = model.kind().can;  // each option only where the kind takes it (Model::run checks)
  if (can.sentences) options.sentences = options_.sentences;
  if (can.bf16) options.bf16 = options_.bf16;
  if (can.contributions) options.contributions = options_.contributions;
  else if (model.info().weightedNorms) options.contributions.valueNorm = options_.contributions.valueNorm;  // a_j ‖h_j‖
  if (can.alignsPairs) {
    // A pair aligner scores the typed target against the source; it has no translation of its own.
    if (hasTarget()) options.target = target_.text.trimmed().toStdString();
  } else if (can.decodes) {
    if (hasTarget()) {
      options.target = target_.text.trimmed().toStdString();  // forced decoding has one path: no beam
    } else {
      options.beam = options_.beam;
    }
  }
  return options;
}

void Workspace::setCompared(const QList<int>& modelIndices) {
  const QString kind = currentKind();
  QList<int> kept;
  for (int i : modelIndices) {
    if (i < 0 || i >= static_cast<int>(models_.size()) || kept.contains(i)) continue;
    if (comparableKinds(QString::fromStdString(models_[static_cast<std::size_t>(i)].model->info().identity.kind), kind)) kept << i;
  }
  if (kept == compared_) return;
  const bool wasComparing = isComparing();
  compared_ = kept;
  setComparedTraces({});
  emit compareChanged();
  if (isComparing() || wasComparing) runNow();
}

int Workspace::reference() const {
  if (compared_.isEmpty()) return -1;
  if (compared_.contains(reference_)) return reference_;
  // The others are force-decoded on the reference's translation: a pair aligner makes none.
  for (int i : compared_) {
    if (!models_[static_cast<std::size_t>(i)].model->kind().can.alignsPairs) return i;
  }
  return compared_.front();
}

void Workspace::setReference(int modelIndex) {
  if (modelIndex == reference_) return;
  reference_ = modelIndex;
  emit compareChanged();
  if (isComparing()) runNow();
}

void Workspace::setCompareTarget(CompareTarget target) {
  if (target == compareTarget_) return;
  compareTarget_ = target;
  emit compareChanged();
  if (isComparing()) runNow();
}

std::shared_ptr<const CompareRequest> Workspace::compareRequest() const {
  if (!isComparing()) return nullptr;
  auto request = std::make_shared<CompareRequest>();
  for (int i : compared_) {
    request->models.push_back(models_[static_cast<std::size_t>(i)].model);
    request->labels << modelLabel(i);
  }
  request->reference = static_cast<int>(compared_.indexOf(reference()));
  request->primaryPosition = static_cast<int>(compared_.indexOf(current_));
  request->target = compareTarget_;
  return request;
}

void Workspace::runNow() {
  debounce_.stop();
  const ModelPtr model = currentModel();
  const quint64 generation = ++generation_;
  latest_->store(generation);
  const bool image = model && model->kind().can.image;
  // A pair aligner without a target has nothing to align (the alignment view asks for the target).
  const bool unpaired = model && model->kind().can.alignsPairs && !hasTarget();
  if (!model || unpaired || (image ? imagePath_.isEmpty() : input_.trimmed().isEmpty())) {  // nothing to run: any result on its way is stale
    setTrace(nullptr);
    setComparedTraces({});
    setRunError({});
    setRunning(false);
    return;
  }
  RunRequest request{generation, model, input_.toStdString(), image ? imagePath_.toStdString() : std::string(),
                     !image && tokenIds_, optionsFor(*model), compareRequest()};
  setRunning(true);
  QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->run(request); }, Qt::QueuedConnection);
}

void Workspace::onRunFinished(quint64 generation, TracePtr trace, RunSourcePtr source) {
  if (generation != generation_) return;  // stale: the user typed on
  setRunning(false);
  setRunError({});
  setTrace(std::move(trace), std::move(source));
}

void Workspace::onRunFailed(quint64 generation, const Problem& problem) {
  if (generation != generation_) return;
  setRunning(false);
  runProblem_ = problem;
  setRunError(problem.text());
}

void Workspace::onCompared(quint64 generation, const CompareResult& result) {
  if (generation != generation_ || !isComparing()) return;
  setComparedTraces(result);
}

void Workspace::onRan(quint64 generation, double busyMs) {
  if (generation > pacedFrom_) pacing_.recordRun(busyMs);  // stale or not, it kept the worker this long
}

void Workspace::setComparedTraces(CompareResult result) {
  if (result.traces.empty() && comparedTraces_.empty()) return;
  comparison_ = std::move(result);
  comparedTraces_ = comparison_.traces;
  emit comparedTracesChanged();
}

void Workspace::setTrace(TracePtr trace, RunSourcePtr source) {
  if (trace == trace_) return;
  trace_ = std::move(trace);
  // A new document: the old one's derived results and jobs go (han's extension starts occlusion on traceChanged).
  derived_.setTrace(trace_, trace_ ? currentModel() : nullptr, trace_ ? std::move(source) : nullptr);
  {
    // A new n-best list starts at its best entry; updateShown runs once, below.
    const QScopedValueRollback hold(holdShown_, true);
    selection_.setHypothesis(0);
  }
  // Row, column and pin go to the tokens they were on (a null trace keeps them for the next one).
  if (trace_) selection_.followAxes(Selection::axesOf(*trace_));
  emit traceChanged();
  updateShown();
}

void Workspace::updateShown() {
  if (holdShown_) return;
  TracePtr shown = traceForHypothesis(trace_, selection_.hypothesis());
  if (shown == shown_) return;
  shown_ = std::move(shown);
  emit shownTraceChanged();
}

void Workspace::setRunning(bool running) {
  if (running == running_) return;
  running_ = running;
  emit runningChanged(running_);
}

void Workspace::setRunError(const QString& text) {
  if (text.isEmpty()) runProblem_ = {};
  if (text == runError_) return;
  runError_ = text;
  emit runErrorChanged(runError_);
}

}  // namespace attnviz::ui

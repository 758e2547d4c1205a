#include "ui/document/derived_results.h"

#include "engine/analysis/attention_flow.h"
#include "engine/analysis/rollout.h"

namespace attnviz::ui {
namespace {

// attention.self [layers, heads, N, N], or null.
const attnviz::Tensor* squareSelf(const attnviz::Trace& trace) {
  const auto it = trace.attention.find("self");
  if (it == trace.attention.end() || it->second.rank() != 4 || it->second.dim(2) != it->second.dim(3)) return nullptr;
  return &it->second;
}

// The trace's own attention.flow [1, N] (a command-line run with --flow), or null.
const attnviz::Tensor* ownFlow(const attnviz::Trace& trace) {
  const auto it = trace.attention.find("flow");
  return it != trace.attention.end() && it->second.rank() == 2 && it->second.dim(0) == 1 ? &it->second : nullptr;
}

const attnviz::OcclusionScorer* scorerOf(const ModelPtr& model) {
  return dynamic_cast<const attnviz::OcclusionScorer*>(model.get());
}

// Why an analysis that reruns the trace's input (head knockout, faithfulness, value zeroing; `name`) cannot: no run
// (`noRun`), a kind without attention blocks, no RunSource, nothing to score (when `scored`). Empty when it can.
QString whyNoRerun(const TracePtr& trace, const ModelPtr& model, const RunSourcePtr& source, const QString& noRun,
                   const QString& name, bool scored = true) {
  if (!trace || !model) return noRun;
  if (!model->kind().can.contributions)
    return DerivedResults::tr("%1 is for transformer encoders and ViTs; this model is %2.")
        .arg(name, QString::fromStdString(model->kind().description));
  if (!source)
    return DerivedResults::tr("This trace was shown without a run of this window (attnviz export), so its input cannot be rerun.");
  std::string why;
  if (scored && !attnviz::scorePrediction(*trace, *trace, &why))
    return DerivedResults::tr("No %1: %2.").arg(name.toLower(), QString::fromStdString(why));
  return {};
}

// The trace's own value zeroing maps (a command-line run with --method value-zeroing), or nullopt.
std::optional<attnviz::ValueZeroing> ownValueZeroing(const attnviz::Trace& trace) {
  const auto perLayer = trace.attention.find("value_zeroing"), rollout = trace.attention.find("value_zeroing_rollout");
  if (perLayer == trace.attention.end() || rollout == trace.attention.end()) return std::nullopt;
  return attnviz::ValueZeroing{perLayer->second, rollout->second};
}

// Value zeroing's maps into trace.attention, under the names `attnviz run --method value-zeroing` gives them.
void addMaps(attnviz::Trace& trace, const attnviz::ValueZeroing& v) {
  trace.attention["value_zeroing"] = v.perLayer;
  trace.attention["value_zeroing_rollout"] = v.rollout;
}

}  // namespace

DerivedResults::DerivedResults(QObject* parent) : QObject(parent) {}

void DerivedResults::setTrace(TracePtr trace, ModelPtr model, RunSourcePtr source) {
  if (trace == trace_) return;
  const bool hadFlow = flow() != nullptr, hadOcclusion = occlusion() != nullptr;
  const bool hadKnockout = !knockouts_.empty() || (trace_ && trace_->headKnockout);
  const bool hadFaithfulness = !faithfulness_.empty() || (trace_ && trace_->faithfulness);
  const bool hadValueZeroing = valueZeroing_.has_value();
  trace_ = std::move(trace);
  model_ = std::move(model);
  source_ = std::move(source);
  rollouts_.clear();
  flow_.reset();
  occlusion_.reset();
  knockouts_.clear();
  faithfulness_.clear();
  // After the move: a listener of canceled() that asks for this trace's flow again gets the new trace's.
  flowJob_.cancel();
  occlusionJob_.cancel();
  knockoutJob_.cancel();
  faithfulnessJob_.cancel();
  valueZeroingJob_.cancel();
  valueZeroing_ = trace_ ? ownValueZeroing(*trace_) : std::nullopt;
  if (hadValueZeroing || valueZeroing_) emit valueZeroingChanged();
  if (hadKnockout || (trace_ && trace_->headKnockout)) emit knockoutChanged();
  if (hadFaithfulness || (trace_ && trace_->faithfulness)) emit faithfulnessChanged();
  if (const attnviz::Tensor* own = trace_ ? ownFlow(*trace_) : nullptr)
    flow_ = std::vector<float>(own->data(), own->data() + own->dim(1));
  if (hadFlow || flow()) emit flowChanged();
  if (hadOcclusion || occlusion()) emit occlusionChanged();
}

const attnviz::Tensor* DerivedResults::rollout(attnviz::RolloutFusion fusion, double discard) const {
  if (!trace_ || fusion == attnviz::RolloutFusion::None || !attnviz::validDiscardRatio(discard)) return nullptr;
  const attnviz::Tensor* self = squareSelf(*trace_);
  if (!self) return nullptr;
  const auto key = std::make_pair(fusion, discard);
  auto it = rollouts_.find(key);
  if (it == rollouts_.end()) {
    it = rollouts_.emplace(key, attnviz::attentionRollout(*self, fusion, discard)).first;  // [N, N]
    ++rolloutComputations_;
  }
  return &it->second;
}

const std::vector<float>* DerivedResults::flow() const { return flow_ ? &*flow_ : nullptr; }

bool DerivedResults::canComputeFlow() const { return trace_ && squareSelf(*trace_); }

bool DerivedResults::startFlow() {
  if (!canComputeFlow() || flow()) return false;
  const TracePtr trace = trace_;
  flowJob_.start(
      [trace](JobControl& control) -> std::any {
        const attnviz::FlowProgress progress = [&control](std::int64_t done, std::int64_t total) {
          control.setProgress(static_cast<int>(done), static_cast<int>(total));
          return !control.canceled();
        };
        const attnviz::Tensor flow = attnviz::attentionFlow(*squareSelf(*trace), {0}, progress);  // [1, N]: from [CLS]
        if (flow.rank() != 2 || flow.dim(0) != 1 || control.canceled()) return {};
        return std::vector<float>(flow.data(), flow.data() + flow.dim(1));
      },
      [this, trace](std::any row) {
        if (trace != trace_) return;
        flow_ = std::any_cast<std::vector<float>>(std::move(row));
        emit flowChanged();
      });
  return true;
}

const attnviz::Occlusion* DerivedResults::occlusion() const {
  if (!trace_) return nullptr;
  if (trace_->occlusion) return &*trace_->occlusion;
  return occlusion_ ? &*occlusion_ : nullptr;
}

bool DerivedResults::canScoreOcclusion() const { return scorerOf(model_) != nullptr; }

bool DerivedResults::startOcclusion() {
  if (!trace_ || !canScoreOcclusion() || occlusion()) return false;
  occlusionJob_.start(
      [trace = trace_, model = model_](JobControl& control) -> std::any {
        attnviz::OcclusionControl engine;
        engine.cancel = control.cancelFlag();
        engine.progress = [&control](int done, int total) { control.setProgress(done, total); };
        std::optional<attnviz::Occlusion> o = scorerOf(model)->occlusion(*trace, engine);  // one run per unit
        if (!o) return {};
        return std::move(*o);
      },
      [this, trace = trace_](std::any o) {
        if (trace != trace_) return;
        occlusion_ = std::any_cast<attnviz::Occlusion>(std::move(o));
        emit occlusionChanged();
      });
  return true;
}

const attnviz::HeadKnockout* DerivedResults::knockout(attnviz::KnockoutMode mode) const {
  if (!trace_) return nullptr;
  if (trace_->headKnockout && trace_->headKnockout->mode == attnviz::knockoutModeName(mode)) return &*trace_->headKnockout;
  const auto it = knockouts_.find(mode);
  return it != knockouts_.end() ? &it->second : nullptr;
}

QString DerivedResults::whyNoKnockout() const {
  return whyNoRerun(trace_, model_, source_, tr("There is no run to knock heads out of."), tr("Head knockout"));
}

std::optional<attnviz::KnockoutMode> DerivedResults::knockoutJobMode() const {
  return knockoutJob_.isRunning() ? std::optional(knockoutJobMode_) : std::nullopt;
}

bool DerivedResults::startKnockout(attnviz::KnockoutMode mode) {
  if (!whyNoKnockout().isEmpty() || knockout(mode) || knockoutJobMode() == mode) return false;
  knockoutJobMode_ = mode;
  knockoutJob_.start(
      [trace = trace_, model = model_, source = source_, mode](JobControl& control) -> std::any {
        attnviz::KnockoutControl engine;
        engine.cancel = control.cancelFlag();
        engine.progress = [&control](int done, int total) { control.setProgress(done, total); };
        std::optional<attnviz::HeadKnockout> k =
            attnviz::headKnockout(*model, source->input, source->options, *trace, mode, engine);  // one run per head
        if (!k) return {};
        return std::move(*k);
      },
      [this, trace = trace_, mode](std::any k) {
        if (trace != trace_) return;
        knockouts_[mode] = std::any_cast<attnviz::HeadKnockout>(std::move(k));
        emit knockoutChanged();
      });
  return true;
}

const attnviz::Faithfulness* DerivedResults::faithfulness(attnviz::TokenRemoval::How how) const {
  if (!trace_) return nullptr;
  if (trace_->faithfulness && trace_->faithfulness->removal == attnviz::removalName(how)) return &*trace_->faithfulness;
  const auto it = faithfulness_.find(how);
  return it != faithfulness_.end() ? &it->second : nullptr;
}

QString DerivedResults::whyNoFaithfulness(attnviz::TokenRemoval::How how) const {
  if (QString why = whyNoRerun(trace_, model_, source_, tr("There is no run to remove tokens from."), tr("Faithfulness"));
      !why.isEmpty())
    return why;
  const bool positional = !trace_->prediction.coreference.empty() || trace_->prediction.answer.has_value();
  if (how == attnviz::TokenRemoval::How::Delete && positional)
    return tr("Deleting tokens shifts positions, and this model's prediction is read at positions (a coreference "
              "pointer or an answer span): use masking.");
  return {};
}

std::optional<attnviz::TokenRemoval::How> DerivedResults::faithfulnessJobRemoval() const {
  return faithfulnessJob_.isRunning() ? std::optional(faithfulnessJobRemoval_) : std::nullopt;
}

bool DerivedResults::startFaithfulness(attnviz::TokenRemoval::How how) {
  if (!whyNoFaithfulness(how).isEmpty() || faithfulness(how) || faithfulnessJobRemoval() == how) return false;
  faithfulnessJobRemoval_ = how;
  // The maps it ranks by: the trace's own, and value zeroing's when it was computed here.
  TracePtr ranked = trace_;
  if (valueZeroing_ && !trace_->attention.contains("value_zeroing_rollout")) {
    auto withMaps = std::make_shared<attnviz::Trace>(*trace_);
    addMaps(*withMaps, *valueZeroing_);
    ranked = std::move(withMaps);
  }
  faithfulnessJob_.start(
      [trace = std::move(ranked), model = model_, source = source_, how](JobControl& control) -> std::any {
        attnviz::CandidateControl engine;
        engine.cancel = control.cancelFlag();
        engine.progress = [&control](int done, int total) { control.setProgress(done, total); };
        const attnviz::FaithfulnessRequest request{attnviz::faithfulnessMethodsOf(*trace), how};
        std::optional<attnviz::Faithfulness> f =
            attnviz::faithfulness(*model, source->input, source->options, *trace, request, engine);  // one run per set
        if (!f) return {};
        return std::move(*f);
      },
      [this, trace = trace_, how](std::any f) {
        if (trace != trace_) return;
        faithfulness_[how] = std::any_cast<attnviz::Faithfulness>(std::move(f));
        emit faithfulnessChanged();
      });
  return true;
}

attnviz::Trace DerivedResults::traceWithResults(attnviz::RolloutFusion fusion, double discard) const {
  if (!trace_) return {};
  attnviz::Trace out = *trace_;
  if (const attnviz::Tensor* r = rollout(fusion, discard)) out.attention["rollout"] = *r;
  if (const std::vector<float>* f = flow()) {
    out.attention["flow"] = attnviz::Tensor({1, static_cast<std::int64_t>(f->size())}, *f);
  }
  if (const attnviz::Occlusion* o = occlusion()) out.occlusion = *o;
  for (const auto mode : {attnviz::KnockoutMode::AllButOneHead, attnviz::KnockoutMode::OneHead})
    if (const attnviz::HeadKnockout* k = knockout(mode)) out.headKnockout = *k;  // the JSON holds one: one-head first
  for (const auto how : {attnviz::TokenRemoval::How::Delete, attnviz::TokenRemoval::How::Mask})
    if (const attnviz::Faithfulness* f = faithfulness(how)) out.faithfulness = *f;  // one in the JSON: masking first
  if (valueZeroing_) addMaps(out, *valueZeroing_);
  return out;
}

QString DerivedResults::whyNoValueZeroing() const {
  return whyNoRerun(trace_, model_, source_, tr("There is no run to zero values in."), tr("Value zeroing"), /*scored=*/false);
}

bool DerivedResults::startValueZeroing() {
  if (!whyNoValueZeroing().isEmpty() || valueZeroing_ || valueZeroingJob_.isRunning()) return false;
  valueZeroingJob_.start(
      [model = model_, source = source_](JobControl& control) -> std::any {
        attnviz::CandidateControl engine;
        engine.cancel = control.cancelFlag();
        engine.progress = [&control](int done, int total) { control.setProgress(done, total); };
        std::optional<attnviz::ValueZeroing> v = attnviz::valueZeroing(*model, source->input, source->options, engine);
        if (!v) return {};
        return std::move(*v);
      },
      [this, trace = trace_](std::any v) {
        if (trace != trace_) return;
        valueZeroing_ = std::any_cast<attnviz::ValueZeroing>(std::move(v));
        emit valueZeroingChanged();
      });
  return true;
}

}  // namespace attnviz::ui

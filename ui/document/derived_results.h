// DerivedResults: the analyses the UI computes from one finished run (engine/analysis: rollout, attention flow,
// leave-one-out occlusion, head knockout, faithfulness, value zeroing), kept for that trace until the Workspace moves to another (STYLE.md 21: analyses are
// functions of a finished run, read from one cache, not options of the forward). The Workspace runs every model
// without them (RunOptions rollout None, flow and occlusion off), so changing the rollout fusion or discard ratio
// never reruns a model: the rollout is computed here from attention.self, once per (fusion, ratio).
//
// Rollout is cheap and computed when first asked. Flow (one max-flow per token), occlusion (one model run per
// word and per sentence), head knockout (one run per head, on the run's own input: RunSource) and faithfulness (one
// run per removal set, likewise) are slow: each runs in its own BackgroundJob (progress, cancel) and arrives with
// flowChanged / occlusionChanged / knockoutChanged / faithfulnessChanged. A trace that already carries its own attention.flow or Trace::occlusion (one the
// command line ran, shown through Workspace::showTrace) counts as computed.
//
//   DerivedResults d;  d.setTrace(trace, model);
//   const attnviz::Tensor* r = d.rollout(RolloutFusion::Max, 0.9);   // [N, N]; null: no attention.self
//   d.startFlow();   // later: flowChanged(), d.flow() -> [N]
//   attnviz::Trace out = d.traceWithResults(RolloutFusion::Max, 0.9);  // as `attnviz run --rollout max --flow` writes it
#pragma once

#include <QObject>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "engine/analysis/faithfulness.h"
#include "engine/analysis/head_knockout.h"
#include "engine/analysis/occlusion.h"
#include "engine/analysis/value_zeroing.h"
#include "engine/api/model.h"
#include "ui/document/background_job.h"
#include "ui/document/model_ptr.h"

namespace attnviz::ui {

class DerivedResults : public QObject {
  Q_OBJECT

 public:
  explicit DerivedResults(QObject* parent = nullptr);

  // Moves to another trace (and the model that produced it, for occlusion; what that run was given, for knockout;
  // null for a trace shown without a run): the previous trace's results go, its jobs stop. The same trace again
  // keeps everything.
  void setTrace(TracePtr trace, ModelPtr model, RunSourcePtr source = nullptr);
  const TracePtr& trace() const { return trace_; }

  // --- rollout (rollout.h): attention.self [L, H, N, N] -> [N, N], heads fused by `fusion`, rows' lowest `discard`
  // fraction dropped per layer. Null for fusion None, an invalid ratio, or a trace without square attention.self.
  const attnviz::Tensor* rollout(attnviz::RolloutFusion fusion, double discard) const;
  int rolloutComputations() const { return rolloutComputations_; }

  // --- attention flow from [CLS] (attention_flow.h): [N], summing to 1; null until computed.
  const std::vector<float>* flow() const;
  bool canComputeFlow() const;  // the trace has attention.self [L, H, N, N]
  bool startFlow();             // false (nothing started) when it cannot or is already computed
  void cancelFlow() { flowJob_.cancel(); }
  BackgroundJob& flowJob() { return flowJob_; }
  const BackgroundJob& flowJob() const { return flowJob_; }

  // --- leave-one-out occlusion (occlusion.h), for models that are an attnviz::OcclusionScorer; null until computed.
  const attnviz::Occlusion* occlusion() const;
  bool canScoreOcclusion() const;
  bool startOcclusion();  // false (nothing started) when it cannot or is already computed
  void cancelOcclusion() { occlusionJob_.cancel(); }
  BackgroundJob& occlusionJob() { return occlusionJob_; }
  const BackgroundJob& occlusionJob() const { return occlusionJob_; }

  // --- head knockout (head_knockout.h): [layers, heads], the drop of the scored prediction with each head zeroed
  // (OneHead) or every other head of its layer zeroed (AllButOneHead); null until computed. A trace that carries its
  // own Trace::headKnockout (attnviz run --head-knockout) has that mode computed.
  const attnviz::HeadKnockout* knockout(attnviz::KnockoutMode mode) const;
  QString whyNoKnockout() const;  // empty when startKnockout can run: else why not, as one sentence
  bool startKnockout(attnviz::KnockoutMode mode);  // false (nothing started) when it cannot or is already computed
  void cancelKnockout() { knockoutJob_.cancel(); }
  std::optional<attnviz::KnockoutMode> knockoutJobMode() const;  // the mode the job computes while it runs
  BackgroundJob& knockoutJob() { return knockoutJob_; }
  const BackgroundJob& knockoutJob() const { return knockoutJob_; }

  // --- faithfulness (faithfulness.h) of every ranking the trace has maps for (faithfulnessMethodsOf: attention,
  // rollout and the contribution maps the run added), tokens masked or deleted; null until computed. A trace that
  // carries its own Trace::faithfulness with that removal counts as computed.
  const attnviz::Faithfulness* faithfulness(attnviz::TokenRemoval::How how) const;
  QString whyNoFaithfulness(attnviz::TokenRemoval::How how) const;  // empty when startFaithfulness can run
  bool startFaithfulness(attnviz::TokenRemoval::How how);  // false (nothing started) when it cannot or already did
  void cancelFaithfulness() { faithfulnessJob_.cancel(); }
  std::optional<attnviz::TokenRemoval::How> faithfulnessJobRemoval() const;  // what the job computes while it runs
  BackgroundJob& faithfulnessJob() { return faithfulnessJob_; }
  const BackgroundJob& faithfulnessJob() const { return faithfulnessJob_; }

  // --- value zeroing (value_zeroing.h): [L, N, N] and its rollout [N, N], from one more run of the trace's input
  // keeping the attention blocks, then one layer pass per token and layer; null until computed. A trace that carries
  // its own attention.value_zeroing and .value_zeroing_rollout (attnviz run --method value-zeroing) has them.
  const attnviz::ValueZeroing* valueZeroing() const { return valueZeroing_ ? &*valueZeroing_ : nullptr; }
  QString whyNoValueZeroing() const;  // empty when startValueZeroing can run
  bool startValueZeroing();           // false (nothing started) when it cannot, already did or is running
  void cancelValueZeroing() { valueZeroingJob_.cancel(); }
  BackgroundJob& valueZeroingJob() { return valueZeroingJob_; }
  const BackgroundJob& valueZeroingJob() const { return valueZeroingJob_; }

  // The trace with every result computed so far merged in, in the shape `attnviz run` writes them
  // (trace_json.cpp): attention.rollout [N, N] for `fusion` and `discard` (when not None), attention.flow [1, N],
  // Trace::occlusion, Trace::headKnockout (one-head mode first), Trace::faithfulness (masking first),
  // attention.value_zeroing and .value_zeroing_rollout. Empty trace when there is none.
  attnviz::Trace traceWithResults(attnviz::RolloutFusion fusion, double discard) const;

 signals:
  void flowChanged();       // computed, or gone with its trace
  void occlusionChanged();  // the same for occlusion
  void knockoutChanged();   // and for head knockout (either mode)
  void faithfulnessChanged();  // and for faithfulness (either removal)
  void valueZeroingChanged();  // and for value zeroing

 private:
  TracePtr trace_;
  ModelPtr model_;
  RunSourcePtr source_;
  mutable std::map<std::pair<attnviz::RolloutFusion, double>, attnviz::Tensor> rollouts_;  // (fusion, discard) -> [N, N]
  mutable int rolloutComputations_ = 0;
  std::optional<std::vector<float>> flow_;
  std::optional<attnviz::Occlusion> occlusion_;
  BackgroundJob flowJob_;
  BackgroundJob occlusionJob_;
  std::map<attnviz::KnockoutMode, attnviz::HeadKnockout> knockouts_;
  attnviz::KnockoutMode knockoutJobMode_ = attnviz::KnockoutMode::OneHead;
  BackgroundJob knockoutJob_;
  std::map<attnviz::TokenRemoval::How, attnviz::Faithfulness> faithfulness_;
  attnviz::TokenRemoval::How faithfulnessJobRemoval_ = attnviz::TokenRemoval::How::Mask;
  BackgroundJob faithfulnessJob_;
  std::optional<attnviz::ValueZeroing> valueZeroing_;
  BackgroundJob valueZeroingJob_;
};

}  // namespace attnviz::ui

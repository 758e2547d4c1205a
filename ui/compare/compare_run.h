// compare_run: running several models of one kind on the same input, for the variant comparison. Runs
// on the inference worker thread (InferenceWorker calls it after the current model's own run).
//
//   CompareRequest c{{m1, m2, m3}, {"bahdanau", "luong-dot", "local-p"}, /*reference*/ 1};
//   CompareResult r = runComparison(c, input, options, primaryTrace, [] { return false; });
//   r.traces[2]->attention.at("cross");      // [T, S], T the same for every model
//
// seq2seq maps only line up row for row when every model decodes the same target. So by default every
// model is force-decoded on the reference model's translation (CompareTarget::ReferenceOutput); with a
// target in the options every model is forced on that. OwnOutput lets each model decode freely (rows
// then differ, and divergences between maps of different shapes are not defined). Kinds without a
// translation (encoder, ...) simply run every model on the input.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

#include "engine/api/model.h"
#include "ui/document/model_ptr.h"

namespace attnviz::ui {

enum class CompareTarget {
  ReferenceOutput,  // every model force-decoded on the reference model's translation (default)
  OwnOutput,        // every model decodes on its own
};

struct CompareRequest {
  std::vector<ModelPtr> models;  // the compared models, in display order
  QStringList labels;            // one per model, for messages: "luong-dot"
  int reference = 0;             // position in models of the reference model
  int primaryPosition = -1;      // position of the current model (whose trace the caller has), -1 if absent
  CompareTarget target = CompareTarget::ReferenceOutput;
  bool empty() const { return models.size() < 2; }
};

struct CompareResult {
  std::vector<TracePtr> traces;  // one per model, null where the model failed
  QStringList problems;          // "bahdanau: input error: ..." for every model that failed
  QString forcedTarget;          // the target every model decoded, empty when each decoded its own
  bool forcedOnReference = false;  // forcedTarget is the reference's translation (not the user's target)
};

// `primary` is the current model's trace for `options` (reused, not re-run, where it is the same run).
// `stale` is asked between models; when it returns true the comparison stops and returns what it has.
CompareResult runComparison(const CompareRequest& request, const attnviz::Input& input, const attnviz::RunOptions& options,
                            const TracePtr& primary, const std::function<bool()>& stale);

}  // namespace attnviz::ui

Q_DECLARE_METATYPE(attnviz::ui::CompareResult)

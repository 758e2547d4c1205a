// Shared pointers to a loaded model, to one run's trace and to what that run was given, as the UI passes them between
// threads.
#pragma once

#include <QMetaType>
#include <memory>

#include "engine/api/model.h"

namespace attnviz::ui {

using ModelPtr = std::shared_ptr<const attnviz::Model>;
using TracePtr = std::shared_ptr<const attnviz::Trace>;

// The input and options a run was given: the analyses that rerun the model on the same input (head knockout) start
// from it, since a trace cannot rebuild a text pair or an in-memory image. Null for a trace shown without a run.
struct RunSource {
  attnviz::Input input;
  attnviz::RunOptions options;
};
using RunSourcePtr = std::shared_ptr<const RunSource>;

}  // namespace attnviz::ui

Q_DECLARE_METATYPE(attnviz::ui::TracePtr)
Q_DECLARE_METATYPE(attnviz::ui::RunSourcePtr)

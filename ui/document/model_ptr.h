// Shared pointers to a loaded model and to one run's trace, as the UI passes them between threads.
#pragma once

#include <QMetaType>
#include <memory>

#include "engine/api/model.h"

namespace attnviz::ui {

using ModelPtr = std::shared_ptr<const attnviz::Model>;
using TracePtr = std::shared_ptr<const attnviz::Trace>;

}  // namespace attnviz::ui

Q_DECLARE_METATYPE(attnviz::ui::TracePtr)

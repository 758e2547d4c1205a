#include "ui/document/problem.h"

#include <exception>
#include <new>

#include "engine/core/error.h"

namespace attnviz::ui {

Problem Problem::fromCurrentException() {
  try {
    throw;
  } catch (const attnviz::Error& e) {
    return {QString::fromUtf8(attnviz::kindName(e.kind())), QString::fromStdString(e.where()),
            QString::fromUtf8(e.what())};
  } catch (const std::bad_alloc&) {
    return {QStringLiteral("out of memory"), {}, QStringLiteral("not enough memory for this model or input")};
  } catch (const std::exception& e) {
    return {QStringLiteral("internal error"), {}, QString::fromUtf8(e.what())};
  } catch (...) {
    return {QStringLiteral("internal error"), {}, QStringLiteral("unknown exception")};
  }
}

}  // namespace attnviz::ui

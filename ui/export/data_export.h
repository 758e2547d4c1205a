// Data export: the current trace as JSON (attnviz::traceToJson, one object, the `attnviz run`
// format) and the matrix a panel shows as CSV, both written atomically (save_file.h).
//
//   writeTraceJson("trace.json", *ws.trace());
//   writeMatrixCsv("map.csv", panel->shownMatrix());
//
// CSV (RFC 4180): the first row is "<row axis> \ <column axis>" then the column tokens; each further
// row is a row token then its weights (shortest text that reads back as the same float). Fields with
// a comma, quote, line break or surrounding space are quoted, quotes doubled.
#pragma once

#include <QByteArray>
#include <QString>

#include "engine/api/trace.h"
#include "ui/maps/heatmap_data.h"
#include "ui/export/save_file.h"

namespace attnviz::ui {

QString csvField(const QString& field);
QByteArray matrixCsv(const HeatmapData& data);

SaveResult writeBytes(const QString& path, const QByteArray& bytes);
SaveResult writeMatrixCsv(const QString& path, const HeatmapData& data);
SaveResult writeTraceJson(const QString& path, const attnviz::Trace& trace);

}  // namespace attnviz::ui

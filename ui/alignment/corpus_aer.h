// CorpusAerRunner: AER of one or more models over a whole gold set, in the background. Every sentence's
// source is run with its gold target force-decoded, the argmax word alignment is scored against the
// gold links (or the links of the chosen extraction method), and the counts are summed per model (corpus AER, as the WPT 2003 task scores it).
// Progress is reported per sentence; cancel() stops between sentences. The work runs in a BackgroundJob.
//
//   auto* runner = new CorpusAerRunner(this);
//   connect(runner, &CorpusAerRunner::progress, bar, [](int done, int total) { ... });
//   connect(runner, &CorpusAerRunner::finished, this, [](const QMap<int, CorpusAer>& byModel) { ... });
//   runner->start({{0, model, "bahdanau"}}, goldSentences);
#pragma once

#include <QMap>
#include <QObject>
#include <vector>

#include "engine/align/extraction.h"
#include "ui/document/background_job.h"
#include "ui/alignment/gold_set.h"
#include "ui/document/model_ptr.h"

namespace attnviz::ui {

struct AerModel {
  int index = 0;  // model index in the Workspace; the key of the results
  ModelPtr model;
  QString label;
};

class CorpusAerRunner : public QObject {
  Q_OBJECT

 public:
  explicit CorpusAerRunner(QObject* parent = nullptr);

  // Starts (cancelling a run in progress, whose results are then dropped).
  // method: how links are read (and which layer/head of a transformer's map; a model without it uses the mean).
  void start(const std::vector<AerModel>& models, const std::vector<GoldSentence>& sentences,
             const attnviz::ExtractionMethod& method = {});
  void cancel() { job_.cancel(); }
  bool isRunning() const { return job_.isRunning(); }

 signals:
  void started(int total);
  void progress(int done, int total);
  void finished(const QMap<int, attnviz::ui::CorpusAer>& byModel);
  void canceled();

 private:
  BackgroundJob job_;
};

}  // namespace attnviz::ui

#include "ui/alignment/corpus_aer.h"

#include "ui/alignment/gold_alignment.h"
#include "ui/document/problem.h"

namespace attnviz::ui {
namespace {

// On a pool thread: every sentence of every model, counts summed per model; empty when cancelled.
std::any runAll(JobControl& control, const std::vector<AerModel>& models, const std::vector<GoldSentence>& sentences,
               const attnviz::ExtractionMethod& method) {
  const int total = static_cast<int>(models.size() * sentences.size());
  control.setProgress(0, total);
  QMap<int, CorpusAer> results;
  int done = 0;
  for (const AerModel& m : models) {
    CorpusAer& r = results[m.index];
    r.label = m.label;
    for (const GoldSentence& s : sentences) {
      if (control.canceled()) return {};
      attnviz::RunOptions options;
      options.target = s.targetText().toStdString();
      try {
        const attnviz::Trace trace = m.model->run(attnviz::Input::fromText(s.sourceText().toStdString(),
                                                                          "gold sentence " + std::to_string(s.number)),
                                                  options);
        const SentenceAlignment a = alignToGold(trace, s, {.targetForced = true, .method = methodFor(trace, method)});  // attnviz align's mapping
        if (r.method.isEmpty()) r.method = crossMapTitle(trace, method);
        if (a.comparable) {
          r.counts += a.counts;
          ++r.sentences;
        } else {
          ++r.skipped;
          if (r.firstProblem.isEmpty()) r.firstProblem = QObject::tr("sentence %1: %2").arg(s.number).arg(a.why);
        }
      } catch (...) {
        ++r.skipped;
        if (r.firstProblem.isEmpty()) r.firstProblem = Problem::fromCurrentException().text();
      }
      control.setProgress(++done, total);
    }
  }
  return results;
}

}  // namespace

CorpusAerRunner::CorpusAerRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<QMap<int, CorpusAer>>();
  connect(&job_, &BackgroundJob::progress, this, &CorpusAerRunner::progress);
  connect(&job_, &BackgroundJob::canceled, this, &CorpusAerRunner::canceled);
}

void CorpusAerRunner::start(const std::vector<AerModel>& models, const std::vector<GoldSentence>& sentences,
                            const attnviz::ExtractionMethod& method) {
  cancel();
  emit started(static_cast<int>(models.size() * sentences.size()));
  job_.start([models, sentences, method](JobControl& control) { return runAll(control, models, sentences, method); },
             [this](std::any results) { emit finished(std::any_cast<QMap<int, CorpusAer>>(std::move(results))); });
}

}  // namespace attnviz::ui

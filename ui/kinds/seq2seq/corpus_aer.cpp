#include "ui/kinds/seq2seq/corpus_aer.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/kinds/seq2seq/gold_alignment.h"
#include "ui/document/problem.h"

namespace attnviz::ui {
namespace {

void runAll(QPromise<QMap<int, CorpusAer>>& promise, const std::vector<AerModel>& models,
            const std::vector<GoldSentence>& sentences) {
  const int total = static_cast<int>(models.size() * sentences.size());
  promise.setProgressRange(0, total);
  QMap<int, CorpusAer> results;
  int done = 0;
  for (const AerModel& m : models) {
    CorpusAer& r = results[m.index];
    r.label = m.label;
    for (const GoldSentence& s : sentences) {
      if (promise.isCanceled()) return;
      attnviz::RunOptions options;
      options.target = s.targetText().toStdString();
      try {
        const attnviz::Trace trace = m.model->run(attnviz::Input::fromText(s.sourceText().toStdString(),
                                                                          "gold sentence " + std::to_string(s.number)),
                                                  options);
        const SentenceAlignment a = alignToGold(trace, s, {.targetForced = true});  // attnviz align's mapping
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
      promise.setProgressValue(++done);
    }
  }
  promise.addResult(results);
}

}  // namespace

CorpusAerRunner::CorpusAerRunner(QObject* parent) : QObject(parent) { qRegisterMetaType<QMap<int, CorpusAer>>(); }

CorpusAerRunner::~CorpusAerRunner() {
  if (watcher_) {
    watcher_->disconnect(this);
    watcher_->cancel();
    watcher_->waitForFinished();
  }
}

void CorpusAerRunner::start(const std::vector<AerModel>& models, const std::vector<GoldSentence>& sentences) {
  cancel();
  const int total = static_cast<int>(models.size() * sentences.size());
  auto* watcher = new QFutureWatcher<QMap<int, CorpusAer>>(this);
  watcher_ = watcher;
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher, total](int value) {
    if (watcher == watcher_) emit progress(value, total);
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    if (watcher != watcher_) return;  // a run cancelled for a newer one
    watcher_ = nullptr;
    if (watcher->isCanceled() || watcher->future().resultCount() == 0) {
      emit canceled();
    } else {
      emit finished(watcher->result());
    }
  });
  emit started(total);
  watcher->setFuture(QtConcurrent::run(runAll, models, sentences));
}

void CorpusAerRunner::cancel() {
  if (watcher_) watcher_->cancel();  // its finished() follows and reports canceled()
}

}  // namespace attnviz::ui

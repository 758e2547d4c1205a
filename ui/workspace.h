// Workspace: the document of one attnviz window. It owns the loaded models, the current model, the
// input text, the latest Trace and the shared Selection; panels attach with setWorkspace() and listen
// to its signals. It never blocks the UI thread: models load on the thread pool, inference runs on
// one worker thread, debounced while the user types, and only the newest input's result is kept.
//
//   Workspace ws;
//   connect(&ws, &Workspace::traceChanged, panel, &Panel::refresh);
//   ws.openModel("tests/data/tiny-encoder");   // async: modelOpened(index) or loadFailed(path, problem)
//   ws.setInputText("the cat sat");             // runs ~150 ms later on the worker; traceChanged()
//   ws.trace()->attention.at("self");
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "engine/model/model.h"
#include "ui/inference_worker.h"
#include "ui/problem.h"
#include "ui/selection.h"

namespace attnviz::ui {

class Workspace : public QObject {
  Q_OBJECT

 public:
  // Opens a model; may throw (attnviz::Error). Runs on a pool thread. Default: attnviz::loadModel.
  using Loader = std::function<ModelPtr(const std::string& path)>;

  struct LoadedModel {
    ModelPtr model;
    QString path;
  };

  static constexpr int kDefaultDebounceMs = 150;

  explicit Workspace(QObject* parent = nullptr);
  ~Workspace() override;

  // --- models
  void setLoader(Loader loader) { loader_ = std::move(loader); }
  void openModel(const QString& path);                        // async; a path already open is just selected
  int addModel(ModelPtr model, const QString& path);          // already loaded; becomes current; returns index
  const std::vector<LoadedModel>& models() const { return models_; }
  int currentIndex() const { return current_; }
  ModelPtr currentModel() const;
  QString currentKind() const;  // "encoder", "seq2seq", ... or empty
  void setCurrentIndex(int index);
  bool isLoading() const { return pendingLoads_ > 0; }

  // --- input and inference
  QString inputText() const { return input_; }
  void setInputText(const QString& text);  // schedules a run after debounceMs()
  void runNow();                           // runs the current input at once
  void setDebounceMs(int ms) { debounce_.setInterval(ms); }
  int debounceMs() const { return debounce_.interval(); }
  // Ask encoder/vit models for attention.rollout as well, heads fused by mean, max or min. Other kinds ignore it.
  void setRolloutFusion(attnviz::RolloutFusion fusion);  // None: no rollout
  attnviz::RolloutFusion rolloutFusion() const { return rollout_; }
  bool rolloutEnabled() const { return rollout_ != attnviz::RolloutFusion::None; }

  TracePtr trace() const { return trace_; }
  bool isRunning() const { return running_; }
  QString runError() const { return runError_; }     // text of the last run's problem, empty after a success
  quint64 generation() const { return generation_; }  // of the newest request

  Selection& selection() { return selection_; }
  const Selection& selection() const { return selection_; }

 signals:
  void modelsChanged();
  void currentModelChanged(int index);
  void loadingChanged(bool loading);
  void modelOpened(int index, const QString& path);
  void loadFailed(const QString& path, const attnviz::ui::Problem& problem);
  void inputTextChanged(const QString& text);
  void traceChanged();
  void runningChanged(bool running);
  void runErrorChanged(const QString& text);
  void rolloutFusionChanged();

 private:
  void onRunFinished(quint64 generation, TracePtr trace);
  void onRunFailed(quint64 generation, const Problem& problem);
  void onLoaded(const QString& path, ModelPtr model, const Problem& problem);
  void setTrace(TracePtr trace);
  void setRunning(bool running);
  void setRunError(const QString& text);
  attnviz::RunOptions optionsFor(const attnviz::Model& model) const;

  Loader loader_;
  std::vector<LoadedModel> models_;
  int current_ = -1;
  int pendingLoads_ = 0;

  QString input_;
  QTimer debounce_;
  attnviz::RolloutFusion rollout_ = attnviz::RolloutFusion::None;
  TracePtr trace_;
  bool running_ = false;
  QString runError_;
  quint64 generation_ = 0;
  std::shared_ptr<std::atomic<quint64>> latest_ = std::make_shared<std::atomic<quint64>>(0);

  Selection selection_;
  QThread thread_;
  InferenceWorker* worker_ = nullptr;  // lives on thread_, deleted when it finishes
};

}  // namespace attnviz::ui

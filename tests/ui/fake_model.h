// Test doubles for the UI tests: a FakeModel that behaves like an encoder (tokens, self attention
// [layers, heads, N, N] softmaxed from the words, a prediction) and can be made slow or failing, plus a
// loader that opens "fake:..." paths and forwards the rest to attnviz::loadModel.
//
//   auto m = std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 200});
//   ws.addModel(m, "fake:encoder");
//   ws.setLoader(fakeLoader());  ws.openModel("fake:broken");   // -> loadFailed
#pragma once

#include <QString>
#include <atomic>

#include "engine/api/model.h"
#include "ui/document/workspace.h"

namespace attnviz::test {

class FakeModel : public attnviz::Model {
 public:
  struct Options {
    std::string name = "fake-encoder";
    std::string kind = "encoder";
    int layers = 2;
    int heads = 2;
    int delayMs = 0;              // sleep in run(), to test stale results and the busy state
    bool failAlways = false;      // run() throws InputError
    std::string failOnWord = "boom";  // run() throws InputError when the input contains it
    bool cross = false;           // seq2seq-like: "cross" [T, S] instead of "self"
  };

  FakeModel() : FakeModel(Options{}) {}
  explicit FakeModel(Options options);
  const attnviz::ModelInfo& info() const override { return info_; }
  attnviz::Trace runImpl(const attnviz::Input& input, const attnviz::RunOptions& options) const override;
  int runs() const { return runs_.load(); }

 private:
  Options options_;
  attnviz::ModelInfo info_;
  mutable std::atomic<int> runs_{0};
};

// "fake:encoder", "fake:slow" (300 ms a run), "fake:seq2seq"; "fake:broken" throws ModelFileError;
// anything else goes to attnviz::loadModel.
attnviz::ui::Workspace::Loader fakeLoader();

// Where tests/data lives (the tiny real model package is tests/data/tiny-encoder).
QString testDataDir();

// Settings and temporary files of tests stay out of the user's: call first in initTestCase().
void isolateSettings();

}  // namespace attnviz::test

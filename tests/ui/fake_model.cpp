#include "tests/ui/fake_model.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <chrono>
#include <cmath>
#include <thread>

#include "engine/core/error.h"

namespace attnviz::test {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out{"[CLS]"};
  for (const QString& w : QString::fromStdString(text).split(QLatin1Char(' '), Qt::SkipEmptyParts)) out.push_back(w.toStdString());
  out.push_back("[SEP]");
  return out;
}

// Deterministic score between two tokens; rows are softmaxed, so each row sums to 1.
float score(const std::string& a, const std::string& b, int layer, int head) {
  const std::size_t h = std::hash<std::string>{}(a + "|" + b + "|" + std::to_string(layer * 7 + head));
  return static_cast<float>(h % 1000) / 250.0f;
}

attnviz::Tensor softmaxMap(const std::vector<std::string>& rows, const std::vector<std::string>& cols, int layer, int head) {
  const auto n = static_cast<std::int64_t>(rows.size());
  const auto m = static_cast<std::int64_t>(cols.size());
  attnviz::Tensor t({n, m});
  for (std::int64_t i = 0; i < n; ++i) {
    float sum = 0;
    for (std::int64_t j = 0; j < m; ++j) {
      const float v = std::exp(score(rows[i], cols[j], layer, head) + (i == j ? 1.5f : 0.0f));
      t.at({i, j}) = v;
      sum += v;
    }
    for (std::int64_t j = 0; j < m; ++j) t.at({i, j}) /= sum;
  }
  return t;
}

}  // namespace

FakeModel::FakeModel(Options options) : options_(std::move(options)) {
  info_.identity = {options_.name, options_.kind, "fake"};
  info_.path = "fake:" + options_.kind;
  info_.format = "test double";
  info_.labels = {"negative", "positive"};
}

attnviz::Trace FakeModel::runImpl(const attnviz::Input& input, const attnviz::RunOptions&) const {
  ++runs_;
  if (options_.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options_.delayMs));
  if (options_.failAlways) throw attnviz::InputError(input.origin, "the fake model refuses every input");
  if (!options_.failOnWord.empty() && input.text.find(options_.failOnWord) != std::string::npos) {
    throw attnviz::InputError(input.origin, "the fake model refuses the word '" + options_.failOnWord + "'");
  }
  attnviz::Trace t;
  t.model = info_.identity;
  t.input = input.text;
  t.sourceTokens = words(input.text);
  const auto n = static_cast<std::int64_t>(t.sourceTokens.size());
  if (options_.cross) {
    t.targetTokens = {"<s>", "le", "chat", "</s>"};
    t.attention["cross"] = softmaxMap(t.targetTokens, t.sourceTokens, 0, 0);
    t.prediction.translation = "le chat";
  } else {
    attnviz::Tensor self({options_.layers, options_.heads, n, n});
    for (int l = 0; l < options_.layers; ++l) {
      for (int h = 0; h < options_.heads; ++h) {
        const attnviz::Tensor map = softmaxMap(t.sourceTokens, t.sourceTokens, l, h);
        std::copy(map.data(), map.data() + n * n, self.data() + (static_cast<std::int64_t>(l) * options_.heads + h) * n * n);
      }
    }
    t.attention["self"] = self;
    t.prediction.label = "positive";
    t.prediction.probabilities = {{"negative", 0.25f}, {"positive", 0.75f}};
  }
  if (n > 8) t.warnings.push_back("fake warning: long input");
  return t;
}

attnviz::ui::Workspace::Loader fakeLoader() {
  return [](const std::string& path, const attnviz::LoadOptions& options) -> attnviz::ui::ModelPtr {
    if (path == "fake:encoder") return std::make_shared<FakeModel>();
    if (path == "fake:slow") return std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 300});
    if (path == "fake:seq2seq") return std::make_shared<FakeModel>(FakeModel::Options{.name = "fake-seq2seq", .kind = "seq2seq", .cross = true});
    if (path == "fake:broken") throw attnviz::ModelFileError(path, "attnviz.json: missing \"kind\" (re-export with models/export.py)");
    return attnviz::loadModel(path, options);
  };
}

QString testDataDir() { return QStringLiteral(ATTNVIZ_TEST_DATA); }

void isolateSettings() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("attnviz-tests"));
  // One settings file per test program: ctest -j runs them side by side, and one's export folder or last export
  // settings must not reach another.
  QCoreApplication::setApplicationName(QStringLiteral("attnviz-ui-tests-") + QFileInfo(QCoreApplication::applicationFilePath()).fileName());
  QSettings().clear();
}

}  // namespace attnviz::test

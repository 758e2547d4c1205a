#include "engine/analysis/edge_knockout.h"

#include <algorithm>
#include <sstream>

#include "engine/analysis/head_knockout.h"
#include "engine/core/error.h"

namespace attnviz {

namespace {

// "5,6" -> {5, 6}; UsageError naming option for anything but non-negative integers.
std::vector<int> parsePositions(const std::string& list, const std::string& option, const char* what) {
  std::vector<int> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    int value = -1;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 0)
      throw UsageError(option, std::string(what) + " \"" + item + "\" is not a token position (0-based, comma-separated)");
    out.push_back(value);
  }
  if (out.empty()) throw UsageError(option, std::string("names no ") + what + " position; write FROM:TO[:WINDOW], e.g. 0:5,6:3");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::vector<int> edgeWindow(int layer, int window, int layers) {
  std::vector<int> out;
  for (int l = std::max(0, layer - (window - 1) / 2); l <= std::min(layers - 1, layer + window / 2); ++l) out.push_back(l);
  return out;
}

EdgeKnockoutRequest parseEdgeKnockout(const std::string& text, const std::string& option) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3)
    throw UsageError(option, "\"" + text + "\" is not FROM:TO[:WINDOW] (e.g. 0:5,6:3: from [CLS] to tokens 5 and 6, "
                                           "3 layers at a time)");
  EdgeKnockoutRequest request{parsePositions(parts[0], option, "FROM"), parsePositions(parts[1], option, "TO"), 1};
  if (parts.size() == 3) {
    std::size_t used = 0;
    try {
      request.window = std::stoi(parts[2], &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != parts[2].size() || request.window < 1)
      throw UsageError(option, "WINDOW \"" + parts[2] + "\" is not a number of layers (1 or more)");
  }
  return request;
}

std::optional<EdgeKnockout> edgeKnockout(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, const EdgeKnockoutRequest& request,
                                         const CandidateControl& control) {
  const std::string option = "--edge-knockout";
  if (!model.kind().can.contributions)
    throw UsageError(option, "attention-edge knockout is for transformer encoders and ViTs; this model is " +
                                 model.kind().description);
  std::string why;
  const std::optional<PredictionScore> base = scorePrediction(reference, reference, &why);
  if (!base) throw UsageError(option, why);
  const auto self = reference.attention.find("self");
  if (self == reference.attention.end() || self->second.rank() != 4)
    throw InternalError("edge knockout", "the reference trace has no attention.self");
  const auto layers = static_cast<int>(self->second.dim(0)), n = static_cast<int>(self->second.dim(2));
  if (request.from.empty() || request.to.empty() || request.window < 1)
    throw UsageError(option, "needs FROM and TO positions and a window of at least 1 layer");
  for (const std::vector<int>* positions : {&request.from, &request.to})
    for (const int p : *positions)
      if (p < 0 || p >= n)
        throw UsageError(option, "position " + std::to_string(p) + " is outside the input's " + std::to_string(n) +
                                     " tokens (0-based, [CLS] is 0)");
  if (static_cast<int>(request.to.size()) == n)
    throw UsageError(option, "TO names every token: the query rows would have nothing to attend to; leave at least one");

  EdgeKnockout result{request.from, request.to, request.window, base->name, base->value,
                      std::vector<float>(static_cast<std::size_t>(layers))};
  const RunOptions blocked = candidateOptions(options);
  const bool finished = runCandidates(layers, model.threadsForNextRun(), [&](int layer) {
    RunOptions run = blocked;
    for (const int l : edgeWindow(layer, request.window, layers))
      for (const int i : request.from)
        for (const int j : request.to) run.blockedEdges.push_back({l, i, j});
    const std::optional<PredictionScore> score = scorePrediction(model.run(input, run), reference);
    result.drop[static_cast<std::size_t>(layer)] = base->value - (score ? score->value : 0.0f);  // each its own cell
  }, control);
  if (!finished) return std::nullopt;
  return result;
}

}  // namespace attnviz

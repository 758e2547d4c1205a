// attnviz faithfulness: the faithfulness of each method's token ranking (engine/analysis/faithfulness.h) over many
// inputs, as one table: per method the mean AOPC comprehensiveness and sufficiency and the mean Kendall tau against
// leave-one-out occlusion, each with the number of inputs it is a mean over (NaN entries, e.g. an input with fewer
// than 10 removable tokens, are left out and counted apart).
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include "app/cli_commands.h"
#include "app/cli_inputs.h"
#include "engine/analysis/faithfulness.h"
#include "engine/api/json_writer.h"
#include "engine/core/error.h"

namespace attnviz::cli {

namespace {

// A running mean that leaves NaN out.
struct Mean {
  double sum = 0.0;
  int count = 0;
  void add(double v) {
    if (std::isfinite(v)) sum += v, ++count;
  }
  double value() const { return count ? sum / count : NAN; }
};

struct MethodTotals {
  Mean comprehensiveness, sufficiency, tau;
};

std::string fixed(double v) {
  if (!std::isfinite(v)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", v);
  return text;
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

}  // namespace

int runFaithfulness(const CliCommand& c, std::ostream& out) {
  const std::vector<Input> inputs = readInputs(c.inputs);
  const std::unique_ptr<Model> model = loadModel(c.model, {c.maxModelBytes});
  RunOptions options = runOptionsFor(c);
  options.faithfulness = {c.faithfulnessMethods, c.removal};
  std::map<std::string, MethodTotals> totals;
  std::optional<ErrorKind> firstFailure;
  int scoredInputs = 0;
  std::string maskToken, scored;
  const bool tty = isatty(STDERR_FILENO) == 1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (tty) std::cerr << "\rattnviz faithfulness: " << i << "/" << inputs.size() << " inputs" << std::flush;
    Trace trace;
    try {
      trace = model->run(inputs[i], options);
    } catch (const InputError& e) {  // this input only: said, skipped, and the exit code at the end
      std::cerr << (tty ? "\n" : "") << "attnviz: " << e.message() << '\n';
      if (!firstFailure) firstFailure = e.kind();
      continue;
    }
    for (const auto& warning : trace.warnings) std::cerr << "attnviz: " << inputs[i].origin << ": warning: " << warning << '\n';
    const Faithfulness& f = *trace.faithfulness;
    ++scoredInputs;
    if (maskToken.empty()) maskToken = f.maskToken;
    if (scored.empty()) scored = f.scored;
    for (const RankingFaithfulness& m : f.methods) {
      MethodTotals& t = totals[m.method];
      t.comprehensiveness.add(m.aopcComprehensiveness);
      t.sufficiency.add(m.aopcSufficiency);
      t.tau.add(m.tau);
    }
  }
  if (tty) std::cerr << "\r" << std::string(60, ' ') << "\r";

  const std::string removal = std::string(removalName(c.removal)) + (maskToken.empty() ? "" : " with " + maskToken);
  if (c.json) {
    JsonWriter w;
    w.beginObject();
    w.key("model"); w.string(c.model);
    w.key("inputs"); w.number(static_cast<std::int64_t>(inputs.size()));
    w.key("scored_inputs"); w.number(static_cast<std::int64_t>(scoredInputs));
    w.key("removal"); w.string(removalName(c.removal));
    if (!maskToken.empty()) { w.key("mask_token"); w.string(maskToken); }
    w.key("methods");
    w.beginObject();
    for (const std::string& method : c.faithfulnessMethods) {
      const MethodTotals& t = totals[method];
      w.key(method);
      w.beginObject();
      w.key("aopc_comprehensiveness"); w.number(t.comprehensiveness.value());
      w.key("aopc_sufficiency"); w.number(t.sufficiency.value());
      w.key("kendall_tau"); w.number(t.tau.value());
      w.key("inputs_aopc"); w.number(static_cast<std::int64_t>(t.comprehensiveness.count));
      w.key("inputs_tau"); w.number(static_cast<std::int64_t>(t.tau.count));
      w.endObject();
    }
    w.endObject();
    w.endObject();
    out << w.str() << '\n';
  } else {
    out << "Faithfulness of token rankings: " << c.model << ", " << scoredInputs << " of " << inputs.size()
        << " inputs scored, tokens removed by " << removal << (scored.empty() ? "" : "; scored: " + scored + " and so on") << "\n"
        << "AOPC comprehensiveness: higher is more faithful; sufficiency: lower is; tau against leave-one-out: higher is.\n"
        << padded("method", 15) << padded("AOPC comp.", 12) << padded("AOPC suff.", 12) << padded("tau (LOO)", 11)
        << "inputs (AOPC, tau)\n";
    for (const std::string& method : c.faithfulnessMethods) {
      const MethodTotals& t = totals[method];
      out << padded(method, 15) << padded(fixed(t.comprehensiveness.value()), 12) << padded(fixed(t.sufficiency.value()), 12)
          << padded(fixed(t.tau.value()), 11) << t.comprehensiveness.count << ", " << t.tau.count << "\n";
    }
  }
  return firstFailure ? exitCode(*firstFailure) : 0;
}

}  // namespace attnviz::cli

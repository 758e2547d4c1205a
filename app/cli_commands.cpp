#include "app/cli_commands.h"

#include <QtGlobal>
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>

#include <sys/resource.h>

#include "app/cli_inputs.h"
#include "app/output_file.h"
#include "attnviz_version.h"
#include "engine/core/error.h"
#include "engine/api/json_writer.h"
#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/product_path.h"

namespace attnviz::cli {

namespace {

constexpr int kBenchWarmupRuns = 3;

// Page faults and system CPU time of this process so far (getrusage): bench reports them per run, so memory
// mapped and unmapped by every forward shows as a regression (issue 19).
struct ProcessCost {
  std::int64_t pageFaults = 0;
  double systemMs = 0;
  static ProcessCost now() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return {u.ru_minflt + u.ru_majflt, u.ru_stime.tv_sec * 1e3 + u.ru_stime.tv_usec / 1e3};
  }
};

std::string withThousands(std::int64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void printInfoText(const ModelInfo& info, std::ostream& out) {
  auto row = [&](const char* key, const std::string& value) {
    out << std::left << std::setw(14) << key << value << '\n';
  };
  row("name", info.identity.name);
  row("kind", info.identity.kind);
  row("variant", info.identity.variant.empty() ? "-" : info.identity.variant);
  row("format", info.format);
  row("path", info.path);
  row("parameters", withThousands(info.parameterCount));
  row("runnable", info.runnable() ? "yes" : "no: " + ModelFileError(info.problemWhere, info.problem).message());
  for (const auto& [name, size] : info.vocabSizes) row(("vocab " + name).c_str(), withThousands(size));
  if (!info.labels.empty()) {
    std::string labels;
    for (const auto& l : info.labels) labels += (labels.empty() ? "" : ", ") + l;
    row("labels", labels);
  }
  if (info.coreferenceHead)
    row("coref head", "layer " + std::to_string(info.coreferenceHead->first) + ", head " +
                          std::to_string(info.coreferenceHead->second) + " (0-based)");
  const ops::CpuCapabilities& cpu = ops::cpuCapabilities();
  out << "cpu\n";
  out << "  kernels: " << cpu.kernelsSummary() << '\n';
  out << "  features: " << (cpu.featureList().empty() ? "-" : cpu.featureList()) << '\n';
  out << "  bf16: " << cpu.bf16Summary() << '\n';
  out << "  products: " << ops::productPathsSummary() << '\n';
  if (!info.architecture.empty()) out << "architecture\n";
  for (const auto& [key, value] : info.architecture) out << "  " << key << ": " << value << '\n';
  if (!info.card.empty()) out << "model card\n";
  for (const auto& [key, value] : info.card) out << "  " << key << ": " << value << '\n';
}

// "cpu": {"isa", "isa_cap", "features": [...], "bf16", "bf16_native", "bf16_kernel", "bf16_missing", "bf16_reason",
//         "products" (how products are computed), "eigen_isa"}
// "product_paths": [{"shape", "path", "candidates_ms": {"onednn-packed": ms or null, ...}}], in the order chosen.
void writeProductChoicesJson(JsonWriter& w) {
  w.key("product_paths");
  w.beginArray();
  for (const ops::ProductChoice& choice : ops::productChoices()) {
    w.beginObject();
    w.key("shape"); w.string(choice.shape);
    w.key("path"); w.string(std::string(ops::productPathName(choice.path)));
    w.key("candidates_ms");
    w.beginObject();
    for (ops::ProductPath path : ops::kProductPaths) {
      w.key(std::string(ops::productPathName(path)));
      const double ms = choice.candidateMs[static_cast<std::size_t>(path)];
      if (ms < 0) w.null(); else w.number(ms);
    }
    w.endObject();
    w.endObject();
  }
  w.endArray();
}

void writeCpuJson(JsonWriter& w) {
  const ops::CpuCapabilities& cpu = ops::cpuCapabilities();
  w.key("cpu");
  w.beginObject();
  w.key("name"); w.string(cpu.cpuName);
  w.key("isa"); w.string(cpu.isa);
  w.key("isa_cap"); w.string(cpu.isaCap);
  std::vector<std::string> features;
  for (const auto& f : cpu.features)
    if (f.present) features.push_back(f.name);
  w.key("features"); w.strings(features);
  w.key("bf16"); w.boolean(cpu.bf16);
  w.key("bf16_native"); w.boolean(cpu.bf16Native);
  w.key("bf16_kernel"); w.string(cpu.bf16Kernel);
  w.key("bf16_missing"); w.string(cpu.bf16Missing);
  w.key("bf16_reason"); w.string(cpu.bf16Reason);
  w.key("products"); w.string(ops::productPathsSummary());
  w.key("eigen_isa"); w.string(ops::eigenVariant());
  w.endObject();
}

std::string infoJson(const ModelInfo& info) {
  JsonWriter w;
  w.beginObject();
  w.key("kind"); w.string(info.identity.kind);
  w.key("name"); w.string(info.identity.name);
  w.key("variant"); w.string(info.identity.variant);
  w.key("path"); w.string(info.path);
  w.key("format"); w.string(info.format);
  w.key("runnable"); w.boolean(info.runnable());
  if (!info.runnable()) { w.key("problem"); w.string(ModelFileError(info.problemWhere, info.problem).message()); }
  w.key("parameters"); w.number(info.parameterCount);
  w.key("vocab_sizes");
  w.beginObject();
  for (const auto& [name, size] : info.vocabSizes) { w.key(name); w.number(size); }
  w.endObject();
  w.key("labels"); w.strings(info.labels);
  if (info.coreferenceHead) {
    w.key("coreference_head");
    w.beginArray();
    w.number(static_cast<std::int64_t>(info.coreferenceHead->first));
    w.number(static_cast<std::int64_t>(info.coreferenceHead->second));
    w.endArray();
  }
  w.key("architecture");
  w.beginObject();
  for (const auto& [key, value] : info.architecture) { w.key(key); w.string(value); }
  w.endObject();
  w.key("card");
  w.beginObject();
  for (const auto& [key, value] : info.card) { w.key(key); w.string(value); }
  w.endObject();
  writeCpuJson(w);
  w.endObject();
  return w.str();
}

// Targets for --target / --target-lines, one per input (empty when not given).
std::vector<std::optional<std::string>> readTargets(const CliCommand& c, std::size_t inputCount) {
  std::vector<std::optional<std::string>> targets(inputCount);
  if (c.target) std::fill(targets.begin(), targets.end(), c.target);
  if (c.targetLines) {
    const std::vector<Input> lines = readLinesFile(*c.targetLines);
    if (lines.size() != inputCount)
      throw UsageError(*c.targetLines, "has " + std::to_string(lines.size()) + " non-empty lines for " +
                                           std::to_string(inputCount) + " inputs; give one target line per input");
    for (std::size_t i = 0; i < inputCount; ++i) targets[i] = lines[i].text;
  }
  return targets;
}

}  // namespace

std::string versionText() {
  const ops::CpuCapabilities& cpu = ops::cpuCapabilities();
  return std::string("attnviz ") + kVersion + " (oneDNN " + ops::onednnVersion() + ", Qt " + qVersion() + ")\n" +
         "CPU: " + cpu.processorText() + "; features: " + cpu.featuresText() + "\n" +
         "bfloat16 (--bf16): " + cpu.bf16Summary() + "\n" +
         "CPU kernels: " + cpu.kernelsSummary() + "; threads: " + std::to_string(ops::threadCount());
}

void requireBf16Support(const CliCommand& c, const Model& model) {
  if (c.bf16 && model.kind().can.bf16) ops::requireBf16("--bf16");  // other kinds: Model::run names the option
}

RunOptions runOptionsFor(const CliCommand& c) {
  RunOptions options;
  options.rollout = c.rollout;
  options.rolloutDiscard = c.discardRatio;
  options.beam = c.beam;
  options.occlusion = c.occlusion;
  options.bf16 = c.bf16;
  options.flow = c.flow;
  options.contributions = c.contributions;
  options.knockedOutHeads = c.knockedOutHeads;
  options.headKnockout = c.headKnockout;
  options.edgeKnockout = c.edgeKnockout;
  options.faithfulness = {c.faithfulnessMethods, c.removal};
  options.nativeSize = c.nativeSize;
  options.hiddenStates = c.hiddenStates;
  options.sentences = c.sentences;
  options.maxTokens = c.maxTokens;
  options.maxImagePixels = c.maxImagePixels;
  return options;
}

// A model that cannot be run still gets its description (what could be read of it), then the same one-line error
// `run` would print, and exit 3. With --json, what cannot even be described is a JSON object too.
int runInfo(const CliCommand& c, std::ostream& out) {
  ModelInfo info;
  try {
    info = describeModel(c.model, {c.maxModelBytes});
  } catch (const ModelFileError& e) {
    if (!c.json) throw;
    info.path = c.model;
    info.problemWhere = e.where();
    info.problem = e.what();
  }
  if (c.json) out << infoJson(info) << '\n';
  else printInfoText(info, out);
  if (info.runnable()) return 0;
  out.flush();
  throw ModelFileError(info.problemWhere, info.problem);
}

int runTraces(const CliCommand& c) {
  const std::vector<Input> inputs = readInputs(c.inputs);  // input files first: cheap to check
  const auto targets = readTargets(c, inputs.size());
  const std::unique_ptr<Model> model = loadModel(c.model, {c.maxModelBytes});
  requireBf16Support(c, *model);
  OutputFile out(c.out);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    RunOptions options = runOptionsFor(c);
    options.target = targets[i];
    const Trace trace = model->run(inputs[i], options);
    for (const auto& warning : trace.warnings) std::cerr << "attnviz: " << inputs[i].origin << ": warning: " << warning << '\n';
    out.writeLine(traceToJson(trace));
  }
  out.commit();
  return 0;
}

int runBench(const CliCommand& c, std::ostream& out) {
  if (c.threads > 0) ops::setThreadCount(c.threads);
  const std::vector<Input> inputs = readInputs(c.inputs);
  if (inputs.size() != 1)
    throw UsageError("bench", "the input gives " + std::to_string(inputs.size()) + " inputs; bench times exactly one");
  const std::unique_ptr<Model> model = loadModel(c.model, {c.maxModelBytes});
  requireBf16Support(c, *model);
  const RunOptions options = runOptionsFor(c);
  Trace last;
  for (int i = 0; i < kBenchWarmupRuns; ++i) last = model->run(inputs[0], options);
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(c.runs));
  const ProcessCost before = ProcessCost::now();
  for (int i = 0; i < c.runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    model->run(inputs[0], options);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  const ProcessCost after = ProcessCost::now();
  const double faultsPerRun = static_cast<double>(after.pageFaults - before.pageFaults) / c.runs;
  const double systemMsPerRun = (after.systemMs - before.systemMs) / c.runs;
  // Two more runs, recorded: each matrix product timed as it ran, then (second run) again alone, its best of 5.
  // The median over the first sum says what the rest of a forward costs (softmax, norms, copies); over the second,
  // how far the forward is from the products' best times (hot caches).
  double productsInRunMs = 0, productsOnlyMs = 0;
  std::size_t productCount = 0;
  {
    ops::ProductRecording recording(ops::ProductRecording::Mode::InRun);
    model->run(inputs[0], options);
    productsInRunMs = recording.totalMs();
    productCount = recording.products().size();
  }
  {
    ops::ProductRecording recording(ops::ProductRecording::Mode::Alone);
    model->run(inputs[0], options);
    productsOnlyMs = recording.totalMs();
  }
  std::sort(ms.begin(), ms.end());
  const std::size_t n = ms.size();
  const double median = n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
  if (c.json) {
    JsonWriter w;
    w.beginObject();
    w.key("median_ms"); w.number(median);
    w.key("min_ms"); w.number(ms.front());
    w.key("max_ms"); w.number(ms.back());
    w.key("runs"); w.number(static_cast<std::int64_t>(n));
    w.key("threads"); w.number(static_cast<std::int64_t>(ops::threadCount()));
    w.key("threads_used"); w.number(static_cast<std::int64_t>(last.threads));  // Model::run's choice (model.h)
    w.key("product_flops"); w.number(last.productFlops);
    w.key("precision"); w.string(c.bf16 ? "bf16" : "f32");
    w.key("page_faults_per_run"); w.number(faultsPerRun);
    w.key("system_ms_per_run"); w.number(systemMsPerRun);
    w.key("products_only_ms"); w.number(productsOnlyMs);
    w.key("products_in_run_ms"); w.number(productsInRunMs);
    w.key("products_per_run"); w.number(static_cast<std::int64_t>(productCount));
    writeProductChoicesJson(w);
    w.endObject();
    out << w.str() << '\n';
  } else {
    out << std::fixed << std::setprecision(3) << "median " << median << " ms, min " << ms.front() << " ms, max "
        << ms.back() << " ms over " << n << " runs (" << last.threads << " of " << ops::threadCount() << " threads, " << (c.bf16 ? "bf16, " : "")
        << model->info().identity.name << "); per run " << std::setprecision(1) << faultsPerRun << " page faults, "
        << systemMsPerRun << " ms system time; its " << productCount
        << " matrix products take " << std::setprecision(3) << productsInRunMs << " ms in a run, "
        << productsOnlyMs << " ms alone\n";
  }
  return 0;
}

}  // namespace attnviz::cli

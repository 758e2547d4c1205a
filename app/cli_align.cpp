// attnviz align: alignment error rate of a seq2seq model's cross-attention against WPT 2003 gold links, with
// the formulas of models/seq2seq/train.py (alignment_error) and metrics.py, which the model cards report.
//
// Words and tokens: the source and target files hold words (pre-tokenised, split on spaces); the model
// tokenizes each line again (lowercasing, splitting punctuation: "250,000" -> "250" "," "000", "aujourd'" ->
// "aujourd" "'"). Links and gold are over the files' words, mapped to the model's tokens by alignWords
// (engine/align/word_alignment.h), the mapping the GUI's sentence and corpus AER use too: a source word weighs the
// sum of its tokens' attention, a target word uses its first token's attention row. Output says how many words
// were split. (train.py instead looks each file word up in the vocabulary as it is: "I" and "Bill" become <unk>
// there, so its cards' hansards_aer can differ from this by a few points; tests/cli/test_cli_align.py compares them.)
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli_commands.h"
#include "app/output_file.h"
#include "engine/align/alignment.h"
#include "engine/align/extraction.h"
#include "engine/align/word_alignment.h"
#include "engine/api/model_kind.h"
#include "engine/core/error.h"
#include "engine/api/json_writer.h"

namespace attnviz::cli {

namespace {

constexpr const char* kWordMapping =
    "links are between the files' words; a word the model's tokenizer splits into several tokens counts as one "
    "word: as a source word it weighs the sum of its tokens' attention, as a target word it uses the attention "
    "row of its first token";
constexpr const char* kWordMappingShort =
    "a split word is one word: as a source word it weighs the sum of its tokens' attention, as a target word it "
    "uses its first token's row";
constexpr const char* kUnknownToken = "<unk>";

// The AER counts of every decoder layer and head (and each layer's mean of heads), for --per-head.
struct HeadGrid {
  int layers = 0, heads = 0;
  std::vector<AerCounts> cells;       // [layer * heads + head]
  std::vector<AerCounts> layerMeans;  // [layer]
  bool empty() const { return cells.empty(); }
};

struct PairResult {
  int pair = 0;  // 1-based, the gold file's sentence number
  int sourceWords = 0, targetWords = 0;
  int splitSource = 0, splitTarget = 0;
  int unknownTokens = 0;
  LinkSet links;
  AerCounts model, diagonal;
};

void writeCounts(JsonWriter& w, const AerCounts& c) {
  w.beginObject();
  w.key("sure_hits"); w.number(c.sureHits);
  w.key("possible_hits"); w.number(c.possibleHits);
  w.key("predicted"); w.number(c.predicted);
  w.key("sure"); w.number(c.sure);
  w.key("aer"); w.number(c.aer());
  w.endObject();
}

// One pair's links as fast_align writes them: "i-j" pairs, 0-based source then target word, by target then source.
std::string pharaohLine(const LinkSet& links) {
  std::vector<std::pair<int, int>> ordered;
  for (const auto& [s, t] : links) ordered.emplace_back(t, s);
  std::sort(ordered.begin(), ordered.end());
  std::string line;
  for (const auto& [t, s] : ordered) line += (line.empty() ? "" : " ") + std::to_string(s) + "-" + std::to_string(t);
  return line;
}

std::string alignJson(const CliCommand& c, const ModelIdentity& model, const std::vector<PairResult>& pairs,
                      const PairResult& total, const std::vector<std::string>& warnings, const std::string& method,
                      const std::string& map, const HeadGrid& grid) {
  JsonWriter w;
  w.beginObject();
  w.key("model");
  w.beginObject();
  w.key("name"); w.string(model.name);
  w.key("kind"); w.string(model.kind);
  w.key("variant"); w.string(model.variant);
  w.endObject();
  w.key("source"); w.string(c.sourceFile);
  w.key("target"); w.string(c.targetFile);
  w.key("gold"); w.string(c.goldFile);
  w.key("word_mapping"); w.string(kWordMapping);
  w.key("method"); w.string(method);
  if (!map.empty()) { w.key("map"); w.string(map); }
  auto sizes = [&](const PairResult& p) {
    w.key("source_words"); w.number(static_cast<std::int64_t>(p.sourceWords));
    w.key("target_words"); w.number(static_cast<std::int64_t>(p.targetWords));
    w.key("split_source_words"); w.number(static_cast<std::int64_t>(p.splitSource));
    w.key("split_target_words"); w.number(static_cast<std::int64_t>(p.splitTarget));
    w.key("unknown_tokens"); w.number(static_cast<std::int64_t>(p.unknownTokens));
  };
  w.key("pairs");
  w.beginArray();
  for (const PairResult& p : pairs) {
    w.beginObject();
    w.key("pair"); w.number(static_cast<std::int64_t>(p.pair));
    sizes(p);
    w.key("model"); writeCounts(w, p.model);
    w.key("diagonal"); writeCounts(w, p.diagonal);
    w.key("links");  // 1-based [source, target], as in the gold file
    w.beginArray();
    for (const auto& [s, t] : p.links) {
      w.beginArray();
      w.number(static_cast<std::int64_t>(s + 1));
      w.number(static_cast<std::int64_t>(t + 1));
      w.endArray();
    }
    w.endArray();
    w.endObject();
  }
  w.endArray();
  w.key("total");
  w.beginObject();
  w.key("pairs"); w.number(static_cast<std::int64_t>(pairs.size()));
  sizes(total);
  w.key("model"); writeCounts(w, total.model);
  w.key("diagonal"); writeCounts(w, total.diagonal);
  w.endObject();
  if (!grid.empty()) {
    w.key("per_head");  // [layer][head] AER, 0-based indexes
    w.beginArray();
    for (int l = 0; l < grid.layers; ++l) {
      w.beginArray();
      for (int h = 0; h < grid.heads; ++h) w.number(grid.cells[static_cast<std::size_t>(l * grid.heads + h)].aer());
      w.endArray();
    }
    w.endArray();
    w.key("per_layer_mean_of_heads");
    w.beginArray();
    for (const AerCounts& m : grid.layerMeans) w.number(m.aer());
    w.endArray();
  }
  w.key("warnings"); w.strings(warnings);
  w.endObject();
  return w.str();
}

void printAlignText(const CliCommand& c, const ModelIdentity& model, const std::vector<PairResult>& pairs,
                    const PairResult& total, const std::string& method, const std::string& map, const HeadGrid& grid,
                    std::ostream& out) {
  std::ostringstream o;
  o << "model    " << model.name << " (" << model.kind << (model.variant.empty() ? "" : ", " + model.variant) << ")\n"
    << "method   " << method << (map.empty() ? "" : ", " + map) << "\n"
    << "pairs    " << pairs.size() << " (" << c.sourceFile << ", " << c.targetFile << "), gold " << c.goldFile << "\n"
    << "words    split here: " << total.splitSource << " source and " << total.splitTarget
    << " target words (the model's tokenizer made more or fewer than one token of each); " << total.unknownTokens
    << " tokens unknown to the model\n"
    << "         " << kWordMappingShort << "\n\n";
  auto row = [&](const std::string& label, const PairResult& p) {
    o << std::setw(6) << label << std::setw(8) << p.sourceWords << std::setw(8) << p.targetWords << std::setw(8)
      << p.model.sureHits << std::setw(8) << p.model.possibleHits << std::setw(8) << p.model.predicted << std::setw(8)
      << p.model.sure << std::setw(9) << p.model.aer() << std::setw(10) << p.diagonal.aer() << '\n';
  };
  o << std::fixed << std::setprecision(4) << std::setw(6) << "pair" << std::setw(8) << "source" << std::setw(8)
    << "target" << std::setw(8) << "|A&S|" << std::setw(8) << "|A&P|" << std::setw(8) << "|A|" << std::setw(8) << "|S|"
    << std::setw(9) << "AER" << std::setw(10) << "diagonal" << '\n';
  for (const PairResult& p : pairs) row(std::to_string(p.pair), p);
  row("total", total);
  o << "\nAER " << total.model.aer() << " (diagonal baseline " << total.diagonal.aer() << ")\n";
  if (!grid.empty()) {
    o << "\nAER per decoder layer and head (" << method << "; 0-based, as --layer and --head take them)\n" << std::setw(8) << "layer";
    for (int h = 0; h < grid.heads; ++h) o << std::setw(8) << ("h" + std::to_string(h));
    o << std::setw(10) << "mean" << '\n';
    for (int l = 0; l < grid.layers; ++l) {
      o << std::setw(8) << l;
      for (int h = 0; h < grid.heads; ++h) o << std::setw(8) << grid.cells[static_cast<std::size_t>(l * grid.heads + h)].aer();
      o << std::setw(10) << grid.layerMeans[static_cast<std::size_t>(l)].aer() << '\n';
    }
  }
  out << o.str();
}

}  // namespace

int runAlign(const CliCommand& c, std::ostream& out) {
  // Input files first: cheap to check, and their errors name file:line.
  const auto sources = readSentences(c.sourceFile);
  const auto targets = readSentences(c.targetFile);
  if (targets.size() != sources.size())
    throw InputError(c.targetFile, "has " + std::to_string(targets.size()) + " lines, the source " + c.sourceFile +
                                       " has " + std::to_string(sources.size()) + "; line N of each forms pair N");
  const bool scored = !c.goldFile.empty();  // without --gold, align only writes --links
  const auto gold = scored ? readWptAlignments(c.goldFile) : std::map<int, GoldAlignment>{};
  for (const auto& [n, g] : gold) {
    const std::string where = c.goldFile + ": sentence " + std::to_string(n);
    if (n > static_cast<int>(sources.size()))
      throw InputError(where, "has links, but the sentence files have only " + std::to_string(sources.size()) + " pairs");
    checkGoldWithin(g, static_cast<int>(sources[n - 1].size()), static_cast<int>(targets[n - 1].size()), where);
  }

  const std::unique_ptr<Model> model = loadModel(c.model, {c.maxModelBytes});
  const ModelIdentity& identity = model->info().identity;
  if (!takesTarget(model->kind()))  // the kinds that take a target have cross-attention [T, S]
    throw UsageError(c.model, "is a " + identity.kind + " model; align needs a " +
                                  modelKindNames([](const ModelKind& k) { return takesTarget(k); }, " or ") +
                                  " model (cross-attention or link posteriors)");

  ExtractionMethod method = parseExtractionMethod(c.alignMethod, "--method");
  method.layer = c.layer.value_or(-1);
  method.head = c.head.value_or(-1);
  if (method.shift && !model->kind().can.decodes)
    throw UsageError("--method", "Shift-Att reads the decoder step after each target word; a " + identity.kind +
                                     " model has no decoder steps (use argmax or threshold)");
  std::vector<PairResult> pairs;
  std::vector<std::string> warnings;
  PairResult total;
  HeadGrid grid;
  std::string mapName;  // for layered (transformer) maps only
  static const GoldAlignment kNoGold;
  std::unique_ptr<OutputFile> linksOut;
  if (!c.linksFile.empty()) linksOut = std::make_unique<OutputFile>(c.linksFile);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const int n = static_cast<int>(i) + 1;
    const std::string sourceOrigin = c.sourceFile + ":" + std::to_string(n);
    const std::string targetOrigin = c.targetFile + ":" + std::to_string(n);
    RunOptions options;
    options.target = joinWords(targets[i]);
    options.maxTokens = c.maxTokens;
    const Trace trace = model->run(Input::fromText(joinWords(sources[i]), sourceOrigin), options);
    for (const auto& warning : trace.warnings) warnings.push_back(sourceOrigin + ": " + warning);

    // The model may keep fewer source tokens than the words give (max_source_tokens, --max-tokens), and fewer
    // target tokens (--max-tokens); every word keeps the tokens the model saw.
    const Tensor& cross = trace.attention.at("cross");
    if (cross.rank() == 4) {
      if (method.layer >= cross.dim(0) || method.head >= cross.dim(1))
        throw UsageError(method.layer >= cross.dim(0) ? "--layer" : "--head",
                         "the model has " + std::to_string(cross.dim(0)) + " decoder layers of " +
                             std::to_string(cross.dim(1)) + " heads (0-based)");
      mapName = crossMapName(method.layer, method.head);
    } else if (c.layer || c.head || c.perHead) {
      throw UsageError(c.perHead ? "--per-head" : c.layer ? "--layer" : "--head",
                       "this model has one cross-attention map (not one per layer and head)");
    }
    const WordAlignment a = alignWords(trace, sources[i], targets[i], {.targetForced = true, .method = method});
    if (!a.comparable) throw InternalError(sourceOrigin, "the model's tokens do not match the words: " + a.why);
    const auto warnCut = [&warnings](const WordSide& side, const std::string& origin, const char* name) {
      if (side.cut())
        warnings.push_back(origin + ": the model kept " + std::to_string(side.tokensKept) + " of " +
                           std::to_string(side.tokensWanted) + " " + name + " tokens; " + std::to_string(side.lostWords) +
                           " words past the cut cannot be linked");
    };
    warnCut(a.source, sourceOrigin, "source");
    warnCut(a.target, targetOrigin, "target");

    if (linksOut) linksOut->writeLine(pharaohLine(a.links));
    if (!scored) continue;  // nothing to score: the pair's links are written, nothing else is kept

    PairResult p;
    p.pair = n;
    p.sourceWords = static_cast<int>(sources[i].size());
    p.targetWords = static_cast<int>(targets[i].size());
    p.splitSource = a.source.splitWords;
    p.splitTarget = a.target.splitWords;
    for (int k = 0; k < a.source.tokensKept; ++k) p.unknownTokens += trace.sourceTokens[k] == kUnknownToken;
    for (int k = 0; k < a.target.tokensKept; ++k) p.unknownTokens += trace.targetTokens[k] == kUnknownToken;
    p.links = a.links;
    const auto g = gold.find(n);
    const GoldAlignment& pairGold = g == gold.end() ? kNoGold : g->second;
    p.model = aerCounts(p.links, pairGold);
    if (c.perHead) {
      grid.layers = static_cast<int>(cross.dim(0));
      grid.heads = static_cast<int>(cross.dim(1));
      grid.cells.resize(static_cast<std::size_t>(grid.layers * grid.heads));
      grid.layerMeans.resize(static_cast<std::size_t>(grid.layers));
      for (int l = 0; l < grid.layers; ++l) {
        for (int h = 0; h <= grid.heads; ++h) {  // h == heads: the layer's mean of heads
          ExtractionMethod cell = method;
          cell.layer = l;
          cell.head = h < grid.heads ? h : -1;
          const LinkSet links = extractWordAlignment(selectCrossMap(cross, cell.layer, cell.head), a.target.spans,
                                                     a.source.spans, cell);
          (h < grid.heads ? grid.cells[static_cast<std::size_t>(l * grid.heads + h)]
                          : grid.layerMeans[static_cast<std::size_t>(l)]) += aerCounts(links, pairGold);
        }
      }
    }
    p.diagonal = aerCounts(diagonalAlignment(p.sourceWords, p.targetWords), pairGold);

    total.sourceWords += p.sourceWords;
    total.targetWords += p.targetWords;
    total.splitSource += p.splitSource;
    total.splitTarget += p.splitTarget;
    total.unknownTokens += p.unknownTokens;
    total.model += p.model;
    total.diagonal += p.diagonal;
    pairs.push_back(std::move(p));
  }

  for (const auto& warning : warnings) std::cerr << "attnviz: " << warning << '\n';
  const std::string methodName = extractionRuleName(method);
  if (linksOut) linksOut->commit();
  if (!scored) {
    out << "wrote the links of " << sources.size() << " pairs to " << c.linksFile << " (" << identity.name << ", "
        << methodName << (mapName.empty() ? "" : ", " + mapName) << ")\n";
    return 0;
  }
  if (c.json) out << alignJson(c, identity, pairs, total, warnings, methodName, mapName, grid) << '\n';
  else printAlignText(c, identity, pairs, total, methodName, mapName, grid, out);
  return 0;
}

}  // namespace attnviz::cli

#include "app/cli_args.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <initializer_list>

#include "engine/align/extraction.h"
#include "engine/analysis/contributions.h"
#include "engine/analysis/edge_knockout.h"
#include "engine/analysis/faithfulness.h"
#include "engine/api/model_kind.h"
#include "engine/core/error.h"
#include "engine/core/token_ids.h"

namespace attnviz::cli {

namespace {

constexpr int kMaxBeam = 64;
constexpr int kMaxRuns = 100000;
constexpr int kMaxThreads = 1024;
constexpr int kMaxLayerOrHead = 9999;  // parsing only; export checks --layer/--head against the model

// Walks the arguments of one subcommand; every option that takes a value gets it through value().
class ArgCursor {
 public:
  explicit ArgCursor(const std::vector<std::string>& args, std::size_t start) : args_(args), i_(start) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string& next() { return args_[i_++]; }
  const std::string& value(const std::string& option) {
    if (done()) throw UsageError(option, "needs a value");
    return next();
  }

 private:
  const std::vector<std::string>& args_;
  std::size_t i_;
};

int parseInt(const std::string& option, const std::string& text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    throw UsageError(option, "expects a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                                 ", got \"" + text + "\"");
  return value;
}

// A limit's value: digits with an optional K, M or G (binary: x1024, x1024^2, x1024^3), in the limit's range.
std::int64_t parseLimit(const LimitRange& range, const std::string& text) {
  std::string digits = text;
  std::int64_t scale = 1;
  if (!digits.empty()) {
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(digits.back())));
    const int shift = unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : 0;
    if (shift) digits.pop_back(), scale = std::int64_t{1} << shift;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  // Range-checked before the multiplication, which could overflow either way.
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || value < 0 || value > range.max / scale)
    throw UsageError(range.option, "expects a whole number with an optional K, M or G, from " +
                                       limitText(range, range.min) + " to " + limitText(range, range.max) + ", got \"" +
                                       text + "\"");
  return checkLimit(range, value * scale, range.option);
}

// Consumes a limit option if `arg` is one of those in `accepted`.
bool takeLimit(const std::string& arg, ArgCursor& cursor, CliCommand& c, std::initializer_list<const LimitRange*> accepted) {
  for (const LimitRange* range : accepted) {
    if (arg != range->option) continue;
    const std::int64_t value = parseLimit(*range, cursor.value(arg));
    if (range == &kMaxTokensLimit) c.maxTokens = value;
    if (range == &kMaxImagePixelsLimit) c.maxImagePixels = value;
    if (range == &kMaxModelFileBytesLimit) c.maxModelBytes = value;
    return true;
  }
  return false;
}

constexpr std::initializer_list<const LimitRange*> kRunLimits = {&kMaxTokensLimit, &kMaxImagePixelsLimit,
                                                                 &kMaxModelFileBytesLimit};

RolloutFusion parseFusion(const std::string& text) {
  if (text == "mean") return RolloutFusion::Mean;
  if (text == "max") return RolloutFusion::Max;
  if (text == "min") return RolloutFusion::Min;
  throw UsageError("--rollout", "expects mean, max or min, got \"" + text + "\"");
}

// --discard-ratio: the fraction of each row's rollout weights to drop, 0 <= R < 1.
double parseDiscardRatio(const std::string& text) {
  double value = 0.0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0.0 && value < 1.0))
    throw UsageError("--discard-ratio", "expects a number from 0 up to (not including) 1, e.g. 0.9, got \"" + text + "\"");
  return value;
}

SentenceMode parseSentenceMode(const std::string& text) {
  if (text == "auto") return SentenceMode::Auto;
  if (text == "lines") return SentenceMode::Lines;
  if (text == "split") return SentenceMode::Split;
  throw UsageError("--sentences", "expects auto, lines or split, got \"" + text + "\"");
}

// --token-ids / --token-type-ids: engine/core/token_ids.h reads them; a bad list is a usage error of the option.
std::vector<std::int64_t> parseIdsOption(const std::string& option, const std::string& text) {
  try {
    return parseTokenIds(text, option);
  } catch (const InputError& e) {
    throw UsageError(option, e.what());
  }
}

// Consumes an INPUT option (--text, --text-file, --lines, --image, --pixels, --token-ids) if `arg` is one, and the
// options that qualify the input just before them (--text-pair after --text, --token-type-ids after --token-ids).
bool takeInput(const std::string& arg, ArgCursor& cursor, std::vector<InputSpec>& inputs) {
  using K = InputSpec::Kind;
  static const std::pair<const char*, K> kInputOptions[] = {
      {"--text", K::Text}, {"--text-file", K::TextFile}, {"--text-dir", K::TextDir}, {"--lines", K::Lines},
      {"--image", K::Image}, {"--pixels", K::Pixels}};
  for (const auto& [name, kind] : kInputOptions) {
    if (arg == name) {
      InputSpec spec;
      spec.kind = kind;
      spec.value = cursor.value(arg);
      inputs.push_back(std::move(spec));
      return true;
    }
  }
  if (arg == "--token-ids") {
    InputSpec spec;
    spec.kind = K::TokenIds;
    spec.value = cursor.value(arg);
    spec.tokenIds = parseIdsOption(arg, spec.value);
    inputs.push_back(std::move(spec));
    return true;
  }
  if (arg == "--token-type-ids") {
    const std::string& value = cursor.value(arg);
    if (inputs.empty() || inputs.back().kind != K::TokenIds || !inputs.back().tokenTypeIds.empty())
      throw UsageError(arg, "must come right after the --token-ids it gives segment ids for");
    InputSpec& ids = inputs.back();
    ids.tokenTypeIds = parseIdsOption(arg, value);
    if (ids.tokenTypeIds.size() != ids.tokenIds.size())
      throw UsageError(arg, "has " + std::to_string(ids.tokenTypeIds.size()) + " segment ids for " +
                                std::to_string(ids.tokenIds.size()) + " token ids; give one per token");
    return true;
  }
  if (arg == "--text-pair") {
    const std::string& value = cursor.value(arg);
    if (inputs.empty() || inputs.back().kind != K::Text || inputs.back().textPair)
      throw UsageError(arg, "must come right after the --text it is paired with (--text A --text-pair B)");
    inputs.back().textPair = value;
    return true;
  }
  return false;
}

// Options that change how the model runs, shared by run and export: --model, --rollout, --discard-ratio, --beam,
// --bf16, --native-size, --sentences.
bool takeModelRunOption(const std::string& arg, ArgCursor& cursor, CliCommand& c, bool& discardGiven) {
  if (arg == "--model") c.model = cursor.value(arg);
  else if (arg == "--rollout") c.rollout = parseFusion(cursor.value(arg));
  else if (arg == "--discard-ratio") c.discardRatio = parseDiscardRatio(cursor.value(arg)), discardGiven = true;
  else if (arg == "--beam") c.beam = parseInt(arg, cursor.value(arg), 1, kMaxBeam);
  else if (arg == "--bf16") c.bf16 = true;
  else if (arg == "--native-size") c.nativeSize = true;
  else if (arg == "--sentences") c.sentences = parseSentenceMode(cursor.value(arg));
  else return false;
  return true;
}

// --knockout "3:1,3:2": (layer, head) pairs, 0-based, whose output is zeroed (the model checks its ranges).
std::vector<std::pair<int, int>> parseKnockedOutHeads(const std::string& text) {
  std::vector<std::pair<int, int>> pairs;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string pair = text.substr(start, comma - start);
    const std::size_t colon = pair.find(':');
    if (colon == std::string::npos)
      throw UsageError("--knockout", "expects LAYER:HEAD pairs (0-based, comma-separated), e.g. 3:1,3:2, got \"" + pair + "\"");
    pairs.emplace_back(parseInt("--knockout", pair.substr(0, colon), 0, kMaxLayerOrHead),
                       parseInt("--knockout", pair.substr(colon + 1), 0, kMaxLayerOrHead));
    start = comma + 1;
  }
  return pairs;
}

KnockoutMode parseKnockoutMode(const std::string& text) {
  if (text == "one") return KnockoutMode::OneHead;
  if (text == "all-but-one") return KnockoutMode::AllButOneHead;
  throw UsageError("--head-knockout", "expects one (zero each head in turn) or all-but-one (keep only it in its layer), got \"" +
                                          text + "\"");
}

TokenRemoval::How parseRemoval(const std::string& text) {
  if (text == "mask") return TokenRemoval::How::Mask;
  if (text == "delete") return TokenRemoval::How::Delete;
  throw UsageError("--removal", "expects mask (replace each removed token by [MASK], else [UNK]; an image patch by zero "
                                "pixels) or delete (leave it out), got \"" + text + "\"");
}

std::string parseView(const std::string& text) {
  std::string names;
  for (const char* name : kFigureViewNames) {
    if (text == name) return text;
    names += std::string(names.empty() ? "" : ", ") + name;
  }
  throw UsageError("--view", "expects one of " + names + ", got \"" + text + "\"");
}

FigureFileFormat parseFigureFormat(const std::string& text) {
  if (text == "png") return FigureFileFormat::Png;
  if (text == "svg") return FigureFileFormat::Svg;
  if (text == "pdf") return FigureFileFormat::Pdf;
  throw UsageError("--format", "expects png, svg or pdf, got \"" + text + "\"");
}

// --size WxH, e.g. 800x600: logical pixels (1/96 inch), each side in the Export Figure dialog's range.
std::pair<int, int> parseFigureSize(const std::string& text) {
  const std::size_t x = text.find_first_of("xX");
  const std::string range = std::to_string(kMinFigureSide) + " to " + std::to_string(kMaxFigureSide);
  if (x == std::string::npos)
    throw UsageError("--size", "expects WIDTHxHEIGHT in pixels, e.g. 800x600, each from " + range + ", got \"" + text + "\"");
  return {parseInt("--size", text.substr(0, x), kMinFigureSide, kMaxFigureSide),
          parseInt("--size", text.substr(x + 1), kMinFigureSide, kMaxFigureSide)};
}

[[noreturn]] void unknownOption(const std::string& arg, const char* command) {
  throw UsageError(arg, std::string("unknown ") + (arg.starts_with("-") ? "option" : "argument") + " for " + command +
                            " (see attnviz --help)");
}

CliCommand parseInfo(const std::vector<std::string>& args) {
  CliCommand c;
  c.name = CliCommand::Name::Info;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (arg == "--json") c.json = true;
    else if (takeLimit(arg, cursor, c, {&kMaxModelFileBytesLimit})) continue;
    else if (!arg.starts_with("-") && c.model.empty()) c.model = arg;
    else unknownOption(arg, "info");
  }
  if (c.model.empty()) throw UsageError("info", "needs a MODEL (a package folder or .zip, or a Hugging Face checkpoint)");
  return c;
}

// run and export: INPUTs, LIMITS, the options that change how the model runs and --out, then the command's own
// options (`own` returns false for an argument it does not take). --model, an input and --out are required.
using OwnOption = std::function<bool(const std::string& arg, ArgCursor& cursor, CliCommand& c)>;
CliCommand parseTraceCommand(const std::vector<std::string>& args, CliCommand::Name name, const std::string& command,
                             const std::string& outNeeded, const OwnOption& own) {
  CliCommand c;
  c.name = name;
  bool outGiven = false;
  bool discardGiven = false;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (takeInput(arg, cursor, c.inputs) || takeLimit(arg, cursor, c, kRunLimits) ||
        takeModelRunOption(arg, cursor, c, discardGiven) || own(arg, cursor, c))
      continue;
    if (arg == "--out") c.out = cursor.value(arg), outGiven = true;
    else unknownOption(arg, command.c_str());
  }
  if (c.model.empty()) throw UsageError(command, "needs --model MODEL");
  if (c.inputs.empty()) throw UsageError(command, "needs at least one input: --text, --text-file, --text-dir, --lines, --token-ids, --image or --pixels");
  if (!outGiven || c.out.empty()) throw UsageError(command, "needs " + outNeeded);
  if (discardGiven && c.rollout == RolloutFusion::None)
    throw UsageError("--discard-ratio", "only applies to attention rollout: add --rollout mean|max|min");
  return c;
}

CliCommand parseRun(const std::vector<std::string>& args) {
  CliCommand c = parseTraceCommand(args, CliCommand::Name::Run, "run", "--out FILE (or --out - for standard output)",
                                   [](const std::string& arg, ArgCursor& cursor, CliCommand& cmd) {
                                     if (arg == "--target") cmd.target = cursor.value(arg);
                                     else if (arg == "--target-lines") cmd.targetLines = cursor.value(arg);
                                     else if (arg == "--occlusion") cmd.occlusion = true;
                                     else if (arg == "--flow") cmd.flow = true;
                                     else if (arg == "--method") cmd.contributions = parseContributionMethods(cursor.value(arg), arg);
                                     else if (arg == "--knockout") cmd.knockedOutHeads = parseKnockedOutHeads(cursor.value(arg));
                                     else if (arg == "--head-knockout") cmd.headKnockout = parseKnockoutMode(cursor.value(arg));
                                     else if (arg == "--edge-knockout") cmd.edgeKnockout = parseEdgeKnockout(cursor.value(arg), arg);
                                     else if (arg == "--hidden-states") cmd.hiddenStates = true;
                                     else if (arg == "--faithfulness") cmd.faithfulnessMethods = parseFaithfulnessMethods(cursor.value(arg), "--faithfulness");
                                     else if (arg == "--removal") cmd.removal = parseRemoval(cursor.value(arg)), cmd.removalGiven = true;
                                     else return false;
                                     return true;
                                   });
  if (c.target && c.targetLines) throw UsageError("--target", "give either --target or --target-lines, not both");
  if (c.removalGiven && c.faithfulnessMethods.empty())
    throw UsageError("--removal", "only applies to faithfulness: add --faithfulness METHODS");
  return c;
}

// attnviz faithfulness --model MODEL INPUT... --methods M,... [--removal mask|delete] [LIMITS] [--json]
CliCommand parseFaithfulness(const std::vector<std::string>& args) {
  CliCommand c;
  c.name = CliCommand::Name::Faithfulness;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (takeInput(arg, cursor, c.inputs) || takeLimit(arg, cursor, c, kRunLimits)) continue;
    if (arg == "--model") c.model = cursor.value(arg);
    else if (arg == "--methods") c.faithfulnessMethods = parseFaithfulnessMethods(cursor.value(arg), "--methods");
    else if (arg == "--removal") c.removal = parseRemoval(cursor.value(arg));
    else if (arg == "--json") c.json = true;
    else unknownOption(arg, "faithfulness");
  }
  if (c.model.empty()) throw UsageError("faithfulness", "needs --model MODEL");
  if (c.inputs.empty()) throw UsageError("faithfulness", "needs at least one input: --text, --text-file, --text-dir, --lines, --token-ids, --image or --pixels");
  if (c.faithfulnessMethods.empty())
    throw UsageError("faithfulness", "needs --methods M,... (of attention, rollout, value-norm, alti, globenc, value-zeroing)");
  return c;
}

CliCommand parseExport(const std::vector<std::string>& args) {
  CliCommand c = parseTraceCommand(args, CliCommand::Name::Export, "export", "--out DIR (the folder the figures are written to)",
                           [](const std::string& arg, ArgCursor& cursor, CliCommand& cmd) {
                             if (arg == "--view") cmd.view = parseView(cursor.value(arg));
                             else if (arg == "--layer") cmd.layer = parseInt(arg, cursor.value(arg), 0, kMaxLayerOrHead);
                             else if (arg == "--head") cmd.head = parseInt(arg, cursor.value(arg), 0, kMaxLayerOrHead);
                             else if (arg == "--format") cmd.figureFormat = parseFigureFormat(cursor.value(arg));
                             else if (arg == "--size") cmd.figureSize = parseFigureSize(cursor.value(arg));
                             else if (arg == "--dpi") cmd.dpi = parseInt(arg, cursor.value(arg), kMinFigureDpi, kMaxFigureDpi);
                             else if (arg == "--head-knockout") cmd.headKnockout = parseKnockoutMode(cursor.value(arg));
                             else if (arg == "--removal") cmd.removal = parseRemoval(cursor.value(arg)), cmd.removalGiven = true;
                             else return false;
                             return true;
                           });
  if (c.removalGiven && c.view != "methods")
    throw UsageError("--removal", "only applies to the methods view (--view methods), whose faithfulness scores remove tokens");
  return c;
}

CliCommand parseBench(const std::vector<std::string>& args) {
  CliCommand c;
  c.name = CliCommand::Name::Bench;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (takeInput(arg, cursor, c.inputs) || takeLimit(arg, cursor, c, kRunLimits)) continue;
    if (arg == "--model") c.model = cursor.value(arg);
    else if (arg == "--runs") c.runs = parseInt(arg, cursor.value(arg), 1, kMaxRuns);
    else if (arg == "--threads") c.threads = parseInt(arg, cursor.value(arg), 1, kMaxThreads);
    else if (arg == "--occlusion") c.occlusion = true;
    else if (arg == "--method") c.contributions = parseContributionMethods(cursor.value(arg), arg);
    else if (arg == "--bf16") c.bf16 = true;
    else if (arg == "--sentences") c.sentences = parseSentenceMode(cursor.value(arg));
    else if (arg == "--json") c.json = true;
    else unknownOption(arg, "bench");
  }
  if (c.model.empty()) throw UsageError("bench", "needs --model MODEL");
  if (c.inputs.size() != 1) throw UsageError("bench", "needs exactly one input (--text, --text-file, --lines, --token-ids, --image or --pixels)");
  return c;
}

CliCommand parseAlign(const std::vector<std::string>& args) {
  CliCommand c;
  c.name = CliCommand::Name::Align;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (takeLimit(arg, cursor, c, {&kMaxTokensLimit, &kMaxModelFileBytesLimit})) continue;
    if (arg == "--model") c.model = cursor.value(arg);
    else if (arg == "--source") c.sourceFile = cursor.value(arg);
    else if (arg == "--target") c.targetFile = cursor.value(arg);
    else if (arg == "--gold") c.goldFile = cursor.value(arg);
    else if (arg == "--links") c.linksFile = cursor.value(arg);
    else if (arg == "--method") c.alignMethod = cursor.value(arg);
    else if (arg == "--layer") c.layer = parseInt(arg, cursor.value(arg), 0, kMaxLayerOrHead);
    else if (arg == "--head") c.head = parseInt(arg, cursor.value(arg), 0, kMaxLayerOrHead);
    else if (arg == "--per-head") c.perHead = true;
    else if (arg == "--json") c.json = true;
    else unknownOption(arg, "align");
  }
  if (c.model.empty()) throw UsageError("align", "needs --model MODEL (a seq2seq model or a word aligner)");
  if (c.sourceFile.empty()) throw UsageError("align", "needs --source FILE (one tokenised source sentence per line)");
  if (c.targetFile.empty()) throw UsageError("align", "needs --target FILE (one tokenised target sentence per line)");
  if (c.goldFile.empty() && c.linksFile.empty())
    throw UsageError("align", "needs --gold FILE (WPT 2003 gold links, to score) or --links FILE (to write the links)");
  if (c.goldFile.empty() && c.perHead) throw UsageError("--per-head", "scores every layer and head: it needs --gold FILE");
  parseExtractionMethod(c.alignMethod, "--method");  // refused here, before the model loads
  return c;
}

// A number in [min, max] (minOpen: min itself excluded).
double parseNumber(const std::string& option, const std::string& text, double min, double max, bool minOpen = false) {
  double value = 0.0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(minOpen ? value > min : value >= min) || !(value <= max))
    throw UsageError(option, "expects a number from " + std::string(minOpen ? "above " : "") + std::to_string(min) +
                                 " to " + std::to_string(max) + ", got \"" + text + "\"");
  return value;
}

constexpr int kMaxEmIterations = 1000;
constexpr double kMaxAlignerTension = 32.0;  // engine/models/aligner/diagonal_prior.h kMaxTension

CliCommand parseTrainAligner(const std::vector<std::string>& args) {
  CliCommand c;
  c.name = CliCommand::Name::TrainAligner;
  CliCommand::AlignerTraining& a = c.aligner;
  ArgCursor cursor(args, 1);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (arg == "--source") c.sourceFile = cursor.value(arg);
    else if (arg == "--target") c.targetFile = cursor.value(arg);
    else if (arg == "--out") c.out = cursor.value(arg);
    else if (arg == "--iterations-model1") a.model1Iterations = parseInt(arg, cursor.value(arg), 0, kMaxEmIterations);
    else if (arg == "--iterations") a.diagonalIterations = parseInt(arg, cursor.value(arg), 0, kMaxEmIterations);
    else if (arg == "--null-probability") a.nullProbability = parseNumber(arg, cursor.value(arg), 0.0, 0.99);
    else if (arg == "--tension") a.tension = parseNumber(arg, cursor.value(arg), 0.0, kMaxAlignerTension);
    else if (arg == "--fixed-tension") a.fixedTension = true;
    else if (arg == "--prune") a.pruneBelow = parseNumber(arg, cursor.value(arg), 0.0, 1.0);
    else if (arg == "--dirichlet-alpha") a.dirichletAlpha = parseNumber(arg, cursor.value(arg), 0.0, 1.0);
    else if (arg == "--name") a.name = cursor.value(arg);
    else if (arg == "--training-data") a.trainingData = cursor.value(arg);
    else unknownOption(arg, "train-aligner");
  }
  if (c.sourceFile.empty()) throw UsageError("train-aligner", "needs --source FILE (source sentences, one per line)");
  if (c.targetFile.empty()) throw UsageError("train-aligner", "needs --target FILE (target sentences, line N the translation of source line N)");
  if (c.out.empty()) throw UsageError("train-aligner", "needs --out FOLDER (the package to write; it must not exist)");
  return c;
}

// The subcommands, as `attnviz NAME ...` takes them.
constexpr const char* kCommandNames[] = {"info", "run", "bench", "align", "train-aligner", "export", "faithfulness", "help"};

// Edits (insert, delete, replace, swap two neighbours) that turn a into b: "rnu" is 1 from "run".
std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// A first argument that reads as a word ("rnu"), not a path, and names no file there: a mistyped command, said so
// (with the nearest command) instead of the GUI failing to open a model called "rnu", or its options being refused.
void refuseUnknownCommand(const std::string& word) {
  constexpr std::size_t kMaxSuggestDistance = 2;
  const bool wordLike = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char ch) {
    return std::isalnum(ch) || ch == '-' || ch == '_';
  });
  std::error_code ec;
  if (!wordLike || word.starts_with("-") || std::filesystem::exists(word, ec)) return;
  std::string nearest, names;
  std::size_t best = kMaxSuggestDistance + 1;
  for (const char* name : kCommandNames) {
    names += std::string(names.empty() ? "" : ", ") + name;
    if (const std::size_t d = editDistance(word, name); d < best) best = d, nearest = name;
  }
  throw UsageError("", "unknown command '" + word + "'" + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                           " (commands: " + names + "; a MODEL to open must be an existing folder or file)");
}

CliCommand parseGui(const std::vector<std::string>& args) {
  CliCommand c;
  ArgCursor cursor(args, 0);
  while (!cursor.done()) {
    const std::string& arg = cursor.next();
    if (takeInput(arg, cursor, c.inputs)) continue;
    if (arg.starts_with("-")) unknownOption(arg, "attnviz");
    c.guiModels.push_back(arg);
  }
  return c;
}

}  // namespace

CliCommand parseCommandLine(const std::vector<std::string>& args) {
  if (args.empty()) return CliCommand{};
  const std::string& first = args[0];
  if (first == "--version" || first == "-V") {
    if (args.size() > 1) unknownOption(args[1], "--version");
    CliCommand c;
    c.name = CliCommand::Name::Version;
    return c;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    CliCommand c;
    c.name = CliCommand::Name::Help;
    return c;
  }
  if (first == "info") return parseInfo(args);
  if (first == "run") return parseRun(args);
  if (first == "bench") return parseBench(args);
  if (first == "align") return parseAlign(args);
  if (first == "train-aligner") return parseTrainAligner(args);
  if (first == "export") return parseExport(args);
  if (first == "faithfulness") return parseFaithfulness(args);
  refuseUnknownCommand(first);
  return parseGui(args);
}

namespace {

// One line per kind of the kind table: what it is, what it takes, which options apply to it.
std::string kindsText() {
  std::string text = "Model kinds (attnviz info MODEL names a model's kind):\n";
  for (const ModelKind* kind : modelKinds()) {
    const KindCapabilities& can = kind->can;
    std::string inputs, options;
    const auto add = [](std::string& list, bool has, const char* item) {
      if (has) list += (list.empty() ? "" : ", ") + std::string(item);
    };
    add(inputs, can.text, "--text (and the other text inputs)");
    add(inputs, can.tokenIds, "--token-ids");
    add(inputs, can.image, "--image");
    add(inputs, can.pixels, "--pixels");
    add(options, can.decodes, "--target, --beam");
    add(options, can.alignsPairs, "--target (required)");
    add(options, can.sentences, "--sentences");
    add(options, can.occlusion, "--occlusion");
    add(options, can.selfAttention, "--rollout, --flow");
    add(options, can.contributions, "--method, --knockout, --head-knockout, --edge-knockout, --faithfulness");
    add(options, can.nativeSize, "--native-size");
    add(options, can.bf16, "--bf16");
    add(options, can.hiddenStates, "--hidden-states");
    std::string name = kind->name;
    name.resize(std::max<std::size_t>(name.size(), 9), ' ');
    text += "  " + name + kind->description + ": " + inputs + (options.empty() ? "" : "; " + options) + "\n";
  }
  return text + "Hugging Face checkpoints run: model_type " + hfModelTypeNames() + ".\n";
}


std::string usageHead() {
  return R"(attnviz: look inside attention models

Usage:
  attnviz [MODEL...] [INPUT...]          start the GUI, opening the models and inputs given
  attnviz --version
  attnviz info MODEL [--json] [--max-model-size SIZE]
  attnviz run --model MODEL INPUT... [--target TEXT | --target-lines FILE]
              [--rollout mean|max|min [--discard-ratio R]] [--flow] [--method value-norm,alti,...] [--knockout L:H,...]
              [--head-knockout one|all-but-one] [--edge-knockout FROM:TO[:WINDOW]] [--native-size] [--beam N]
              [--occlusion] [--sentences auto|lines|split] [--faithfulness M,... [--removal mask|delete]] [--bf16]
              [--hidden-states] [LIMITS] --out FILE|-
  attnviz bench --model MODEL INPUT [--runs N] [--threads N] [--occlusion] [--method M,...] [--sentences MODE] [--bf16]
              [LIMITS] [--json]
  attnviz align --model MODEL --source FILE --target FILE [--gold FILE] [--links FILE] [--method M] [--layer L]
                [--head H] [--per-head] [--max-tokens N] [--max-model-size SIZE] [--json]
  attnviz train-aligner --source FILE --target FILE --out FOLDER [--iterations-model1 N] [--iterations N]
              [--null-probability P] [--tension L] [--fixed-tension] [--dirichlet-alpha A] [--prune T] [--name NAME]
              [--training-data TEXT]
  attnviz export --model MODEL INPUT... [--view heatmap|arcs|saliency|patches|grid|knockout|methods] [--layer L]
              [--head H] [--rollout mean|max|min [--discard-ratio R]] [--head-knockout one|all-but-one]
              [--removal mask|delete] [--format png|svg|pdf]
              [--size WxH] [--dpi N] [--native-size] [--beam N] [--sentences MODE] [--bf16] [LIMITS] --out DIR
  attnviz faithfulness --model MODEL INPUT... --methods M,... [--removal mask|delete] [LIMITS] [--json]

MODEL is an attnviz package (folder or .zip with attnviz.json) or a Hugging Face checkpoint.
INPUT is any mix, processed in order, of:
  --text TEXT        one input
  --text-file FILE   the whole file is one input (its final newline, if any, dropped)
  --text-dir DIR     every *.txt file of the folder (by name) is one input (each file's final newline dropped)
  --lines FILE       every non-empty line is one input
                     FILE (also of --target-lines) may be - for standard input (once) or a pipe, e.g. <(cmd)
  --text A --text-pair B   a sentence pair, tokenised as the checkpoint pairs them: [CLS] A [SEP] B [SEP],
                     segment ids 0 for A and its [CLS]/[SEP], 1 for B and the last [SEP] (encoder models)
  --token-ids "101 7592 102"  token ids exactly as given, special tokens included, nothing added (encoder
                     models; ids separated by spaces or commas, checked against the vocabulary size); an optional
                     --token-type-ids "0 0 1" right after it gives the segment ids (same length; default all 0)
  --image FILE       an image (vit models)
  --pixels FILE.npy  a preprocessed float32 [3, H, W] or [1, 3, H, W] tensor, fed to a vit model as is (no resize,
                     no normalisation)
)";
}

std::string usageTail() {
  return R"(--hidden-states (run) adds the last hidden state ("hidden" [N][D]), the pooled output ("pooled" [D], models
with a pooler) and the head's raw outputs ("logits", "start_logits", "end_logits") to each trace.
--rollout adds attention rollout for models with self-attention (heads fused by mean, max or min); --discard-ratio R first drops,
in every layer, the fraction R (0 <= R < 1) of each row's smallest weights (never a token's weight to itself).
--flow adds attention flow from [CLS] (Abnar & Zuidema 2020: max-flow through the layers; slow for big models).
--method value-norm,alti (encoder, vit) adds token contributions beyond raw weights: value-norm gives
attention.value_norm [L][H][N][N] (weight x norm of the transformed value vector, Kobayashi et al. 2020) and
attention.value_norm_sum [L][N][N] (summed over heads); alti gives attention.alti [L][N][N] (ALTI, Ferrando et
al. 2022: residual and LayerNorm included, rows sum to 1) and attention.alti_rollout [N][N]; globenc gives
attention.globenc [L][N][N] (GlobEnc, Modarressi et al. 2022: norms through both residuals and LayerNorms, the
feed-forward left out; not normalised) and attention.globenc_rollout [N][N]; value-zeroing gives
attention.value_zeroing [L][N][N] (Mohebbi et al. 2023: each token's values zeroed in turn, the cosine distance of
every output; rows sum to 1; one layer pass per token and layer) and attention.value_zeroing_rollout [N][N].
--knockout L:H,... (encoder, vit) zeroes those heads' outputs (0-based layer:head) before the output projection.
--head-knockout one|all-but-one (encoder, vit) runs the input once more per head, with that head zeroed (one) or
every other head of its layer zeroed (all-but-one), and adds "head_knockout": what was scored (the predicted
label's probability, the coreference pointer's antecedent probability, the answer's), its value and "drop"
[L][H], that value minus the value with the knockout (Michel et al. 2019).
--edge-knockout FROM:TO[:WINDOW] (encoder, vit; positions 0-based and comma-separated, [CLS] is 0) blocks the
attention from every FROM token to every TO token (scores at -inf before the softmax, every head) in the WINDOW
layers (default 1) centred on each layer in turn, one run per layer, and adds "edge_knockout": what was scored, its
value and "drop" [L], that value minus the value with the edges blocked (Geva et al. 2023).
--faithfulness M,... (encoder, vit; M of attention, rollout, value-norm, alti, globenc, value-zeroing) adds
"faithfulness": each method's ranking of the tokens (its map's [CLS] row, or a coreference model's pronoun row;
attention: the last layer's mean head; value-norm: the last layer's; the others: their rollouts) scored as ERASER
does (DeYoung et al. 2020): comprehensiveness and sufficiency, the fall of the prediction head knockout scores
when the top 10, 20, 30, 40, 50% of the tokens are removed (or all but them), their means (AOPC), and Kendall's
tau-b against leave-one-out occlusion. Tokens: all but the first and last of a text (and but the pronoun of a
coreference model), every patch of an image.
--removal mask (default: [MASK], else [UNK]; a patch: zero pixels) or delete. One run per removal set.
faithfulness prints the same over many inputs: per method the mean AOPC comprehensiveness and sufficiency and
the mean tau, with how many inputs each mean is over (an input with too few tokens has none); --json for JSON.
--native-size runs a vit model on an image at its own size (position embeddings interpolated, as DINO) instead
of resizing it to the model's.
run writes JSON Lines: one trace object per input, in input order. For han models, --occlusion adds
leave-one-word-out and leave-one-sentence-out effects and their Kendall tau with attention; --sentences
says how a document is cut into sentences (auto: one per line when every line holds one sentence).
--bf16 runs a transformer's (encoder, vit) matrix products in bfloat16 (about twice as fast on CPUs with
avx512_bf16; attention within about 1e-2 of f32). It needs AVX-512; without it, it fails with exit code 5 naming
the missing feature. attnviz --version says whether this CPU can (ONEDNN_MAX_CPU_ISA=AVX2 emulates one that cannot).
align force-decodes each line pair of --source/--target (pre-tokenised, pair N = line N) with a seq2seq
model (or runs a word aligner on it), links every target word to its highest-attention (highest-posterior)
source word and prints the alignment error rate against the WPT 2003 gold links (sentence source target S|P,
1-based), beside a diagonal baseline.
--method argmax (the default), shift-att (each target word read from the step that takes it as decoder
input, Chen et al. 2020), threshold[:T] (many-to-many: every source word with at least T of the attention,
default 0.5) or shift-att+threshold[:T]. For transformers (cross-attention per layer and head) --layer and
--head (0-based) pick the map; without them it is the mean over all layers and heads, with only --layer the
mean of that layer's heads. --per-head adds the AER of every layer and head (and each layer's mean).
--links FILE writes every pair's links, one line per pair in fast_align's format ("i-j", 0-based source-target
word indexes); with --links, --gold may be left out (nothing is scored then).
train-aligner trains a statistical word aligner on two plain text files, one sentence per line (decompress .xz
first: xz -dk FILE): pairs tokenised and filtered as the seq2seq Hansards models' (1..50 tokens a side, length
ratio <= 2, duplicates once), IBM Model 1 for --iterations-model1 EM iterations (default 5), then fast_align's
diagonal Model 2 for --iterations (default 5; NULL probability --null-probability 0.08; diagonal tension started
at --tension 4 and optimised each iteration unless --fixed-tension; --dirichlet-alpha A > 0: fast_align's -v
variational Bayes M-step, fast_align uses 0.01; default 0, maximum likelihood). Target words are aligned to source words
or NULL, as cross-attention rows. It writes the package FOLDER (kind aligner) whole or not at all, its table
pruned of entries below --prune (default 0.01); progress goes to stderr. Threads: OMP_NUM_THREADS; the package
is the same, byte for byte, whatever their number.
export draws one figure per input into DIR with the GUI's own painting (no display needed). DIR is created
if missing; a file already there is replaced whole, never half-written. Files are named after the input: a
file's name without its suffix (a --lines file: its name and the line number, e.g. reviews-0007), input-0001,
input-0002, ... for each --text; a name met twice gets -2, -3, ... --view picks the panel; the default is the
kind's main one: encoder heatmap (also arcs, grid, knockout, methods), seq2seq heatmap (the alignment), han
saliency (also heatmap), vit patches (also heatmap, grid, knockout, methods); knockout runs --head-knockout (one by
default); methods is the Compare tab's "Maps of this trace" with the contribution maps and each ranking's
faithfulness in its label (--removal mask|delete, mask by default). --layer and --head pick what the heatmap, arcs, patches and grid
show, 0-based as info's coreference_head (figure titles count from 1, as the GUI does); arcs show every head
of the layer unless --head is given. --rollout shows rollout in the heatmap and patches views. --size is the
figure in screen pixels (default: the view's own size), --dpi the PNG resolution (default 192). An input that
cannot be read or run is reported and skipped, and the exit code is then that of the first failure (4 for an
input, 2 for a figure that cannot be written). On a terminal, stderr shows a progress line.

LIMITS (numbers may end in K, M or G: x1024, x1024^2, x1024^3; the GUI has the same under Run > Limits):
  --max-tokens N          tokens of one input (words for han; [CLS]/[SEP] and <eos> counted); longer inputs
                          are cut and the trace's warnings say so (default 16K = 16,384; a model's own maximum also applies)
  --max-image-pixels N    larger images are refused before decoding (default 64M = 67,108,864 pixels)
  --max-model-size SIZE   a larger model file (weights, or a zip entry inflated) is refused (default 8G)

)";
}

// The exit codes, one line each, built from engine/core/error.h's exitCode(): the one list of them. README.md's
// "Exit codes" block is this text verbatim (tests/cli/test_cli_bf16.py compares the two).
std::string exitCodesText() {
  struct Row {
    int code;
    const char* meaning;
  };
  const Row rows[] = {
      {0, "success"},
      {exitCode(ErrorKind::Usage), "usage: a bad option or combination of options, or an --out that cannot be written"},
      {exitCode(ErrorKind::ModelFile), "model file: missing, malformed or inconsistent"},
      {exitCode(ErrorKind::Input), "input: a text, image, target or input file that cannot be used"},
      {exitCode(ErrorKind::Backend), "oneDNN cannot run it, e.g. --bf16 on a CPU without AVX-512"},
      {exitCode(ErrorKind::Internal), "internal error: a bug"},
  };
  std::string text = "Exit codes (export: that of the first input or figure that failed):\n";
  for (const Row& row : rows) {
    std::string code = std::to_string(row.code);
    code.resize(4, ' ');
    text += "  " + code + row.meaning + "\n";
  }
  return text;
}

}  // namespace

std::string usageText() { return usageHead() + kindsText() + usageTail() + exitCodesText(); }

}  // namespace attnviz::cli

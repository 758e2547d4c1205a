// The attnviz command line, parsed into a CliCommand without touching any file, so parsing can be tested
// and fuzzed on its own. The grammar (README.md, "Command line") is a contract outside scripts rely on.
//
//   CliCommand c = parseCommandLine({"run", "--model", "m.zip", "--text", "hi", "--out", "-"});
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/model.h"

namespace attnviz::cli {

struct InputSpec {
  enum class Kind { Text, TextFile, TextDir, Lines, Image, TokenIds, Pixels };
  Kind kind = Kind::Text;
  std::string value;  // the text, or a file path; TokenIds: the ids as given ("101 7592 102")
  std::optional<std::string> textPair;     // Text: --text-pair right after --text
  std::vector<std::int64_t> tokenIds;      // TokenIds: --token-ids, parsed
  std::vector<std::int64_t> tokenTypeIds;  // TokenIds: --token-type-ids right after it; empty: all 0
};

// --format of attnviz export (the GUI's FigureFormat; the CLI grammar does not depend on the UI library).
enum class FigureFileFormat { Png, Svg, Pdf };

// attnviz export --view: every view name some model kind has (figure_views.h says which kind has which).
inline constexpr const char* kFigureViewNames[] = {"heatmap", "arcs", "saliency", "patches", "grid", "knockout", "methods"};
// --size and --dpi ranges: those of the GUI's Export Figure dialog. 192 DPI: twice the screen, as Copy Figure's PNG.
constexpr int kMinFigureSide = 16;
constexpr int kMaxFigureSide = 8000;
constexpr int kMinFigureDpi = 48;
constexpr int kMaxFigureDpi = 1200;
constexpr int kDefaultFigureDpi = 192;

struct CliCommand {
  enum class Name { Gui, Version, Help, Info, Run, Bench, Align, Export, TrainAligner, Faithfulness };
  Name name = Name::Gui;
  std::vector<std::string> guiModels;  // attnviz [MODEL...] [--text TEXT]...
  std::string model;                   // --model (run, bench, align, export) or the positional MODEL (info)
  std::vector<InputSpec> inputs;       // in command-line order
  std::optional<std::string> target;       // --target TEXT
  std::optional<std::string> targetLines;  // --target-lines FILE
  RolloutFusion rollout = RolloutFusion::None;
  double discardRatio = 0.0;  // --discard-ratio R (with --rollout): 0 <= R < 1
  int beam = 1;
  bool occlusion = false;                       // --occlusion (han)
  bool bf16 = false;                            // --bf16 (encoder)
  bool flow = false;                            // --flow (vit, encoder)
  ContributionSet contributions;                // --method value-norm,alti (vit, encoder)
  std::vector<std::pair<int, int>> knockedOutHeads;  // --knockout L:H,... (vit, encoder), 0-based
  std::optional<KnockoutMode> headKnockout;         // --head-knockout one|all-but-one (vit, encoder)
  std::optional<EdgeKnockoutRequest> edgeKnockout;  // --edge-knockout FROM:TO[:WINDOW] (vit, encoder)
  // run --faithfulness METHODS, faithfulness --methods METHODS (vit, encoder); --removal mask|delete
  std::vector<std::string> faithfulnessMethods;
  TokenRemoval::How removal = TokenRemoval::How::Mask;
  bool removalGiven = false;
  bool nativeSize = false;                      // --native-size (vit)
  bool hiddenStates = false;                    // --hidden-states (run: encoder, vit)
  SentenceMode sentences = SentenceMode::Auto;  // --sentences auto|lines|split (han)
  std::string out;  // --out FILE or "-"; export: --out DIR
  bool json = false;
  int runs = 20;
  int threads = 0;  // 0: all cores
  std::string sourceFile;  // align --source FILE: one pre-tokenised sentence per line
  std::string targetFile;  // align --target FILE
  std::string goldFile;    // align --gold FILE: WPT 2003 links "sentence source target [S|P]"
  std::string linksFile;   // align --links FILE: every pair's links, one line "i-j ..." per pair (0-based, fast_align's)
  std::string alignMethod = "argmax";  // align --method (engine/align/extraction.h parses it)
  bool perHead = false;                // align --per-head: the AER of every layer and head (transformers)
  // train-aligner (--source/--target are sourceFile/targetFile, --out the package folder)
  struct AlignerTraining {
    int model1Iterations = 5;       // --iterations-model1 N
    int diagonalIterations = 5;     // --iterations N (the diagonal model)
    double nullProbability = 0.08;  // --null-probability P (fast_align's p0)
    double tension = 4.0;           // --tension L: the starting (or, with --fixed-tension, the only) lambda
    bool fixedTension = false;      // --fixed-tension
    double pruneBelow = 0.01;       // --prune T: table entries t(f|e) < T are left out of the package
    double dirichletAlpha = 0.0;    // --dirichlet-alpha A: fast_align's -v (variational Bayes); 0: EM
    std::string name;               // --name NAME (default: the --out folder's name)
    std::string trainingData;       // --training-data TEXT: the card's training_data
  } aligner;
  // export: one figure per input (app/cli_export.h)
  std::string view;                    // --view heatmap|arcs|saliency|patches|grid; empty: the model kind's main one
  std::optional<int> layer;            // --layer L, 0-based; checked against the model once it has run
  std::optional<int> head;             // --head H, 0-based
  FigureFileFormat figureFormat = FigureFileFormat::Png;  // --format png|svg|pdf
  std::optional<std::pair<int, int>> figureSize;          // --size WxH, logical pixels; none: the view's own size
  int dpi = kDefaultFigureDpi;                            // --dpi N: PNG resolution and PDF raster resolution
  // Limits (engine/core/limits.h): --max-tokens, --max-image-pixels, --max-model-size (K/M/G suffixes: x1024).
  std::int64_t maxTokens = kMaxTokensLimit.defaultValue;
  std::int64_t maxImagePixels = kMaxImagePixelsLimit.defaultValue;
  std::int64_t maxModelBytes = kMaxModelFileBytesLimit.defaultValue;
};

// args: the arguments after the program name. Throws UsageError(where = the option) on anything wrong.
CliCommand parseCommandLine(const std::vector<std::string>& args);

// The --help text.
std::string usageText();

}  // namespace attnviz::cli

// Resource limits a user can see and change: their defaults, the range each may be set to, and the
// option that sets it (the CLI's flags; the GUI's Run > Limits dialog shows the same names and ranges).
// Over a limit a run either stops with a message naming the limit, or is cut and says so in its warnings.
//
//   attnviz::RunOptions o;
//   o.maxTokens = attnviz::checkLimit(attnviz::kMaxTokensLimit, 200, "--max-tokens");  // UsageError if out of range
#pragma once

#include <cstdint>
#include <string>

namespace attnviz {

struct LimitRange {
  const char* option;  // the CLI flag, e.g. "--max-tokens"
  const char* what;    // "tokens per input", for messages and the dialog
  std::int64_t defaultValue;
  std::int64_t min;
  std::int64_t max;
};

// Tokens of one input text (words for han, [CLS]/[SEP] and <eos> included): longer inputs are cut, with a warning.
// A model's own limit (max_position_embeddings, max_source_tokens) applies as well; the smaller one wins.
inline constexpr LimitRange kMaxTokensLimit{"--max-tokens", "tokens per input", 16384, 2, 1'000'000};
// Pixels (width x height) of an image decoded; larger images are refused from their header, before decoding.
inline constexpr LimitRange kMaxImagePixelsLimit{"--max-image-pixels", "image pixels", 64LL << 20, 1, 256LL << 20};
// Bytes of one model file mapped or read (weights, or a zip entry inflated); larger files are refused.
inline constexpr LimitRange kMaxModelFileBytesLimit{"--max-model-size", "bytes of a model file", 8LL << 30, 1LL << 20,
                                                    64LL << 30};
// Cells of an attention map drawn at full detail (one vector rectangle each, values inside where they fit);
// larger maps are drawn as an image, a pixel per cell, and the panel says so. GUI and figures only: the option
// name is the key it is saved under, not a command-line flag.
inline constexpr LimitRange kFullDetailCellsLimit{"--max-full-detail-cells", "attention cells drawn at full detail",
                                                  160 * 160, 0, 1'000'000};

// value if it lies in the range; UsageError(where) naming the range otherwise.
std::int64_t checkLimit(const LimitRange& range, std::int64_t value, const std::string& where);

// "the limit of tokens per input; change it with --max-tokens, or Run > Limits in the GUI", for messages.
std::string limitNote(const LimitRange& range);

// "8 GiB", "64 Mi" style text of a limit's value for messages: bytes as KiB/MiB/GiB, counts with thousands separators.
std::string limitText(const LimitRange& range, std::int64_t value);

}  // namespace attnviz

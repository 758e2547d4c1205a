#include "engine/models/seq2seq/sentencepiece.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>

#include "engine/core/error.h"
#include "engine/core/utf8.h"
#include "engine/io/bytes.h"

namespace attnviz::seq2seq {

namespace {

constexpr float kUnknownPenalty = 10.0f;  // an unknown character scores the lowest NORMAL score minus this
// A user-defined piece scores length x the highest NORMAL score minus this (so it beats any split of itself).
constexpr double kUserDefinedDiscount = 0.1;
constexpr std::string_view kSpaceSymbolBytes = "\xE2\x96\x81";  // U+2581, what a space becomes

const char* modelTypeName(std::int32_t type) {
  switch (type) {
    case 1: return "UNIGRAM";
    case 2: return "BPE";
    case 3: return "WORD";
    case 4: return "CHAR";
    default: return nullptr;
  }
}

// Bytes of the UTF-8 character starting with byte c, as SentencePiece's OneCharLen counts them (a stray
// continuation byte counts 1); normalised text is valid UTF-8, so this only decides where characters start.
std::size_t oneCharLength(unsigned char c) { return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

std::string bytePieceText(unsigned char b) {
  char text[8];
  std::snprintf(text, sizeof text, "<0x%02X>", b);
  return text;
}

// The byte a BYTE piece stands for ("<0x41>" -> 0x41), or -1.
int bytePieceValue(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
  int value = 0;
  for (char c : text.substr(3, 2)) {
    value <<= 4;
    if (c >= '0' && c <= '9') value |= c - '0';
    else if (c >= 'A' && c <= 'F') value |= c - 'A' + 10;
    else return -1;
  }
  return value;
}

}  // namespace

SentencePiece SentencePiece::fromFile(const std::string& path) {
  const Bytes bytes = Bytes::mapFile(path, kMaxSentencePieceFileBytes,
                                     " (a SentencePiece model; real ones are a few MB)");
  return fromBytes(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

SentencePiece SentencePiece::fromBytes(std::string_view bytes, const std::string& label) {
  Bytes::requireSizeAtMost(label, bytes.size(), kMaxSentencePieceFileBytes);
  SentencePieceModelProto proto = readSentencePieceModelProto(bytes, label);
  if (proto.modelType != static_cast<std::int32_t>(SentencePieceModelType::Unigram)) {
    const char* name = modelTypeName(proto.modelType);
    throw ModelFileError(label, "a SentencePiece " + std::string(name ? name : "unknown-type") + " model (model_type " +
                                    std::to_string(proto.modelType) +
                                    "); attnviz reads unigram models only (model_type 1, UNIGRAM)");
  }
  SentencePiece spm;
  spm.label_ = label;
  spm.pieces_ = std::move(proto.pieces);
  spm.byteFallback_ = proto.byteFallback;
  spm.unkSurface_ = proto.unkSurface;
  spm.normalizerName_ = proto.normalizerName;
  spm.normalizerOptions_ = NormalizerOptions{.addDummyPrefix = proto.addDummyPrefix,
                                             .removeExtraWhitespaces = proto.removeExtraWhitespaces,
                                             .escapeWhitespaces = proto.escapeWhitespaces,
                                             .treatWhitespaceAsSuffix = proto.treatWhitespaceAsSuffix};
  spm.charsmap_ = PrecompiledCharsmap(proto.precompiledCharsmap, label + " (normalizer_spec.precompiled_charsmap)");
  spm.checkAndIndex(label);
  const auto idOrNone = [&](std::int32_t id) -> std::int64_t { return id >= 0 && id < spm.size() ? id : -1; };
  spm.bosId_ = idOrNone(proto.bosId);
  spm.eosId_ = idOrNone(proto.eosId);
  spm.padId_ = idOrNone(proto.padId);
  return spm;
}

// The checks SentencePiece makes when it loads a model (ModelInterface::InitializePieces), then the tries.
void SentencePiece::checkAndIndex(const std::string& where) {
  if (pieces_.empty()) throw ModelFileError(where, "the SentencePiece model has no pieces");
  bool anyCandidate = false;
  minScore_ = FLT_MAX;
  maxScore_ = FLT_MIN;  // as SentencePiece starts it (the smallest positive float, not the lowest)
  std::fill(std::begin(byteIds_), std::end(byteIds_), -1);
  std::vector<PieceTrie::Entry> candidates, reserved, userSymbols;
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const auto& p = pieces_[i];
    const auto id = static_cast<std::int32_t>(i);
    const std::string which = "piece " + std::to_string(i);
    if (p.text.empty()) throw ModelFileError(where, which + " is empty; SentencePiece refuses such a model too");
    if (firstInvalidUtf8(p.text))
      throw ModelFileError(where, which + " is not valid UTF-8; the file is corrupt");
    const bool candidate = p.type == PieceType::Normal || p.type == PieceType::UserDefined ||
                           p.type == PieceType::Unused;
    (candidate ? candidates : reserved).push_back({p.text, id});
    anyCandidate = anyCandidate || candidate;
    if (p.type == PieceType::Normal) {
      minScore_ = std::min(minScore_, p.score);
      maxScore_ = std::max(maxScore_, p.score);
    }
    if (p.type == PieceType::UserDefined) userSymbols.push_back({p.text, id});
    if (p.type == PieceType::Unknown) {
      if (unkId_ >= 0)
        throw ModelFileError(where, which + " is a second UNKNOWN piece (the first is " + std::to_string(unkId_) + ")");
      unkId_ = id;
    }
    if (p.type == PieceType::Byte) {
      if (!byteFallback_)
        throw ModelFileError(where, which + " \"" + p.text + "\" is a BYTE piece but trainer_spec.byte_fallback is "
                                    "false; SentencePiece refuses such a model too");
      const int b = bytePieceValue(p.text);
      if (b < 0) throw ModelFileError(where, which + " \"" + p.text + "\" is a BYTE piece not of the form <0xXX>");
      byteIds_[b] = id;
    }
  }
  // SentencePiece keeps the two kinds in two maps: a text may be both a CONTROL and a NORMAL piece, not twice one.
  vocabulary_ = PieceTrie(std::move(candidates));
  reserved_ = PieceTrie(std::move(reserved));
  userSymbols_ = PieceTrie(std::move(userSymbols));
  std::int32_t duplicate = -1;
  for (const PieceTrie* trie : {&vocabulary_, &reserved_})
    if (!trie->duplicateIds().empty() && (duplicate < 0 || trie->duplicateIds().front() < duplicate))
      duplicate = trie->duplicateIds().front();
  if (duplicate >= 0)
    throw ModelFileError(where, "piece " + std::to_string(duplicate) + " \"" +
                                    pieces_[static_cast<std::size_t>(duplicate)].text + "\" is defined twice");
  if (unkId_ < 0) throw ModelFileError(where, "the SentencePiece model has no UNKNOWN piece (<unk>)");
  if (!anyCandidate) throw ModelFileError(where, "the SentencePiece model has no NORMAL or USER_DEFINED piece");
  for (auto& id : byteIds_)
    if (id < 0) id = unkId_;  // SentencePiece's PieceToId of a missing byte piece
}

std::optional<std::int64_t> SentencePiece::pieceId(std::string_view text) const {
  std::int32_t id = reserved_.find(text);  // first, as SentencePiece's PieceToId
  if (id < 0) id = vocabulary_.find(text);
  if (id < 0) return std::nullopt;
  return id;
}

NormalizedText SentencePiece::normalize(std::string_view text, const std::string& origin) const {
  if (const auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "invalid UTF-8 at byte " + std::to_string(*bad) + "; save the text as UTF-8");
  return normalizeForSentencePiece(text, charsmap_, normalizerOptions_, &userSymbols_);
}

Pieces SentencePiece::encode(std::string_view text, const std::string& origin) const {
  const NormalizedText normalized = normalize(text, origin);
  const std::string& s = normalized.text;
  const std::size_t n = s.size();
  Pieces out;
  if (n == 0) return out;

  // best[e]: the best segmentation of s[0, e): its score, and its last piece s[start, e) with that id.
  struct Best {
    float score = 0;
    std::int64_t start = -1;  // -1: no segmentation reaches e yet
    std::int32_t id = -1;
  };
  std::vector<Best> best(n + 1);
  const float unknownScore = minScore_ - kUnknownPenalty;
  for (std::size_t start = 0; start < n;) {
    const float scoreHere = best[start].score;
    const std::size_t charLength = std::min(oneCharLength(static_cast<unsigned char>(s[start])), n - start);
    bool oneCharPiece = false;
    PieceTrie::Node node = PieceTrie::kRoot;
    for (std::size_t end = start; end < n;) {
      if ((node = vocabulary_.child(node, s[end++])) == PieceTrie::kNone) break;
      const std::int32_t id = vocabulary_.value(node);
      if (id < 0) continue;
      const auto& piece = pieces_[static_cast<std::size_t>(id)];
      if (piece.type == PieceType::Unused) continue;
      const std::size_t length = end - start;
      // In double, as SentencePiece's EncodeOptimized computes it (its user-defined score is a double expression),
      // compared with the float it stores.
      const double score = piece.type == PieceType::UserDefined
                               ? static_cast<double>(static_cast<float>(length) * maxScore_) - kUserDefinedDiscount
                               : static_cast<double>(piece.score);
      const double candidate = score + static_cast<double>(scoreHere);
      Best& target = best[end];
      if (target.start < 0 || candidate > static_cast<double>(target.score)) {
        target = {static_cast<float>(candidate), static_cast<std::int64_t>(start), id};
      }
      if (length == charLength) oneCharPiece = true;
    }
    if (!oneCharPiece) {
      const float candidate = unknownScore + scoreHere;
      Best& target = best[start + charLength];
      if (target.start < 0 || candidate > target.score)
        target = {candidate, static_cast<std::int64_t>(start), static_cast<std::int32_t>(unkId_)};
    }
    start += charLength;
  }

  // Backtrack: [start, end) of each piece of the best path, last first.
  struct Step {
    std::size_t start, end;
    std::int32_t id;
  };
  std::vector<Step> path;
  for (std::size_t end = n; end > 0;) {
    const Best& b = best[end];
    if (b.start < 0) throw InternalError(label_, "the SentencePiece lattice has no path to byte " + std::to_string(end));
    path.push_back({static_cast<std::size_t>(b.start), end, b.id});
    end = static_cast<std::size_t>(b.start);
  }
  std::reverse(path.begin(), path.end());

  const auto& toOriginal = normalized.toOriginal;
  bool previousUnknown = false;
  for (const Step& step : path) {
    const bool unknown = step.id == unkId_;
    const ByteSpan span{toOriginal[step.start], toOriginal[step.end]};
    const std::string_view pieceText = std::string_view(s).substr(step.start, step.end - step.start);
    if (unknown && byteFallback_) {
      // One <0xXX> piece per byte; the last holds the span, the others an empty span at its start.
      for (std::size_t k = 0; k < pieceText.size(); ++k) {
        const auto b = static_cast<unsigned char>(pieceText[k]);
        out.pieces.push_back(bytePieceText(b));
        out.pieceIds.push_back(byteIds_[b]);
        out.byteOffsets.push_back(k + 1 == pieceText.size() ? span : ByteSpan{span.begin, span.begin});
      }
    } else if (unknown && previousUnknown) {
      out.pieces.back() += pieceText;  // a run of unknown characters is one piece
      out.byteOffsets.back().end = span.end;
    } else {
      out.pieces.emplace_back(pieceText);
      out.pieceIds.push_back(step.id);
      out.byteOffsets.push_back(span);
    }
    previousUnknown = unknown;
  }
  return out;
}

// Decoding state: the text so far, the bytes of a run of BYTE pieces, whether nothing visible was written yet.
struct SentencePiece::Decoder {
  const SentencePiece& spm;
  std::string out;
  std::string bytes;
  bool atStart = true;

  void flushBytes() {
    if (bytes.empty()) return;
    for (std::size_t i = 0; i < bytes.size();) {
      std::size_t length = std::min(oneCharLength(static_cast<unsigned char>(bytes[i])), bytes.size() - i);
      if (firstInvalidUtf8(std::string_view(bytes).substr(i, length))) {
        out += "\xEF\xBF\xBD";  // U+FFFD for this byte alone
        length = 1;
      } else {
        out.append(bytes, i, length);
      }
      i += length;
    }
    bytes.clear();
    atStart = false;
  }

  void add(std::string_view text, std::int64_t id) {
    const PieceType type = spm.type(id);
    if (type == PieceType::Byte) {
      bytes += static_cast<char>(bytePieceValue(spm.piece(id)));
      return;
    }
    flushBytes();
    if (type == PieceType::Control) return;
    std::string surface;
    if (type == PieceType::Unknown) {
      surface = text == spm.piece(id) ? spm.unkSurface_ : std::string(text);
    } else {
      bool droppedSpace = false;
      if (atStart && (spm.normalizerOptions_.addDummyPrefix || spm.normalizerOptions_.removeExtraWhitespaces) &&
          text.substr(0, kSpaceSymbolBytes.size()) == kSpaceSymbolBytes) {
        text.remove_prefix(kSpaceSymbolBytes.size());
        // With remove_extra_whitespaces every leading space goes, so the start lasts until something is written.
        droppedSpace = !spm.normalizerOptions_.removeExtraWhitespaces;
      }
      for (std::size_t i = 0; i < text.size();) {
        if (text.substr(i, kSpaceSymbolBytes.size()) == kSpaceSymbolBytes) {
          surface += ' ';
          i += kSpaceSymbolBytes.size();
        } else {
          surface += text[i++];
        }
      }
      if (droppedSpace) atStart = false;
    }
    if (!surface.empty()) atStart = false;
    out += surface;
  }
};

std::string SentencePiece::decode(const std::vector<std::int64_t>& ids, const std::string& origin) const {
  Decoder decoder{*this};
  for (std::int64_t id : ids) {
    if (id < 0 || id >= size())
      throw InputError(origin, "piece id " + std::to_string(id) + " is outside the vocabulary of " + label_ + " (0.." +
                                   std::to_string(size() - 1) + ")");
    decoder.add(piece(id), id);
  }
  decoder.flushBytes();
  return decoder.out;
}

std::string SentencePiece::decodePieces(const std::vector<std::string>& pieces) const {
  Decoder decoder{*this};
  for (const std::string& text : pieces) decoder.add(text, pieceId(text).value_or(unkId_));
  decoder.flushBytes();
  return decoder.out;
}

}  // namespace attnviz::seq2seq

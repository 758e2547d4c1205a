// The SentencePiece pieces on hand-made bytes: the protobuf wire-format reader, the precompiled charsmap (a
// double-array trie built by hand), the normaliser's whitespace rules and byte map, the unigram lattice's choices
// (scores, ties, unknowns, user-defined and unused pieces) and every refusal of a hostile file. Conformance with
// python3-sentencepiece on real text is test_sentencepiece_conformance.cpp.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/precompiled_charsmap.h"
#include "engine/io/protobuf_reader.h"
#include "engine/models/seq2seq/sentencepiece.h"

namespace fs = std::filesystem;
using attnviz::InputError;
using attnviz::ModelFileError;
using attnviz::PrecompiledCharsmap;
using attnviz::io::ProtobufField;
using attnviz::io::ProtobufReader;
using attnviz::io::WireType;
using attnviz::seq2seq::ByteSpan;
using attnviz::seq2seq::NormalizerOptions;
using attnviz::seq2seq::SentencePiece;

namespace {

const fs::path kFixtures = fs::path(ATTNVIZ_TEST_DATA) / "sentencepiece";

// --- a protobuf writer for the tests' hand-made messages ---
std::string varint(std::uint64_t v) {
  std::string out;
  do {
    out += static_cast<char>((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return out;
}
std::string tag(std::uint32_t number, int wireType) { return varint((static_cast<std::uint64_t>(number) << 3) | wireType); }
std::string varintField(std::uint32_t number, std::uint64_t v) { return tag(number, 0) + varint(v); }
std::string bytesField(std::uint32_t number, const std::string& payload) {
  return tag(number, 2) + varint(payload.size()) + payload;
}
std::string floatField(std::uint32_t number, float f) {
  std::string out = tag(number, 5);
  char b[4];
  std::memcpy(b, &f, 4);
  return out + std::string(b, 4);
}

// type: 1 NORMAL, 2 UNKNOWN, 3 CONTROL, 4 USER_DEFINED, 5 UNUSED, 6 BYTE
std::string piece(const std::string& text, float score, int type = 1) {
  return bytesField(1, bytesField(1, text) + floatField(2, score) + varintField(3, type));
}
// A unigram model: <unk> first, then `pieces`; the identity normaliser with the usual whitespace rules.
std::string model(const std::string& pieces, const std::string& trainerExtra = {},
                  const std::string& normalizer = varintField(3, 1)) {
  return piece("<unk>", 0, 2) + pieces + bytesField(2, varintField(3, 1) + trainerExtra) + bytesField(3, normalizer);
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

template <typename F>
std::string modelFileMessage(F&& f) {
  try {
    f();
  } catch (const ModelFileError& e) {
    return e.message();
  }
  return "(no ModelFileError)";
}

// --- a hand-built Darts-clone double array for the rules "a" -> "x", "ab" -> "yz" ---
// unit = offset << 10 | has_leaf << 8 | label; a value unit = 1 << 31 | value. The child of node n for byte b is at
// n ^ offset(n) ^ b; a leaf's value sits at n ^ offset(n). Children lie in 256-unit blocks (as Darts-clone
// allocates them), so any byte XORed into a base stays inside the array: 512 units.
std::vector<std::uint32_t> handMadeTrie() {
  std::vector<std::uint32_t> units(512, 0);
  units[0] = 1u << 10;                                  // root: children around 0 ^ 1 = 1
  units[1 ^ 'a'] = ((96u ^ 128u) << 10) | (1u << 8) | 'a';  // node 96 = 1 ^ 'a'; children around 128; "a" ends here
  units[128] = (1u << 31) | 0;                          // value of "a": replacement at byte 0
  units[128 ^ 'b'] = ((226u ^ 256u) << 10) | (1u << 8) | 'b';  // node 226; children around 256; "ab" ends here
  units[256] = (1u << 31) | 2;                          // value of "ab": replacement at byte 2
  return units;
}
std::string charsmapBlob(const std::vector<std::uint32_t>& units, const std::string& replacements) {
  const auto size = static_cast<std::uint32_t>(units.size() * 4);
  std::string blob(reinterpret_cast<const char*>(&size), 4);
  blob.append(reinterpret_cast<const char*>(units.data()), units.size() * 4);
  return blob + replacements;
}
const std::string kReplacements("x\0yz\0", 5);

}  // namespace

// ---------------------------------------------------------------- protobuf reader

TEST(ProtobufReader, ReadsEveryWireTypeAndNestedMessages) {
  const std::string inner = varintField(1, 300) + floatField(2, -1.5f);
  const std::string bytes = varintField(1, 150) + tag(2, 1) + std::string(8, '\x01') + bytesField(3, "hello") +
                            bytesField(4, inner) + varintField(5, 0xFFFFFFFFFFFFFFFFull);
  ProtobufReader r(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "hand.pb");
  ProtobufField f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.number, 1u);
  EXPECT_EQ(r.int32(f, "a"), 150);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.type, WireType::Fixed64);
  EXPECT_EQ(f.value, 0x0101010101010101ull);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(r.bytes(f, "c"), "hello");
  ASSERT_TRUE(r.next(f));
  ProtobufReader child = r.child(f, "d");
  ProtobufField g;
  ASSERT_TRUE(child.next(g));
  EXPECT_EQ(child.int32(g, "d.a"), 300);
  ASSERT_TRUE(child.next(g));
  EXPECT_EQ(child.float32(g, "d.b"), -1.5f);
  EXPECT_FALSE(child.next(g));
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f.value, 0xFFFFFFFFFFFFFFFFull);  // 10-byte varint
  EXPECT_EQ(r.int32(f, "e"), -1);             // int32 keeps the low 32 bits, as protobuf does
  EXPECT_FALSE(r.next(f));
}

TEST(ProtobufReader, RefusesMalformedBytesWithTheOffset) {
  // Reads every field; with `nested`, every length-delimited field as a message, recursively.
  auto readAll = [](auto& self, ProtobufReader& r, bool nested) -> void {
    ProtobufField f;
    while (r.next(f))
      if (nested && f.type == WireType::Bytes) {
        ProtobufReader c = r.child(f, "inner");
        self(self, c, nested);
      }
  };
  auto message = [&](const std::string& bytes, bool nested = false) {
    return modelFileMessage([&] {
      ProtobufReader r(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "bad.pb");
      readAll(readAll, r, nested);
    });
  };
  EXPECT_EQ(message(varintField(1, 5) + "\x08\x96"),  // the value's varint starts at byte 3
            "bad.pb: malformed protobuf at byte 3: the message ends inside a varint (a varint field); the file is "
            "truncated or not what it claims to be");
  EXPECT_NE(message("\x08" + std::string(10, '\xff') + "\x01").find("a varint longer than 10 bytes"),
            std::string::npos);
  EXPECT_NE(message(tag(1, 2) + varint(100) + "short").find("field 1 claims 100 bytes but its message has 5 bytes "
                                                             "left"),
            std::string::npos);
  EXPECT_NE(message(tag(1, 2) + varint(0xFFFFFFFFFFFFull) + "x").find("claims"), std::string::npos);
  EXPECT_NE(message(tag(1, 3)).find("a group"), std::string::npos);
  EXPECT_NE(message(tag(1, 7)).find("wire type 7 (no such type)"), std::string::npos);
  EXPECT_NE(message(std::string("\x00", 1)).find("field number 0"), std::string::npos);
  EXPECT_NE(message(tag(1, 5) + "ab").find("32-bit field runs past"), std::string::npos);
  EXPECT_NE(message(tag(1, 1) + "abcdefg").find("64-bit field runs past"), std::string::npos);
  // A truncated nested message (its tag at byte 4, its missing value at 5): the offset counts from the outermost
  // message.
  EXPECT_EQ(message(varintField(9, 1) + bytesField(2, "\x08"), true),
            "bad.pb: malformed protobuf at byte 5: the message ends inside a varint (a varint field); the file is "
            "truncated or not what it claims to be");
  // Nesting beyond the limit.
  std::string deep = varintField(1, 1);
  for (int i = 0; i < attnviz::io::kMaxProtobufDepth + 1; ++i) deep = bytesField(1, deep);
  EXPECT_NE(message(deep, true).find("nests messages deeper than 16 levels"), std::string::npos);
}

TEST(ProtobufReader, AWrongWireTypeForAKnownFieldIsNamed) {
  const std::string bytes = bytesField(3, "x");
  ProtobufReader r(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "m.pb");
  ProtobufField f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(modelFileMessage([&] { r.int32(f, "TrainerSpec.model_type"); }),
            "m.pb: malformed protobuf at byte 0: TrainerSpec.model_type (field 3) should be varint but is "
            "length-delimited; the file is not what it claims to be");
}

// ---------------------------------------------------------------- precompiled charsmap

TEST(PrecompiledCharsmap, LongestRuleThenOneCharacterThenReplacementCharacter) {
  const PrecompiledCharsmap rules(charsmapBlob(handMadeTrie(), kReplacements), "hand");
  auto m = rules.longestPrefix("abc");
  EXPECT_EQ(m.length, 2u);
  EXPECT_EQ(m.replacement, "yz");
  m = rules.longestPrefix("ac");
  EXPECT_EQ(m.length, 1u);
  EXPECT_EQ(m.replacement, "x");
  EXPECT_EQ(rules.longestPrefix("ba").length, 0u);
  EXPECT_EQ(rules.longestPrefix("").length, 0u);
  auto s = rules.normalizePrefix("\xC3\xA9t\xC3\xA9");  // é: no rule, one character copied
  EXPECT_EQ(s.replacement, "\xC3\xA9");
  EXPECT_EQ(s.consumed, 2u);
  s = rules.normalizePrefix("\xFFok");  // a malformed byte: U+FFFD for that byte alone
  EXPECT_EQ(s.replacement, "\xEF\xBF\xBD");
  EXPECT_EQ(s.consumed, 1u);
  s = rules.normalizePrefix("\xE2\x82");  // a truncated character: the same
  EXPECT_EQ(s.consumed, 1u);
  const PrecompiledCharsmap none;
  EXPECT_EQ(none.normalizePrefix("abc").replacement, "a");
}

TEST(PrecompiledCharsmap, TheFixtureModelsNmtNfkcRules) {
  // The charsmap python3-sentencepiece wrote into the fixture model, read through the model file.
  const SentencePiece spm = SentencePiece::fromFile((kFixtures / "hansards-unigram.model").string());
  EXPECT_EQ(spm.normalizerName(), "nmt_nfkc");
  const auto normalized = [&](const std::string& text) { return spm.normalize(text, "test").text; };
  EXPECT_EQ(normalized("\xEF\xAC\x81"), "\xE2\x96\x81" "fi");                      // ﬁ
  EXPECT_EQ(normalized("\xEF\xBC\xA1\xEF\xBD\x82"), "\xE2\x96\x81" "Ab");          // Ａｂ
  EXPECT_EQ(normalized("a\xC2\xA0\xC2\xA0" "b"), "\xE2\x96\x81" "a\xE2\x96\x81" "b");  // NBSPs: one space
  EXPECT_EQ(normalized("e\xCC\x81"), "\xE2\x96\x81\xC3\xA9");                     // e + combining acute: é
  EXPECT_EQ(normalized("\xE2\x91\xA0"), "\xE2\x96\x81" "1");                        // ①
}

TEST(PrecompiledCharsmap, CorruptBlobsAreRefusedNeverReadOutside) {
  const std::string good = charsmapBlob(handMadeTrie(), kReplacements);
  EXPECT_NE(modelFileMessage([] { PrecompiledCharsmap("\x04\x00", "c"); }).find("too few for its trie size"),
            std::string::npos);
  std::string sizeTooBig = good;
  sizeTooBig[1] = '\x7f';
  EXPECT_NE(modelFileMessage([&] { PrecompiledCharsmap(sizeTooBig, "c"); }).find("does not fit"), std::string::npos);
  EXPECT_NE(modelFileMessage([&] { PrecompiledCharsmap(charsmapBlob(handMadeTrie(), std::string("x\0\xff\0", 4)), "c"); })
                .find("is not valid UTF-8"),
            std::string::npos);

  // A trie index out of range: the root's offset points past the 512 units.
  auto units = handMadeTrie();
  units[0] = 1000u << 10;
  const PrecompiledCharsmap outside(charsmapBlob(units, kReplacements), "c");
  EXPECT_EQ(modelFileMessage([&] { outside.longestPrefix("a"); }),
            "c: the precompiled charsmap's trie points at unit 905 of 512; the model file is corrupt (re-save it "
            "with SentencePiece)");
  // A value past the replacement strings, and one whose string has no NUL.
  units = handMadeTrie();
  units[128] = (1u << 31) | 99;
  EXPECT_NE(modelFileMessage([&] { PrecompiledCharsmap(charsmapBlob(units, kReplacements), "c").longestPrefix("a"); })
                .find("points at byte 99 of 5 bytes"),
            std::string::npos);
  EXPECT_NE(modelFileMessage([&] { PrecompiledCharsmap(charsmapBlob(handMadeTrie(), std::string("x\0yz", 4)), "c").longestPrefix("ab"); })
                .find("no terminating NUL"),
            std::string::npos);
}

// ---------------------------------------------------------------- normaliser

TEST(SentencePieceNormalizer, WhitespaceRulesAndTheByteMap) {
  const PrecompiledCharsmap rules(charsmapBlob(handMadeTrie(), kReplacements), "hand");
  using attnviz::seq2seq::normalizeForSentencePiece;
  // Defaults: leading/trailing spaces dropped, runs collapsed, a dummy "▁" in front, spaces escaped.
  auto n = normalizeForSentencePiece("  ab  c ", rules, NormalizerOptions{}, nullptr);
  EXPECT_EQ(n.text, "\xE2\x96\x81yz\xE2\x96\x81" "c");
  // ▁ (3 bytes, from input byte 2) y z (both from "ab" at 2) ▁ (from the first space at 4) c (7); end 8
  EXPECT_EQ(n.toOriginal, (std::vector<std::size_t>{2, 2, 2, 2, 2, 4, 4, 4, 6, 7}));
  // Everything kept.
  n = normalizeForSentencePiece(" a  c", rules, NormalizerOptions{false, false, false, false}, nullptr);
  EXPECT_EQ(n.text, " x  c");
  EXPECT_EQ(n.toOriginal, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  // Only spaces: nothing, ending after them.
  n = normalizeForSentencePiece("   ", rules, NormalizerOptions{}, nullptr);
  EXPECT_EQ(n.text, "");
  EXPECT_EQ(n.toOriginal, (std::vector<std::size_t>{3}));
  // A user-defined symbol is matched before the rules and kept as it is.
  const attnviz::seq2seq::PieceTrie symbols({{"ab", 7}});
  n = normalizeForSentencePiece("ab a", rules, NormalizerOptions{}, &symbols);
  EXPECT_EQ(n.text, "\xE2\x96\x81" "ab\xE2\x96\x81x");
}

// ---------------------------------------------------------------- the unigram lattice

TEST(SentencePieceEncode, BestPathUnknownRunsUserDefinedAndUnusedPieces) {
  // ids: 0 <unk>, 1 ▁, 2 a, 3 b, 4 ab (better than a + b), 5 ▁ab (worse than ▁ + ab), 6 c (unused), 7 <x> (user)
  const std::string bytes = model(piece("\xE2\x96\x81", -1) + piece("a", -2) + piece("b", -2) + piece("ab", -3) +
                                  piece("\xE2\x96\x81" "ab", -4.5f) + piece("c", -1, 5) + piece("<x>", 0, 4));
  const SentencePiece spm = SentencePiece::fromBytes(bytes, "hand.model");
  auto p = spm.encode("ab", "t");
  EXPECT_EQ(p.pieces, (std::vector<std::string>{"\xE2\x96\x81", "ab"}));  // -1 + -3 beats -4.5
  EXPECT_EQ(p.pieceIds, (std::vector<std::int64_t>{1, 4}));
  EXPECT_EQ(p.byteOffsets, (std::vector<ByteSpan>{{0, 0}, {0, 2}}));
  // c is UNUSED: never chosen; "cc" and "€" are unknown characters and a run of them is one piece.
  p = spm.encode("acc\xE2\x82\xAC" "b", "t");
  EXPECT_EQ(p.pieces, (std::vector<std::string>{"\xE2\x96\x81", "a", "cc\xE2\x82\xAC", "b"}));
  EXPECT_EQ(p.pieceIds, (std::vector<std::int64_t>{1, 2, 0, 3}));
  EXPECT_EQ(p.byteOffsets, (std::vector<ByteSpan>{{0, 0}, {0, 1}, {1, 6}, {6, 7}}));
  // A user-defined piece wins over any split of it and is not normalised.
  p = spm.encode("<x>a", "t");
  EXPECT_EQ(p.pieceIds, (std::vector<std::int64_t>{1, 7, 2}));
  EXPECT_EQ(spm.pieceId("<x>"), 7);
  EXPECT_EQ(spm.pieceId("<unk>"), 0);
  EXPECT_FALSE(spm.pieceId("zzz").has_value());
  EXPECT_TRUE(spm.encode("", "t").pieces.empty());
  EXPECT_TRUE(spm.encode(" \t", "t").pieces.size() == 2);  // the identity rules keep a tab: "▁" "\t" (unknown)
}

TEST(SentencePieceEncode, TiesKeepTheEarlierCandidate) {
  // "ab" as ▁ab (-2) or ▁a + b (-1 + -1): equal; ▁ab is found first at its end position and kept.
  const SentencePiece spm = SentencePiece::fromBytes(
      model(piece("\xE2\x96\x81" "a", -1) + piece("b", -1) + piece("\xE2\x96\x81" "ab", -2)), "tie.model");
  EXPECT_EQ(spm.encode("ab", "t").pieceIds, (std::vector<std::int64_t>{3}));
}

TEST(SentencePieceEncode, ByteFallbackSpellsUnknownsAsBytes) {
  std::string pieces = piece("a", -1);
  for (int b : {0xE2, 0x82, 0xAC}) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    pieces += piece(name, 0, 6);
  }
  const SentencePiece spm = SentencePiece::fromBytes(model(pieces, varintField(35, 1), varintField(3, 0)), "b.model");
  const auto p = spm.encode("a\xE2\x82\xAC\xE2\x82\xAC", "t");  // a € €: no dummy prefix
  EXPECT_EQ(p.pieces, (std::vector<std::string>{"a", "<0xE2>", "<0x82>", "<0xAC>", "<0xE2>", "<0x82>", "<0xAC>"}));
  EXPECT_EQ(p.pieceIds, (std::vector<std::int64_t>{1, 2, 3, 4, 2, 3, 4}));
  EXPECT_EQ(p.byteOffsets, (std::vector<ByteSpan>{{0, 1}, {1, 1}, {1, 1}, {1, 4}, {4, 4}, {4, 4}, {4, 7}}));
}

TEST(SentencePieceEncode, InvalidUtf8IsOneInputError) {
  const SentencePiece spm = SentencePiece::fromBytes(model(piece("a", -1)), "m");
  try {
    spm.encode("ab\xC3(", "typed text");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.message(), "typed text: invalid UTF-8 at byte 2; save the text as UTF-8");
  }
}

// ---------------------------------------------------------------- hostile and wrong model files

TEST(SentencePieceFile, NonUnigramModelsAreRefusedByName) {
  // A second trainer_spec merges into the first, as protobuf does: model_type becomes BPE.
  const std::string bpe = readFile(kFixtures / "hansards-unigram.model") + bytesField(2, varintField(3, 2));
  EXPECT_EQ(modelFileMessage([&] { SentencePiece::fromBytes(bpe, "target.spm"); }),
            "target.spm: a SentencePiece BPE model (model_type 2); attnviz reads unigram models only (model_type 1, "
            "UNIGRAM)");
  EXPECT_NE(modelFileMessage([&] { SentencePiece::fromBytes(model("", "") + bytesField(2, varintField(3, 4)), "m"); })
                .find("a SentencePiece CHAR model"),
            std::string::npos);
  EXPECT_NE(modelFileMessage([&] { SentencePiece::fromBytes(model("") + bytesField(2, varintField(3, 9)), "m"); })
                .find("unknown-type model (model_type 9)"),
            std::string::npos);
}

TEST(SentencePieceFile, BrokenVocabulariesAreRefused) {
  auto message = [](const std::string& bytes) { return modelFileMessage([&] { SentencePiece::fromBytes(bytes, "m"); }); };
  EXPECT_EQ(message(piece("a", -1) + bytesField(2, varintField(3, 1))),
            "m: the SentencePiece model has no UNKNOWN piece (<unk>)");
  EXPECT_NE(message(model(piece("<unk2>", 0, 2))).find("piece 1 is a second UNKNOWN piece"), std::string::npos);
  EXPECT_NE(message(model(piece("", -1))).find("piece 1 is empty"), std::string::npos);
  EXPECT_NE(message(model(piece("a", -1) + piece("a", -2))).find("piece 2 \"a\" is defined twice"), std::string::npos);
  EXPECT_NE(message(model(piece("<0x41>", 0, 6))).find("byte_fallback is false"), std::string::npos);
  EXPECT_NE(message(model(piece("<0xZZ>", 0, 6), varintField(35, 1))).find("not of the form <0xXX>"),
            std::string::npos);
  EXPECT_NE(message(model(piece("a", -1, 9))).find("has type 9"), std::string::npos);
  EXPECT_NE(message(model(piece("\xff", -1))).find("not valid UTF-8"), std::string::npos);
  EXPECT_EQ(message(""), "m: the SentencePiece model has no pieces");
  EXPECT_NE(message(model("", "", bytesField(2, std::string("\x10\0\0\0", 4)))).find("precompiled charsmap"),
            std::string::npos);
}

TEST(SentencePieceFile, EveryTruncationOfARealModelIsAClearError) {
  const std::string bytes = readFile(kFixtures / "bytes-identity.model");
  ASSERT_GT(bytes.size(), 1000u);
  int refused = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    try {
      SentencePiece::fromBytes(std::string_view(bytes).substr(0, n), "cut.model");
    } catch (const ModelFileError& e) {
      ++refused;
      EXPECT_EQ(e.where(), "cut.model");
    }
  }
  // A cut between two whole fields is a well-formed shorter message: the cuts before the trainer spec lack it (and
  // are then read as unigram by default) or lack <unk>; only those may load.
  EXPECT_GT(refused, static_cast<int>(bytes.size()) * 9 / 10);
}

TEST(SentencePieceFile, ACorruptTrieInAModelIsRefusedAtEncode) {
  auto units = handMadeTrie();
  units[1 ^ 'a'] = (5000u << 10) | (1u << 8) | 'a';  // "a"'s children point far outside
  const std::string bytes = model(piece("\xE2\x96\x81", -1) + piece("a", -1), "",
                                  bytesField(2, charsmapBlob(units, kReplacements)));
  const SentencePiece spm = SentencePiece::fromBytes(bytes, "bad-trie.model");
  EXPECT_NE(modelFileMessage([&] { spm.encode("ab", "t"); })
                .find("bad-trie.model (normalizer_spec.precompiled_charsmap): the precompiled charsmap's trie points "
                      "at unit"),
            std::string::npos);
}

TEST(SentencePieceFile, FromFileNamesAMissingFile) {
  EXPECT_NE(modelFileMessage([] { SentencePiece::fromFile("/nonexistent/source.spm"); }).find("/nonexistent/source.spm"),
            std::string::npos);
}

TEST(SentencePieceEncode, TheHeadersExample) {
  const SentencePiece spm = SentencePiece::fromFile((kFixtures / "hansards-unigram.model").string());
  const auto p = spm.encode("Le \xEF\xAC\x81lm \xC3\xA9tait  tr\xC3\xA8s bien.", "typed text");
  EXPECT_EQ(p.pieces, (std::vector<std::string>{"\xE2\x96\x81Le", "\xE2\x96\x81" "fil", "m", "\xE2\x96\x81\xC3\xA9tai",
                                                "t", "\xE2\x96\x81tr\xC3\xA8s", "\xE2\x96\x81" "bien", "."}));
  EXPECT_EQ(p.pieceIds, (std::vector<std::int64_t>{194, 1360, 61, 229, 12, 220, 218, 27}));
  EXPECT_EQ(p.byteOffsets,
            (std::vector<ByteSpan>{{0, 2}, {2, 7}, {7, 8}, {8, 14}, {14, 15}, {15, 22}, {22, 27}, {27, 28}}));
  EXPECT_EQ(spm.decode(p.pieceIds, "ids"), "Le film \xC3\xA9tait tr\xC3\xA8s bien.");
}

TEST(PieceTrie, FindsEveryKeyAndPrefixWalk) {
  const attnviz::seq2seq::PieceTrie trie({{"b", 1}, {"abc", 2}, {"a", 3}, {"ab", 4}, {"a", 5}, {"\xff\x01", 6}});
  EXPECT_EQ(trie.find("a"), 3);  // "a" twice: the lowest id stays, the other is a duplicate
  EXPECT_EQ(trie.duplicateIds(), (std::vector<std::int32_t>{5}));
  EXPECT_EQ(trie.find("ab"), 4);
  EXPECT_EQ(trie.find("abc"), 2);
  EXPECT_EQ(trie.find("b"), 1);
  EXPECT_EQ(trie.find("\xff\x01"), 6);
  EXPECT_EQ(trie.find("abcd"), -1);
  EXPECT_EQ(trie.find("c"), -1);
  EXPECT_EQ(trie.find(""), -1);
  std::vector<std::int32_t> walk;
  attnviz::seq2seq::PieceTrie::Node n = attnviz::seq2seq::PieceTrie::kRoot;
  for (char c : std::string("abcx")) {
    if ((n = trie.child(n, c)) == attnviz::seq2seq::PieceTrie::kNone) break;
    walk.push_back(trie.value(n));
  }
  EXPECT_EQ(walk, (std::vector<std::int32_t>{3, 4, 2}));
  EXPECT_EQ(trie.nodeCount(), 7u);  // root, a, ab, abc, b, \xff, \xff\x01
}

TEST(SentencePieceDecode, AnIdOutsideTheVocabularyIsOneInputError) {
  const SentencePiece spm = SentencePiece::fromBytes(model(piece("\xE2\x96\x81" "a", -1)), "m");
  EXPECT_EQ(spm.decode({1, 0}, "ids"), "a \xE2\x81\x87 ");  // the unknown piece is unk_surface, " ⁇ "
  try {
    spm.decode({1, 2}, "--token-ids");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.message(), "--token-ids: piece id 2 is outside the vocabulary of m (0..1)");
  }
}

TEST(SentencePieceFile, TooManyPiecesAreRefusedWhileReading) {
  std::string bytes;
  const std::string onePiece = bytesField(1, "");  // an empty SentencePiece message: 2 bytes
  for (std::size_t i = 0; i <= attnviz::seq2seq::kMaxSentencePieces; ++i) bytes += onePiece;
  EXPECT_NE(modelFileMessage([&] { SentencePiece::fromBytes(bytes, "many.model"); }).find("more than 2097152 pieces"),
            std::string::npos);
}

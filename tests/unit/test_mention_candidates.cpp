// Mention detection for the coreference pointer (engine/models/encoder/mention_candidates.h), on hand-made
// tokenizations: words after a determiner, capitalised words inside a sentence (not at its start), never
// pronouns, determiners, punctuation or [UNK]; every piece of a mention word is flagged.
#include <gtest/gtest.h>

#include "engine/models/encoder/mention_candidates.h"
#include "engine/models/encoder/wordpiece_tokenizer.h"

namespace {

std::vector<bool> mentions(const std::string& text) {
  const attnviz::WordPieceTokenizer tok({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "animal", "it", "was", "tired", ".",
                                         "saw", "kathleen", "nott", "ani", "##mal", "her", "café", "cafe", "and"},
                                        attnviz::WordPieceOptions{}, "vocab");
  const attnviz::TokenizedText t = tok.encode(text, 64, "t");
  return attnviz::mentionTokens(t, text, {"it", "her"}, {"the", "her"}, "[UNK]");
}

}  // namespace

TEST(MentionCandidates, AfterDeterminersAndCapitalisedInsideASentence) {
  // [CLS] the animal was tired . kathleen saw nott and her cafe [SEP]
  const std::vector<bool> m = mentions("The animal was tired. Kathleen saw Nott and her café");
  EXPECT_EQ(m, (std::vector<bool>{false, false, true, false, false, false, false, false, true, false, false, true, false}));
}

TEST(MentionCandidates, PiecesOfAWordShareItAndUnknownWordsAreNot) {
  // "the xyzzy" is [UNK]; "the Animalmal" is two pieces (animal ##mal): both flagged.
  const std::vector<bool> m = mentions("It saw the xyzzy and the Animalmal");
  // [CLS] it saw the [UNK] and the animal ##mal [SEP]
  EXPECT_EQ(m, (std::vector<bool>{false, false, false, false, false, false, false, true, true, false}));
}

// The coreference pointer head of encoders (EncoderParts::coreference) on tests/data/tiny-hf-coref, a random
// BertModel with the head, against the links PyTorch computed (tests/data/make_tiny_hf_bert.py write_coref):
// the same pronoun and antecedent tokens, scores within 1e-4, antecedent text as the whole written word; and
// the coreference head from config.json in the model info.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/api/model.h"

namespace {

const std::string kData = ATTNVIZ_TEST_DATA;

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, separator);) out.push_back(field);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

TEST(HfCoreferenceGolden, LinksMatchPyTorch) {
  const auto model = attnviz::loadModel(kData + "/tiny-hf-coref");
  ASSERT_TRUE(model->info().coreferenceHead.has_value());
  EXPECT_EQ(*model->info().coreferenceHead, std::make_pair(1, 0));
  std::ifstream in(kData + "/tiny-hf-golden/coref.tsv");
  int cases = 0, links = 0;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> fields = split(line, '\t');
    const attnviz::Trace t = model->run(attnviz::Input::fromText(fields[0], "case"), {});
    const auto& got = t.prediction.coreference;
    ASSERT_EQ(got.size(), fields.size() - 1) << fields[0];
    for (std::size_t k = 1; k < fields.size(); ++k) {
      std::istringstream expected(fields[k]);
      std::int64_t pronoun = 0, antecedent = 0;
      float score = 0;
      std::string pronounText, antecedentText;
      expected >> pronoun >> antecedent >> score >> pronounText >> antecedentText;
      const attnviz::CoreferenceLink& link = got[k - 1];
      EXPECT_EQ(link.pronoun, pronoun) << fields[0];
      EXPECT_EQ(link.antecedent, antecedent) << fields[0];
      EXPECT_NEAR(link.score, score, 1e-4) << fields[0];
      EXPECT_EQ(link.pronounText, pronounText);
      EXPECT_EQ(lower(link.antecedentText), antecedentText);  // as written; the reference has the lowercased pieces
      ++links;
    }
    ++cases;
  }
  EXPECT_EQ(cases, 3);
  EXPECT_EQ(links, 3);
}

TEST(HfCoreferenceGolden, AntecedentTextIsTheWholeWordAsWritten) {
  const auto model = attnviz::loadModel(kData + "/tiny-hf-coref");
  const attnviz::Trace t =
      model->run(attnviz::Input::fromText("Quickly walking PLAYERS played because IT was tired and it walked.", "t"), {});
  ASSERT_EQ(t.prediction.coreference.size(), 2u);
  EXPECT_EQ(t.prediction.coreference[0].pronounText, "IT");
  EXPECT_EQ(t.prediction.coreference[0].antecedentText, "PLAYERS");  // play ##er ##s, as written
}

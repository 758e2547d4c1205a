// The statistical aligner (engine/models/aligner) against its plain numpy reference, models/aligner/reference.py,
// on the toy corpus tests/data/aligner/toy.{en,fr}: the corpus filter's counts and words, the tension, every entry
// of the t-table and every pair's posteriors p(a_j = i | e, f) within 1e-4, after 5 Model 1 and 5 diagonal EM
// iterations; then the same posteriors through a written package, loaded and run as a model (cross [T][S]).
// Regenerate the golden file with /usr/bin/python3 models/aligner/reference.py.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unistd.h>

#include "engine/api/model.h"
#include "engine/core/error.h"
#include "engine/models/aligner/aligner_package.h"
#include "engine/models/aligner/ibm_training.h"
#include "engine/models/aligner/parallel_corpus.h"

namespace {

namespace fs = std::filesystem;
using namespace attnviz;
using namespace attnviz::aligner;

constexpr double kTolerance = 1e-4;
const std::string kData = std::string(ATTNVIZ_TEST_DATA) + "/aligner";

QJsonObject expected() {
  QFile file(QString::fromStdString(kData + "/toy_expected.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).object();
}

std::vector<std::string> strings(const QJsonArray& a) {
  std::vector<std::string> out;
  for (const auto& v : a) out.push_back(v.toString().toStdString());
  return out;
}

struct Trained {
  ParallelCorpus corpus;
  TrainedAligner aligner;
};

const Trained& trained() {
  static const Trained t = [] {
    Trained out;
    out.corpus = readParallelCorpus(kData + "/toy.en", kData + "/toy.fr");
    out.aligner = trainAligner(out.corpus, {.model1Iterations = 5, .diagonalIterations = 5});
    return out;
  }();
  return t;
}

TEST(AlignerGolden, CorpusFilterAndWordsAreTheReferences) {
  const QJsonObject e = expected();
  ASSERT_FALSE(e.isEmpty()) << "tests/data/aligner/toy_expected.json missing: run models/aligner/reference.py";
  const CorpusCounts& c = trained().corpus.counts;
  const QJsonObject counts = e["counts"].toObject();
  EXPECT_EQ(c.read, counts["read"].toInt());
  EXPECT_EQ(c.kept, counts["kept"].toInt());
  EXPECT_EQ(c.droppedLengthOrRatio, counts["dropped_length_or_ratio"].toInt());
  EXPECT_EQ(c.droppedDuplicate, counts["dropped_duplicate"].toInt());
  EXPECT_GT(c.droppedLengthOrRatio, 0);  // the toy corpus has pairs for each rule
  EXPECT_GT(c.droppedDuplicate, 0);
  EXPECT_EQ(trained().corpus.sourceWords, strings(e["source_words"].toArray()));
  EXPECT_EQ(trained().corpus.targetWords, strings(e["target_words"].toArray()));
}

TEST(AlignerGolden, TableTensionAndLikelihoodsAreTheReferences) {
  const QJsonObject e = expected();
  ASSERT_FALSE(e.isEmpty());
  const Trained& t = trained();
  EXPECT_NEAR(t.aligner.tension, e["tension"].toDouble(), kTolerance);
  EXPECT_GT(t.aligner.tension, kDefaultTension);  // the toy corpus is near-monotone: the fit sharpens the diagonal

  std::map<std::pair<std::string, std::string>, double> reference;
  for (const auto& row : e["table"].toArray()) {
    const QJsonArray r = row.toArray();
    reference[{r[0].toString().toStdString(), r[1].toString().toStdString()}] = r[2].toDouble();
  }
  const TranslationTable& table = t.aligner.table;
  ASSERT_EQ(table.entries(), reference.size()) << "the co-occurring pairs differ";
  double worst = 0.0;
  for (std::size_t s = 0; s < table.sourceWords(); ++s) {
    double rowSum = 0.0;
    for (std::uint64_t k = table.rowStart[s]; k < table.rowStart[s + 1]; ++k) {
      const auto it = reference.find({t.corpus.sourceWords[s], t.corpus.targetWords[table.target[k]]});
      ASSERT_NE(it, reference.end()) << t.corpus.sourceWords[s] << " " << t.corpus.targetWords[table.target[k]];
      worst = std::max(worst, std::abs(table.probability[k] - it->second));
      rowSum += table.probability[k];
    }
    EXPECT_NEAR(rowSum, 1.0, 1e-5) << "t(. | " << t.corpus.sourceWords[s] << ") is a distribution";
  }
  EXPECT_LT(worst, kTolerance);
  std::printf("t-table: %zu entries, maxdiff = %e\n", table.entries(), worst);

  const QJsonArray history = e["history"].toArray();
  ASSERT_EQ(t.aligner.history.size(), static_cast<std::size_t>(history.size()));
  for (std::size_t i = 0; i < t.aligner.history.size(); ++i) {
    const QJsonObject h = history[static_cast<qsizetype>(i)].toObject();
    EXPECT_EQ(t.aligner.history[i].model, h["model"].toString().toStdString());
    EXPECT_NEAR(t.aligner.history[i].logLikelihoodPerWord, h["log_likelihood_per_word"].toDouble(), kTolerance);
    if (i > 0) EXPECT_GE(t.aligner.history[i].logLikelihoodPerWord, t.aligner.history[i - 1].logLikelihoodPerWord - 1e-9)
                   << "EM lowered the likelihood at step " << i;
  }
}

TEST(AlignerGolden, PosteriorsAreTheReferencesAndSumToOne) {
  const QJsonObject e = expected();
  ASSERT_FALSE(e.isEmpty());
  const Trained& t = trained();
  const QJsonArray all = e["posteriors"].toArray();
  ASSERT_EQ(static_cast<std::size_t>(all.size()), t.corpus.pairs());
  double worst = 0.0;
  for (std::size_t p = 0; p < t.corpus.pairs(); ++p) {
    const auto source = t.corpus.sourceOf(p), target = t.corpus.targetOf(p);
    const std::size_t m = source.size(), n = target.size();
    const std::vector<double> q = alignmentPosteriors(t.aligner.table, source, target, t.aligner.prior());
    const QJsonArray rows = all[static_cast<qsizetype>(p)].toArray();
    ASSERT_EQ(static_cast<std::size_t>(rows.size()), n);
    for (std::size_t j = 0; j < n; ++j) {
      const QJsonArray row = rows[static_cast<qsizetype>(j)].toArray();
      ASSERT_EQ(static_cast<std::size_t>(row.size()), m + 1);
      double sum = 0.0;
      for (std::size_t i = 0; i <= m; ++i) {
        worst = std::max(worst, std::abs(q[j * (m + 1) + i] - row[static_cast<qsizetype>(i)].toDouble()));
        sum += q[j * (m + 1) + i];
      }
      EXPECT_NEAR(sum, 1.0, 1e-12) << "pair " << p << " row " << j;
    }
  }
  EXPECT_LT(worst, kTolerance);
  std::printf("posteriors: %zu pairs, maxdiff = %e\n", t.corpus.pairs(), worst);
}

// fast_align's -v: the variational Bayes M-step with alpha 0.01 (the reference's digamma is torch's).
TEST(AlignerGolden, VariationalBayesIsTheReferences) {
  const QJsonObject e = expected()["variational_bayes"].toObject();
  ASSERT_FALSE(e.isEmpty()) << "toy_expected.json lacks variational_bayes: run models/aligner/reference.py";
  const Trained& plain = trained();
  const TrainedAligner vb = trainAligner(plain.corpus, {.model1Iterations = 5, .diagonalIterations = 5,
                                                        .dirichletAlpha = e["alpha"].toDouble()});
  EXPECT_NEAR(vb.tension, e["tension"].toDouble(), kTolerance);
  std::map<std::pair<std::string, std::string>, double> reference;
  for (const auto& row : e["table"].toArray()) {
    const QJsonArray r = row.toArray();
    reference[{r[0].toString().toStdString(), r[1].toString().toStdString()}] = r[2].toDouble();
  }
  ASSERT_EQ(vb.table.entries(), reference.size());
  double worst = 0.0, differsFromEm = 0.0;
  for (std::size_t s = 0; s < vb.table.sourceWords(); ++s) {
    for (std::uint64_t k = vb.table.rowStart[s]; k < vb.table.rowStart[s + 1]; ++k) {
      const auto it = reference.find({plain.corpus.sourceWords[s], plain.corpus.targetWords[vb.table.target[k]]});
      ASSERT_NE(it, reference.end());
      worst = std::max(worst, std::abs(vb.table.probability[k] - it->second));
      differsFromEm = std::max(differsFromEm, static_cast<double>(std::abs(vb.table.probability[k] - plain.aligner.table.probability[k])));
    }
  }
  EXPECT_LT(worst, kTolerance);
  EXPECT_GT(differsFromEm, 1e-2) << "the prior changed nothing: the test would not see it missing";
  const QJsonArray all = e["posteriors"].toArray();
  double worstQ = 0.0;
  for (qsizetype p = 0; p < all.size(); ++p) {
    const auto source = plain.corpus.sourceOf(p), target = plain.corpus.targetOf(p);
    const std::vector<double> q = alignmentPosteriors(vb.table, source, target, vb.prior());
    const QJsonArray rows = all[p].toArray();
    for (std::size_t j = 0; j < target.size(); ++j)
      for (std::size_t i = 0; i <= source.size(); ++i)
        worstQ = std::max(worstQ, std::abs(q[j * (source.size() + 1) + i] -
                                           rows[static_cast<qsizetype>(j)].toArray()[static_cast<qsizetype>(i)].toDouble()));
  }
  EXPECT_LT(worstQ, kTolerance);
  std::printf("variational Bayes: t-table maxdiff = %e, posteriors maxdiff = %e (largest change from EM %f)\n", worst,
              worstQ, differsFromEm);
}

TEST(AlignerGolden, APackageRunsThePosteriorsAsCrossAttention) {
  const QJsonObject e = expected();
  ASSERT_FALSE(e.isEmpty());
  const Trained& t = trained();
  const fs::path folder = fs::temp_directory_path() / ("attnviz-aligner-golden-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  PackageOptions options;
  options.pruneBelow = 0.0;  // every entry kept: the model is the trained aligner exactly (t as float)
  const PackageSummary s = writeAlignerPackage(folder.string(), t.aligner, t.corpus, options);
  EXPECT_EQ(s.entries, static_cast<std::int64_t>(t.aligner.table.entries()));
  EXPECT_THROW(writeAlignerPackage(folder.string(), t.aligner, t.corpus, options), UsageError);  // never overwritten
  const std::unique_ptr<Model> model = loadModel(folder.string());
  EXPECT_EQ(model->info().identity.kind, model->kind().name);
  EXPECT_TRUE(model->kind().can.alignsPairs);

  // The toy corpus's kept pairs, in order, are the reference's posteriors; run the first 40 through the model.
  std::ifstream en(kData + "/toy.en"), fr(kData + "/toy.fr");
  std::string eLine, fLine;
  const QJsonArray all = e["posteriors"].toArray();
  std::size_t pair = 0;
  double worst = 0.0;
  std::set<std::pair<std::string, std::string>> seen;
  while (pair < 40 && std::getline(en, eLine) && std::getline(fr, fLine)) {
    RunOptions o;
    o.target = fLine;
    Trace trace;
    try {
      trace = model->run(Input::fromText(eLine, "toy"), o);
    } catch (const Error&) {
      continue;  // an empty line: not a kept pair either
    }
    const std::size_t S = trace.sourceTokens.size(), T = trace.targetTokens.size();
    std::string sourceKey, targetKey;  // the pair's tokens: duplicates are by tokens ("The" is "the")
    for (const std::string& token : trace.sourceTokens) sourceKey += token + " ";
    for (const std::string& token : trace.targetTokens) targetKey += token + " ";
    if (!keepPair(S - 1, T - 1) || !seen.insert({sourceKey, targetKey}).second) continue;  // not one of the kept pairs
    const Tensor& cross = trace.attention.at("cross");
    ASSERT_EQ(cross.shape(), (Shape{static_cast<std::int64_t>(T), static_cast<std::int64_t>(S)}));
    EXPECT_EQ(trace.sourceTokens.back(), "<eos>");
    EXPECT_EQ(trace.targetTokens.back(), "<eos>");
    const QJsonArray rows = all[static_cast<qsizetype>(pair)].toArray();
    ASSERT_EQ(static_cast<std::size_t>(rows.size()), T - 1);
    for (std::size_t j = 0; j < T; ++j) {
      double sum = 0.0;
      for (std::size_t i = 0; i < S; ++i) {
        const double got = cross.at({static_cast<std::int64_t>(j), static_cast<std::int64_t>(i)});
        sum += got;
        if (j + 1 == T) {
          EXPECT_EQ(got, i + 1 == S ? 1.0 : 0.0) << "the <eos> row is 1 on the source <eos>";
          continue;
        }
        // Column i < S - 1 is source token i (the reference's column i + 1); the <eos> column is NULL (column 0).
        const QJsonArray row = rows[static_cast<qsizetype>(j)].toArray();
        const double want = row[static_cast<qsizetype>(i + 1 == S ? 0 : i + 1)].toDouble();
        worst = std::max(worst, std::abs(got - want));
      }
      EXPECT_NEAR(sum, 1.0, 1e-5);
    }
    EXPECT_TRUE(trace.prediction.forced);
    ++pair;
  }
  EXPECT_EQ(pair, 40u);
  EXPECT_LT(worst, kTolerance);
  std::printf("package cross: %zu pairs, maxdiff = %e\n", pair, worst);

  // No target: one clear refusal. An unknown word: "<unk>", its row still a distribution.
  try {
    model->run(Input::fromText("the cat sees the dog ."), {});
    ADD_FAILURE() << "ran without a target";
  } catch (const UsageError& error) {
    EXPECT_EQ(error.where(), "--target");
    EXPECT_NE(std::string(error.what()).find("aligns a given sentence pair"), std::string::npos) << error.what();
  }
  RunOptions o;
  o.target = "le zèbre voit le chien .";
  const Trace unknown = model->run(Input::fromText("the zebra sees the dog ."), o);
  EXPECT_EQ(unknown.sourceTokens[1], "<unk>");
  EXPECT_EQ(unknown.targetTokens[1], "<unk>");
  const Tensor& cross = unknown.attention.at("cross");
  for (std::int64_t j = 0; j < cross.shape()[0]; ++j) {
    double sum = 0.0;
    for (std::int64_t i = 0; i < cross.shape()[1]; ++i) sum += cross.at({j, i});
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
  fs::remove_all(folder);
}

}  // namespace

#include "engine/models/aligner/aligner_package.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "engine/api/json_writer.h"
#include "engine/core/error.h"
#include "engine/models/aligner/aligner_model.h"

namespace attnviz::aligner {

namespace {

namespace fs = std::filesystem;

constexpr const char* kWeightsFile = "ttable.safetensors";
constexpr const char* kSourceVocabFile = "source_vocab.txt";
constexpr const char* kTargetVocabFile = "target_vocab.txt";

// name -> F32 values, in the safetensors layout: 8-byte little-endian header length, the JSON header (padded with
// spaces to 8 bytes, as models/export.py), the data.
std::string safetensorsBytes(const std::vector<std::pair<std::string, std::vector<float>>>& tensors) {
  JsonWriter header;
  header.beginObject();
  std::uint64_t offset = 0;
  for (const auto& [name, values] : tensors) {
    header.key(name);
    header.beginObject();
    header.key("dtype"); header.string("F32");
    header.key("shape"); header.beginArray(); header.number(static_cast<std::int64_t>(values.size())); header.endArray();
    header.key("data_offsets"); header.beginArray();
    header.number(static_cast<std::int64_t>(offset));
    offset += values.size() * sizeof(float);
    header.number(static_cast<std::int64_t>(offset));
    header.endArray();
    header.endObject();
  }
  header.key("__metadata__"); header.beginObject(); header.key("format"); header.string("attnviz-aligner"); header.endObject();
  header.endObject();
  std::string text = header.str();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const std::uint64_t length = text.size();
  for (int b = 0; b < 8; ++b) out[b] = static_cast<char>((length >> (8 * b)) & 0xff);
  out += text;
  for (const auto& [name, values] : tensors) {
    const std::size_t at = out.size();
    out.resize(at + values.size() * sizeof(float));
    std::memcpy(out.data() + at, values.data(), values.size() * sizeof(float));  // little-endian hosts only (x86-64)
  }
  return out;
}

void writeFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw UsageError(path.string(), "could not be written (disk full or no permission?)");
}

std::string lines(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += w + '\n';
  return text;
}

}  // namespace

PackageSummary writeAlignerPackage(const std::string& folder, const TrainedAligner& trained,
                                   const ParallelCorpus& corpus, const PackageOptions& options) {
  const TranslationTable& t = trained.table;
  PackageSummary summary;
  summary.entriesBeforePruning = static_cast<std::int64_t>(t.entries());

  // Kept entries, and the words they use renumbered in corpus order (source 0 stays NULL).
  constexpr std::uint32_t kDropped = 0xffffffffu;
  std::vector<std::uint32_t> newSource(t.sourceWords(), kDropped), newTarget(corpus.targetWords.size(), kDropped);
  newSource[0] = 0;
  for (std::size_t e = 0; e < t.sourceWords(); ++e)
    for (std::uint64_t k = t.rowStart[e]; k < t.rowStart[e + 1]; ++k)
      if (t.probability[k] >= options.pruneBelow) newSource[e] = 0, newTarget[t.target[k]] = 0;
  std::vector<std::string> sourceWords, targetWords;
  for (std::size_t e = 0; e < newSource.size(); ++e)
    if (newSource[e] != kDropped) newSource[e] = static_cast<std::uint32_t>(sourceWords.size()), sourceWords.push_back(corpus.sourceWords[e]);
  for (std::size_t f = 0; f < newTarget.size(); ++f)
    if (newTarget[f] != kDropped) newTarget[f] = static_cast<std::uint32_t>(targetWords.size()), targetWords.push_back(corpus.targetWords[f]);

  std::vector<float> rowStart{0.0f}, target, probability;
  for (std::size_t e = 0; e < t.sourceWords(); ++e) {
    if (newSource[e] == kDropped) continue;
    for (std::uint64_t k = t.rowStart[e]; k < t.rowStart[e + 1]; ++k) {
      if (t.probability[k] < options.pruneBelow) continue;
      target.push_back(static_cast<float>(newTarget[t.target[k]]));
      probability.push_back(t.probability[k]);
    }
    rowStart.push_back(static_cast<float>(target.size()));
    if (static_cast<std::int64_t>(target.size()) >= kMaxExactFloatInteger)
      throw UsageError("--prune", "the table keeps over " + std::to_string(kMaxExactFloatInteger) +
                                      " entries, more than a package stores exactly; raise the threshold");
  }
  summary.entries = static_cast<std::int64_t>(target.size());
  summary.sourceWords = static_cast<std::int64_t>(sourceWords.size());
  summary.targetWords = static_cast<std::int64_t>(targetWords.size());
  if (summary.targetWords >= kMaxExactFloatInteger || summary.sourceWords >= kMaxExactFloatInteger)
    throw UsageError("--prune", "the vocabulary is larger than a package stores exactly; raise the threshold");

  JsonWriter m;
  m.beginObject();
  m.key("format"); m.string("attnviz-model");
  m.key("format_version"); m.number(std::int64_t{1});
  m.key("kind"); m.string(kAlignerKind.name);
  m.key("name"); m.string(options.name);
  m.key("variant"); m.string(options.variant);
  m.key("architecture");
  m.beginObject();
  m.key("tokenizer"); m.string(kTokenizerName);
  m.key("null_probability"); m.number(trained.nullProbability);
  m.key("diagonal_tension"); m.number(trained.tension);
  m.key("unseen_probability"); m.number(options.unseenProbability);
  m.key("prune_below"); m.number(options.pruneBelow);
  m.key("source_vocab_size"); m.number(summary.sourceWords);
  m.key("target_vocab_size"); m.number(summary.targetWords);
  m.key("table_entries"); m.number(summary.entries);
  m.endObject();
  m.key("files");
  m.beginObject();
  m.key("weights"); m.string(kWeightsFile);
  m.key("source_vocab"); m.string(kSourceVocabFile);
  m.key("target_vocab"); m.string(kTargetVocabFile);
  m.endObject();
  std::string manifest = m.str();  // the top object still open: the card's values arrive as JSON texts
  manifest += ",\"card\":{";
  for (std::size_t i = 0; i < options.cardJson.size(); ++i) {
    JsonWriter key;
    key.string(options.cardJson[i].first);
    manifest += (i ? "," : "") + key.str() + ":" + options.cardJson[i].second;
  }
  manifest += "}}\n";

  const fs::path out(folder);
  std::error_code ec;
  if (fs::exists(out, ec)) throw UsageError(folder, "exists already; remove it or give another --out");
  const fs::path temporary = out.string() + ".partial-" + std::to_string(::getpid());
  fs::remove_all(temporary, ec);
  if (!fs::create_directories(temporary, ec))
    throw UsageError(folder, "cannot create " + temporary.string() + " (" + ec.message() + ")");
  try {
    const std::string weights = safetensorsBytes({{"ttable.row_start", rowStart}, {"ttable.target", target},
                                                  {"ttable.probability", probability}});
    writeFile(temporary / kWeightsFile, weights);
    writeFile(temporary / kSourceVocabFile, lines(sourceWords));
    writeFile(temporary / kTargetVocabFile, lines(targetWords));
    writeFile(temporary / "attnviz.json", manifest);
    for (const auto& entry : fs::directory_iterator(temporary)) summary.bytes += static_cast<std::int64_t>(entry.file_size());
    fs::rename(temporary, out, ec);
    if (ec) throw UsageError(folder, "cannot move the finished package into place (" + ec.message() + ")");
  } catch (...) {
    fs::remove_all(temporary, ec);
    throw;
  }
  return summary;
}

}  // namespace attnviz::aligner

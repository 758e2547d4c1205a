#include "ui/maps/encoder_attention.h"

#include <cmath>

namespace attnviz::ui {

EncoderAttention EncoderAttention::fromTrace(const attnviz::Trace& trace) {
  EncoderAttention a;
  const auto it = trace.attention.find("self");
  if (it == trace.attention.end() || it->second.rank() != 4) return a;
  const attnviz::Tensor& t = it->second;  // [layers, heads, N, N]
  const int n = static_cast<int>(t.dim(2));
  if (t.dim(3) != n || n != static_cast<int>(trace.sourceTokens.size())) return a;
  a.layers = static_cast<int>(t.dim(0));
  a.heads = static_cast<int>(t.dim(1));
  a.n = n;
  a.self = t;  // a view: shares the trace's storage
  for (const std::string& s : trace.sourceTokens) a.tokens << QString::fromStdString(s);
  return a;
}

bool isFrameToken(const QString& token) {
  return token == QLatin1String("[CLS]") || token == QLatin1String("[SEP]") || token == QLatin1String("[PAD]");
}

std::vector<TokenGroup> groupTokens(const QStringList& tokens, const GroupOptions& options) {
  std::vector<TokenGroup> groups;
  bool lastWasSpecial = true;  // a "##" piece right after [CLS] starts its own word
  for (int i = 0; i < tokens.size(); ++i) {
    const QString& t = tokens[i];
    const bool special = isFrameToken(t);
    if (special && options.hideSpecial) {
      lastWasSpecial = true;
      continue;
    }
    if (options.mergeWordpieces && !special && !lastWasSpecial && t.startsWith(QLatin1String("##")) && !groups.empty()) {
      groups.back().text += t.mid(2);
      groups.back().tokens.push_back(i);
    } else {
      groups.push_back({t, {i}});
    }
    lastWasSpecial = special;
  }
  return groups;
}

std::vector<float> mergeMap(const float* map, int n, const std::vector<TokenGroup>& groups) {
  const std::size_t g = groups.size();
  std::vector<float> out(g * g, 0.0f);
  for (std::size_t a = 0; a < g; ++a) {
    const std::vector<int>& rows = groups[a].tokens;
    for (std::size_t b = 0; b < g; ++b) {
      double sum = 0.0;
      for (int i : rows)
        for (int j : groups[b].tokens) sum += map[static_cast<std::size_t>(i) * n + j];
      out[a * g + b] = static_cast<float>(sum / static_cast<double>(rows.size()));
    }
  }
  return out;
}

int groupOf(const std::vector<TokenGroup>& groups, int token) {
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (int t : groups[g].tokens)
      if (t == token) return static_cast<int>(g);
  return -1;
}

std::vector<double> headEntropies(const EncoderAttention& a) {
  std::vector<double> out;
  if (a.empty()) return out;
  out.reserve(static_cast<std::size_t>(a.layers) * a.heads);
  for (int l = 0; l < a.layers; ++l) {
    for (int h = 0; h < a.heads; ++h) {
      const float* m = a.map(l, h);
      double total = 0.0;
      for (int i = 0; i < a.n; ++i) {
        double e = 0.0;
        for (int j = 0; j < a.n; ++j) {
          const double p = m[static_cast<std::size_t>(i) * a.n + j];
          if (p > 0.0) e -= p * std::log2(p);
        }
        total += e;
      }
      out.push_back(total / a.n);
    }
  }
  return out;
}

LayerHead coreferenceHeadOf(const attnviz::ModelInfo& info) {
  if (!info.coreferenceHead) return {};
  return {info.coreferenceHead->first, info.coreferenceHead->second};
}

}  // namespace attnviz::ui

// Times the Eigen GEMM path (engine/ops/eigen_gemm.h), each variant this CPU runs and both threading modes, against
// oneDNN's matmul (ops::Linear) at BERT-base and ViT-base shapes, y = x · W^T + b, at 1 and 2 threads. Prints GFLOP/s
// (2 · rows · in · out per product) of the fastest of repeated runs, interleaved (the machine this was written on
// is shared: the fastest run is the one least disturbed). Then attention's batched products (12 heads of 64)
// against ops::matmul. Not a test: numbers depend on the machine and its load.
// Usage: eigen_gemm_bench [min seconds per candidate and shape, default 0.3]
//
//   build/release/tests/eigen_gemm_bench 0.5
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/ops/eigen_gemm.h"
#include "engine/ops/ops.h"

namespace {
using attnviz::Tensor;
namespace ops = attnviz::ops;
using ops::detail::EigenIsa;
using ops::detail::EigenThreading;

Tensor random(attnviz::Shape shape, std::mt19937& rng) {
  Tensor t(std::move(shape));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.values()) v = dist(rng);
  return t;
}

// Fastest seconds of one call of each candidate, timed in interleaved rounds (each candidate once per round, so a
// burst of load from other jobs hits them alike), after one warm-up call each; at least 5 rounds and
// minSeconds per candidate.
std::vector<double> fastestSeconds(const std::vector<std::function<void()>>& candidates, double minSeconds) {
  for (const auto& f : candidates) f();
  std::vector<double> best(candidates.size(), 1e30);
  double total = 0.0;
  for (int round = 0; round < 5 || total < minSeconds * double(candidates.size()); ++round)
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      candidates[i]();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best[i] = std::min(best[i], s);
      total += s;
    }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const double minSeconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  struct Shape {
    std::int64_t in, out;
  };
  const Shape shapes[] = {{768, 2304}, {768, 768}, {768, 3072}, {3072, 768}};
  // 1 and 8 rows: a decoder step, a short input (where a call's fixed cost shows); 128 and 512: BERT; 197: ViT-base.
  const std::int64_t rowsList[] = {1, 8, 128, 197, 512};
  const std::int64_t tokensList[] = {128, 197, 512};
  std::vector<std::pair<EigenIsa, std::string>> variants;
  for (EigenIsa isa : {EigenIsa::Sse2, EigenIsa::Avx2, EigenIsa::Avx512})
    if (ops::detail::eigenCpuSupport().missing[int(isa)].empty()) variants.push_back({isa, ops::detail::eigenIsaName(isa)});

  std::printf("GFLOP/s, y = x W^T + b; default Eigen variant here: %s; oneDNN: %s\n", ops::detail::eigenGemmIsa(),
              ops::cpuIsaDescription().c_str());
  std::printf("%-3s %-17s %9s", "thr", "rows x in->out", "oneDNN");
  for (const auto& [isa, name] : variants) std::printf(" %9s %9s", (name + "/s").c_str(), (name + "/e").c_str());
  std::printf("   (/s: column split, /e: Eigen's threads)\n");
  std::mt19937 rng(1);
  for (int threads : {1, 2}) {
    ops::setThreadCount(threads);
    for (std::int64_t rows : rowsList)
      for (const Shape& s : shapes) {
        const Tensor x = random({rows, s.in}, rng), w = random({s.out, s.in}, rng), b = random({s.out}, rng);
        const double flops = 2.0 * double(rows) * double(s.in) * double(s.out);
        const ops::Linear layer(w, b);
        std::vector<std::function<void()>> candidates{[&] { (void)layer(x); }};
        for (const auto& [isa, name] : variants)
          for (EigenThreading threading : {EigenThreading::Split, EigenThreading::Eigen})
            // A new output Tensor each call, as ops::Linear makes (zero-filled: about 0.3 ms at 512 x 3072).
            candidates.push_back([&, isa = isa, threading] {
              Tensor y({rows, s.out});
              ops::detail::eigenLinear({isa, threading}, x.data(), rows, s.in, w.data(), s.out, b.data(), y.data());
            });
        const std::vector<double> seconds = fastestSeconds(candidates, minSeconds);
        std::printf("%-3d %4lld x %4lld->%-4lld", threads, (long long)rows, (long long)s.in, (long long)s.out);
        for (double t : seconds) std::printf(" %9.1f", flops / t * 1e-9);
        std::printf("\n");
        std::fflush(stdout);
      }
  }

  // Attention's products, 12 heads of 64: scores = 0.125 q · k^T ([12, t, 64] x [12, t, 64]^T), context = p · v
  // ([12, t, t] x [12, t, 64]).
  std::printf("\nGFLOP/s, batched matmul, 12 heads (ops::matmul against eigenBatchedMatmul)\n");
  std::printf("%-3s %-17s %9s", "thr", "product", "oneDNN");
  for (const auto& [isa, name] : variants) std::printf(" %9s %9s", (name + "/s").c_str(), (name + "/e").c_str());
  std::printf("   (/s: heads split across threads, /e: Eigen's threads)\n");
  for (int threads : {1, 2}) {
    ops::setThreadCount(threads);
    for (std::int64_t t : tokensList)
      for (bool scores : {true, false}) {
        const std::int64_t heads = 12, m = t, k = scores ? 64 : t, n = scores ? t : 64;
        const Tensor a = random({heads, m, k}, rng);
        const Tensor bt = random(scores ? attnviz::Shape{heads, n, k} : attnviz::Shape{heads, k, n}, rng);
        const float scale = scores ? 0.125f : 1.0f;
        const double flops = 2.0 * double(heads) * double(m) * double(k) * double(n);
        std::vector<std::function<void()>> candidates{[&] { (void)ops::matmul(a, bt, scale, scores); }};
        for (const auto& [isa, name] : variants)
          for (EigenThreading threading : {EigenThreading::Split, EigenThreading::Eigen})
            candidates.push_back([&, isa = isa, threading] {
              Tensor c({heads, m, n});
              ops::detail::eigenBatchedMatmul({isa, threading}, a.data(), bt.data(), c.data(), heads, m, k, n, scale,
                                              scores);
            });
        const std::vector<double> seconds = fastestSeconds(candidates, minSeconds);
        const std::string label = (scores ? "qk^T t=" : "pv   t=") + std::to_string(t);
        std::printf("%-3d %-17s", threads, label.c_str());
        for (double sec : seconds) std::printf(" %9.1f", flops / sec * 1e-9);
        std::printf("\n");
        std::fflush(stdout);
      }
  }
  return 0;
}

// Times the Eigen GEMM path (engine/ops/eigen_gemm.h), each variant this CPU runs and both threading modes, against
// oneDNN's matmul (ops::Linear) at BERT-base and ViT-base shapes, y = x · W^T + b, at 1 and 2 threads. Prints GFLOP/s
// (2 · rows · in · out per product), the median of repeated runs. Not a test: numbers depend on the machine and its
// load. Usage: eigen_gemm_bench [min seconds per measurement, default 0.3]
//
//   build/release/tests/eigen_gemm_bench 0.5
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
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

// Median seconds of one call, over runs filling at least minSeconds (and at least 5), after one warm-up call.
double medianSeconds(const std::function<void()>& f, double minSeconds) {
  f();
  std::vector<double> times;
  double total = 0.0;
  while (times.size() < 5 || total < minSeconds) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    times.push_back(s);
    total += s;
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const double minSeconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  struct Shape {
    std::int64_t in, out;
  };
  const Shape shapes[] = {{768, 2304}, {768, 768}, {768, 3072}, {3072, 768}};
  const std::int64_t rowsList[] = {128, 197, 512};
  std::vector<std::pair<EigenIsa, std::string>> variants;
  for (EigenIsa isa : {EigenIsa::Sse2, EigenIsa::Avx2, EigenIsa::Avx512})
    if (ops::detail::eigenCpuSupport().missing[int(isa)].empty()) variants.push_back({isa, ops::detail::eigenIsaName(isa)});

  std::printf("GFLOP/s, y = x W^T + b; default Eigen variant here: %s; oneDNN: %s\n", ops::detail::eigenGemmIsa(),
              ops::cpuIsaDescription().c_str());
  std::printf("%-3s %-16s %9s", "thr", "rows x in->out", "oneDNN");
  for (const auto& [isa, name] : variants) std::printf(" %9s %9s", (name + "/s").c_str(), (name + "/e").c_str());
  std::printf("   (/s: column split, /e: Eigen's threads)\n");
  std::mt19937 rng(1);
  for (int threads : {1, 2}) {
    ops::setThreadCount(threads);
    for (std::int64_t rows : rowsList)
      for (const Shape& s : shapes) {
        const Tensor x = random({rows, s.in}, rng), w = random({s.out, s.in}, rng), b = random({s.out}, rng);
        std::vector<float> y(std::size_t(rows * s.out));
        const double flops = 2.0 * double(rows) * double(s.in) * double(s.out);
        const ops::Linear layer(w, b);
        const double onednn = medianSeconds([&] { (void)layer(x); }, minSeconds);
        std::printf("%-3d %4lld x %4lld->%-4lld %9.1f", threads, (long long)rows, (long long)s.in, (long long)s.out,
                    flops / onednn * 1e-9);
        for (const auto& [isa, name] : variants)
          for (EigenThreading threading : {EigenThreading::Split, EigenThreading::Eigen}) {
            const double t = medianSeconds(
                [&] {
                  ops::detail::eigenLinear({isa, threading}, x.data(), rows, s.in, w.data(), s.out, b.data(), y.data());
                },
                minSeconds);
            std::printf(" %9.1f", flops / t * 1e-9);
          }
        std::printf("\n");
        std::fflush(stdout);
      }
  }
  return 0;
}

// The Eigen GEMM kernel compiled for generic x86-64 (SSE2), no extra flags.
// eigen_gemm.cpp calls it only when the CPU has these features.
#define ATTNVIZ_EIGEN_VARIANT sse2
#include "engine/ops/eigen_gemm_kernel.h"

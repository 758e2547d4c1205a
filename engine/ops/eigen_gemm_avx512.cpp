// The Eigen GEMM kernel compiled for -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma (engine/ops/CMakeLists.txt).
// eigen_gemm.cpp calls it only when the CPU has these features.
#define ATTNVIZ_EIGEN_VARIANT avx512
#include "engine/ops/eigen_gemm_kernel.h"

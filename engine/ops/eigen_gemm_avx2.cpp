// The Eigen GEMM kernel compiled for -mavx2 -mfma (engine/ops/CMakeLists.txt).
// eigen_gemm.cpp calls it only when the CPU has these features.
#define ATTNVIZ_EIGEN_VARIANT avx2
#include "engine/ops/eigen_gemm_kernel.h"

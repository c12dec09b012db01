// Matrix product for the engine: OpenBLAS's cblas_sgemm when the addon was built with it
// (PULSE_HAVE_OPENBLAS, see binding.gyp and scripts/build-native.mjs), else the built-in blocked SGEMM
// (gemm-impl.inc), which needs nothing but a C++ compiler.
#include <cstdio>
#include <string>
#include <vector>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

#define PULSE_IMPL "gemm-impl.inc"
#include "foreach-isa.h"

#if PULSE_HAVE_OPENBLAS
#include <cblas.h>
extern "C" {
void openblas_set_num_threads(int);
char* openblas_get_config(void);
}
#endif

namespace pulse {

void BuiltinSgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                  float* C, int64_t ldc) {
  PULSE_DISPATCH(Sgemm, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

#if PULSE_HAVE_OPENBLAS
namespace {
// Small products run on one OpenBLAS thread: splitting them gains little and, when the machine is
// oversubscribed, OpenBLAS's two-thread barrier can cost 10x.
constexpr double kThreadedMinMacs = 32.0 * 1024 * 1024;
int g_blas_threads = -1;
void UseBlasThreads(int n) {
  if (n != g_blas_threads) {
    openblas_set_num_threads(n);
    g_blas_threads = n;
  }
}
}  // namespace

void Sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc) {
  UseBlasThreads((double)m * n * k < kThreadedMinMacs ? 1 : Threads());
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, A, (int)lda, B, (int)ldb, beta,
              C, (int)ldc);
}
const char* GemmBackend() { return "openblas"; }
const char* BlasConfig() { return openblas_get_config(); }
#else
void Sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc) {
  BuiltinSgemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
const char* GemmBackend() { return "builtin"; }
const char* BlasConfig() {
  static std::string s = std::string("built-in blocked SGEMM (") + IsaName() + ")";
  return s.c_str();
}
#endif

}  // namespace pulse

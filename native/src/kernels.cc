// Float32 kernels for the PULSE training engine: CBLAS sgemm (OpenBLAS, threaded) and a fused
// softmax-cross-entropy whose gradient overwrites the logits. Node-API only, so one build serves
// Node and Electron. Every entry point checks array bounds: a wrong size throws, never corrupts.
#include <napi.h>
#include <cblas.h>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>
#include <algorithm>

extern "C" {
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
}

namespace {

// Small GEMMs run on one thread: splitting them gains little and, when the machine is
// oversubscribed (an LLM generating beside training), a two-thread barrier can cost 10x.
constexpr double kThreadedMinMacs = 32.0 * 1024 * 1024;
int g_max_threads = 0;
int g_cur_threads = 0;

void UseThreads(int n) {
  if (n != g_cur_threads) {
    openblas_set_num_threads(n);
    g_cur_threads = n;
  }
}

bool GetF32(const Napi::Env& env, const Napi::Value& v, float** data, size_t* len, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    Napi::TypeError::New(env, std::string(what) + " must be a Float32Array").ThrowAsJavaScriptException();
    return false;
  }
  auto a = v.As<Napi::Float32Array>();
  *data = a.Data();
  *len = a.ElementLength();
  return true;
}

bool Need(const Napi::Env& env, size_t have, size_t rows, size_t cols, size_t ld, const char* what) {
  if (rows == 0 || cols == 0) return true;
  if (ld < cols || (rows - 1) * ld + cols > have) {
    Napi::RangeError::New(env, std::string(what) + " is too small for the given shape").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc), row-major:
// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 13) {
    Napi::TypeError::New(env, "sgemm needs 13 arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  bool ta = info[0].ToBoolean(), tb = info[1].ToBoolean();
  int64_t m = info[2].ToNumber().Int64Value(), n = info[3].ToNumber().Int64Value(), k = info[4].ToNumber().Int64Value();
  float alpha = info[5].ToNumber().FloatValue();
  float *A, *B, *C;
  size_t la, lb, lc;
  if (!GetF32(env, info[6], &A, &la, "A") || !GetF32(env, info[8], &B, &lb, "B") || !GetF32(env, info[11], &C, &lc, "C"))
    return env.Undefined();
  int64_t lda = info[7].ToNumber().Int64Value(), ldb = info[9].ToNumber().Int64Value(), ldc = info[12].ToNumber().Int64Value();
  float beta = info[10].ToNumber().FloatValue();
  if (m < 0 || n < 0 || k < 0) {
    Napi::RangeError::New(env, "negative dimension").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!Need(env, la, ta ? k : m, ta ? m : k, lda, "A") || !Need(env, lb, tb ? n : k, tb ? k : n, ldb, "B") ||
      !Need(env, lc, m, n, ldc, "C"))
    return env.Undefined();
  if (m == 0 || n == 0) return env.Undefined();
  if (k == 0) {
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) C[i * ldc + j] = beta == 0.f ? 0.f : beta * C[i * ldc + j];
    return env.Undefined();
  }
  if (g_max_threads == 0) g_max_threads = g_cur_threads = openblas_get_num_threads();
  UseThreads((double)m * (double)n * (double)k < kThreadedMinMacs ? 1 : g_max_threads);
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
              alpha, A, (int)lda, B, (int)ldb, beta, C, (int)ldc);
  return env.Undefined();
}

// exp for x <= 0 (after subtracting the row max): 2^t split into integer and polynomial parts,
// relative error ~2e-7, written so the compiler vectorizes the row loop.
static inline float ExpNonPos(float x) {
  x = x < -87.0f ? -87.0f : x;
  float t = x * 1.4426950408889634f;
  float fi = std::floor(t);
  float f = t - fi;
  float p = 1.535336188319500e-4f;
  p = p * f + 1.339887440266574e-3f;
  p = p * f + 9.618437357674640e-3f;
  p = p * f + 5.550332471162809e-2f;
  p = p * f + 2.402264791363012e-1f;
  p = p * f + 6.931472028550421e-1f;
  p = p * f + 1.0f;
  int32_t bits = ((int32_t)fi + 127) << 23;
  float s;
  std::memcpy(&s, &bits, 4);
  return p * s;
}

__attribute__((target_clones("avx512f", "avx2", "default")))
double SoftmaxRows(float* logits, int64_t r0, int64_t r1, int64_t cols, const int32_t* targets, float scale) {
  double loss = 0;
  for (int64_t r = r0; r < r1; r++) {
    float* row = logits + r * cols;
    float mx = row[0];
#pragma omp simd reduction(max : mx)
    for (int64_t j = 1; j < cols; j++) mx = row[j] > mx ? row[j] : mx;
    float sum = 0.f;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < cols; j++) {
      float e = ExpNonPos(row[j] - mx);
      row[j] = e;
      sum += e;
    }
    int32_t t = targets[r];
    float pt = row[t] / sum;
    loss += -std::log(std::max(pt, 1e-30f));
    float inv = scale / sum;
#pragma omp simd
    for (int64_t j = 0; j < cols; j++) row[j] *= inv;
    row[t] -= scale;
  }
  return loss;
}

// GELU (erf form) with the erf fit of the TypeScript kernels (Numerical Recipes erfc Chebyshev,
// |error| < 1.2e-7); the backward uses that fit's exact derivative, like layers.ts.
static inline void ErfParts(float x, float* erf, float* deriv) {
  float z = std::fabs(x);
  float t = 1.0f / (1.0f + 0.5f * z);
  float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
  float dpoly = 1.00002368f + t * (2 * 0.37409196f + t * (3 * 0.09678418f + t * (4 * -0.18628806f + t * (5 * 0.27886807f + t * (6 * -1.13520398f + t * (7 * 1.48851587f + t * (8 * -0.82215223f + t * 9 * 0.17087277f)))))));
  float e = ExpNonPos(std::min(-z * z + poly, 0.0f));
  float r = t * e;
  float dt = -0.5f * t * t;
  float dr = dt * e + r * (-2 * z + dpoly * dt);
  *erf = x >= 0 ? 1 - r : r - 1;
  *deriv = -dr;
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void GeluRows(const float* x, float* y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    float er, d;
    ErfParts(x[i] * 0.70710678118654752f, &er, &d);
    y[i] = 0.5f * x[i] * (1 + er);
  }
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void GeluBackRows(const float* x, float* dy, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; i++) {
    float er, d;
    ErfParts(x[i] * 0.70710678118654752f, &er, &d);
    dy[i] = dy[i] * (0.5f * (1 + er) + 0.5f * x[i] * d * 0.70710678118654752f);
  }
}

// gelu(x, y): y = gelu(x). geluBackward(x, dy): dy *= gelu'(x). Same lengths required.
Napi::Value Gelu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float *x, *y;
  size_t lx, ly;
  if (info.Length() < 2 || !GetF32(env, info[0], &x, &lx, "x") || !GetF32(env, info[1], &y, &ly, "y")) return env.Undefined();
  if (lx != ly) {
    Napi::RangeError::New(env, "gelu: length mismatch").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  GeluRows(x, y, (int64_t)lx);
  return env.Undefined();
}

Napi::Value GeluBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float *x, *dy;
  size_t lx, ly;
  if (info.Length() < 2 || !GetF32(env, info[0], &x, &lx, "x") || !GetF32(env, info[1], &dy, &ly, "dy")) return env.Undefined();
  if (lx != ly) {
    Napi::RangeError::New(env, "geluBackward: length mismatch").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  GeluBackRows(x, dy, (int64_t)lx);
  return env.Undefined();
}

// softmaxCrossEntropy(logits[rows*cols], rows, cols, targets Int32Array[rows], scale) -> sum of losses.
// Overwrites logits with scale * (softmax - onehot(target)). Rows are split over two threads.
Napi::Value SoftmaxCE(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  float* L;
  size_t ll;
  if (info.Length() < 5 || !GetF32(env, info[0], &L, &ll, "logits")) return env.Undefined();
  int64_t rows = info[1].ToNumber().Int64Value(), cols = info[2].ToNumber().Int64Value();
  if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    Napi::TypeError::New(env, "targets must be an Int32Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto tg = info[3].As<Napi::Int32Array>();
  float scale = info[4].ToNumber().FloatValue();
  if (rows < 0 || cols <= 0 || (size_t)(rows * cols) > ll || (size_t)rows > tg.ElementLength()) {
    Napi::RangeError::New(env, "softmaxCrossEntropy: arrays too small").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int32_t* T = tg.Data();
  for (int64_t r = 0; r < rows; r++)
    if (T[r] < 0 || T[r] >= cols) {
      Napi::RangeError::New(env, "softmaxCrossEntropy: target out of range").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  double loss;
  if (rows * cols >= (1 << 18) && rows >= 2) {
    int64_t half = rows / 2;
    double l2 = 0;
    std::thread th([&] { l2 = SoftmaxRows(L, half, rows, cols, T, scale); });
    loss = SoftmaxRows(L, 0, half, cols, T, scale);
    th.join();
    loss += l2;
  } else {
    loss = SoftmaxRows(L, 0, rows, cols, T, scale);
  }
  return Napi::Number::New(env, loss);
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  g_max_threads = std::max(1, info[0].ToNumber().Int32Value());
  UseThreads(g_max_threads);
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("blas", Napi::String::New(info.Env(), openblas_get_config()));
  o.Set("threads", Napi::Number::New(info.Env(), g_max_threads ? g_max_threads : openblas_get_num_threads()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCE));
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("geluBackward", Napi::Function::New(env, GeluBackward));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace

NODE_API_MODULE(pulse_kernels, Init)

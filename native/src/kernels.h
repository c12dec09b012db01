// The float32 kernels of the training engine, free of Node-API: addon.cc checks arguments and calls these.
// Every kernel gives the same result for any thread count (see pool.h).
#pragma once
#include <cstdint>

namespace pulse {

// ---- matrix product (gemm.cc): OpenBLAS when built with it, else the built-in blocked SGEMM.
// Row-major C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C.
void Sgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc);
void BuiltinSgemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                  float* C, int64_t ldc);
const char* GemmBackend();  // "openblas" or "builtin"
const char* BlasConfig();   // OpenBLAS build string, or a description of the built-in kernel

// ---- output layer (ce.cc): softmax CE over items 0..nItems-1 with logits h table^T. Writes dh, adds into
// dtable, returns the summed -log p(cls).
double CrossEntropyItems(const float* h, int64_t rows, int64_t d, const float* table, int64_t nItems, const int32_t* cls, float scale, float* dh,
                         float* dtable);
// Overwrites logits with scale * (softmax - onehot(target)); returns the summed -log p(target).
double SoftmaxCrossEntropy(float* logits, int64_t rows, int64_t cols, const int32_t* targets, float scale);

// ---- layers (ops.cc)
void Gelu(const float* x, float* y, int64_t n);
void GeluBackward(const float* x, float* dy, int64_t n);
void LayerNorm(const float* x, int64_t rows, int64_t d, const float* g, const float* b, float eps, float* y, float* xhat, float* rstd);
void LayerNormBackward(const float* dy, const float* xhat, const float* rstd, int64_t rows, int64_t d, const float* g, float* dg, float* db, float* dx);
// xoshiro128** state s[4], the same stream as the TypeScript Rng: mask[i] = (u32 < p * 2^32) ? 0 : keep.
void Dropout(float* x, float* mask, int64_t n, double p, double keep, uint32_t* s);
void Attention(const float* qkv, const int32_t* offsets, int64_t nSeq, int64_t d, int64_t heads, const int32_t* blockOffsets, float* probs, float* mask,
               double dropout, uint32_t* rng, float* out);
void AttentionBackward(const float* qkv, const int32_t* offsets, int64_t nSeq, int64_t d, int64_t heads, const int32_t* blockOffsets, const float* probs,
                       const float* mask, const float* dout, float* dqkv);
void EmbeddingGather(const float* table, int64_t d, const int32_t* ids, int64_t n, float* out);
void EmbeddingScatterAdd(float* grad, int64_t d, const int32_t* ids, int64_t n, const float* dy);
void AdamUpdate(float* w, const float* g, float* m, float* v, int64_t n, double stepSize, double beta1, double beta2, double eps, double bc2, double wd);

}  // namespace pulse

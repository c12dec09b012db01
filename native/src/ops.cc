// Layer kernels of the training engine: GELU, layer norm, dropout, packed attention, embeddings, Adam and
// the softmax-CE over given logits. The loops live in ops-impl.inc, compiled once per instruction set.
#include <cmath>
#include <vector>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

#define PULSE_IMPL "ops-impl.inc"
#include "foreach-isa.h"

namespace pulse {

double SoftmaxCrossEntropy(float* logits, int64_t rows, int64_t cols, const int32_t* targets, float scale) {
  return PULSE_DISPATCH(SoftmaxCrossEntropy, logits, rows, cols, targets, scale);
}
void Gelu(const float* x, float* y, int64_t n) { PULSE_DISPATCH(Gelu, x, y, n); }
void GeluBackward(const float* x, float* dy, int64_t n) { PULSE_DISPATCH(GeluBackward, x, dy, n); }
void LayerNorm(const float* x, int64_t rows, int64_t d, const float* g, const float* b, float eps, float* y, float* xhat, float* rstd) {
  PULSE_DISPATCH(LayerNorm, x, rows, d, g, b, eps, y, xhat, rstd);
}
void LayerNormBackward(const float* dy, const float* xhat, const float* rstd, int64_t rows, int64_t d, const float* g, float* dg, float* db, float* dx) {
  PULSE_DISPATCH(LayerNormBackward, dy, xhat, rstd, rows, d, g, dg, db, dx);
}
void Dropout(float* x, float* mask, int64_t n, double p, double keep, uint32_t* s) { PULSE_DISPATCH(Dropout, x, mask, n, p, keep, s); }
void Attention(const float* qkv, const int32_t* offsets, int64_t nSeq, int64_t d, int64_t heads, const int32_t* blockOffsets, float* probs, float* mask,
               double dropout, uint32_t* rng, float* out) {
  PULSE_DISPATCH(Attention, qkv, offsets, nSeq, d, heads, blockOffsets, probs, mask, dropout, rng, out);
}
void AttentionBackward(const float* qkv, const int32_t* offsets, int64_t nSeq, int64_t d, int64_t heads, const int32_t* blockOffsets, const float* probs,
                       const float* mask, const float* dout, float* dqkv) {
  PULSE_DISPATCH(AttentionBackward, qkv, offsets, nSeq, d, heads, blockOffsets, probs, mask, dout, dqkv);
}
void EmbeddingGather(const float* table, int64_t d, const int32_t* ids, int64_t n, float* out) { PULSE_DISPATCH(EmbeddingGather, table, d, ids, n, out); }
void EmbeddingScatterAdd(float* grad, int64_t d, const int32_t* ids, int64_t n, const float* dy) {
  PULSE_DISPATCH(EmbeddingScatterAdd, grad, d, ids, n, dy);
}
void AdamUpdate(float* w, const float* g, float* m, float* v, int64_t n, double stepSize, double beta1, double beta2, double eps, double bc2, double wd) {
  PULSE_DISPATCH(AdamUpdate, w, g, m, v, n, stepSize, beta1, beta2, eps, bc2, wd);
}

}  // namespace pulse

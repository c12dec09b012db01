// Softmax cross-entropy over all items, fused with the output layer's three products, in tiles that stay
// in cache: logits = H E^T are never written to memory as a whole. Two passes over item tiles:
//   1. logits of a tile -> running row max and sum of exp (online softmax) and the target's logit;
//   2. logits again -> G = scale * (softmax - onehot) -> dH += G E, dE_tile += G^T H.
// Computing the logits twice costs a fourth product, but memory traffic no longer grows with rows x items
// (18 M floats a batch on Beauty, 1.3 G with 100k items), which is what bounded the unfused version.
// Items are split into kGroups (8) fixed ranges processed as independent tasks (each with its own dH
// partial, summed in group order), so the result does not depend on the number of threads.
#include <cmath>
#include <vector>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

#define PULSE_IMPL "ce-impl.inc"
#include "foreach-isa.h"

namespace pulse {

double CrossEntropyItems(const float* h, int64_t rows, int64_t d, const float* table, int64_t nItems, const int32_t* cls, float scale, float* dh,
                         float* dtable) {
  if (rows == 0) return 0;
  return PULSE_DISPATCH(CrossEntropyItems, h, rows, d, table, nItems, cls, scale, dh, dtable);
}

}  // namespace pulse

// Portable SIMD: GCC/Clang vector extensions (no intrinsics), so one source compiles to AVX-512,
// AVX2+FMA, SSE2 or NEON. A kernel file writes its loops once in an .inc file and includes it through
// foreach-isa.h, which compiles it once per instruction set inside `#pragma GCC target` regions (on x86
// with GCC), each in its own namespace (isa_v4, isa_v3, isa_base); PULSE_DISPATCH picks one at run time.
// Whole files, not target attributes on templates: GCC lowers vector code of an inlined helper for the
// helper's own (default) target, one lane at a time.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#define PULSE_INLINE inline __attribute__((always_inline))

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PULSE_MULTI_ISA 1
#else
#define PULSE_MULTI_ISA 0
#endif

namespace pulse {

// 3 = AVX-512 (x86-64-v4), 2 = AVX2+FMA (x86-64-v3), 1 = baseline. PULSE_ISA=v3|base caps it.
int IsaLevel();
const char* IsaName();

}  // namespace pulse

#if PULSE_MULTI_ISA
#define PULSE_DISPATCH(fn, ...) \
  (::pulse::IsaLevel() >= 3 ? ::pulse::isa_v4::fn(__VA_ARGS__) : ::pulse::IsaLevel() == 2 ? ::pulse::isa_v3::fn(__VA_ARGS__) : ::pulse::isa_base::fn(__VA_ARGS__))
#else
#define PULSE_DISPATCH(fn, ...) (::pulse::isa_base::fn(__VA_ARGS__))
#endif

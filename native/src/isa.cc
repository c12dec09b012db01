#include <cstdlib>
#include <cstring>

#include "simd.h"

namespace pulse {

int IsaLevel() {
  static const int level = [] {
    int l = 1;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) l = 2;
    if (l == 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq"))
      l = 3;
#endif
    if (const char* cap = std::getenv("PULSE_ISA")) {
      if (!std::strcmp(cap, "v3")) l = l < 2 ? l : 2;
      if (!std::strcmp(cap, "base")) l = 1;
    }
    return l;
  }();
  return level;
}

const char* IsaName() {
  switch (IsaLevel()) {
    case 3: return "avx512";
    case 2: return "avx2";
    default:
#if defined(__x86_64__)
      return "sse2";
#else
      return "generic";
#endif
  }
}

}  // namespace pulse

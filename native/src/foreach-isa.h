// Compiles the file named by PULSE_IMPL once per instruction set (see simd.h). No include guard: each
// kernel file includes it once, after defining PULSE_IMPL.
#if PULSE_MULTI_ISA
#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
namespace pulse {
namespace isa_v4 {
#define PULSE_W 16
#define PULSE_MR 6
#define PULSE_NV 4
#include "simd.inc"
#include PULSE_IMPL
#undef PULSE_W
#undef PULSE_MR
#undef PULSE_NV
}  // namespace isa_v4
}  // namespace pulse
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
namespace pulse {
namespace isa_v3 {
#define PULSE_W 8
#define PULSE_MR 6
#define PULSE_NV 2
#include "simd.inc"
#include PULSE_IMPL
#undef PULSE_W
#undef PULSE_MR
#undef PULSE_NV
}  // namespace isa_v3
}  // namespace pulse
#pragma GCC pop_options
#endif

namespace pulse {
namespace isa_base {
#define PULSE_W 4
#define PULSE_MR 4
#define PULSE_NV 2
#include "simd.inc"
#include PULSE_IMPL
#undef PULSE_W
#undef PULSE_MR
#undef PULSE_NV
}  // namespace isa_base
}  // namespace pulse

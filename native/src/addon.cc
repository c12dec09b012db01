// Node-API entry points of the float32 training kernels (kernels.h). Node-API only, so one build serves
// Node and Electron. Every entry checks types, shapes and indices first: a wrong size or an id out of
// range throws a RangeError, never reads or writes out of bounds.
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

namespace {

using pulse::Threads;

template <typename T>
struct Span {
  T* data = nullptr;
  size_t len = 0;
};

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn, size_t n) : info_(info), env_(info.Env()), fn_(fn) {
    if (info.Length() < n) Fail(std::to_string(n) + " arguments needed", true);
  }
  bool ok() const { return ok_; }
  Napi::Env env() const { return env_; }

  Span<float> F32(size_t i, const char* what, bool nullable = false) {
    return Typed<float>(i, what, napi_float32_array, "Float32Array", nullable);
  }
  Span<int32_t> I32(size_t i, const char* what) { return Typed<int32_t>(i, what, napi_int32_array, "Int32Array", false); }
  Span<uint32_t> U32(size_t i, const char* what, bool nullable = false) {
    return Typed<uint32_t>(i, what, napi_uint32_array, "Uint32Array", nullable);
  }
  int64_t Int(size_t i, const char* what, int64_t lo = 0) {
    if (!ok_) return 0;
    const Napi::Value v = info_[i];
    const double x = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
    if (!(x == std::floor(x)) || x < (double)lo || x > 9007199254740991.0) {
      Fail(std::string(what) + " must be an integer >= " + std::to_string(lo), false);
      return 0;
    }
    return (int64_t)x;
  }
  double Num(size_t i, const char* what) {
    if (!ok_) return 0;
    const Napi::Value v = info_[i];
    if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) {
      Fail(std::string(what) + " must be a finite number", true);
      return 0;
    }
    return v.As<Napi::Number>().DoubleValue();
  }
  bool Bool(size_t i) { return info_[i].ToBoolean().Value(); }
  // A check that must hold; otherwise a RangeError naming the function and what was wrong.
  bool Need(bool cond, const std::string& msg) {
    if (ok_ && !cond) Fail(msg, false);
    return ok_;
  }

 private:
  template <typename T>
  Span<T> Typed(size_t i, const char* what, napi_typedarray_type type, const char* tname, bool nullable) {
    Span<T> s;
    if (!ok_) return s;
    const Napi::Value v = info_[i];
    if (nullable && (v.IsNull() || v.IsUndefined())) return s;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
      Fail(std::string(what) + " must be a " + tname, true);
      return s;
    }
    auto a = v.As<Napi::TypedArrayOf<T>>();
    s.data = a.Data();
    s.len = a.ElementLength();
    return s;
  }
  void Fail(const std::string& msg, bool type) {
    if (!ok_) return;
    ok_ = false;
    const std::string m = std::string(fn_) + ": " + msg;
    if (type)
      Napi::TypeError::New(env_, m).ThrowAsJavaScriptException();
    else
      Napi::RangeError::New(env_, m).ThrowAsJavaScriptException();
  }
  const Napi::CallbackInfo& info_;
  Napi::Env env_;
  const char* fn_;
  bool ok_ = true;
};

// A row-major [rows x cols] view with leading dimension ld fits in `have` elements.
bool Fits(size_t have, int64_t rows, int64_t cols, int64_t ld) {
  if (rows == 0 || cols == 0) return true;
  return ld >= cols && (uint64_t)(rows - 1) * (uint64_t)ld + (uint64_t)cols <= have;
}

bool IdsInRange(const Span<int32_t>& ids, size_t n, int64_t hi) {
  for (size_t i = 0; i < n; i++)
    if (ids.data[i] < 0 || ids.data[i] >= hi) return false;
  return true;
}

// sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc): C = alpha op(A) op(B) + beta C.
Napi::Value Sgemm(const Napi::CallbackInfo& info, bool builtin) {
  Args a(info, "sgemm", 13);
  const bool ta = a.Bool(0), tb = a.Bool(1);
  const int64_t m = a.Int(2, "m"), n = a.Int(3, "n"), k = a.Int(4, "k");
  const float alpha = (float)a.Num(5, "alpha");
  auto A = a.F32(6, "A");
  const int64_t lda = a.Int(7, "lda");
  auto B = a.F32(8, "B");
  const int64_t ldb = a.Int(9, "ldb");
  const float beta = (float)a.Num(10, "beta");
  auto C = a.F32(11, "C");
  const int64_t ldc = a.Int(12, "ldc");
  if (!a.Need(m == 0 || n == 0 || k == 0 || Fits(A.len, ta ? k : m, ta ? m : k, lda), "A is too small for the given shape") ||
      !a.Need(m == 0 || n == 0 || k == 0 || Fits(B.len, tb ? n : k, tb ? k : n, ldb), "B is too small for the given shape") ||
      !a.Need(Fits(C.len, m, n, ldc), "C is too small for the given shape") || !a.Need(m <= INT32_MAX && n <= INT32_MAX && k <= INT32_MAX, "dimension too large"))
    return a.env().Undefined();
  if (m == 0 || n == 0) return a.env().Undefined();
  if (builtin)
    pulse::BuiltinSgemm(ta, tb, m, n, k, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
  else
    pulse::Sgemm(ta, tb, m, n, k, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
  return a.env().Undefined();
}

// softmaxCrossEntropy(logits, rows, cols, targets, scale) -> summed loss; logits become the gradient.
Napi::Value SoftmaxCE(const Napi::CallbackInfo& info) {
  Args a(info, "softmaxCrossEntropy", 5);
  auto L = a.F32(0, "logits");
  const int64_t rows = a.Int(1, "rows"), cols = a.Int(2, "cols", 1);
  auto T = a.I32(3, "targets");
  const float scale = (float)a.Num(4, "scale");
  if (!a.Need((uint64_t)rows * cols <= L.len && (size_t)rows <= T.len, "arrays too small") ||
      !a.Need(IdsInRange(T, rows, cols), "target out of range"))
    return a.env().Undefined();
  return Napi::Number::New(a.env(), pulse::SoftmaxCrossEntropy(L.data, rows, cols, T.data, scale));
}

// crossEntropyItems(h, rows, d, table, nItems, cls, scale, dh, dtable) -> summed loss.
Napi::Value CrossEntropyItems(const Napi::CallbackInfo& info) {
  Args a(info, "crossEntropyItems", 9);
  auto h = a.F32(0, "h");
  const int64_t rows = a.Int(1, "rows"), d = a.Int(2, "d", 1);
  auto E = a.F32(3, "table");
  const int64_t nItems = a.Int(4, "nItems", 1);
  auto cls = a.I32(5, "cls");
  const float scale = (float)a.Num(6, "scale");
  auto dh = a.F32(7, "dh");
  auto dE = a.F32(8, "dtable");
  if (!a.Need((uint64_t)rows * d <= h.len && (uint64_t)rows * d <= dh.len, "h or dh is too small") ||
      !a.Need((uint64_t)nItems * d <= E.len && (uint64_t)nItems * d <= dE.len, "table or dtable is too small") ||
      !a.Need((size_t)rows <= cls.len && IdsInRange(cls, rows, nItems), "class out of range"))
    return a.env().Undefined();
  return Napi::Number::New(a.env(), pulse::CrossEntropyItems(h.data, rows, d, E.data, nItems, cls.data, scale, dh.data, dE.data));
}

Napi::Value Gelu(const Napi::CallbackInfo& info) {
  Args a(info, "gelu", 2);
  auto x = a.F32(0, "x");
  auto y = a.F32(1, "y");
  if (a.Need(x.len == y.len, "length mismatch")) pulse::Gelu(x.data, y.data, (int64_t)x.len);
  return a.env().Undefined();
}

Napi::Value GeluBackward(const Napi::CallbackInfo& info) {
  Args a(info, "geluBackward", 2);
  auto x = a.F32(0, "x");
  auto dy = a.F32(1, "dy");
  if (a.Need(x.len == dy.len, "length mismatch")) pulse::GeluBackward(x.data, dy.data, (int64_t)x.len);
  return a.env().Undefined();
}

// layerNorm(x, rows, d, g, b, eps, y, xhat, rstd)
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  Args a(info, "layerNorm", 9);
  auto x = a.F32(0, "x");
  const int64_t rows = a.Int(1, "rows"), d = a.Int(2, "d", 1);
  auto g = a.F32(3, "gamma");
  auto b = a.F32(4, "beta");
  const float eps = (float)a.Num(5, "eps");
  auto y = a.F32(6, "y");
  auto xh = a.F32(7, "xhat");
  auto rs = a.F32(8, "rstd");
  const uint64_t n = (uint64_t)rows * d;
  if (a.Need(x.len >= n && y.len >= n && xh.len >= n && rs.len >= (size_t)rows && g.len >= (size_t)d && b.len >= (size_t)d, "arrays too small"))
    pulse::LayerNorm(x.data, rows, d, g.data, b.data, eps, y.data, xh.data, rs.data);
  return a.env().Undefined();
}

// layerNormBackward(dy, xhat, rstd, rows, d, g, dg, db, dx)
Napi::Value LayerNormBackward(const Napi::CallbackInfo& info) {
  Args a(info, "layerNormBackward", 9);
  auto dy = a.F32(0, "dy");
  auto xh = a.F32(1, "xhat");
  auto rs = a.F32(2, "rstd");
  const int64_t rows = a.Int(3, "rows"), d = a.Int(4, "d", 1);
  auto g = a.F32(5, "gamma");
  auto dg = a.F32(6, "dgamma");
  auto db = a.F32(7, "dbeta");
  auto dx = a.F32(8, "dx");
  const uint64_t n = (uint64_t)rows * d;
  if (a.Need(dy.len >= n && xh.len >= n && dx.len >= n && rs.len >= (size_t)rows && g.len >= (size_t)d && dg.len >= (size_t)d && db.len >= (size_t)d,
             "arrays too small"))
    pulse::LayerNormBackward(dy.data, xh.data, rs.data, rows, d, g.data, dg.data, db.data, dx.data);
  return a.env().Undefined();
}

// dropout(x, mask, p, keep, state Uint32Array(4)): the state advances as the TypeScript Rng's would.
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  Args a(info, "dropout", 5);
  auto x = a.F32(0, "x");
  auto mask = a.F32(1, "mask");
  const double p = a.Num(2, "p"), keep = a.Num(3, "keep");
  auto s = a.U32(4, "state");
  if (a.Need(mask.len >= x.len && s.len == 4 && p >= 0 && p < 1, "mask too small, state not 4 words, or p outside [0, 1)"))
    pulse::Dropout(x.data, mask.data, (int64_t)x.len, p, keep, s.data);
  return a.env().Undefined();
}

// Checks a packed batch: offsets[0] = 0, non-decreasing, blocks of heads * n * n, all within the arrays.
bool PackedOk(Args& a, const Span<int32_t>& off, const Span<int32_t>& blk, int64_t heads, size_t rowsHave, size_t probsHave) {
  if (!a.Need(off.len >= 1 && blk.len == off.len && off.data[0] == 0 && blk.data[0] == 0, "offsets and blockOffsets must start at 0 and have the same length"))
    return false;
  for (size_t b = 0; b + 1 < off.len; b++) {
    const int64_t n = (int64_t)off.data[b + 1] - off.data[b];
    if (!a.Need(n >= 0 && (int64_t)blk.data[b + 1] - blk.data[b] == heads * n * n, "offsets or blockOffsets are inconsistent")) return false;
  }
  return a.Need((size_t)off.data[off.len - 1] <= rowsHave && (size_t)blk.data[blk.len - 1] <= probsHave, "arrays too small for the packed batch");
}

// attention(qkv, offsets, d, heads, blockOffsets, probs, mask|null, dropout, state|null, out)
Napi::Value Attention(const Napi::CallbackInfo& info) {
  Args a(info, "attention", 10);
  auto qkv = a.F32(0, "qkv");
  auto off = a.I32(1, "offsets");
  const int64_t d = a.Int(2, "d", 1), heads = a.Int(3, "heads", 1);
  auto blk = a.I32(4, "blockOffsets");
  auto probs = a.F32(5, "probs");
  auto mask = a.F32(6, "mask", true);
  const double p = a.Num(7, "dropout");
  auto s = a.U32(8, "state", true);
  auto out = a.F32(9, "out");
  if (!a.Need(d % heads == 0, "d must be divisible by heads") || !a.Need(!mask.data || (mask.len >= probs.len && s.len == 4 && p > 0 && p < 1), "bad dropout mask or state"))
    return a.env().Undefined();
  const size_t rows = std::min(qkv.len / (3 * d), out.len / d);
  if (!PackedOk(a, off, blk, heads, rows, probs.len)) return a.env().Undefined();
  pulse::Attention(qkv.data, off.data, (int64_t)off.len - 1, d, heads, blk.data, probs.data, mask.data, p, s.data, out.data);
  return a.env().Undefined();
}

// attentionBackward(qkv, offsets, d, heads, blockOffsets, probs, mask|null, dout, dqkv)
Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  Args a(info, "attentionBackward", 9);
  auto qkv = a.F32(0, "qkv");
  auto off = a.I32(1, "offsets");
  const int64_t d = a.Int(2, "d", 1), heads = a.Int(3, "heads", 1);
  auto blk = a.I32(4, "blockOffsets");
  auto probs = a.F32(5, "probs");
  auto mask = a.F32(6, "mask", true);
  auto dout = a.F32(7, "dout");
  auto dqkv = a.F32(8, "dqkv");
  if (!a.Need(d % heads == 0, "d must be divisible by heads") || !a.Need(!mask.data || mask.len >= probs.len, "mask too small")) return a.env().Undefined();
  const size_t rows = std::min(std::min(qkv.len, dqkv.len) / (3 * d), dout.len / d);
  if (!PackedOk(a, off, blk, heads, rows, probs.len)) return a.env().Undefined();
  pulse::AttentionBackward(qkv.data, off.data, (int64_t)off.len - 1, d, heads, blk.data, probs.data, mask.data, dout.data, dqkv.data);
  return a.env().Undefined();
}

// embeddingGather(table, d, ids, out): out[t] += table[ids[t]]
Napi::Value EmbeddingGather(const Napi::CallbackInfo& info) {
  Args a(info, "embeddingGather", 4);
  auto table = a.F32(0, "table");
  const int64_t d = a.Int(1, "d", 1);
  auto ids = a.I32(2, "ids");
  auto out = a.F32(3, "out");
  if (a.Need((uint64_t)ids.len * d <= out.len, "out too small") && a.Need(IdsInRange(ids, ids.len, (int64_t)(table.len / d)), "id out of range"))
    pulse::EmbeddingGather(table.data, d, ids.data, (int64_t)ids.len, out.data);
  return a.env().Undefined();
}

// embeddingScatterAdd(grad, d, ids, dy): grad[ids[t]] += dy[t]
Napi::Value EmbeddingScatterAdd(const Napi::CallbackInfo& info) {
  Args a(info, "embeddingScatterAdd", 4);
  auto grad = a.F32(0, "grad");
  const int64_t d = a.Int(1, "d", 1);
  auto ids = a.I32(2, "ids");
  auto dy = a.F32(3, "dy");
  if (a.Need((uint64_t)ids.len * d <= dy.len, "dy too small") && a.Need(IdsInRange(ids, ids.len, (int64_t)(grad.len / d)), "id out of range"))
    pulse::EmbeddingScatterAdd(grad.data, d, ids.data, (int64_t)ids.len, dy.data);
  return a.env().Undefined();
}

// adam(w, g, m, v, stepSize, beta1, beta2, eps, bc2, weightDecay)
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Args a(info, "adam", 10);
  auto w = a.F32(0, "w");
  auto g = a.F32(1, "g");
  auto m = a.F32(2, "m");
  auto v = a.F32(3, "v");
  const double st = a.Num(4, "stepSize"), b1 = a.Num(5, "beta1"), b2 = a.Num(6, "beta2"), eps = a.Num(7, "eps"), bc2 = a.Num(8, "bc2"), wd = a.Num(9, "wd");
  if (a.Need(g.len == w.len && m.len == w.len && v.len == w.len, "w, g, m and v must have the same length"))
    pulse::AdamUpdate(w.data, g.data, m.data, v.data, (int64_t)w.len, st, b1, b2, eps, bc2, wd);
  return a.env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Args a(info, "setThreads", 1);
  const int64_t n = a.Int(0, "threads", 1);
  if (a.ok()) pulse::SetThreads((int)std::min<int64_t>(n, 256));
  return a.env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("gemm", pulse::GemmBackend());
  o.Set("blas", pulse::BlasConfig());
  o.Set("isa", pulse::IsaName());
  o.Set("threads", Threads());
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, [](const Napi::CallbackInfo& i) { return Sgemm(i, false); }));
  exports.Set("builtinSgemm", Napi::Function::New(env, [](const Napi::CallbackInfo& i) { return Sgemm(i, true); }));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCE));
  exports.Set("crossEntropyItems", Napi::Function::New(env, CrossEntropyItems));
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("geluBackward", Napi::Function::New(env, GeluBackward));
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm));
  exports.Set("layerNormBackward", Napi::Function::New(env, LayerNormBackward));
  exports.Set("dropout", Napi::Function::New(env, Dropout));
  exports.Set("attention", Napi::Function::New(env, Attention));
  exports.Set("attentionBackward", Napi::Function::New(env, AttentionBackward));
  exports.Set("embeddingGather", Napi::Function::New(env, EmbeddingGather));
  exports.Set("embeddingScatterAdd", Napi::Function::New(env, EmbeddingScatterAdd));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace

NODE_API_MODULE(pulse_kernels, Init)

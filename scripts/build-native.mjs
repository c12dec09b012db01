#!/usr/bin/env node
// Builds the float32 kernel addon (native/) with the node-gyp that npm bundles. It needs only a C++
// compiler: when OpenBLAS (libopenblas-dev) is found by a probe compile, matrix products use it; otherwise
// the addon's own blocked SGEMM. Never fails the install: without a compiler the engine falls back to the
// TypeScript kernels, so this prints a warning and exits 0.
//
//   node scripts/build-native.mjs                      # native/build/Release/pulse_kernels.node
//   PULSE_NATIVE_BLAS=none node scripts/build-native.mjs --out .cache/native-builtin
//
// PULSE_NATIVE_BLAS: auto (default) | openblas (fail if it is missing) | none (built-in SGEMM).
// --out DIR builds a copy of native/ in DIR (DIR/build/Release/pulse_kernels.node), e.g. to compare
// variants side by side; load it with PULSE_NATIVE_ADDON. PULSE_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const mode = (process.env.PULSE_NATIVE_BLAS ?? 'auto').toLowerCase();

function warn(msg) {
  console.warn(`[build-native] warning: ${msg}; training will use the slower TypeScript kernels.`);
  process.exit(0);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** Include and library folders where OpenBLAS's cblas.h may live, beside the compiler's defaults. */
const BLAS_PLACES = [
  { include: '', libdir: '' },
  { include: '/usr/include/openblas', libdir: '' },
  { include: '/usr/local/opt/openblas/include', libdir: '/usr/local/opt/openblas/lib' },
  { include: '/opt/homebrew/opt/openblas/include', libdir: '/opt/homebrew/opt/openblas/lib' },
];

/** Compiles and links a program that calls cblas_sgemm and openblas_get_config; the first place that works. */
function probeOpenBlas() {
  const cxx = process.env.CXX || 'c++';
  const dir = mkdtempSync(join(tmpdir(), 'pulse-blas-probe-'));
  try {
    const src = join(dir, 'probe.cc');
    writeFileSync(
      src,
      '#include <cblas.h>\nextern "C" char* openblas_get_config(void);\nint main() { float a = 1, b = 2, c = 0; cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.f, &a, 1, &b, 1, 0.f, &c, 1); return openblas_get_config() && c == 2.f ? 0 : 1; }\n',
    );
    for (const p of BLAS_PLACES) {
      const flags = [...(p.include ? [`-I${p.include}`] : []), src, '-o', join(dir, 'probe'), ...(p.libdir ? [`-L${p.libdir}`] : []), '-lopenblas'];
      const r = spawnSync(cxx, flags, { stdio: 'ignore' });
      if (r.status === 0) return p;
    }
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.PULSE_SKIP_NATIVE === '1') warn('PULSE_SKIP_NATIVE=1');
if (!['auto', 'openblas', 'none'].includes(mode)) {
  console.error(`[build-native] PULSE_NATIVE_BLAS must be auto, openblas or none, not "${mode}"`);
  process.exit(1);
}
const gyp = findNodeGyp();
if (!gyp) warn('node-gyp not found');

let nativeDir = join(root, 'native');
if (outArg) {
  // A copy of the sources, so a variant builds beside the default one without touching it.
  const out = resolve(outArg);
  mkdirSync(out, { recursive: true });
  cpSync(join(root, 'native', 'binding.gyp'), join(out, 'binding.gyp'));
  rmSync(join(out, 'src'), { recursive: true, force: true });
  cpSync(join(root, 'native', 'src'), join(out, 'src'), { recursive: true });
  nativeDir = out;
}

const blas = mode === 'none' ? null : probeOpenBlas();
if (mode === 'openblas' && !blas) {
  console.error('[build-native] PULSE_NATIVE_BLAS=openblas, but no OpenBLAS was found (install libopenblas-dev, or unset PULSE_NATIVE_BLAS)');
  process.exit(1);
}
const defines = blas ? ['-Dpulse_blas=openblas', `-Dpulse_blas_include=${blas.include}`, `-Dpulse_blas_libdir=${blas.libdir}`] : ['-Dpulse_blas=none'];
// node-addon-api's headers, resolved here: a copy built elsewhere (--out) cannot find node_modules itself.
defines.push(`-Dnapi_include=${dirname(createRequire(join(root, 'package.json')).resolve('node-addon-api/package.json'))}`);
console.log(
  `[build-native] matrix products: ${blas ? `OpenBLAS${blas.include ? ` (${blas.include})` : ''}` : mode === 'none' ? 'built-in SGEMM (PULSE_NATIVE_BLAS=none)' : 'built-in SGEMM (no OpenBLAS found)'}`,
);

const gypArgs = [gyp, 'rebuild', '-C', nativeDir];
// Use local headers when the Node install ships them, so no download is needed (offline machines).
const localHeaders = join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
if (existsSync(localHeaders)) gypArgs.push(`--nodedir=${resolve(dirname(process.execPath), '..')}`);
gypArgs.push('--', ...defines);
const r = spawnSync(process.execPath, gypArgs, { stdio: 'inherit', cwd: root });
if (r.status !== 0) warn('native build failed (install a C++ compiler: apt-get install -y g++ make)');
console.log(`[build-native] built ${join(nativeDir, 'build', 'Release', 'pulse_kernels.node')}`);

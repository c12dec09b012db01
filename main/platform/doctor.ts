// What this installation runs on, for `pulse doctor` and the status bar: the training kernels in use (native
// with OpenBLAS, native with the addon's own SGEMM, or TypeScript) and why.
import os from 'node:os';
import type { Doctor } from '../../common/contract/app.js';
import { kernelInfo } from '../base/engine/kernels.js';

export function doctorReport(): Doctor {
  const k = kernelInfo();
  return {
    kernels: {
      variant: k.variant,
      reason: k.reason,
      ...(k.addon ? { addon: k.addon } : {}),
      ...(k.blas ? { blas: k.blas } : {}),
      ...(k.isa ? { isa: k.isa } : {}),
      ...(k.threads ? { threads: k.threads } : {}),
    },
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.cpus().length,
  };
}

/** The report as the CLI prints it. */
export function doctorText(d: Doctor): string {
  const k = d.kernels;
  const lines = [`training kernels: ${k.variant} (${k.reason})`];
  if (k.addon) lines.push(`  addon: ${k.addon}`);
  if (k.blas) lines.push(`  matrix products: ${k.blas}`);
  if (k.isa || k.threads) lines.push(`  instruction set: ${k.isa ?? '?'}, threads: ${k.threads ?? '?'}`);
  if (k.variant === 'native+builtin')
    lines.push('  OpenBLAS (apt-get install -y libopenblas-dev, then `node scripts/build-native.mjs`) makes large products a little faster.');
  if (k.variant === 'typescript' && !/PULSE_KERNELS/.test(k.reason)) lines.push('  Training runs several times slower than with the native kernels.');
  lines.push(`node ${d.node} on ${d.platform} ${d.arch}, ${d.cpus} cpus`);
  return lines.join('\n');
}

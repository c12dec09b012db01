/**
 * Child process for the SIGKILL test of the native kernels: trains a small SASRec on generated sequences,
 * checkpointing after every batch, and prints one line per checkpoint, then the final weights' digest.
 *   node <bundle> <checkpointFile> [--resume]
 * The kernels are whatever loadKernels() picks (PULSE_NATIVE_ADDON chooses a build).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { kernelInfo } from '../../main/base/engine/kernels.js';
import { createTrainer } from '../../main/features/training/sasrec/trainer.js';

const [file, flag] = process.argv.slice(2) as [string, string | undefined];
const sequences = Array.from({ length: 400 }, (_, u) => Int32Array.from({ length: 3 + (u % 17) }, (_, i) => 1 + ((u * 31 + i * i * 7) % 300)));
const t = createTrainer({
  sequences,
  nItems: 300,
  config: { hidden: 32, heads: 2, inner: 64, blocks: 2, maxLen: 12, batch: 32, seed: 9, dropout: 0.3, attnDropout: 0.2 },
});
if (flag === '--resume') t.loadCheckpoint(file);
fs.writeSync(1, `KERNELS ${kernelInfo().variant}\n`);
while (t.epoch < 3) {
  t.trainEpoch({
    onBatch: () => {
      t.saveCheckpoint(file);
      fs.writeSync(1, `CKPT ${t.step}\n`);
    },
  });
}
const h = createHash('sha256');
for (const p of t.model.params) h.update(new Uint8Array(p.value.buffer, p.value.byteOffset, p.value.byteLength));
fs.writeSync(1, `DONE ${t.step} ${h.digest('hex')}\n`);

/**
 * Turns `--model M` into a GGUF file: a path as given, or a file in the workspace's models/ folder (with or
 * without `.gguf`). A small adapter until the SLM model registry offers a lookup by name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors.js';

export function resolveModelFile(ref: string, modelsDir: string, what = 'model'): string {
  const candidates = [path.resolve(ref), path.join(modelsDir, ref), path.join(modelsDir, `${ref}.gguf`)];
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  const here = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).filter((f) => f.endsWith('.gguf')) : [];
  throw new UserError(`No ${what} file "${ref}".`, {
    file: path.resolve(ref),
    hint: here.length
      ? `Give a .gguf path, or one of the workspace's models: ${here.join(', ')}.`
      : 'Give the path of a .gguf file, or put one in the workspace models/ folder.',
    code: 'not_found',
  });
}

/**
 * Review settings (workspace setting `review.config`) and the keybindings file `<workspace>/review/keybindings.json`
 * (docs/review.md): a JSON object from action to key, e.g. {"accept": "A", "reject": "R"}. A bad file is reported
 * and the defaults apply.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ReviewAction, ReviewConfig, type ReviewConfigOut } from '../../../common/contract/review.js';
import type { Workspace } from '../../platform/workspace/workspace.js';

export const DEFAULT_REJECT_REASONS = [
  'Not grounded in the history',
  'Factually wrong about an item',
  'Mentions a held-out item',
  'Generic / uninformative',
  'Unreadable or truncated',
  'Other',
];

export const DEFAULT_GUIDELINES = `# Reviewing rationales

A rationale explains why this user chose the target item, using only their earlier history.

- **Accept** when every claim is supported by the history shown and it names the target item's real reasons.
- **Edit** when it is close: fix wrong claims, cut filler, keep it short. Your text becomes a new version.
- **Reject** when it is wrong, generic, or names items the user never bought; pick a reason.
- **Flag** when you are unsure or the record itself looks broken; add a comment.

Never mention the user's later (validation or test) items: that leaks the answer into training.
`;

export const DEFAULT_CONFIG: ReviewConfig = {
  rejectReasons: DEFAULT_REJECT_REASONS,
  guidelines: DEFAULT_GUIDELINES,
  blind: false,
  minWords: 8,
  maxWords: 200,
  duplicateThreshold: 0.8,
};

/** Keys as the workbench's command registry writes them ("A", "Shift+Z", "Ctrl+Enter"). */
export const DEFAULT_KEYBINDINGS: Record<ReviewAction, string> = {
  accept: 'A',
  reject: 'R',
  flag: 'F',
  edit: 'E',
  next: 'J',
  previous: 'K',
  undo: 'U',
  submitEdit: 'Ctrl+Enter',
  cancelEdit: 'Escape',
};

export function readConfig(ws: Workspace): ReviewConfig {
  const saved = ws.getSetting<Partial<ReviewConfig>>('review.config', {});
  const merged = ReviewConfig.safeParse({ ...DEFAULT_CONFIG, ...saved });
  return merged.success ? merged.data : DEFAULT_CONFIG;
}

export function updateConfig(ws: Workspace, patch: Partial<ReviewConfig>): ReviewConfig {
  const next = ReviewConfig.parse({ ...readConfig(ws), ...patch });
  ws.setSetting('review.config', next);
  return next;
}

export function keybindingsFile(ws: Workspace): string {
  return path.join(ws.dir, 'review', 'keybindings.json');
}

/** Defaults overridden by the keybindings file; unknown actions, non-string keys or two actions on one key are errors. */
export function readKeybindings(ws: Workspace): { keybindings: Record<ReviewAction, string>; error: string | null } {
  const file = keybindingsFile(ws);
  if (!fs.existsSync(file)) return { keybindings: { ...DEFAULT_KEYBINDINGS }, error: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { keybindings: { ...DEFAULT_KEYBINDINGS }, error: `${file} is not valid JSON (${(e as Error).message}); using the default keys.` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { keybindings: { ...DEFAULT_KEYBINDINGS }, error: `${file} must hold a JSON object like {"accept": "A"}; using the default keys.` };
  const out = { ...DEFAULT_KEYBINDINGS };
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (k.startsWith('//') || k === '$comment') continue;
    const action = ReviewAction.safeParse(k);
    if (!action.success)
      return {
        keybindings: { ...DEFAULT_KEYBINDINGS },
        error: `${file}: unknown action "${k}" (known: ${ReviewAction.options.join(', ')}); using the default keys.`,
      };
    if (typeof v !== 'string' || !v.trim())
      return {
        keybindings: { ...DEFAULT_KEYBINDINGS },
        error: `${file}: the key for "${k}" must be a non-empty string like "A" or "Ctrl+Enter"; using the default keys.`,
      };
    out[action.data] = v.trim();
  }
  const seen = new Map<string, string>();
  for (const [action, key] of Object.entries(out)) {
    const norm = key.toLowerCase();
    if (seen.has(norm))
      return { keybindings: { ...DEFAULT_KEYBINDINGS }, error: `${file}: "${seen.get(norm)}" and "${action}" are both on ${key}; using the default keys.` };
    seen.set(norm, action);
  }
  return { keybindings: out, error: null };
}

export function configOut(ws: Workspace): ReviewConfigOut {
  const kb = readKeybindings(ws);
  return { ...readConfig(ws), keybindings: kb.keybindings, keybindingsFile: keybindingsFile(ws), keybindingsError: kb.error };
}

/**
 * Quality checks of one rationale text that need no other rationale, and the flag bits they are stored as:
 *  - invalid: empty, no words, broken characters, template or chat-format leftovers;
 *  - too_short / too_long: word count outside the configured range;
 *  - leakage: names the user's held-out (validation or test) item;
 *  - unknown_item: names a catalog item that is not in the user's training history (nor the target).
 * Only the user's held-out items can leak; a name that fits one of the user's own items is never flagged.
 * Near-duplicates need the other rationales: quality.ts finds them (minhash.ts) and stores every flag.
 */
import type { QualityFlag } from '../../../common/contract/review.js';
import type { NamedItem, TitleIndex, UserScope } from './named-items.js';
import { tokens } from './words.js';

/** Bits of review_quality.flags and review_state.flags (migration 0008 still names quality.ts, where they lived). */
export const FLAG_BITS: Record<QualityFlag, number> = { invalid: 1, too_short: 2, too_long: 4, leakage: 8, unknown_item: 16, near_duplicate: 32 };
export const FLAGS = Object.keys(FLAG_BITS) as QualityFlag[];

export function flagsFromBits(bits: number): QualityFlag[] {
  return FLAGS.filter((f) => (bits & FLAG_BITS[f]) !== 0);
}
export function bitsFromFlags(flags: readonly QualityFlag[]): number {
  return flags.reduce((b, f) => b | FLAG_BITS[f], 0);
}

export interface QualityLimits {
  minWords: number;
  maxWords: number;
  duplicateThreshold: number;
}

const LEFTOVERS = /\{\{|\}\}|<\|[a-z_]+\|>|<\/?s>|<\/?think>|\[INST\]|^\s*(assistant|user|system)\s*:/im;

export function invalidReason(text: string): string | null {
  if (!text.trim()) return 'empty';
  if (tokens(text).length === 0) return 'no words';
  if (text.includes('\uFFFD')) return 'broken characters (U+FFFD)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return 'control characters';
  const m = LEFTOVERS.exec(text);
  if (m) return `template or chat-format leftover "${m[0].trim()}"`;
  return null;
}

export interface QualityResult {
  bits: number;
  details: Record<string, unknown>;
}

/** The checks that need no other rationale. */
export function checkText(text: string, limits: QualityLimits, scope: UserScope, titles: TitleIndex): QualityResult {
  let bits = 0;
  const details: Record<string, unknown> = {};
  const invalid = invalidReason(text);
  if (invalid) {
    bits |= FLAG_BITS.invalid;
    details.invalid = invalid;
  }
  const words = tokens(text).length;
  details.words = words;
  if (!invalid && words < limits.minWords) bits |= FLAG_BITS.too_short;
  if (words > limits.maxWords) bits |= FLAG_BITS.too_long;
  const heldOut = new Map(scope.heldOut.map((i) => [i.idx, i]));
  const leaked = new Map<number, NamedItem>();
  const foreign = new Map<number, NamedItem>();
  for (const group of titles.named(text)) {
    if (group.some((it) => scope.allowed.has(it.idx))) continue; // one of the user's own items
    const held = group.filter((it) => heldOut.has(it.idx));
    if (held.length) for (const it of held) leaked.set(it.idx, it);
    else for (const it of group.slice(0, 3)) foreign.set(it.idx, it);
  }
  if (leaked.size) {
    bits |= FLAG_BITS.leakage;
    details.leakage = [...leaked.values()].map((i) => ({ item: i.originalId, title: i.title }));
  }
  if (foreign.size) {
    bits |= FLAG_BITS.unknown_item;
    details.unknownItems = [...foreign.values()].slice(0, 10).map((i) => ({ item: i.originalId, title: i.title }));
  }
  return { bits, details };
}

/**
 * Renders a template for one user and makes it fit the model's context: when the prompt plus the new tokens
 * would not fit, the OLDEST history items are dropped first (the fewest that make it fit), then the target's
 * description and the similar users' items are cut, and as a last resort the prompt's middle. It never fails
 * a user; the result says what was shortened, and the rationale version records it.
 */
import { fill, type ParsedTemplate, type TemplateVariable } from './prompt-template.js';
import { categoryLevels, type HistoryEntry, type ItemText, type UserContext } from './user-context.js';

export interface FitOptions {
  countTokens(text: string): Promise<number>;
  /** Tokens the context holds (per sequence). */
  contextSize: number;
  /** Tokens reserved for the answer. */
  maxTokens: number;
  /** Reserved for the chat template's own tokens (role markers). Default 48. */
  overhead?: number;
}

export interface RenderedPrompt {
  system: string;
  user: string;
  /** Tokens of system + user as counted (null when no counter was given). */
  promptTokens: number | null;
  shortened: boolean;
  /** Oldest history items left out to fit. */
  droppedHistory: number;
  /** True when more than history had to go (descriptions, similar users, or the middle of the prompt). */
  clipped: boolean;
}

const TARGET_DESCRIPTION_CHARS = 400;

function itemLine(it: ItemText): string {
  const bits: string[] = [];
  if (it.brand) bits.push(`brand: ${it.brand}`);
  const cats = categoryLevels(it.categories);
  if (cats.length) bits.push(`category: ${cats.slice(-2).join(' > ')}`);
  return bits.length ? `${it.title} (${bits.join('; ')})` : it.title;
}

function ratingText(r: number | null): string {
  return r === null ? '' : ` - rated ${Number.isInteger(r) ? r : r.toFixed(1)}/5`;
}

export function historyText(history: HistoryEntry[]): string {
  if (history.length === 0) return '(no earlier purchases)';
  return history.map((h, i) => `${i + 1}. ${itemLine(h.item)}${ratingText(h.rating)}`).join('\n');
}

export function reviewsText(history: HistoryEntry[]): string {
  return history
    .filter((h) => h.review)
    .map((h) => `- ${h.item.title}${ratingText(h.rating)}: "${h.review!.length > 300 ? h.review!.slice(0, 300) + '...' : h.review}"`)
    .join('\n');
}

export function targetText(it: ItemText, descChars = TARGET_DESCRIPTION_CHARS): string {
  const lines = [`Title: ${it.title}`];
  if (it.brand) lines.push(`Brand: ${it.brand}`);
  if (it.categories) lines.push(`Categories: ${categoryLevels(it.categories).join(' > ')}`);
  if (it.description && descChars > 0)
    lines.push(`Description: ${it.description.length > descChars ? it.description.slice(0, descChars) + '...' : it.description}`);
  return lines.join('\n');
}

export function variablesFor(ctx: UserContext, history: HistoryEntry[], similar: ItemText[], descChars: number): Record<TemplateVariable, string> {
  return {
    history: historyText(history),
    reviews: reviewsText(history),
    target: targetText(ctx.targetItem, descChars),
    similar_users: similar.map((s) => `- ${itemLine(s)}`).join('\n'),
    user_id: ctx.userOriginalId,
    n_history: String(history.length),
  };
}

/** Keeps the head and tail of a text, about `ratio` of it, with a marker where the middle was. */
function clipMiddle(text: string, ratio: number): string {
  const keep = Math.max(0, Math.floor(text.length * ratio));
  if (keep >= text.length) return text;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}\n[...]\n${text.slice(text.length - (keep - head))}`;
}

export async function renderPrompt(t: ParsedTemplate, ctx: UserContext, opts: { similar?: ItemText[]; fit?: FitOptions } = {}): Promise<RenderedPrompt> {
  const similar = opts.similar ?? [];
  const render = (drop: number, descChars = TARGET_DESCRIPTION_CHARS, sim = similar) => {
    const v = variablesFor(ctx, ctx.history.slice(drop), sim, descChars);
    return { system: fill(t.system, v).trim(), user: fill(t.user, v).trim() };
  };
  const fit = opts.fit;
  const first = render(0);
  if (!fit) return { ...first, promptTokens: null, shortened: false, droppedHistory: 0, clipped: false };

  const budget = Math.max(16, fit.contextSize - fit.maxTokens - (fit.overhead ?? 48));
  const count = async (p: { system: string; user: string }) => (await fit.countTokens(p.system)) + (await fit.countTokens(p.user));
  const firstTokens = await count(first);
  if (firstTokens <= budget) return { ...first, promptTokens: firstTokens, shortened: false, droppedHistory: 0, clipped: false };

  // Fewest oldest-first drops that fit (fits(drop) is monotone): binary search.
  const n = ctx.history.length;
  let lo = 1;
  let hi = n;
  let best: { p: { system: string; user: string }; tokens: number; drop: number } | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = render(mid);
    const tokens = await count(p);
    if (tokens <= budget) {
      best = { p, tokens, drop: mid };
      hi = mid - 1;
    } else lo = mid + 1;
  }
  if (best) return { ...best.p, promptTokens: best.tokens, shortened: true, droppedHistory: best.drop, clipped: false };

  // Even without history it does not fit: shorter target text, no similar users, then the prompt's middle.
  let p = render(n, 0, []);
  let tokens = await count(p);
  for (let i = 0; i < 8 && tokens > budget; i++) {
    const ratio = Math.max(0.05, (budget / tokens) * 0.9);
    p = { system: p.system.length > p.user.length ? clipMiddle(p.system, ratio) : p.system, user: clipMiddle(p.user, ratio) };
    tokens = await count(p);
  }
  if (tokens > budget) p = { system: '', user: p.user.slice(0, Math.max(1, budget)) };
  return { ...p, promptTokens: await count(p), shortened: true, droppedHistory: n, clipped: true };
}

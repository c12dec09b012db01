/** How the compare view writes its figures (one place, so the table, tooltips and tests agree). */

/** A relative gain as a signed percentage: +5.2%; '—' when there is none (a baseline of 0). */
export function fmtGain(g: number | null | undefined): string {
  if (g === null || g === undefined || !Number.isFinite(g)) return '—';
  const pct = g * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

/** A p-value with three significant digits, or "< 0.0001"; '—' when no test could be made. */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p < 1e-4 ? '< 0.0001' : p.toPrecision(3);
}

/** A metric value to four decimals, with ± std when there is more than one run. */
export function fmtMean(mean: number, std: number, n: number): string {
  if (!Number.isFinite(mean)) return '—';
  return n > 1 && Number.isFinite(std) ? `${mean.toFixed(4)} ± ${std.toFixed(4)}` : mean.toFixed(4);
}

/** 'better', 'worse' or 'same' for B against A, for colouring a gain (significant at 0.05 or not). */
export function gainTone(gain: number | null | undefined, p: number | null | undefined): 'better' | 'worse' | 'same' {
  if (gain === null || gain === undefined || !Number.isFinite(gain) || gain === 0) return 'same';
  if (p === null || p === undefined || !(p < 0.05)) return 'same';
  return gain > 0 ? 'better' : 'worse';
}

import type { z } from 'zod';
import type { MemoryFitInfo } from '../../../common/contract';
import { fmtBytes } from '../../ui/host';

export function fmtParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(n);
}

export function FitBadge({ fit }: { fit: z.infer<typeof MemoryFitInfo> }) {
  const label = fit.verdict === 'too-large' ? 'too large' : fit.verdict;
  return (
    <span
      className={`badge-fit ${fit.verdict}`}
      data-fit={fit.verdict}
      title={`${fit.explanation} (needs ${fmtBytes(fit.needBytes)}, ${fmtBytes(fit.availableBytes)} available)`}
    >
      {label}
    </span>
  );
}

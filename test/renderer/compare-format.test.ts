import { describe, expect, it } from 'vitest';
import { fmtGain, fmtMean, fmtP, gainTone } from '../../renderer/features/training/compare-format';

describe('compare view figures', () => {
  it('gains are signed percentages', () => {
    expect(fmtGain(0.0523)).toBe('+5.2%');
    expect(fmtGain(-0.031)).toBe('−3.1%');
    expect(fmtGain(0.25)).toBe('+25%');
    expect(fmtGain(0)).toBe('+0.0%');
    expect(fmtGain(null)).toBe('—');
  });
  it('p-values keep three significant digits down to 1e-4', () => {
    expect(fmtP(0.8312)).toBe('0.831');
    expect(fmtP(0.00123)).toBe('0.00123');
    expect(fmtP(3e-9)).toBe('< 0.0001');
    expect(fmtP(null)).toBe('—');
    expect(fmtP(NaN)).toBe('—');
  });
  it('means carry ± std only over several runs', () => {
    expect(fmtMean(0.032, 0.0014, 3)).toBe('0.0320 ± 0.0014');
    expect(fmtMean(0.032, 0, 1)).toBe('0.0320');
  });
  it('a gain is coloured only when it is significant', () => {
    expect(gainTone(0.1, 0.01)).toBe('better');
    expect(gainTone(-0.1, 0.01)).toBe('worse');
    expect(gainTone(0.1, 0.2)).toBe('same');
    expect(gainTone(0.1, null)).toBe('same');
  });
});

import { describe, expect, it } from 'vitest';
import { clockBaseSeconds, formatClock, formatElapsed, timeTicks } from '../../src-renderer/record/record-time.ts';

describe('time axis labels of a long recording', () => {
  it('puts ticks on a round step, at most the number asked for, inside the span', () => {
    expect(timeTicks(900, 910, 6)).toEqual({ step: 2, ticks: [900, 902, 904, 906, 908, 910] });
    expect(timeTicks(901.3, 905.9, 10)).toEqual({ step: 0.5, ticks: [901.5, 902, 902.5, 903, 903.5, 904, 904.5, 905, 905.5] });
    const day = timeTicks(0, 86_400, 12);
    expect(day.step).toBe(7200);
    expect(day.ticks).toHaveLength(13);
    expect(timeTicks(0.1, 0.7, 5).ticks).toEqual([0.2, 0.4, 0.6]);
  });

  it('writes elapsed time as mm:ss, hh:mm:ss past an hour-long record, with tenths on request', () => {
    expect(formatElapsed(900, false)).toBe('15:00');
    expect(formatElapsed(900, true)).toBe('00:15:00');
    expect(formatElapsed(3723.5, true, true)).toBe('01:02:03.5');
    expect(formatElapsed(59.96, false, true)).toBe('00:59.9');
  });

  it('reads the clock of the start from an ISO start time or a WFDB base time, and wraps past midnight', () => {
    expect(clockBaseSeconds('2026-12-02T10:30:05')).toBe(37_805);
    expect(clockBaseSeconds('23:59:30.5')).toBe(86_370.5);
    expect(clockBaseSeconds('2026-12-02')).toBeUndefined();
    expect(clockBaseSeconds(undefined)).toBeUndefined();
    expect(formatClock(37_805, 900)).toBe('10:45:05');
    expect(formatClock(86_370.5, 60)).toBe('00:00:30');
  });
});

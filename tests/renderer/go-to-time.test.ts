import { describe, expect, it } from 'vitest';
import { parseGoToTime } from '../../src-renderer/record/go-to-time.ts';

describe('go-to-time input', () => {
  it('accepts hh:mm:ss, mm:ss and seconds within the record', () => {
    expect(parseGoToTime('00:15:00', 1806)).toEqual({ seconds: 900 });
    expect(parseGoToTime(' 1:02:03.5 ', 86400)).toEqual({ seconds: 3723.5 });
    expect(parseGoToTime('15:00', 1806)).toEqual({ seconds: 900 });
    expect(parseGoToTime('42.5', 1806)).toEqual({ seconds: 42.5 });
  });

  it('refuses what is not a time or lies past the end, with one line', () => {
    expect(parseGoToTime('abc', 1806)).toEqual({ error: '"abc" is not a time: use hh:mm:ss, mm:ss or seconds' });
    expect(parseGoToTime('00:75:00', 1806)).toMatchObject({ error: expect.stringMatching(/under 60/) });
    expect(parseGoToTime('01:00:00', 1806)).toMatchObject({ error: expect.stringMatching(/past the end/) });
    expect(parseGoToTime('-5', 1806)).toMatchObject({ error: expect.stringMatching(/not a time/) });
  });
});

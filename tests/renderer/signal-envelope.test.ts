import { describe, expect, it } from 'vitest';
import { columnEnvelope } from '../../src-renderer/record/signal-envelope.ts';

describe('overview envelope of a lead', () => {
  it('takes the min and max of the values falling in each column, NaN where none falls', () => {
    const { min, max } = columnEnvelope([0, 3, -1, 2, 5, -4, 1, 1], 4);
    expect([...min]).toEqual([0, -1, -4, 1]);
    expect([...max]).toEqual([3, 2, 5, 1]);
    const sparse = columnEnvelope([7, 8], 4);
    expect([...sparse.min]).toEqual([7, NaN, 8, NaN]);
  });
});

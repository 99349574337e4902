// A UI saliency run names its records or a worklist query (a queue, a saved selection): the contract checks the query's
// fields like records.list's, so a bad field is one line naming it.
import { describe, expect, it } from 'vitest';
import { validateParams } from '../../src-shared/api.ts';
import { agreementBars } from '../../src-renderer/lib/agreement-bars.ts';

describe("'explain.start' params", () => {
  it('takes record ids or a worklist query', () => {
    expect(validateParams('explain.start', { modelId: 1, records: ['3'], methods: ['grad-cam'] })).toMatchObject({ records: ['3'] });
    const queue = { queue: 'new', selection: 'pair', label: '164889003', reviewer: 'anna' };
    expect(validateParams('explain.start', { modelId: 1, queue, methods: ['grad-cam'] })).toMatchObject({ queue });
  });

  it('refuses a query that is not an object, an unknown field and a field of the wrong type', () => {
    expect(() => validateParams('explain.start', { modelId: 1, queue: 'all', methods: [] })).toThrow(
      /^explain\.start: queue must be an object$/,
    );
    expect(() => validateParams('explain.start', { modelId: 1, queue: { colour: 'red' }, methods: [] })).toThrow(
      /^explain\.start: queue: unknown field 'colour'$/,
    );
    expect(() => validateParams('explain.start', { modelId: 1, queue: { leadCount: 'twelve' }, methods: [] })).toThrow(
      /^explain\.start: queue\.leadCount must be an integer$/,
    );
  });
});

describe('agreementBars', () => {
  it('bins per-record agreement from -1 to 1, the fullest bin at full height, NaN left out', () => {
    const bars = agreementBars([-1, -0.95, 0.05, 0.99, 1, Number.NaN], 20, 200, 40);
    expect(bars.map((b) => b.count)).toEqual([2, ...new Array<number>(9).fill(0), 1, ...new Array<number>(8).fill(0), 2]);
    expect(bars[0]).toMatchObject({ x: 0, y: 0, height: 40 });
    expect(bars[10]).toMatchObject({ x: 100, y: 20, height: 20 });
  });
});

import { describe, expect, it } from 'vitest';
import { followCursor } from '../../src-renderer/lib/queue-cursor.ts';

describe('followCursor: the reviewer keeps its place across a queue reload', () => {
  it('stays on its record when rows before it leave or arrive', () => {
    expect(followCursor([1, 2, 3, 4], 2, [2, 3, 4])).toBe(1);
    expect(followCursor([1, 2, 3, 4], 2, [0, 1, 2, 3, 4])).toBe(3);
  });
  it('lands on the record that followed it when its record left the queue', () => {
    expect(followCursor([1, 2, 3, 4], 1, [1, 3, 4])).toBe(1);
    // Its follower left too (accepted elsewhere): the next one still there.
    expect(followCursor([1, 2, 3, 4, 5], 1, [1, 4, 5])).toBe(1);
    expect(followCursor([10, 20, 30, 40], 0, [20, 30, 40])).toBe(0);
  });
  it('falls back to the nearest record before it at the end of the queue, and 0 on an empty one', () => {
    expect(followCursor([1, 2, 3], 2, [1, 2])).toBe(1);
    expect(followCursor([1, 2, 3], 2, [1])).toBe(0);
    expect(followCursor([1, 2, 3], 1, [])).toBe(0);
    expect(followCursor([], 0, [5, 6])).toBe(0);
  });
});

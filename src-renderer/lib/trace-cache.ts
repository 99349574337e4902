import type { SignalWindow } from '../../src-shared/api.ts';
import { windowMillivolts } from './signal-window.ts';

/** A fetched stretch of every lead in mV: raw samples (bucket 1) or interleaved (min, max) per bucket. */
export interface TraceBlock {
  start: number;
  end: number;
  bucket: number;
  leads: Float32Array[];
  filters: string[];
}

export function blockFromWindow(w: SignalWindow): TraceBlock {
  return { start: w.start, end: w.end, bucket: w.bucketSize, leads: windowMillivolts(w), filters: w.filters ?? [] };
}

/** The raw samples of [start, start + n) of every lead (block must be raw and cover it). */
export function rawSlice(b: TraceBlock, start: number, n: number): Float32Array[] {
  const o = start - b.start;
  return b.leads.map((l) => l.subarray(o, o + n));
}

export function covers(b: TraceBlock, start: number, end: number): boolean {
  return b.start <= start && b.end >= end;
}

/** Whether a block may be drawn under `filters`: min/max blocks are never filtered, raw ones must match. */
export function showsFilters(b: TraceBlock, filters: string): boolean {
  return b.bucket > 1 || b.filters.join() === filters;
}

/** The finest of `blocks` that covers [start, end) and may be drawn under `filters`. */
export function finestCovering(blocks: Iterable<TraceBlock>, start: number, end: number, filters: string): TraceBlock | undefined {
  let best: TraceBlock | undefined;
  for (const b of blocks) {
    if (covers(b, start, end) && showsFilters(b, filters) && (!best || b.bucket < best.bucket)) best = b;
  }
  return best;
}

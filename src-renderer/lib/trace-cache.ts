import type { SignalWindow } from '../../src-shared/api.ts';
import { windowMillivolts } from './signal-window.ts';

/** A fetched stretch of every lead in mV: raw samples (bucket 1) or interleaved (min, max) per bucket. */
export interface TraceCache {
  start: number;
  end: number;
  bucket: number;
  leads: Float32Array[];
  filters: string[];
}

export function cacheFromWindow(w: SignalWindow): TraceCache {
  return { start: w.start, end: w.end, bucket: w.bucketSize, leads: windowMillivolts(w), filters: w.filters ?? [] };
}

/** The raw samples of [start, start + n) of every lead (cache must be raw and cover it). */
export function rawSlice(c: TraceCache, start: number, n: number): Float32Array[] {
  const o = start - c.start;
  return c.leads.map((l) => l.subarray(o, o + n));
}

export function covers(c: TraceCache | undefined, start: number, end: number, lengthOfRecord: number): boolean {
  return !!c && c.start <= start && (c.end >= end || c.end >= lengthOfRecord);
}

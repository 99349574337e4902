import type { SignalWindow } from '../../src-shared/api.ts';
import { blockFromWindow, finestCovering, type TraceBlock } from './trace-cache.ts';

export type FetchWindow = (start: number, end: number, maxPoints: number, filters: string[]) => Promise<SignalWindow>;

/** Blocks kept besides the overview (a raw 12-lead block of two 10 s screens is about 1 MB). */
const KEEP = 16;
/** Blocks fetched ahead in the pan direction: at a brisk pan (about a screen a second) this hides a fetch of up to ~2 s. */
const AHEAD = 3;
/** Buckets in the whole-record overview: something true to draw anywhere at once, however coarse. */
const OVERVIEW_POINTS = 8192;

export interface TraceLoader {
  /**
   * What to draw for [start, start + span) at `width` pixels now, and whether it is the exact resolution;
   * requests the exact block and those ahead when missing. Undefined only before anything has arrived.
   */
  view(start: number, span: number, width: number, filters: string[]): { block: TraceBlock; exact: boolean } | undefined;
}

/**
 * Trace blocks around the view, fetched ahead of the pan so frames never wait on the server. For a view of
 * `span` samples, block k covers [k·span, k·span + 2·span): any view lies inside one block, so a frame draws from
 * one. What cannot be drawn exactly yet is drawn from the finest block that covers it (down to the overview)
 * and redrawn when the exact block lands.
 */
export function createTraceLoader(fetchWindow: FetchWindow, length: number, onLoad: () => void, onError: (e: Error) => void): TraceLoader {
  const blocks = new Map<string, TraceBlock>();
  const pending = new Set<string>();
  let overview: TraceBlock | undefined;
  let overviewAsked = false;
  let lastStart: number | undefined;
  let direction = 1;
  const key = (k: number, span: number, filters: string): string => `${span}|${filters}|${k}`;

  function request(k: number, span: number, width: number, filters: string[]): void {
    const id = key(k, span, filters.join());
    const have = blocks.get(id);
    if (have) {
      // Most recently used last, so eviction drops what the reader left behind.
      blocks.delete(id);
      blocks.set(id, have);
      return;
    }
    if (pending.has(id)) return;
    pending.add(id);
    const from = k * span;
    const to = Math.min(length, from + 2 * span);
    // Raw samples while they are at most ~4 a pixel (or no pyramid level is fine enough), else the coarsest
    // min/max level with at least two buckets a pixel.
    const maxPoints = Math.min(1_000_000, Math.max(16, Math.ceil(((to - from) / span) * 4 * width)));
    fetchWindow(from, to, maxPoints, filters).then(
      (w) => {
        pending.delete(id);
        blocks.set(id, blockFromWindow(w));
        for (const old of blocks.keys()) {
          if (blocks.size <= KEEP) break;
          blocks.delete(old);
        }
        onLoad();
      },
      (e: Error) => {
        pending.delete(id);
        onError(e);
      },
    );
  }

  return {
    view(start, span, width, filters) {
      if (lastStart !== undefined && start !== lastStart) direction = start > lastStart ? 1 : -1;
      lastStart = start;
      const fkey = filters.join();
      const k = Math.floor(start / span);
      const last = Math.floor((length - 1) / span);
      // The view's block first (its fetch goes first), then ahead in the pan direction, then one behind.
      const wanted = [k, ...Array.from({ length: AHEAD }, (_, i) => k + (i + 1) * direction), k - direction].filter(
        (j) => j >= 0 && j <= last,
      );
      for (const j of wanted) request(j, span, width, filters);
      if (2 * span < length && !overviewAsked) {
        overviewAsked = true;
        fetchWindow(0, length, OVERVIEW_POINTS, []).then(
          (w) => {
            overview = blockFromWindow(w);
            onLoad();
          },
          (e: Error) => onError(e),
        );
      }
      const exact = blocks.get(key(k, span, fkey));
      if (exact) return { block: exact, exact: true };
      const candidates = overview ? [...blocks.values(), overview] : blocks.values();
      const block = finestCovering(candidates, start, start + span, fkey);
      return block && { block, exact: false };
    },
  };
}

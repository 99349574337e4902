import type { SignalWindow } from '../../src-shared/api.ts';
import { blockFromWindow, finestCovering, type TraceBlock } from './trace-cache.ts';

export type FetchWindow = (start: number, end: number, maxPoints: number, filters: string[]) => Promise<SignalWindow>;

/** Blocks kept besides the overview (a raw 12-lead block of two 10 s screens is about 1 MB). */
const KEEP = 16;
/** Blocks fetched ahead in the pan direction: at a brisk pan (about a screen a second) this hides a fetch of up to ~2 s. */
const AHEAD = 3;
/** Buckets in the whole-record overview: something true to draw anywhere at once, however coarse. */
const OVERVIEW_POINTS = 8192;

/**
 * Trace blocks around the view, fetched ahead of the pan so frames never wait on the server. For a view of
 * `span` samples, block k covers [k·span, k·span + 2·span): any view lies inside one block, so a frame draws from
 * one. What cannot be drawn exactly yet is drawn from the finest block that covers it (down to the overview)
 * and redrawn when the exact block lands.
 */
export class TraceLoader {
  private blocks = new Map<string, TraceBlock>();
  private pending = new Set<string>();
  private overview: TraceBlock | undefined;
  private overviewAsked = false;
  private lastStart: number | undefined;
  private direction = 1;

  constructor(private readonly fetchWindow: FetchWindow, private readonly length: number, private readonly onLoad: () => void, private readonly onError: (e: Error) => void) {}

  /**
   * What to draw for [start, start + span) at `width` pixels now, and whether it is the exact resolution;
   * requests the exact block and those ahead when missing. Undefined only before anything has arrived.
   */
  view(start: number, span: number, width: number, filters: string[]): { block: TraceBlock; exact: boolean } | undefined {
    if (this.lastStart !== undefined && start !== this.lastStart) this.direction = start > this.lastStart ? 1 : -1;
    this.lastStart = start;
    const fkey = filters.join();
    const k = Math.floor(start / span);
    const last = Math.floor((this.length - 1) / span);
    // The view's block first (its fetch goes first), then ahead in the pan direction, then one behind.
    const wanted = [k, ...Array.from({ length: AHEAD }, (_, i) => k + (i + 1) * this.direction), k - this.direction].filter((j) => j >= 0 && j <= last);
    for (const j of wanted) this.request(j, span, width, filters);
    if (2 * span < this.length && !this.overviewAsked) {
      this.overviewAsked = true;
      this.fetchWindow(0, this.length, OVERVIEW_POINTS, []).then((w) => {
        this.overview = blockFromWindow(w);
        this.onLoad();
      }, (e: Error) => this.onError(e));
    }
    const exact = this.blocks.get(this.key(k, span, fkey));
    if (exact) return { block: exact, exact: true };
    const candidates = this.overview ? [...this.blocks.values(), this.overview] : this.blocks.values();
    const block = finestCovering(candidates, start, start + span, fkey);
    return block && { block, exact: false };
  }

  private key(k: number, span: number, filters: string): string {
    return `${span}|${filters}|${k}`;
  }

  private request(k: number, span: number, width: number, filters: string[]): void {
    const key = this.key(k, span, filters.join());
    const have = this.blocks.get(key);
    if (have) {
      // Most recently used last, so eviction drops what the reader left behind.
      this.blocks.delete(key);
      this.blocks.set(key, have);
      return;
    }
    if (this.pending.has(key)) return;
    this.pending.add(key);
    const from = k * span;
    const to = Math.min(this.length, from + 2 * span);
    // Raw samples while they are at most ~4 a pixel (or no pyramid level is fine enough), else the coarsest
    // min/max level with at least two buckets a pixel.
    const maxPoints = Math.min(1_000_000, Math.max(16, Math.ceil(((to - from) / span) * 4 * width)));
    this.fetchWindow(from, to, maxPoints, filters).then((w) => {
      this.pending.delete(key);
      this.blocks.set(key, blockFromWindow(w));
      for (const old of this.blocks.keys()) {
        if (this.blocks.size <= KEEP) break;
        this.blocks.delete(old);
      }
      this.onLoad();
    }, (e: Error) => {
      this.pending.delete(key);
      this.onError(e);
    });
  }
}

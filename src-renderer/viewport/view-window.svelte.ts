import { STRIP_MM } from '../lib/chart-view.ts';

/** Zoom steps either side of the calibrated view (one step halves or doubles the seconds on screen). */
const ZOOM_IN_MAX = 3;
const ZOOM_OUT_MAX = 20;

/**
 * Which stretch of a record the viewport shows: paper speed, zoom and start, and the time arithmetic over them.
 * Zooming changes seconds per strip, not the strip: at zoom 0 the paper runs at the calibrated speed.
 */
export class ViewWindow {
  speed = $state(25);
  zoom = $state(0);
  startSec = $state(0);
  /** The record's sampling rate and duration, derived primitives: reloading its labels moves nothing. */
  fs: number;
  durationSeconds: number;
  /** Record length in samples (0 before the record has loaded). */
  length: number;

  constructor(record: () => { samplingRate: number; durationSeconds: number } | undefined) {
    this.fs = $derived(record()?.samplingRate ?? 1);
    this.durationSeconds = $derived(record()?.durationSeconds ?? 0);
    this.length = $derived(Math.round(this.durationSeconds * this.fs));
  }

  // Getters over the state (cheap arithmetic), so whoever reads them tracks speed, zoom, start and the record.
  get #standardSpan(): number {
    return STRIP_MM / this.speed;
  }
  get spanSec(): number {
    return this.length ? Math.min(this.durationSeconds, this.#standardSpan * 2 ** this.zoom) : this.#standardSpan;
  }
  get mmPerSecond(): number {
    return this.zoom === 0 ? this.speed : STRIP_MM / (this.#standardSpan * 2 ** this.zoom);
  }
  get viewSamples(): number {
    return Math.max(2, Math.floor(this.spanSec * this.fs));
  }
  /** First record sample shown. */
  get viewStart(): number {
    return Math.max(0, Math.min(this.length - this.viewSamples, Math.round(this.startSec * this.fs)));
  }

  /** Moves the start to `seconds`, kept inside the record. */
  moveTo(seconds: number): void {
    this.startSec = Math.max(0, Math.min(this.durationSeconds - this.spanSec, seconds));
  }
  /** Pans by a fraction of the screen (negative: back in time). */
  panScreens(fraction: number): void {
    this.moveTo(this.viewStart / this.fs + fraction * this.spanSec);
  }
  zoomIn(): void {
    this.zoom = Math.max(-ZOOM_IN_MAX, this.zoom - 1);
  }
  zoomOut(): void {
    this.zoom = Math.min(ZOOM_OUT_MAX, this.zoom + 1);
  }
  resetZoom(): void {
    this.zoom = 0;
  }
}

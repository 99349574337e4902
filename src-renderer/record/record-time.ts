// Time labels of a long recording: elapsed time from the record's start and, when the record has a base time, clock time.

/** Tick steps in seconds, smallest first; a step is chosen so a span shows at most a given number of ticks. */
const STEPS = [0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

/** Tick times (seconds from the record start) over [startSec, endSec], at most `maxTicks` of them, on a round step. */
export function timeTicks(startSec: number, endSec: number, maxTicks: number): { step: number; ticks: number[] } {
  const span = Math.max(0, endSec - startSec);
  const step = STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? STEPS[STEPS.length - 1];
  const ticks: number[] = [];
  // Counted in whole steps so 0.2 s steps do not drift (0.1 + 0.2 !== 0.3).
  for (let k = Math.ceil(startSec / step - 1e-9); k * step <= endSec + 1e-9; k++) ticks.push(Number((k * step).toFixed(3)));
  return { step, ticks };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "mm:ss" (or "hh:mm:ss" when `hours`), with tenths when the step is under a second. */
export function formatElapsed(seconds: number, hours: boolean, tenths = false): string {
  const whole = Math.floor(seconds + 1e-9);
  const h = Math.floor(whole / 3600),
    m = Math.floor((whole % 3600) / 60),
    s = whole % 60;
  const frac = tenths ? `.${Math.floor((seconds - whole) * 10 + 1e-6) % 10}` : '';
  return `${hours ? `${pad(h)}:` : ''}${pad(m)}:${pad(s)}${frac}`;
}

/**
 * Seconds after midnight of the record's start, from its start time ("2026-12-02T10:30:05", "10:30:05" or a WFDB
 * base time "10:30:05.250"); undefined when there is none. Read as written: the recording's local clock, no time zone.
 */
export function clockBaseSeconds(startTime: string | undefined): number | undefined {
  const m = startTime ? /(?:^|[T\s])(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?/.exec(startTime.trim()) : null;
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** Clock time "HH:MM:SS" of a moment `seconds` into a record that started at `baseSeconds` after midnight. */
export function formatClock(baseSeconds: number, seconds: number): string {
  const t = Math.floor(baseSeconds + seconds + 1e-9) % 86400;
  return `${pad(Math.floor(t / 3600))}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}`;
}

// Keys for label shortcuts: the first nine on the number keys, the next on two-key chords (g then a digit: 10-18,
// h then a digit: 19-27), so a reviewer's whole working set is a key or two away, never typed.

/** Chord prefixes in order; each holds nine labels on its digits. */
export const CHORD_PREFIXES = ['g', 'h'] as const;
export const MAX_SHORTCUTS = 9 * (1 + CHORD_PREFIXES.length);

/** What to press for shortcut `index` (0-based): '3', or 'g 3' for a chord. */
export function shortcutKeys(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SHORTCUTS) throw new Error(`no key for shortcut ${index + 1}`);
  const digit = String((index % 9) + 1);
  return index < 9 ? digit : `${CHORD_PREFIXES[Math.floor(index / 9) - 1]} ${digit}`;
}

/** The shortcut index of a digit pressed after `prefix` ('' when none), or undefined when the keys name none. */
export function shortcutIndex(prefix: string, key: string): number | undefined {
  if (!/^[1-9]$/.test(key)) return undefined;
  const group = prefix === '' ? 0 : CHORD_PREFIXES.indexOf(prefix as (typeof CHORD_PREFIXES)[number]) + 1;
  if (group === 0 && prefix !== '') return undefined;
  return group * 9 + Number(key) - 1;
}

export const isChordPrefix = (key: string): boolean => (CHORD_PREFIXES as readonly string[]).includes(key);

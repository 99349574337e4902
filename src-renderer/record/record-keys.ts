// The record view's key map: a key press to a command (the view carries it out), so the map reads in one place.

export type RecordCommand =
  | { kind: 'undo' }
  | { kind: 'redo' }
  /** Pan by a fraction of the screen. */
  | { kind: 'pan'; screens: number }
  | { kind: 'zoom-in' }
  | { kind: 'zoom-out' }
  | { kind: 'zoom-reset' }
  | { kind: 'next-layout' }
  | { kind: 'calipers' }
  | { kind: 'filters' }
  | { kind: 'review-state'; state: 'accepted' | 'second-opinion' }
  | { kind: 'label'; code: string }
  | { kind: 'search' };

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** The command for a key press, undefined when the view does not take the key. `shortcuts`: SNOMED codes on 1..9. */
export function recordCommand(e: Keys, shortcuts: readonly string[]): RecordCommand | undefined {
  const k = e.key;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && (k === 'z' || k === 'Z')) return { kind: e.shiftKey ? 'redo' : 'undo' };
  if (mod && k === 'y') return { kind: 'redo' };
  if (mod || e.altKey) return undefined;
  if (k === 'ArrowRight' || k === 'ArrowLeft') return { kind: 'pan', screens: (e.shiftKey ? 1 : 0.25) * (k === 'ArrowRight' ? 1 : -1) };
  if (k === '+' || k === '=') return { kind: 'zoom-in' };
  if (k === '-') return { kind: 'zoom-out' };
  if (k === '0') return { kind: 'zoom-reset' };
  if (k === 'l') return { kind: 'next-layout' };
  if (k === 'c') return { kind: 'calipers' };
  if (k === 'f') return { kind: 'filters' };
  if (k === 'a') return { kind: 'review-state', state: 'accepted' };
  if (k === 'o') return { kind: 'review-state', state: 'second-opinion' };
  if (/^[1-9]$/.test(k) && shortcuts[Number(k) - 1]) return { kind: 'label', code: shortcuts[Number(k) - 1] };
  if (k === '/') return { kind: 'search' };
  return undefined;
}

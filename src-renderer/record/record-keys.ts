// The record view's key map: a key press to a command (the view carries it out), so the map reads in one place.
import { isChordPrefix, shortcutIndex } from '../../src-shared/label-shortcuts.ts';

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
  /** Each lead's own boundaries as ticks in the median-beat view, on or off. */
  | { kind: 'lead-ticks' }
  /** 'accepted' becomes 'corrected' when this reviewer changed the record's labels (the view decides). */
  | { kind: 'review-state'; state: 'accepted' | 'corrected' | 'second-opinion' }
  /** Accept (or corrected) and open the next record of the queue. */
  | { kind: 'submit-next' }
  /** The first key of a two-key label chord; the view waits for the digit. */
  | { kind: 'chord'; prefix: string }
  | { kind: 'label'; code: string }
  /** A chord's second key that names no shortcut: the chord is dropped. */
  | { kind: 'cancel' }
  | { kind: 'search' };

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * The command for a key press, undefined when the view does not take the key. `shortcuts`: SNOMED codes on 1..9,
 * then on g 1..9 and h 1..9; `chord`: the prefix pressed just before ('' when none).
 */
export function recordCommand(e: Keys, shortcuts: readonly string[], chord = ''): RecordCommand | undefined {
  const k = e.key;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && (k === 'z' || k === 'Z')) return { kind: e.shiftKey ? 'redo' : 'undo' };
  if (mod && k === 'y') return { kind: 'redo' };
  if (mod || e.altKey) return undefined;
  if (chord !== '') {
    const i = shortcutIndex(chord, k);
    return i !== undefined && shortcuts[i] ? { kind: 'label', code: shortcuts[i] } : { kind: 'cancel' };
  }
  if (k === 'ArrowRight' || k === 'ArrowLeft') return { kind: 'pan', screens: (e.shiftKey ? 1 : 0.25) * (k === 'ArrowRight' ? 1 : -1) };
  if (k === '+' || k === '=') return { kind: 'zoom-in' };
  if (k === '-') return { kind: 'zoom-out' };
  if (k === '0') return { kind: 'zoom-reset' };
  if (k === 'l') return { kind: 'next-layout' };
  if (k === 'c') return { kind: 'calipers' };
  if (k === 'f') return { kind: 'filters' };
  if (k === 'b') return { kind: 'lead-ticks' };
  if (k === 'a') return { kind: 'review-state', state: 'accepted' };
  if (k === 'x') return { kind: 'review-state', state: 'corrected' };
  if (k === 'o') return { kind: 'review-state', state: 'second-opinion' };
  if (k === 'n') return { kind: 'submit-next' };
  if (isChordPrefix(k) && shortcuts.length > 9) return { kind: 'chord', prefix: k };
  const i = shortcutIndex('', k);
  if (i !== undefined && shortcuts[i]) return { kind: 'label', code: shortcuts[i] };
  if (k === '/') return { kind: 'search' };
  return undefined;
}

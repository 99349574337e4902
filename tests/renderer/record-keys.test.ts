import { describe, expect, it } from 'vitest';
import { addCaliperPoint, caliperReading, caliperSpan } from '../../src-renderer/overlays/calipers.ts';
import { recordCommand } from '../../src-renderer/record/record-keys.ts';
import { acceptState } from '../../src-renderer/record/accept-state.ts';
import { shortcutIndex, shortcutKeys } from '../../src-shared/label-shortcuts.ts';
import type { LabelAssertion } from '../../src-shared/api.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('record view key map', () => {
  const shortcuts = ['426783006', '164889003'];
  it('maps keys to commands and leaves the rest to the app', () => {
    expect(recordCommand(key('z', { ctrlKey: true }), shortcuts)).toEqual({ kind: 'undo' });
    expect(recordCommand(key('Z', { metaKey: true, shiftKey: true }), shortcuts)).toEqual({ kind: 'redo' });
    expect(recordCommand(key('y', { ctrlKey: true }), shortcuts)).toEqual({ kind: 'redo' });
    expect(recordCommand(key('ArrowRight'), shortcuts)).toEqual({ kind: 'pan', screens: 0.25 });
    expect(recordCommand(key('ArrowLeft', { shiftKey: true }), shortcuts)).toEqual({ kind: 'pan', screens: -1 });
    expect(recordCommand(key('='), shortcuts)).toEqual({ kind: 'zoom-in' });
    expect(recordCommand(key('-'), shortcuts)).toEqual({ kind: 'zoom-out' });
    expect(recordCommand(key('a'), shortcuts)).toEqual({ kind: 'review-state', state: 'accepted' });
    expect(recordCommand(key('b'), shortcuts)).toEqual({ kind: 'lead-ticks' });
    expect(recordCommand(key('2'), shortcuts)).toEqual({ kind: 'label', code: '164889003' });
    // No shortcut on 3, a modified letter, and the app's own keys (j/k/Enter/Escape/r) are not the view's.
    for (const k of [key('3'), key('c', { altKey: true }), key('j'), key('Enter'), key('Escape'), key('r')])
      expect(recordCommand(k, shortcuts)).toBeUndefined();
  });
});

describe('calipers', () => {
  it('reads the time, voltage and rate between two points and starts a new pair on a third click', () => {
    const a = { sample: 100.4, millivolts: 0.1, lead: 'II' };
    const b = { sample: 600.2, millivolts: 1.1, lead: 'II' };
    let pts = addCaliperPoint(addCaliperPoint([], a), b);
    const r = caliperReading(pts, 500)!;
    expect(r.ms).toBeCloseTo(999.6, 6);
    expect(r.mv).toBeCloseTo(1, 6);
    expect(r.bpm).toBeCloseTo(60_000 / 999.6, 6);
    expect(caliperSpan(pts)).toEqual({ start: 100, end: 601, lead: 'II' });
    pts = addCaliperPoint(pts, { sample: 5, millivolts: 0, lead: 'V1' });
    expect(pts).toHaveLength(1);
    expect(caliperReading(pts, 500)).toBeUndefined();
  });
});

describe('annotator keys', () => {
  const many = Array.from({ length: 20 }, (_, i) => `code${i + 1}`);
  it('review keys: a accept, x corrected, o second opinion, n submit and next', () => {
    expect(recordCommand(key('x'), many)).toEqual({ kind: 'review-state', state: 'corrected' });
    expect(recordCommand(key('o'), many)).toEqual({ kind: 'review-state', state: 'second-opinion' });
    expect(recordCommand(key('n'), many)).toEqual({ kind: 'submit-next' });
  });
  it('more than nine shortcuts: 1-9, then g and h chords with a digit', () => {
    expect(recordCommand(key('9'), many)).toEqual({ kind: 'label', code: 'code9' });
    expect(recordCommand(key('g'), many)).toEqual({ kind: 'chord', prefix: 'g' });
    expect(recordCommand(key('1'), many, 'g')).toEqual({ kind: 'label', code: 'code10' });
    expect(recordCommand(key('9'), many, 'g')).toEqual({ kind: 'label', code: 'code18' });
    expect(recordCommand(key('2'), many, 'h')).toEqual({ kind: 'label', code: 'code20' });
    // A chord onto an empty slot or a non-digit drops the chord; with nine or fewer shortcuts g is no chord.
    expect(recordCommand(key('3'), many, 'h')).toEqual({ kind: 'cancel' });
    expect(recordCommand(key('q'), many, 'g')).toEqual({ kind: 'cancel' });
    expect(recordCommand(key('g'), many.slice(0, 9))).toBeUndefined();
  });
  it('names the keys of every shortcut and refuses a 28th', () => {
    expect([0, 8, 9, 17, 18, 26].map(shortcutKeys)).toEqual(['1', '9', 'g 1', 'g 9', 'h 1', 'h 9']);
    expect(() => shortcutKeys(27)).toThrow('no key for shortcut 28');
    for (let i = 0; i < 27; i++) {
      const [a, b] = shortcutKeys(i).split(' ');
      expect(b === undefined ? shortcutIndex('', a) : shortcutIndex(a, b)).toBe(i);
    }
  });
});

describe('accept or corrected', () => {
  const row = (p: Partial<LabelAssertion>): LabelAssertion => ({
    id: 1,
    vocabulary: 'SNOMED',
    code: 'NSR',
    present: true,
    sourceKind: 'dataset',
    sourceName: 'x',
    author: null,
    likelihood: null,
    isCurrent: true,
    supersedes: null,
    assertedAt: 't',
    ...p,
  });
  it("is 'corrected' only when this reviewer's current word differs from the dataset's", () => {
    const dataset = row({});
    expect(acceptState([dataset], 'dr.a')).toBe('accepted');
    // Added AF: a correction.
    expect(acceptState([dataset, row({ sourceKind: 'annotator', code: 'AF', author: 'dr.a' })], 'dr.a')).toBe('corrected');
    // Another reviewer's correction is not this reviewer's.
    expect(acceptState([dataset, row({ sourceKind: 'annotator', code: 'AF', author: 'dr.b' })], 'dr.a')).toBe('accepted');
    // Added then removed AF (current word: absent, as the dataset): accepted.
    const undone = [
      dataset,
      row({ sourceKind: 'annotator', code: 'AF', author: 'dr.a', isCurrent: false }),
      row({ sourceKind: 'annotator', code: 'AF', author: 'dr.a', present: false }),
    ];
    expect(acceptState(undone, 'dr.a')).toBe('accepted');
    // Removed the dataset's NSR: corrected.
    expect(acceptState([dataset, row({ sourceKind: 'annotator', author: 'dr.a', present: false })], 'dr.a')).toBe('corrected');
  });
});

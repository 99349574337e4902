import { describe, expect, it } from 'vitest';
import { addCaliperPoint, caliperReading, caliperSpan } from '../../src-renderer/overlays/calipers.ts';
import { recordCommand } from '../../src-renderer/record/record-keys.ts';

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

// An ISHNE Holter writer for tests and the bench: header with a valid CRC, then interleaved int16 samples,
// written in chunks so a synthetic 24 h file never sits in memory whole.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crcCcitt } from '../../src-main/formats/crc-ccitt.ts';

export interface IshneTestHeader {
  leadSpecs: number[];
  /** nV per count, per lead. */
  resolutions: number[];
  samplingRate: number;
  samplesPerLead: number;
  subjectId?: string;
  sex?: number;
  recordDate?: [number, number, number];
  startTime?: [number, number, number];
  recorder?: string;
  variableBlock?: string;
  magic?: string;
}

export function ishneHeader(h: IshneTestHeader): Uint8Array {
  const variable = new TextEncoder().encode(h.variableBlock ?? '');
  const b = new Uint8Array(522 + variable.length);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode(h.magic ?? 'ISHNE1.0'), 0);
  const o = 10;
  const str = (at: number, s: string) => b.set(new TextEncoder().encode(s), at);
  v.setInt32(o, variable.length, true);
  v.setInt32(o + 4, h.samplesPerLead, true);
  v.setInt32(o + 8, 522, true);
  v.setInt32(o + 12, 522 + variable.length, true);
  v.setInt16(o + 16, 1, true);
  str(o + 98, h.subjectId ?? 'SYNTH-1');
  v.setInt16(o + 118, h.sex ?? 0, true);
  for (let k = 0; k < 3; k++) v.setInt16(o + 122 + 2 * k, -9, true);
  (h.recordDate ?? [2, 12, 2026]).forEach((x, k) => v.setInt16(o + 128 + 2 * k, x, true));
  (h.recordDate ?? [2, 12, 2026]).forEach((x, k) => v.setInt16(o + 134 + 2 * k, x, true));
  (h.startTime ?? [8, 30, 0]).forEach((x, k) => v.setInt16(o + 140 + 2 * k, x, true));
  v.setInt16(o + 146, h.leadSpecs.length, true);
  for (let i = 0; i < 12; i++) {
    v.setInt16(o + 148 + 2 * i, i < h.leadSpecs.length ? h.leadSpecs[i] : -9, true);
    v.setInt16(o + 196 + 2 * i, i < h.resolutions.length ? h.resolutions[i] : -9, true);
  }
  str(o + 222, h.recorder ?? 'Synthetic Holter');
  v.setInt16(o + 262, h.samplingRate, true);
  b.set(variable, 522);
  v.setUint16(8, crcCcitt(b, 10, b.length), true);
  return b;
}

/** A whole small file in memory: header and samples (`leads[l][i]` in counts). */
export function ishneBytes(h: IshneTestHeader, leads: ArrayLike<number>[]): Uint8Array {
  const head = ishneHeader(h);
  const n = leads[0].length;
  const out = new Uint8Array(head.length + n * leads.length * 2);
  out.set(head);
  const v = new DataView(out.buffer);
  let at = head.length;
  for (let i = 0; i < n; i++) {
    for (const l of leads) {
      v.setInt16(at, l[i], true);
      at += 2;
    }
  }
  return out;
}

/** Write a long file chunk by chunk; `sample(lead, i)` gives each value in counts. */
export function writeIshneFile(file: string, h: IshneTestHeader, sample: (lead: number, i: number) => number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, ishneHeader(h));
    const leads = h.leadSpecs.length;
    const frames = 65536;
    const chunk = new Int16Array(frames * leads);
    for (let start = 0; start < h.samplesPerLead; start += frames) {
      const n = Math.min(frames, h.samplesPerLead - start);
      for (let i = 0, k = 0; i < n; i++) for (let l = 0; l < leads; l++) chunk[k++] = sample(l, start + i);
      writeSync(fd, new Uint8Array(chunk.buffer, 0, n * leads * 2));
    }
  } finally {
    closeSync(fd);
  }
}

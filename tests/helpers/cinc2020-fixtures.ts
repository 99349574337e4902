// Records in the exact shape of the PhysioNet/CinC Challenge 2020 sources (CPSC, G12EC, PTB, INCART): the header
// layout (date before time, '16+24' .mat signal lines, '#Age/#Sex/#Dx/#Rx/#Hx/#Sx' comments) written from scratch,
// with synthetic samples in a MATLAB v4 'val' matrix. Not copied from the challenge data.
import fs from 'node:fs';
import path from 'node:path';
import { checksum16 } from '../../src-main/formats/wfdb-signal.ts';

export const CINC_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

export interface CincSource {
  name: string;
  fs: number;
  length: number;
  gain: number;
  /** Record line after 'name 12 fs length', as the source writes it. */
  when: string;
  comments: string[];
}

export const CINC_2020_SOURCES: Record<'cpsc' | 'g12ec' | 'ptb' | 'incart', CincSource> = {
  cpsc: {
    name: 'A0001',
    fs: 500,
    length: 7500,
    gain: 1000,
    when: '05-Feb-2020 11:39:16',
    comments: ['Age: 74', 'Sex: Male', 'Dx: 59118001', 'Rx: Unknown', 'Hx: Unknown', 'Sx: Unknown'],
  },
  g12ec: {
    name: 'E00001',
    fs: 500,
    length: 5000,
    gain: 1000,
    when: '20-May-2020 16:32:42',
    comments: ['Age: 66', 'Sex: Female', 'Dx: 164889003,59118001', 'Rx: Unknown', 'Hx: Unknown', 'Sx: Unknown'],
  },
  ptb: {
    name: 'S0001',
    fs: 1000,
    length: 38400,
    gain: 2000,
    when: '20-Jan-2020 09:20:57',
    comments: ['Age: NaN', 'Sex: Male', 'Dx: 164865005', 'Rx: Unknown', 'Hx: Unknown', 'Sx: Unknown'],
  },
  incart: {
    name: 'I0001',
    fs: 257,
    length: 462600,
    gain: 1000,
    when: '25-Apr-2020 10:16:32',
    comments: ['Age: 65', 'Sex: Male', 'Dx: 164884008,164909002,55930002', 'Rx: Unknown', 'Hx: Unknown', 'Sx: Unknown'],
  },
};

/** Deterministic int16 leads (a sine per lead plus a small pseudo-random part), lead-major. */
export function cincLeads(source: CincSource, seed = 1): Int16Array[] {
  return CINC_LEADS.map((_, k) => {
    const d = new Int16Array(source.length);
    for (let i = 0; i < source.length; i++) {
      d[i] = Math.round(600 * Math.sin((2 * Math.PI * (i + 29 * k)) / (source.fs * 0.9)) + ((i * 7919 + seed * 104729 + k * 31) % 61) - 30);
    }
    return d;
  });
}

/** MATLAB v4 file holding one int16 matrix 'val' (rows = leads), column-major like the challenge's .mat files. */
export function matV4Int16(leads: Int16Array[]): Buffer {
  const rows = leads.length;
  const cols = leads[0].length;
  const buf = Buffer.alloc(24 + rows * cols * 2);
  buf.writeInt32LE(30, 0); // little-endian, int16, full matrix
  buf.writeInt32LE(rows, 4);
  buf.writeInt32LE(cols, 8);
  buf.writeInt32LE(0, 12);
  buf.writeInt32LE(4, 16);
  buf.write('val\0', 20, 'latin1');
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) buf.writeInt16LE(leads[r][c], 24 + 2 * (r + c * rows));
  return buf;
}

/** The header text in the source's layout; `recordLine` overrides the whole first line. */
export function cincHeader(source: CincSource, leads: Int16Array[], recordLine?: string): string {
  const lines = [recordLine ?? `${source.name} 12 ${source.fs} ${source.length} ${source.when}`];
  leads.forEach((d, k) => {
    lines.push(`${source.name}.mat 16+24 ${source.gain}/mV 16 0 ${d[0]} ${(checksum16(d) << 16) >> 16} 0 ${CINC_LEADS[k]}`);
  });
  for (const c of source.comments) lines.push(`#${c}`);
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/<name>.hea` and `.mat`; returns the header path and the leads written. */
export function writeCincRecord(
  dir: string,
  source: CincSource,
  opts: { recordLine?: string; seed?: number } = {},
): { hea: string; leads: Int16Array[] } {
  const leads = cincLeads(source, opts.seed);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${source.name}.mat`), matV4Int16(leads));
  const hea = path.join(dir, `${source.name}.hea`);
  fs.writeFileSync(hea, cincHeader(source, leads, opts.recordLine));
  return { hea, leads };
}

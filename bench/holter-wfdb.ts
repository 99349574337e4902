// A synthetic 12-lead WFDB Holter (500 Hz, 75 bpm) of any length, written without holding it in memory.
import fs from 'node:fs';
import path from 'node:path';

export function writeHolter(dir: string, hours: number): string {
  const fs_ = 500;
  const n = Math.round(hours * 3600 * fs_);
  const leads = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const fd = fs.openSync(path.join(dir, 'HOLTER.dat'), 'w');
  const frames = 1 << 16;
  const buf = new Int16Array(frames * 12);
  const first = new Int16Array(12);
  const checksum = new Array<number>(12).fill(0);
  for (let start = 0; start < n; start += frames) {
    const m = Math.min(frames, n - start);
    for (let i = 0; i < m; i++) {
      const t = start + i;
      const beat = t % 400; // 75 bpm
      const qrs = beat < 20 ? 1000 * Math.sin((Math.PI * beat) / 20) : 0;
      for (let k = 0; k < 12; k++) {
        const v = Math.round(qrs * (1 - k / 24) + 30 * Math.sin(t / (50 + k)) + ((t * 31 + k) % 7));
        buf[i * 12 + k] = v;
        checksum[k] = (checksum[k] + v) & 0xffff;
        if (t === 0) first[k] = v;
      }
    }
    fs.writeSync(fd, new Uint8Array(buf.buffer, 0, m * 24));
  }
  fs.closeSync(fd);
  const hea =
    [`HOLTER 12 ${fs_} ${n}`, ...leads.map((l, k) => `HOLTER.dat 16 1000/mV 16 0 ${first[k]} ${(checksum[k] << 16) >> 16} 0 ${l}`)].join(
      '\n',
    ) + '\n';
  fs.writeFileSync(path.join(dir, 'HOLTER.hea'), hea);
  return path.join(dir, 'HOLTER.hea');
}

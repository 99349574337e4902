import { createHash } from 'node:crypto';
import { millivoltsPerUnit, type EcgRecord } from '../../src-shared/record.ts';

const BLOCK = 1 << 16;
// Scratch for the general path, shared by every call (hashing is synchronous): allocating it per record was a
// measurable share of garbage collection when ingesting thousands of 10 s records.
const block = new Int32Array(BLOCK);
const block16 = new Int16Array(BLOCK);

/**
 * Identity of a decoded ECG: sampling rate, length and every recorded (not derived) lead's name and
 * values in whole microvolts. The same ECG arriving twice, under two names or in two formats with
 * different gains, hashes the same; derived leads are left out because one source may carry them and another not.
 */
export function signalContentHash(record: EcgRecord): string {
  const h = createHash('sha256');
  h.update(`fs=${record.samplingRate};n=${record.length};`);
  const recorded = record.leads.filter((l) => !l.derived).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const lead of recorded) {
    const mv = millivoltsPerUnit(lead.units);
    h.update(`|${lead.name}:`);
    const d = lead.digital;
    const b = lead.baseline;
    if (mv === undefined) {
      // Not a voltage: hash the raw values with their scaling.
      h.update(`${lead.units}/${lead.gain}/${b}:`);
      h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      continue;
    }
    const k = (mv * 1000) / lead.gain;
    const exact = Number.isInteger(k);
    for (let start = 0; start < d.length; start += BLOCK) {
      const end = Math.min(d.length, start + BLOCK);
      const n = end - start;
      if (k === 1 && b === 0 && d instanceof Int16Array) {
        // Already whole microvolts in 16 bits: the same bytes the general path would hash.
        h.update('s');
        h.update(new Uint8Array(d.buffer, d.byteOffset + start * 2, n * 2));
        continue;
      }
      if (k === 1 && b === 0) block.set(d.subarray(start, end));
      else if (exact) for (let i = start; i < end; i++) block[i - start] = (d[i] - b) * k;
      else for (let i = start; i < end; i++) block[i - start] = Math.round((d[i] - b) * k);
      // A block whose microvolt values all fit in 16 bits is hashed as int16 (half the bytes); the tag keeps the encodings apart.
      let fits = true;
      for (let i = 0; i < n; i++) {
        const v = block[i];
        if (v < -32768 || v > 32767) {
          fits = false;
          break;
        }
      }
      if (fits) {
        block16.set(block.subarray(0, n));
        h.update('s');
        h.update(new Uint8Array(block16.buffer, 0, n * 2));
      } else {
        h.update('l');
        h.update(new Uint8Array(block.buffer, 0, n * 4));
      }
    }
  }
  return h.digest('hex');
}

// Format-16 signal files are read in blocks straight into the leads; a file spanning several blocks, at an odd
// byte offset, must decode to exactly the stored samples, and a short file must still be refused.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-shared/seeded-random.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { checksum16 } from '../../src-main/formats/wfdb-signal.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wfdb-f16-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NSIG = 12;
/** Frames of a long record (9.6 MB: more than two 4 MiB read blocks, ending in a partial one) and of a short one (one read). */
const LONG = 400_000;
const SHORT = 1000;
const OFFSET = 7; // odd, so the samples are not 2-byte aligned in the file

/** Signal `s` of little-endian interleaved frames, sample by sample (independent of the decoder under test). */
function signalOf(body: Uint8Array, s: number): Int16Array {
  const frames = body.length / (2 * NSIG);
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return Int16Array.from({ length: frames }, (_, f) => dv.getInt16(2 * (f * NSIG + s), true));
}

/** A 12-signal format-16 record with full-range random samples, behind OFFSET junk bytes; returns header path and sample bytes. */
function writeRecord(name: string, frames: number, withLength: boolean): { hea: string; body: Uint8Array } {
  const rand = seededRandom(16);
  const body = new Uint8Array(frames * NSIG * 2);
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(rand() * 256);
  const file = new Uint8Array(OFFSET + body.length);
  file.set(body, OFFSET);
  writeFileSync(path.join(tmp, `${name}.dat`), file);
  const leads = Array.from({ length: NSIG }, (_, s) => signalOf(body, s));
  const lines = [`${name} ${NSIG} 500${withLength ? ` ${frames}` : ''}`];
  for (let s = 0; s < NSIG; s++)
    lines.push(`${name}.dat 16+${OFFSET} 200/mV 16 0 ${leads[s][0]} ${(checksum16(leads[s]) << 16) >> 16} 0 S${s}`);
  writeFileSync(path.join(tmp, `${name}.hea`), lines.join('\n') + '\n');
  return { hea: path.join(tmp, `${name}.hea`), body };
}

describe('format 16 read in blocks', () => {
  it('decodes every sample of long and short files, with and without a length in the header', async () => {
    for (const [name, frames, withLength] of [
      ['LONG', LONG, true],
      ['NOLEN', LONG, false],
      ['BRIEF', SHORT, true],
    ] as const) {
      const { hea, body } = writeRecord(name, frames, withLength);
      const rec = await readWfdbRecord(hea);
      expect(rec.length).toBe(frames);
      rec.leads.forEach((lead, s) => {
        const expected = signalOf(body, s);
        expect(lead.digital).toBeInstanceOf(Int16Array);
        expect(
          Buffer.from(lead.digital.buffer, lead.digital.byteOffset, lead.digital.byteLength).equals(Buffer.from(expected.buffer)),
        ).toBe(true);
      });
    }
  });

  it('refuses a signal file shorter than the header says, in one line', async () => {
    const { hea } = writeRecord('SHORT', LONG, true);
    truncateSync(path.join(tmp, 'SHORT.dat'), OFFSET + (LONG - 1) * NSIG * 2);
    await expect(readWfdbRecord(hea)).rejects.toThrow(/SHORT\.dat is truncated: holds 399999 of 400000 frames$/);
  });

  it('checks the header checksums across blocks: one changed sample in the second block fails them', async () => {
    const { hea } = writeRecord('FLIP', LONG, true);
    const dat = readFileSync(path.join(tmp, 'FLIP.dat'));
    const at = OFFSET + 2 * (300_000 * NSIG + 4); // signal 4, frame 300000 (second 4 MiB block)
    dat[at] ^= 0x10;
    writeFileSync(path.join(tmp, 'FLIP.dat'), dat);
    await expect(readWfdbRecord(hea)).rejects.toThrow(/checksum mismatch for signal 4 \(S4\)/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFlac } from '../../src-main/formats/flac-decoder.ts';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';

const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'flac', name)));
const N = 10000;
const sampleData = (name: string) => dataPath('formats', 'wfdb-python-sample-data', name);
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => v === b[i]);

/** The inputs the fixtures were encoded from (tests/fixtures/flac/README.md), rebuilt from MIT-BIH 100. */
async function mit100(): Promise<{ lead0: Int16Array; lead1: Int16Array }> {
  const r = await readWfdbRecord(dataPath('mitdb', '100.hea'));
  return { lead0: r.leads[0].digital.slice(0, N) as Int16Array, lead1: r.leads[1].digital.slice(0, N) as Int16Array };
}

describe('FLAC decoder', () => {
  it('decodes fixed, LPC, stereo-decorrelated, independent and odd-block-size streams bit-exact', async () => {
    const { lead0, lead1 } = await mit100();
    for (const name of ['mit100-2ch-fixed.flac', 'mit100-2ch-lpc.flac', 'mit100-2ch-indep.flac']) {
      const f = decodeFlac(fixture(name), name);
      expect(f).toMatchObject({ sampleRate: 360, channels: 2, bitsPerSample: 16, samples: N });
      expect(f.channelData[0]).toBeInstanceOf(Int16Array);
      expect(same(f.channelData[0], lead0)).toBe(true);
      expect(same(f.channelData[1], lead1)).toBe(true);
    }
  });

  it('decodes 24-bit, 8-bit and wasted-bits streams bit-exact', async () => {
    const { lead0 } = await mit100();
    const f24 = decodeFlac(fixture('mit100-24bit.flac'), '24');
    expect(f24.channelData[0]).toBeInstanceOf(Int32Array);
    expect(
      same(
        f24.channelData[0],
        Array.from(lead0, (v, i) => v * 1500 + (i % 13)),
      ),
    ).toBe(true);
    const f8 = decodeFlac(fixture('mit100-8bit.flac'), '8');
    expect(f8.bitsPerSample).toBe(8);
    expect(
      same(
        f8.channelData[0],
        Array.from(lead0, (v) => Math.max(-128, Math.min(127, v >> 3))),
      ),
    ).toBe(true);
    const fw = decodeFlac(fixture('mit100-wasted-bits.flac'), 'w');
    expect(
      same(
        fw.channelData[0],
        Array.from(lead0, (v) => v * 4),
      ),
    ).toBe(true);
  });

  it('refuses corrupted streams with a one-line reason and never hangs', () => {
    const good = fixture('mit100-2ch-lpc.flac');
    const reason = (bytes: Uint8Array): string => {
      try {
        decodeFlac(bytes, 'x.flac');
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        const msg = (e as Error).message;
        expect(msg).not.toContain('\n');
        return msg;
      }
      return 'decoded';
    };
    expect(reason(good.subarray(0, 3))).toMatch(/not a FLAC stream/);
    expect(reason(good.subarray(0, 30))).toMatch(/metadata block 0 runs past the end/);
    expect(reason(good.subarray(0, good.length - 100))).toMatch(/truncated/);
    const flipped = Uint8Array.from(good);
    flipped[good.length >> 1] ^= 0x10;
    expect(reason(flipped)).toMatch(/CRC mismatch|sync code|reserved|exceeds|truncated|partition/);
    // STREAMINFO claiming an absurd sample count.
    const absurd = Uint8Array.from(good);
    absurd[8 + 13] |= 0x0f; // low 4 bits of byte 13 and bytes 14-17: the 36-bit total
    absurd.fill(0xff, 8 + 14, 8 + 18);
    expect(reason(absurd)).toMatch(/claims \d+ samples/);
    // Random damage anywhere: a reason or (if it misses every checked field) a decode, always finishing.
    let seed = 1;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 300; k++) {
      const bad = Uint8Array.from(good);
      for (let j = 0; j < 3; j++) bad[Math.floor(rnd() * bad.length)] ^= 1 << Math.floor(rnd() * 8);
      expect(reason(bad)).toMatch(/FLAC|decoded/);
    }
  });
});

describe('WFDB FLAC formats 508/516/524', () => {
  it('flacformats: 508, 516, 524 read with header checksums, 516 identical to its format-16 twin in binformats', async () => {
    const flac = await readWfdbRecord(sampleData('flacformats.hea'));
    const plain = await readWfdbRecord(sampleData('binformats.hea'));
    expect(flac.length).toBe(499);
    expect(flac.leads.map((l) => l.digital.constructor.name)).toEqual(['Int16Array', 'Int16Array', 'Int32Array']);
    expect(Array.from(flac.leads[0].digital.subarray(0, 3))).toEqual([-127, -113, -99]);
    expect(Array.from(flac.leads[2].digital.subarray(0, 2))).toEqual([-8388605, -8322801]);
    expect(same(flac.leads[1].digital, plain.leads[1].digital)).toBe(true);
  });

  it('flac_3_constant: 3 x 5.6 M constant samples; mixedsignals: several FLAC files with 4, 2 and 1 samples per frame', async () => {
    const c = await readWfdbRecord(sampleData('flac_3_constant.hea'));
    expect(c.length).toBe(5_600_000);
    expect(c.leads.map((l) => [l.digital[0], l.digital[5_599_999]])).toEqual([
      [25, 25],
      [50, 50],
      [75, 75],
    ]);
    const m = await readWfdbRecord(sampleData('mixedsignals.hea'));
    expect(m.leads.map((l) => l.name)).toEqual(['II', 'III', 'V', 'ABP', 'Pleth', 'Resp']);
    expect(m.length).toBe(14400 * 4);
    // Checksums in the header were verified on read; a 2-samples-per-frame signal is repeated up to 4 per frame.
    expect(m.leads[3].digital[0]).toBe(m.leads[3].digital[1]);
  });

  it('a corrupted FLAC signal file gives a one-line reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-flac-'));
    fs.copyFileSync(sampleData('flacformats.hea'), path.join(dir, 'flacformats.hea'));
    for (const d of ['d0', 'd2']) fs.copyFileSync(sampleData(`flacformats.${d}`), path.join(dir, `flacformats.${d}`));
    const d1 = new Uint8Array(fs.readFileSync(sampleData('flacformats.d1')));
    fs.writeFileSync(path.join(dir, 'flacformats.d1'), d1.subarray(0, d1.length - 200));
    await expect(readWfdbRecord(path.join(dir, 'flacformats.hea'))).rejects.toThrow(/flacformats\.d1: FLAC stream is truncated/);
  });
});

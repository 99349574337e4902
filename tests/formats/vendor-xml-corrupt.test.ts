// Corrupted GE MUSE and Philips SierraECG files, damaged where each format is fragile (truncation, flipped
// bytes, absurd declared lengths, bad base64, a broken XLI stream): a one-line reason or a record with a
// warning, never a crash or a hang; in a batch, the good files still ingest with their device reading.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src-shared/record.ts';
import { geMuseXmlReader } from '../../src-main/formats/ge-muse-xml.ts';
import { philipsSierraEcgReader } from '../../src-main/formats/philips-sierraecg.ts';
import { READERS, readerForFile } from '../../src-main/formats/readers.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { getRecordSignal, listRecordSummaries } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { dataPath } from '../helpers/shared-data.ts';

const MUSE = dataPath('formats', 'ge-muse-xml', 'easyRecg', 'muse_ecg2.xml');
const PHILIPS_UTF8 = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_03', '129DYPRG.XML');
const PHILIPS_UTF16 = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04', '3191723_ZZDEMOPTONLY_1-04_orig.xml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-xml-corrupt-'));

type Outcome = { records: EcgRecord[] } | { error: string };

/** Write `bytes` as a file and read it as the ingest walker would: reader chosen by content, then by ending. */
async function readAs(name: string, bytes: Buffer): Promise<Outcome> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const reader = readerForFile(new Uint8Array(bytes.subarray(0, 4096)), file);
  if (!reader) return { error: '(no reader)' };
  try {
    return { records: await reader.read(file) };
  } catch (e) {
    const err = e as Error;
    expect(err.name, `${name}: ${err.message}`).toBe('FormatError');
    expect(err.message, name).not.toMatch(/[\n\r]/);
    expect(err.message.startsWith(`${name}: `), err.message).toBe(true);
    return { error: err.message };
  }
}

const errorOf = (o: Outcome) => ('error' in o ? o.error : `read ${o.records.length} record(s)`);

/** The UTF-16 document text, edited, written back with its BOM. */
const utf16 = (edit: (s: string) => string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(edit(fs.readFileSync(PHILIPS_UTF16).subarray(2).toString('utf16le')), 'utf16le')]);
const latin1 = (f: string, edit: (s: string) => string) => Buffer.from(edit(fs.readFileSync(f, 'latin1')), 'latin1');

/** The base64 body of Philips' parsedwaveforms, edited as bytes. */
const xliEdit = (edit: (b: Buffer) => Buffer) => (s: string) =>
  s.replace(
    /(<parsedwaveforms[^>]*>)([^<]*)(<\/parsedwaveforms>)/,
    (_m, a: string, b64: string, c: string) => a + edit(Buffer.from(b64, 'base64')).toString('base64') + c,
  );

describe('corrupted GE MUSE XML', () => {
  it('truncated anywhere: a one-line reason, or all of the signal with a truncation warning', async () => {
    const bytes = fs.readFileSync(MUSE);
    for (const frac of [0.002, 0.05, 0.3, 0.6, 0.97, 0.9999]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * frac));
      const o = await readAs(`muse-cut-${frac}.xml`, cut);
      // Never claimed by the aECG reader, whose reason would mislead.
      expect(errorOf(o)).not.toMatch(/AnnotatedECG/);
      if (frac >= 0.05 && frac < 0.99) expect('error' in o, `cut at ${frac}`).toBe(true);
      if ('records' in o) expect(o.records[0].warnings?.[0]).toBe('the file ends before </RestingECG> (truncated); read what is complete');
    }
  });

  it('flipped bytes inside the samples: read, with a CRC warning naming the lead', async () => {
    const o = await readAs(
      'muse-flip.xml',
      latin1(MUSE, (s) => {
        const at = s.indexOf('<WaveFormData>', s.indexOf('<WaveformType>Rhythm')) + 14 + 400;
        return s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
      }),
    );
    expect('records' in o).toBe(true);
    const [r] = (o as { records: EcgRecord[] }).records;
    expect(r.warnings).toEqual(['Rhythm lead I data CRC32 does not match (damaged samples)']);
  });

  it('absurd declared lengths and scales: a warning or a one-line reason, no huge allocation', async () => {
    const rhythm = (s: string, from: string, to: string) => {
      const at = s.indexOf('<WaveformType>Rhythm');
      return s.slice(0, at) + s.slice(at).replace(from, to);
    };
    const huge = await readAs(
      'muse-count.xml',
      latin1(MUSE, (s) => rhythm(s, '<LeadSampleCountTotal>5000<', '<LeadSampleCountTotal>99999999999<')),
    );
    expect((huge as { records: EcgRecord[] }).records[0].warnings).toContain('Rhythm lead I holds 5000 of 99999999999 declared samples');
    expect((huge as { records: EcgRecord[] }).records[0].length).toBe(5000);
    const cases: [string, (s: string) => string, RegExp][] = [
      ['rate', (s) => rhythm(s, '<SampleBase>500<', '<SampleBase>0<'), /Rhythm SampleBase '0' is not a sampling rate/],
      ['exp', (s) => rhythm(s, '<SampleExponent>0<', '<SampleExponent>400<'), /Rhythm SampleBase '500' is not a sampling rate/],
      [
        'lsb',
        (s) => rhythm(s, '<LeadAmplitudeUnitsPerBit>4.88<', '<LeadAmplitudeUnitsPerBit>-1<'),
        /Rhythm lead I LeadAmplitudeUnitsPerBit is not a positive number/,
      ],
      ['size', (s) => rhythm(s, '<LeadSampleSize>2<', '<LeadSampleSize>4<'), /Rhythm lead I LeadSampleSize 4 is not 2/],
      [
        'units',
        (s) => rhythm(s, '<LeadAmplitudeUnits>MICROVOLTS<', '<LeadAmplitudeUnits>FURLONGS<'),
        /LeadAmplitudeUnits 'FURLONGS' is not a voltage/,
      ],
      ['base64', (s) => rhythm(s, '<WaveFormData>', '<WaveFormData>%%'), /Rhythm lead I WaveFormData: not base64 \(character '%'\)/],
      ['empty', (s) => s.replace(/<WaveFormData>[^<]*<\/WaveFormData>/g, '<WaveFormData></WaveFormData>'), /lead I has no samples/],
      ['encoding', (s) => s.replace('ISO-8859-1', 'EBCDIC-XYZ'), /XML encoding 'ebcdic-xyz' is not supported/],
    ];
    for (const [name, edit, reason] of cases) expect(errorOf(await readAs(`muse-${name}.xml`, latin1(MUSE, edit)))).toMatch(reason);
  });
});

it('damaged median or representative beats leave the rhythm readable, with a warning', async () => {
  const muse = await readAs(
    'muse-median.xml',
    latin1(MUSE, (s) => s.replace('<WaveFormData>', '<WaveFormData>%')),
  );
  expect((muse as { records: EcgRecord[] }).records[0].warnings).toEqual([
    "median beats left out: Median lead I WaveFormData: not base64 (character '%')",
  ]);
  expect((muse as { records: EcgRecord[] }).records[0].device?.representativeBeats).toBeUndefined();
  const philips = await readAs(
    'philips-repbeat.xml',
    utf16((s) => s.replace(/(<repbeat leadname="V2">[\s\S]*?<waveform[^>]*>)/, '$1#')),
  );
  expect((philips as { records: EcgRecord[] }).records[0].warnings).toEqual([
    "representative beats left out: repbeat V2: not base64 (character '#')",
  ]);
});

describe('corrupted Philips SierraECG XML', () => {
  it('truncated anywhere (UTF-8 and UTF-16): a one-line reason or a truncation warning, never the aECG reader', async () => {
    let partial = 0;
    for (const f of [PHILIPS_UTF8, PHILIPS_UTF16]) {
      const bytes = fs.readFileSync(f);
      for (const frac of [0.01, 0.2, 0.5, 0.8, 0.95, 0.999]) {
        const o = await readAs(`philips-cut-${frac}${path.extname(f)}`, bytes.subarray(0, Math.floor(bytes.length * frac) & ~1));
        expect(errorOf(o)).not.toMatch(/AnnotatedECG/);
        // Cut after the waveforms (only representative beats lost): read, and said so.
        if ('records' in o) partial++;
        if ('records' in o)
          expect(o.records[0].warnings?.[0]).toBe('the file ends before </restingecgdata> (truncated); read what is complete');
        else expect(o.error).toMatch(/^philips-cut/);
      }
    }
    expect(partial).toBeGreaterThan(0);
  });

  it('a damaged XLI stream: a one-line reason naming the chunk, or samples within the 16-bit range', async () => {
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['size', (b) => (b.writeInt32LE(0x7fffffff, 0), b), /XLI chunk 1 declares 2147483647 bytes but \d+ remain/],
      ['negative', (b) => (b.writeInt32LE(-8, 0), b), /XLI chunk 1 declares -8 bytes/],
      ['short', (b) => b.subarray(0, Math.floor(b.length / 3)), /XLI (chunk \d+ declares|stream ends after \d+ of 12 leads)/],
      ['header', (b) => b.subarray(0, 5), /XLI stream ends after 0 of 12 leads/],
      ['undefined-code', (b) => (b.fill(0xff, 8, 10), b.writeUInt8(0x7f, 8), b), /XLI chunk 1: LZW code \d+ at bit 0 is not yet defined/],
    ];
    for (const [name, edit, reason] of cases) {
      expect(errorOf(await readAs(`philips-xli-${name}.xml`, utf16(xliEdit(edit))))).toMatch(reason);
    }
    // Random damage inside the compressed bytes: whatever comes out is bounded.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let k = 0; k < 12; k++) {
      const o = await readAs(
        `philips-xli-flip-${k}.xml`,
        utf16(
          xliEdit((b) => {
            for (let j = 0; j < 1 + k; j++) b[8 + Math.floor(rand() * (b.length - 8))] ^= 1 << Math.floor(rand() * 8);
            return b;
          }),
        ),
      );
      if ('records' in o) {
        const r = o.records[0];
        expect(r.leads.every((l) => l.digital.length === r.length)).toBe(true);
        expect(r.length).toBeLessThanOrEqual(5500);
      }
    }
  });

  it('absurd declared values: one-line reasons', async () => {
    const cases: [string, (s: string) => string, RegExp][] = [
      [
        'duration',
        (s) => s.replace('durationperchannel="11000"', 'durationperchannel="99999999999"'),
        /durationperchannel '99999999999' is not a duration in ms/,
      ],
      ['leads', (s) => s.replace('numberofleads="12"', 'numberofleads="4294967295"'), /number of leads '4294967295' is not 1-64/],
      ['rate', (s) => s.replace('samplespersecond="500"', 'samplespersecond="0"'), /sampling rate '0' is not usable/],
      [
        'resolution',
        (s) => s.replace(/(<parsedwaveforms[^>]*?)resolution="5"/, '$1resolution="-5"'),
        /signal resolution \(uV per unit\) is missing or not positive/,
      ],
      ['base64', (s) => s.replace(/(<parsedwaveforms[^>]*>)/, '$1***'), /parsedwaveforms: not base64 \(character '\*'\)/],
      [
        'encoding',
        (s) => s.replace('dataencoding="Base64" compression', 'dataencoding="Hex" compression'),
        /waveform dataencoding 'hex' is not Base64 or Plain/,
      ],
    ];
    for (const [name, edit, reason] of cases) expect(errorOf(await readAs(`philips-${name}.xml`, utf16(edit)))).toMatch(reason);
  });
});

describe('a batch with damaged vendor files', () => {
  it('ingests the good MUSE and Philips files with their device reading and lists each bad one with its reason', async () => {
    const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-xml-batch-'));
    fs.copyFileSync(MUSE, path.join(inbox, 'good-muse.xml'));
    fs.copyFileSync(PHILIPS_UTF16, path.join(inbox, 'good-philips.xml'));
    fs.writeFileSync(path.join(inbox, 'bad-philips.xml'), utf16(xliEdit((b) => (b.writeInt32LE(0x7fffffff, 0), b))));
    fs.writeFileSync(path.join(inbox, 'bad-muse.xml'), fs.readFileSync(MUSE).subarray(0, 60_000));
    const ws = openWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'vendor-xml-ws-')));
    try {
      const result = await ingestPaths(ws, [inbox], { readers: READERS, missingCompanions: 'quarantine' });
      expect(result.newRecords).toBe(2);
      const reasons = Object.fromEntries(result.quarantined.map((q) => [path.basename(q.path), q.reason]));
      expect(Object.keys(reasons).sort()).toEqual(['bad-muse.xml', 'bad-philips.xml']);
      expect(reasons['bad-philips.xml']).toMatch(/XLI chunk 1 declares/);
      expect(reasons['bad-muse.xml']).not.toMatch(/AnnotatedECG/);
      const stored = listRecordSummaries(ws.db, { offset: 0, limit: 10 }).records;
      expect(stored.map((r) => r.format).sort()).toEqual(['ge-muse-xml', 'philips-sierraecg']);
      for (const s of stored) {
        const rec = getRecordSignal(ws.db, s.id)!;
        expect(rec.device?.statements.length, s.recordName).toBeGreaterThan(0);
        expect(rec.device?.measurements.heartRate, s.recordName).toBeDefined();
        expect(rec.device?.representativeBeats?.leads.length, s.recordName).toBeGreaterThanOrEqual(8);
      }
      // The MUSE record keeps its derived leads as derived.
      const museRec = getRecordSignal(ws.db, stored.find((s) => s.format === 'ge-muse-xml')!.id)!;
      expect(museRec.leads.filter((l) => l.derived).map((l) => l.name)).toEqual(['III', 'aVR', 'aVL', 'aVF']);
    } finally {
      ws.db.close();
    }
  });
});

// Keep the direct readers referenced: a MUSE file must reach geMuseXmlReader and a Philips one philipsSierraEcgReader.
it('routes each vendor by content', () => {
  const head = (f: string) => new Uint8Array(fs.readFileSync(f).subarray(0, 4096));
  expect(readerForFile(head(MUSE), MUSE)).toBe(geMuseXmlReader);
  expect(readerForFile(head(PHILIPS_UTF16), PHILIPS_UTF16)).toBe(philipsSierraEcgReader);
});

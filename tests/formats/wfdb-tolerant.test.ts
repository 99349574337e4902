// CinC 2020 header shapes, implausible header values and signal files out of the header's folder, through the real
// readers and ingest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EcgRecord } from '../../src-shared/record.ts';
import { FormatError } from '../../src-main/formats/format-error.ts';
import { implausibleRecord } from '../../src-main/formats/plausible-record.ts';
import { READERS } from '../../src-main/formats/readers.ts';
import { parseWfdbHeader } from '../../src-main/formats/wfdb-header.ts';
import { readWfdbRecord } from '../../src-main/formats/wfdb-record.ts';
import { ingestPaths } from '../../src-main/ingest/ingest-files.ts';
import { getRecordSignal, listRecordSummaries } from '../../src-main/store/record-store.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import { CINC_2020_SOURCES, CINC_LEADS, cincHeader, cincLeads, writeCincRecord } from '../helpers/cinc2020-fixtures.ts';
import { syntheticRecord } from '../helpers/synthetic-record.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wfdb-tolerant-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const folder = (name: string): string => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};
const count = (db: ReturnType<typeof openWorkspace>['db'], table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('CinC 2020 header shapes (CPSC, G12EC, PTB, INCART)', () => {
  const expected = {
    cpsc: { start: '2020-02-05T11:39:16.000', age: 74, sex: 'M', codes: ['59118001'] },
    g12ec: { start: '2020-05-20T16:32:42.000', age: 66, sex: 'F', codes: ['164889003', '59118001'] },
    ptb: { start: '2020-01-20T09:20:57.000', age: undefined, sex: 'M', codes: ['164865005'] },
    incart: { start: '2020-04-25T10:16:32.000', age: 65, sex: 'M', codes: ['164884008', '164909002', '55930002'] },
  } as const;

  for (const [key, source] of Object.entries(CINC_2020_SOURCES) as [keyof typeof expected, (typeof CINC_2020_SOURCES)['cpsc']][]) {
    it(`${key}: '${source.name} 12 ${source.fs} ${source.length} ${source.when}' reads with its date, labels and every sample`, async () => {
      const { hea, leads } = writeCincRecord(folder(key), source);
      const rec = await readWfdbRecord(hea);
      const want = expected[key];
      expect(rec).toMatchObject({
        format: 'cinc',
        recordName: source.name,
        samplingRate: source.fs,
        length: source.length,
        startTime: want.start,
        sex: want.sex,
      });
      expect(rec.age).toBe(want.age);
      expect(rec.warnings).toBeUndefined();
      expect(rec.labels.map((l) => l.code)).toEqual(want.codes);
      expect(rec.leads.map((l) => l.name)).toEqual(CINC_LEADS);
      expect(rec.leads.every((l) => l.gain === source.gain)).toBe(true);
      leads.forEach((d, k) => expect(Buffer.from(rec.leads[k].digital.buffer).equals(Buffer.from(d.buffer))).toBe(true));
      expect(rec.attributes).toMatchObject({ Rx: 'Unknown', Hx: 'Unknown', Sx: 'Unknown' });
    });
  }

  it('the four sources ingest into one workspace with their labels and no quarantine', async () => {
    const inbox = folder('ingest-all');
    for (const source of Object.values(CINC_2020_SOURCES)) writeCincRecord(inbox, source);
    const ws = openWorkspace(folder('ws-all'));
    const r = await ingestPaths(ws, [inbox], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 4, quarantined: [] });
    const list = listRecordSummaries(ws.db, { offset: 0, limit: 10 }).records;
    expect(list.map((s) => s.recordName).sort()).toEqual(['A0001', 'E00001', 'I0001', 'S0001']);
    const incart = getRecordSignal(ws.db, list.find((s) => s.recordName === 'I0001')!.id)!;
    expect(incart).toMatchObject({ samplingRate: 257, length: 462600, startTime: '2020-04-25T10:16:32.000' });
    expect(incart.labels.map((l) => l.code)).toEqual(['164884008', '164909002', '55930002']);
  });

  const cpsc = CINC_2020_SOURCES.cpsc;
  const variants: [string, string, { start?: string; warning?: RegExp; attributes?: Record<string, string> }][] = [
    ['time before date, WFDB style', 'A0001 12 500 7500 11:39:16 05/02/2020', { start: '2020-02-05T11:39:16.000' }],
    ['time before a named-month date', 'A0001 12 500 7500 11:39:16 05-Feb-2020', { start: '2020-02-05T11:39:16.000' }],
    ['no base time or date', 'A0001 12 500 7500', {}],
    ['a date and no time', 'A0001 12 500 7500 05-Feb-2020', { attributes: { baseDate: '05/02/2020' } }],
    [
      'malformed date',
      'A0001 12 500 7500 05-Fbr-2020 11:39:16',
      { warning: /A0001\.hea:1: base time\/date '05-Fbr-2020' is not a time or date/, attributes: { baseTime: '11:39:16' } },
    ],
    [
      'malformed time',
      'A0001 12 500 7500 05-Feb-2020 11h39',
      { warning: /'11h39' is not a time or date/, attributes: { baseDate: '05/02/2020' } },
    ],
    ['impossible date', 'A0001 12 500 7500 31/13/2020 11:39:16', { warning: /'31\/13\/2020' is not a time or date/ }],
    ['Unknown and NaN placeholders', 'A0001 12 500 7500 Unknown NaN', { warning: /'Unknown' is not a time or date/ }],
  ];
  for (const [name, line, want] of variants) {
    it(`${name}: '${line}' is read, never refused`, async () => {
      const dir = folder(`variant-${name.replace(/\W+/g, '-')}`);
      const { hea } = writeCincRecord(dir, cpsc, { recordLine: line });
      const rec = await readWfdbRecord(hea);
      expect(rec.length).toBe(7500);
      expect(rec.startTime).toBe(want.start);
      if (want.warning) {
        expect(rec.warnings?.some((w) => want.warning!.test(w))).toBe(true);
        expect(rec.warnings!.every((w) => !w.includes('\n') && !w.includes(tmp))).toBe(true);
      } else {
        expect(rec.warnings).toBeUndefined();
      }
      if (want.attributes) expect(rec.attributes).toMatchObject(want.attributes);
    });
  }

  it('a record with a malformed date is stored with its warning, returned with the record', async () => {
    const dir = folder('warn-ingest');
    writeCincRecord(dir, cpsc, { recordLine: 'A0001 12 500 7500 05-Fbr-2020 11:39:16' });
    const ws = openWorkspace(folder('ws-warn'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r).toMatchObject({ newRecords: 1, quarantined: [] });
    const rec = getRecordSignal(ws.db, r.recordIds[0])!;
    expect(rec.warnings).toEqual([
      expect.stringMatching(/^A0001\.hea:1: base time\/date '05-Fbr-2020' is not a time or date; start time kept as unknown$/),
    ]);
  });
});

describe('implausible header values never reach the store', () => {
  const cpsc = CINC_2020_SOURCES.cpsc;
  const leads = cincLeads(cpsc);
  const header = cincHeader(cpsc, leads);
  const cases: [string, (h: string) => string, RegExp][] = [
    ['sampling rate 0', (h) => h.replace('A0001 12 500 ', 'A0001 12 0 '), /sampling frequency 0 Hz is outside the plausible range/],
    ['sampling rate 1e-300', (h) => h.replace('A0001 12 500 ', 'A0001 12 1e-300 '), /sampling frequency 1e-300 Hz is outside/],
    ['sampling rate 1e308', (h) => h.replace('A0001 12 500 ', 'A0001 12 1e308 '), /sampling frequency 1e308 Hz is outside/],
    [
      'gain Inf',
      (h) => h.replace(`16+24 1000/mV 16 0 ${leads[3][0]} `, `16+24 1e999/mV 16 0 ${leads[3][0]} `),
      /A0001\.hea:5: ADC gain 1e999 is outside the plausible range/,
    ],
    ['gain 1e-300', (h) => h.replace('1000/mV', '1e-300/mV'), /A0001\.hea:2: ADC gain 1e-300 is outside/],
    ['zero samples', (h) => h.replace('A0001 12 500 7500', 'A0001 12 500 0'), /record has zero samples/],
    [
      'more samples than the file holds',
      (h) => h.replace('A0001 12 500 7500', 'A0001 12 500 900000000000'),
      /is more than the 2147483647 LeadLens reads/,
    ],
    [
      'length bounded by the file',
      (h) => h.replace('A0001 12 500 7500', 'A0001 12 500 75000'),
      /A0001\.mat is truncated: holds 7500 of 75000 frames/,
    ],
    ['5000 signals', (h) => h.replace('A0001 12 500', 'A0001 5000 500'), /5000 signals is more than the 1024 LeadLens reads/],
  ];
  for (const [name, edit, reason] of cases) {
    it(`${name}: one-line quarantine reason, nothing stored`, async () => {
      const dir = folder(`implausible-${name.replace(/\W+/g, '-')}`);
      writeCincRecord(dir, cpsc);
      fs.writeFileSync(path.join(dir, 'A0001.hea'), edit(header));
      const err = await readWfdbRecord(path.join(dir, 'A0001.hea')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FormatError);
      const ws = openWorkspace(folder(`ws-implausible-${name.replace(/\W+/g, '-')}`));
      const r = await ingestPaths(ws, [dir], { readers: READERS });
      expect(r.newRecords).toBe(0);
      expect(r.quarantined).toHaveLength(1);
      expect(r.quarantined[0].reason).toMatch(reason);
      expect(r.quarantined[0].reason).not.toContain('\n');
      expect(count(ws.db, 'record')).toBe(0);
    });
  }

  it('an empty signal file with the length omitted has zero samples', async () => {
    const dir = folder('implausible-empty-dat');
    fs.writeFileSync(path.join(dir, 'Z.hea'), 'Z 1 500\nZ.dat 16 200 16 0 0 0 0 I\n');
    fs.writeFileSync(path.join(dir, 'Z.dat'), '');
    await expect(readWfdbRecord(path.join(dir, 'Z.hea'))).rejects.toThrow(/Z\.hea: record has zero samples \(empty signal file\)/);
  });

  it('a record of only null signals has nothing to read', async () => {
    const dir = folder('implausible-null');
    fs.writeFileSync(path.join(dir, 'N.hea'), 'N 1 500 2000000000\n~ 0 200 16 0 0 0 0 I\n');
    await expect(readWfdbRecord(path.join(dir, 'N.hea'))).rejects.toThrow(/N\.hea: record names no signal file/);
  });

  it('records from any reader are checked before storing (rate, length, gain, lead lengths)', () => {
    const good = syntheticRecord({ length: 100 });
    expect(implausibleRecord(good)).toBeUndefined();
    const bad = (edit: (r: EcgRecord) => void): string | undefined => {
      const r = syntheticRecord({ length: 100 });
      edit(r);
      return implausibleRecord(r);
    };
    expect(
      bad((r) => {
        r.samplingRate = 0;
      }),
    ).toMatch(/sampling rate 0 Hz is outside/);
    expect(
      bad((r) => {
        r.samplingRate = Number.NaN;
      }),
    ).toMatch(/sampling rate NaN Hz/);
    expect(
      bad((r) => {
        r.samplingRate = 1e308;
      }),
    ).toMatch(/sampling rate 1e\+308 Hz/);
    expect(
      bad((r) => {
        r.length = 0;
      }),
    ).toMatch(/record has no samples/);
    expect(
      bad((r) => {
        r.leads[2].gain = Infinity;
      }),
    ).toMatch(/lead III: gain Infinity is outside/);
    expect(
      bad((r) => {
        r.leads[0].gain = 0;
      }),
    ).toMatch(/lead I: gain 0 is outside/);
    expect(
      bad((r) => {
        r.leads = [];
      }),
    ).toMatch(/no leads/);
    expect(
      bad((r) => {
        r.leads[5].digital = r.leads[5].digital.subarray(0, 50);
      }),
    ).toMatch(/lead aVF has 50 samples, the record 100/);
  });
});

describe('signal files named by a header stay inside its folder (issue 12 item 3)', () => {
  it("'../../../../../../../etc/passwd' as a signal file is quarantined without reading or echoing it", async () => {
    const dir = folder('escape-dotdot');
    fs.writeFileSync(path.join(dir, 'EVIL.hea'), 'EVIL 1 500 10\n../../../../../../../etc/passwd 16 200 16 0 0 0 0 I\n');
    await expect(readWfdbRecord(path.join(dir, 'EVIL.hea'))).rejects.toThrow(
      /EVIL\.hea: a signal file named by the header lies outside the header's folder/,
    );
    const ws = openWorkspace(folder('ws-escape'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r.newRecords).toBe(0);
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0].reason).toMatch(/outside the header's folder; not read$/);
    expect(r.quarantined[0].reason).not.toMatch(/root|passwd|etc/);
    expect(count(ws.db, 'record')).toBe(0);
  });

  it('a text file named .hea that is no header is refused without quoting it', async () => {
    const dir = folder('not-a-header');
    fs.writeFileSync(path.join(dir, 'passwd.hea'), 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    const ws = openWorkspace(folder('ws-not-a-header'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r.quarantined).toEqual([
      { path: path.join(dir, 'passwd.hea'), reason: expect.stringMatching(/passwd\.hea:1: not a WFDB header \(the first line is not/) },
    ]);
    expect(r.quarantined[0].reason).not.toMatch(/root|daemon|bin/);
  });

  it('an absolute signal file name is refused the same way', async () => {
    const dir = folder('escape-absolute');
    fs.writeFileSync(path.join(dir, 'ABS.hea'), 'ABS 1 500 10\n/etc/passwd 16 200 16 0 0 0 0 I\n');
    await expect(readWfdbRecord(path.join(dir, 'ABS.hea'))).rejects.toThrow(/outside the header's folder/);
  });

  it('a symlink in the folder that points out of it is refused; one that stays inside is read', async () => {
    const outside = folder('outside-target');
    const cpsc = CINC_2020_SOURCES.cpsc;
    writeCincRecord(outside, cpsc);
    const dir = folder('escape-symlink');
    fs.copyFileSync(path.join(outside, 'A0001.hea'), path.join(dir, 'A0001.hea'));
    fs.symlinkSync(path.join(outside, 'A0001.mat'), path.join(dir, 'A0001.mat'));
    await expect(readWfdbRecord(path.join(dir, 'A0001.hea'))).rejects.toThrow(
      /A0001\.hea: a signal file named by the header is a link to outside the header's folder; not read/,
    );
    const ws = openWorkspace(folder('ws-symlink'));
    const r = await ingestPaths(ws, [dir], { readers: READERS });
    expect(r.quarantined.map((q) => q.reason)).toEqual([expect.stringMatching(/link to outside the header's folder/)]);
    expect(count(ws.db, 'record')).toBe(0);

    const inside = folder('inside-symlink');
    writeCincRecord(path.join(inside, 'store'), cpsc);
    fs.writeFileSync(
      path.join(inside, 'A0001.hea'),
      fs.readFileSync(path.join(inside, 'store', 'A0001.hea'), 'latin1').replaceAll('A0001.mat', 'store/A0001.mat'),
    );
    expect((await readWfdbRecord(path.join(inside, 'A0001.hea'))).length).toBe(7500);
  });

  it('a folder of links to a dataset is read: each linked header keeps its signal file beside the real header', async () => {
    const dataset = folder('linked-dataset');
    writeCincRecord(dataset, CINC_2020_SOURCES.cpsc);
    const links = folder('link-farm');
    for (const f of ['A0001.hea', 'A0001.mat']) fs.symlinkSync(path.join(dataset, f), path.join(links, f));
    expect((await readWfdbRecord(path.join(links, 'A0001.hea'))).length).toBe(7500);
    // A linked header whose signal file is linked from somewhere else is still refused.
    const elsewhere = folder('linked-elsewhere');
    writeCincRecord(elsewhere, CINC_2020_SOURCES.cpsc);
    const mixed = folder('link-mixed');
    fs.symlinkSync(path.join(dataset, 'A0001.hea'), path.join(mixed, 'A0001.hea'));
    fs.symlinkSync(path.join(elsewhere, 'A0001.mat'), path.join(mixed, 'A0001.mat'));
    await expect(readWfdbRecord(path.join(mixed, 'A0001.hea'))).rejects.toThrow(/link to outside the header's folder/);
  });

  it('a multi-segment header cannot name a segment outside its folder', async () => {
    const dir = folder('escape-segment');
    fs.writeFileSync(path.join(dir, 'MS.hea'), 'MS/1 1 500 10\n../../x 10\n');
    await expect(readWfdbRecord(path.join(dir, 'MS.hea'))).rejects.toThrow(
      /a segment header named by the header lies outside the header's folder/,
    );
  });

  it('the parser itself never refuses a header for its base date and keeps the warning', () => {
    const h = parseWfdbHeader(
      'A0001 12 500 7500 05-Feb-2020 11:39:16 extra\n' + 'A0001.mat 16+24 1000/mV 16 0 0 0 0 I\n'.repeat(12),
      '/x/A0001.hea',
    );
    expect(h).toMatchObject({ baseDate: '05/02/2020', baseTime: '11:39:16' });
    expect(h.warnings).toEqual([expect.stringMatching(/'extra' is not a time or date/)]);
  });
});

import { describe, expect, it } from 'vitest';
import type { IngestFileOutcome, IngestOutcome, IngestSummary } from '../../src-shared/api.ts';
import { ingestFailed } from '../../src-shared/ingest-outcomes.ts';
import { describeIngest } from '../../src-main/cli/commands/ingest.ts';

const summary = (outcomes: [string, IngestOutcome][]): IngestSummary => {
  const list: IngestFileOutcome[] = outcomes.map(([p, outcome]) => ({ path: p, outcome, reason: `${outcome} reason` }));
  return {
    files: list.length,
    newRecords: list.filter((o) => o.outcome === 'stored').length,
    duplicates: 0,
    skipped: 0,
    failed: 0,
    outcomes: list,
    quarantined: list.filter((o) => o.outcome === 'quarantined').map((o) => ({ path: o.path, reason: o.reason })),
    warnings: [],
  };
};

describe('leadlens ingest output', () => {
  it('lists every file not taken in, a big group cut to ten lines and a count', () => {
    const r = summary([
      ['/in/A.hea', 'stored'],
      ['/in/A.mat', 'companion'],
      ['/in/B.hea', 'quarantined'],
      ...Array.from({ length: 25 }, (_, i): [string, IngestOutcome] => [`/in/img${i}.png`, 'not-ecg']),
    ]);
    const lines = describeIngest(r);
    expect(lines[0]).toBe('1 new, 0 duplicate, 0 already stored, 1 quarantined, 0 not stored (busy), 1 companion files (28 files)');
    expect(lines[1]).toBe('quarantined (1):');
    expect(lines[2]).toBe('  /in/B.hea: quarantined reason');
    expect(lines[3]).toBe('not an ECG format LeadLens reads (25):');
    expect(lines.slice(4, 14)).toEqual(Array.from({ length: 10 }, (_, i) => `  /in/img${i}.png: not-ecg reason`));
    expect(lines[14]).toBe('  … and 15 more (--json lists every file)');
    expect(lines).toHaveLength(15);
    expect(lines.join('\n')).not.toContain('A.mat'); // companions are counted, not listed
  });

  it('fails (exit 1) only when nothing could be stored and some file failed', () => {
    expect(
      ingestFailed(
        summary([
          ['/a.hea', 'unchanged'],
          ['/README', 'not-ecg'],
        ]),
      ),
    ).toBe(false);
    expect(
      ingestFailed(
        summary([
          ['/a.hea', 'duplicate'],
          ['/b.hea', 'busy'],
        ]),
      ),
    ).toBe(false);
    expect(ingestFailed(summary([['/README', 'not-ecg']]))).toBe(true);
    expect(
      ingestFailed(
        summary([
          ['/a.hea', 'busy'],
          ['/a.mat', 'companion'],
        ]),
      ),
    ).toBe(true);
    expect(ingestFailed(summary([['/.DS_Store', 'hidden']]))).toBe(false);
  });

  it("ends with the readers' warnings, one line each (PTB-XL rows without files)", () => {
    const r = {
      ...summary([['/in/ptbxl_database.csv', 'stored']]),
      warnings: ['ptbxl_database.csv: 343 of 353 rows have no record files here (ecg_id 11, …); their labels were not taken in'],
    };
    expect(describeIngest(r).at(-1)).toBe(
      'warning: ptbxl_database.csv: 343 of 353 rows have no record files here (ecg_id 11, …); their labels were not taken in',
    );
  });
});

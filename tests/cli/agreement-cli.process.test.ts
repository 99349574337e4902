// `leadlens agreement` and consensus labels through the built CLI: two reviewers on the bundled samples.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplesDir } from '../../src-main/resources.ts';
import { setAnnotatorLabel, setReviewState } from '../../src-main/store/label-store.ts';
import { resolveRecordRef } from '../../src-main/cli/record-ref.ts';
import { openWorkspace } from '../../src-main/store/workspace.ts';
import type { AgreementReport } from '../../src-shared/api.ts';
import { runLeadlens } from '../helpers/run-cli.ts';

const AF = '164889003';
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as unknown;

describe('leadlens agreement', () => {
  it('reports kappa and disagreements, and export --label-source consensus writes the consensus', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-agreement-cli-'));
    const ws = path.join(tmp, 'ws');
    expect(runLeadlens(['ingest', samplesDir(), '--workspace', ws, '--json']).status).toBe(0);
    const empty = runLeadlens(['agreement', '--workspace', ws]);
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain('no record has been submitted by a reviewer yet');
    const w = openWorkspace(ws);
    const [a, b] = ['JS00004', 'JS00012'].map((n) => resolveRecordRef(w.db, n)[0]);
    // Three reviewers: all say AF on a; on b two say AF and one does not.
    for (const who of ['dr.a', 'dr.b', 'dr.c']) {
      setAnnotatorLabel(w.db, { recordId: a, vocabulary: 'SNOMED', code: AF, present: true, author: who });
      if (who !== 'dr.c') setAnnotatorLabel(w.db, { recordId: b, vocabulary: 'SNOMED', code: AF, present: true, author: who });
      for (const id of [a, b]) setReviewState(w.db, { recordId: id, state: 'corrected', author: who });
    }
    w.close();
    const r = runLeadlens(['agreement', '--workspace', ws, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = lastJson(r.stdout) as AgreementReport;
    expect(report.reviewers).toEqual(['dr.a', 'dr.b', 'dr.c']);
    const af = report.classes.find((c) => c.code === AF)!;
    expect(af).toMatchObject({ n: 2, reviewers: 3, kappaKind: 'fleiss', consensusPositives: 2 });
    expect(report.disagreements.map((d) => [d.recordName, d.codes])).toEqual([['JS00012', [AF]]]);
    const text = runLeadlens(['agreement', '--workspace', ws]);
    expect(text.stdout).toMatch(/3 reviewers \(dr\.a, dr\.b, dr\.c\) on 2 records/);
    expect(text.stdout).toContain('JS00012');
    const out = path.join(tmp, 'out');
    const ex = runLeadlens([
      'export',
      '--out',
      out,
      '--record',
      'JS00004,JS00012',
      '--label-source',
      'consensus',
      '--workspace',
      ws,
      '--json',
    ]);
    expect(ex.status, ex.stderr).toBe(0);
    const csv = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8');
    expect(csv).toMatch(new RegExp(`\\nJS00012,\\d+,[^,]*${AF}[^,]*,,consensus,`));
    expect(fs.readFileSync(path.join(out, 'JS00012.hea'), 'latin1')).toMatch(new RegExp(`#Dx: [^\\n]*${AF}`));
    for (const [args, status, re] of [
      [['agreement', '--model', 'x'], 2, /--model needs a model id, got 'x'/],
      [['agreement', '--model', '99'], 1, /no model with id 99/],
      [['export', '--out', path.join(tmp, 'o2'), '--label-source', 'vote'], 2, /--label-source must be current or consensus, got 'vote'/],
    ] as [string[], number, RegExp][]) {
      const e = runLeadlens([...args, '--workspace', ws]);
      expect(e.status, args.join(' ')).toBe(status);
      expect(e.stderr.trim().split('\n')).toHaveLength(1);
      expect(e.stderr).toMatch(re);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 180_000);
});

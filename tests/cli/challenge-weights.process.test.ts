// The CinC 2021 challenge weights ship in resources/ and the built CLI finds them: `leadlens train` selects models by
// the challenge metric, and says so loudly when the table cannot be read instead of falling back to macro-F1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChallengeWeights, scoredClassIndex } from '../../src-main/ml/metrics/challenge-metric.ts';
import { challengeScoringDir, challengeWeightsCsv } from '../../src-main/resources.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { REPO_ROOT, dataPath } from '../helpers/shared-data.ts';

describe('challenge weights in resources/', () => {
  it('ship with their licence and the dx mappings, identical to the challenge tables', () => {
    expect(challengeScoringDir()).toBe(path.join(REPO_ROOT, 'resources', 'cinc-scoring-2021'));
    for (const f of ['weights.csv', 'dx_mapping_scored.csv', 'dx_mapping_unscored.csv']) {
      expect(fs.readFileSync(path.join(challengeScoringDir(), f), 'utf8')).toBe(
        fs.readFileSync(dataPath('cinc', 'scoring-2021', f), 'utf8'),
      );
    }
    expect(fs.readFileSync(path.join(challengeScoringDir(), 'LICENSE'), 'utf8')).toMatch(
      /Redistribution and use in source and binary forms/,
    );
    const w = loadChallengeWeights(challengeWeightsCsv({}));
    // RBBB and CRBBB are one scored class.
    expect(scoredClassIndex(w, '59118001')).toBe(scoredClassIndex(w, '713427006'));
    expect(scoredClassIndex(w, '59118001')).toBeGreaterThanOrEqual(0);
    expect(challengeWeightsCsv({ LEADLENS_CINC_WEIGHTS: '/x/w.csv' })).toBe('/x/w.csv');
  });

  it('are packaged by electron-builder', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')).toMatch(/^ {2}- resources\/cinc-scoring-2021\/\*\*$/m);
  });
});

describe('the built CLI (dist/main/cli.mjs) trains with the challenge metric', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-weights-'));
  const src = dataPath('cinc', 'chapman-ningbo', 'WFDBRecords', '01', '010');
  const train = [
    'train',
    '--arch',
    'small-cnn',
    '--leads',
    '12',
    '--classes',
    '426177001,426783006',
    '--epochs',
    '1',
    '--workspace',
    ws,
    '--json',
  ];

  it('finds the shipped weights (metric "challenge"), and a missing table is a one-line error, not macro-F1', () => {
    expect(fs.existsSync(path.join(REPO_ROOT, 'dist', 'main', 'cli.mjs'))).toBe(true);
    const ingest = runLeadlens(['ingest', src, '--workspace', ws, '--json']);
    expect(ingest.status).toBe(0);
    const ok = runLeadlens(train, { LEADLENS_CINC_WEIGHTS: '' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').pop()!)).toMatchObject({ metricName: 'challenge' });
    const missing = runLeadlens(train, { LEADLENS_CINC_WEIGHTS: path.join(ws, 'no-such-weights.csv') });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read the CinC challenge weights .*no-such-weights\.csv/);
    fs.rmSync(ws, { recursive: true, force: true });
  }, 300_000);
});

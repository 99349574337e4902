import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classLabelled, decisionAgrees, EQUIVALENT_CLASSES, equivalentCodes } from '../../src-shared/class-agreement.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';

const SB = '426177001';
const BRADY = '426627000';
const RULE_CODES = [SB, BRADY];

describe('class agreement', () => {
  it('lists exactly the equivalent classes the CinC 2021 scoring weights join with |', () => {
    const header = fs.readFileSync(path.join(REPO_ROOT, 'resources', 'cinc-scoring-2021', 'weights.csv'), 'utf8').split('\n')[0];
    const joined = header
      .split(',')
      .filter((c) => c.includes('|'))
      .map((c) => c.trim().split('|'));
    expect(EQUIVALENT_CLASSES.map((p) => [...p])).toEqual(joined);
    expect(equivalentCodes('59118001')).toEqual(['713427006', '59118001']);
    expect(equivalentCodes(SB)).toEqual([SB]);
  });

  it('a positive sinus-bradycardia rule agrees with a record labelled SB only, on both of its codes', () => {
    const labelledSbOnly = (c: string) => c === SB;
    expect(decisionAgrees(true, RULE_CODES, labelledSbOnly)).toBe(true);
    expect(decisionAgrees(false, RULE_CODES, labelledSbOnly)).toBe(false);
    // With neither code labelled, a positive rule disagrees and a negative one agrees.
    expect(decisionAgrees(true, RULE_CODES, () => false)).toBe(false);
    expect(decisionAgrees(false, RULE_CODES, () => false)).toBe(true);
    // A model's one class is compared with that class (and its equivalents) only: SB does not make Brady present.
    expect(decisionAgrees(true, [BRADY], labelledSbOnly)).toBe(false);
  });

  it('a label of an equivalent code counts as the class', () => {
    expect(classLabelled('59118001', (c) => c === '713427006')).toBe(true);
    expect(decisionAgrees(true, ['17338001'], (c) => c === '427172004')).toBe(true);
  });
});

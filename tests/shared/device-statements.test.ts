import { describe, expect, it } from 'vitest';
import { deviceStatementCodes } from '../../src-shared/device-statements.ts';
import { codeAbbreviation } from '../../src-shared/vocabulary-search.ts';

const named = (statements: string[]) => [...deviceStatementCodes(statements).keys()].map(codeAbbreviation).sort();

describe('device statements matched to label classes', () => {
  it('finds the classes vendor statements name, in any case, at word starts', () => {
    expect(named(['SINUS BRADYCARDIA — V-rate<60'])).toEqual(['Brady', 'SB']);
    expect(named(['Normal Sinus rhythm'])).toEqual(['NSR']);
    expect(named(['T wave abnormality, consider lateral ischemia'])).toEqual(['TAb']);
    expect(named(['PROBABLE LEFT VENTRICULAR HYPERTROPHY — (RaVL+SV3)xQRSd >280'])).toEqual(['LVH', 'VH']);
    expect(named(['Abnormal ECG', 'NO PREVIOUS TRACING AVAILABLE FOR COMPARISON'])).toEqual([]);
  });

  it('keeps every statement that names a class, in order', () => {
    const m = deviceStatementCodes(['Sinus rhythm', 'Atrial fibrillation with rapid response', 'atrial fibrillation, controlled']);
    expect(m.get('164889003')).toEqual(['Atrial fibrillation with rapid response', 'atrial fibrillation, controlled']);
  });

  it('does not match inside a word', () => {
    expect(named(['Nonsinus rhythm'])).toEqual([]);
  });
});

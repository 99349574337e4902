import fs from 'node:fs';
import path from 'node:path';
import { dataPath } from './shared-data.ts';

const MUSE = (name: string) => dataPath('formats', 'ge-muse-xml', 'easyRecg', name);

/**
 * Two real GE MUSE files of one patient: muse_ecg1.xml read in place (patient JAX01234, 2021-05-10), and muse_ecg2.xml
 * (easyRecg, MIT) written into `dir` exactly as it is but for its PatientID, set to JAX01234, and its acquisition date,
 * a year earlier: the prior ECG. Returns [current, prior] paths.
 */
export function samePatientMuseFiles(dir: string): [string, string] {
  const prior = fs
    .readFileSync(MUSE('muse_ecg2.xml'), 'latin1')
    .replace('<PatientID>JAX12345</PatientID>', '<PatientID>JAX01234</PatientID>')
    .replace('<AcquisitionDate>05-10-2021</AcquisitionDate>', '<AcquisitionDate>05-10-2020</AcquisitionDate>');
  if (!prior.includes('<PatientID>JAX01234</PatientID>') || !prior.includes('05-10-2020'))
    throw new Error('muse_ecg2.xml changed upstream');
  const priorPath = path.join(dir, 'muse_ecg2-prior.xml');
  fs.writeFileSync(priorPath, prior, 'latin1');
  return [MUSE('muse_ecg1.xml'), priorPath];
}

/** The FDA aECG example of subject 2 (QTc 471 ms by Bazett, 458 ms by Fridericia on our measurement: near the limit). */
export const NEAR_QTC_LIMIT_AECG = dataPath(
  'formats',
  'hl7-aecg',
  'fda',
  'ectd_example',
  'FDA000003',
  '0000',
  'm5',
  'datasets',
  'Test',
  'misc',
  'aecg',
  'subject2_0.xml',
);

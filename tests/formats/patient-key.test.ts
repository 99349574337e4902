// A patient's records group by name + birth date when the cart left the patient id empty: GE MUSE, Philips and
// SCP-ECG files, each cut from or written in the shape of the real ones, give one key per person and store no name.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMuse } from '../../src-main/formats/ge-muse-xml.ts';
import { isoBirthDate, patientKeyFromName } from '../../src-main/formats/patient-key.ts';
import { parsePhilips } from '../../src-main/formats/philips-sierraecg.ts';
import { parseScp } from '../../src-main/formats/scp-ecg.ts';
import { dataPath } from '../helpers/shared-data.ts';
import { writeScp } from '../helpers/scp-writer.ts';

const museXml = fs.readFileSync(dataPath('formats', 'ge-muse-xml', 'easyRecg', 'muse_ecg1.xml'), 'latin1');
/** The real MUSE file with its PatientID removed and the given name and birth date. */
const muse = (last: string, first: string, birth: string) =>
  parseMuse(
    museXml
      .replace(/<PatientID>[^<]*<\/PatientID>/, '')
      .replace(
        /<PatientLastName>[^<]*<\/PatientLastName>/,
        `<PatientLastName>${last}</PatientLastName><PatientFirstName>${first}</PatientFirstName><DateofBirth>${birth}</DateofBirth>`,
      ),
    'cut.xml',
  );

describe('patient key from name and birth date', () => {
  it('reads the vendors’ date spellings and normalises names', () => {
    expect(['1951-01-31', '19510131', '01-31-1951', '01/31/1951'].map(isoBirthDate)).toEqual(Array(4).fill('1951-01-31'));
    expect(isoBirthDate('31.01.1951')).toBeUndefined();
    expect(patientKeyFromName({ lastName: 'Müller-Lüdenscheidt', firstName: 'José', birthDate: '1951-01-31' })).toBe(
      patientKeyFromName({ lastName: 'MULLER LUDENSCHEIDT ', firstName: 'jose', birthDate: '19510131' }),
    );
    // No key from a name alone, a date alone, or an anonymised placeholder.
    expect(patientKeyFromName({ lastName: 'Doe' })).toBeUndefined();
    expect(patientKeyFromName({ birthDate: '1951-01-31' })).toBeUndefined();
    expect(patientKeyFromName({ lastName: 'xxxxxx', firstName: 'xxxxxx', birthDate: '1951-01-01' })).toBeUndefined();
  });

  it('GE MUSE: the same person in two files shares a key, another birth date does not, and no name is kept', () => {
    const a = muse('TEST 03', 'Anna', '03-14-1960');
    const b = muse('Test 03', 'ANNA', '03-14-1960');
    const c = muse('TEST 03', 'Anna', '03-15-1960');
    expect(a.patientId).toMatch(/^name\+birth:[0-9a-f]{16}$/);
    expect(b.patientId).toBe(a.patientId);
    expect(c.patientId).not.toBe(a.patientId);
    expect(JSON.stringify(a)).not.toMatch(/Anna|TEST 03/i);
    // A file with a patient id keeps it.
    expect(parseMuse(museXml, 'muse_ecg1.xml').patientId).toBe(/<PatientID>([^<]*)<\/PatientID>/.exec(museXml)![1]);
  });

  it('Philips SierraECG: name and birth date from generalpatientdata when patientid is empty', () => {
    const file = dataPath('formats', 'philips-sierraecg', 'examples', 'xml', '1_04_01', '2020-5-18_15-48-11.xml');
    const bytes = fs.readFileSync(file);
    const xml = bytes[0] === 0xff || bytes[0] === 0xfe ? bytes.toString('utf16le').replace(/^\uFEFF/, '') : bytes.toString('utf8');
    const person = (birth: string) =>
      parsePhilips(
        xml
          .replace(/<patientid>[^<]*<\/patientid>/, '<patientid />')
          .replace(/<lastname>[^<]*<\/lastname>/, '<lastname>Rossi</lastname>')
          .replace(/<dateofbirth>[^<]*<\/dateofbirth>/, `<dateofbirth>${birth}</dateofbirth>`),
        'p.xml',
      ).patientId;
    expect(person('1951-01-01')).toMatch(/^name\+birth:/);
    expect(person('1951-01-01')).toBe(person('1951-01-01'));
    expect(person('1952-01-01')).not.toBe(person('1951-01-01'));
    // The sample's own anonymised 'xxxxxx' names give no key: its id stays as the file says.
    expect(parsePhilips(xml, 'p.xml').patientId).toBe('xxxxxx');
  });

  it('SCP-ECG: section 1 tags 0, 1 and 5 give the key when tag 2 (patient id) is absent', () => {
    const text = (s: string) => new TextEncoder().encode(`${s}\0`);
    const birth = Uint8Array.from([1960 & 0xff, 1960 >> 8, 3, 14]);
    const lead = { code: 1, values: Int32Array.from({ length: 2000 }, (_, i) => Math.round(200 * Math.sin(i / 30))) };
    const scp = (tags: [number, Uint8Array][]) =>
      parseScp(writeScp({ leads: [lead], intervalUs: 2000, avm: 5000, patientTags: tags }), 'n.scp').patientId;
    const key = scp([
      [0, text('Smith')],
      [1, text('Ann')],
      [5, birth],
    ]);
    expect(key).toMatch(/^name\+birth:/);
    expect(key).toBe(patientKeyFromName({ lastName: 'SMITH', firstName: 'ann', birthDate: '1960-03-14' }));
    expect(
      scp([
        [2, text('P-1')],
        [0, text('Smith')],
        [5, birth],
      ]),
    ).toBe('P-1');
  });
});

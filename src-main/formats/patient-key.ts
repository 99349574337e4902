// Records of one patient belong together (serial comparison) even when a cart left the patient id empty: vendor
// files carry name and birth date, which identify the patient. LeadLens stores no names, so the pair becomes a
// one-way key: same person, same key; the name cannot be read back from it.
import { createHash } from 'node:crypto';

/** Upper case, accents and punctuation dropped, spaces collapsed: 'Müller-Lüdenscheidt ' = 'MULLER LUDENSCHEIDT'. */
function normalisedName(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/** A birth date as YYYY-MM-DD from the vendors' spellings: ISO, YYYYMMDD (HL7), MM-DD-YYYY (GE MUSE). */
export function isoBirthDate(date: string | undefined): string | undefined {
  const d = date?.trim() ?? '';
  const iso = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(d);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const us = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(d);
  return us ? `${us[3]}-${us[1]}-${us[2]}` : undefined;
}

/**
 * A patient key from last name, first name and birth date, or undefined when the last name or the birth date is
 * missing (a name alone, or placeholders such as 'xxxxxx' with a default date, would merge strangers less safely).
 */
export function patientKeyFromName(p: { lastName?: string; firstName?: string; birthDate?: string }): string | undefined {
  const last = normalisedName(p.lastName);
  const birth = isoBirthDate(p.birthDate);
  if (!last || !birth || /^X+$/.test(last)) return undefined;
  const digest = createHash('sha256')
    .update(`${last}|${normalisedName(p.firstName)}|${birth}`)
    .digest('hex');
  return `name+birth:${digest.slice(0, 16)}`;
}

// The device's interpretation statements matched to label classes by text, for the side-by-side panel.
// A statement names a class when the class's vocabulary name appears in it starting at a word boundary
// ('Sinus bradycardia' -> SB and Brady; 'T wave abnormality' -> TAb). Only what is said counts: a class
// the device does not name is no opinion, since statements are free text and not a complete list.
import { SNOMED_VOCABULARY } from './snomed-vocabulary.ts';

const PATTERNS = SNOMED_VOCABULARY.map((e) => ({
  code: e.code,
  pattern: new RegExp(
    `(^|[^a-z])${e.name
      .toLowerCase()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s+')}`,
  ),
}));

/** SNOMED code -> the statements that name its class, in the device's order. */
export function deviceStatementCodes(statements: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of statements) {
    const text = s.toLowerCase();
    for (const { code, pattern } of PATTERNS) {
      if (pattern.test(text)) out.set(code, [...(out.get(code) ?? []), s]);
    }
  }
  return out;
}

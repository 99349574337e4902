// Searching the label vocabulary the way annotators type: an abbreviation, a code or words of the name.
import { SNOMED_VOCABULARY, type VocabularyEntry } from './snomed-vocabulary.ts';

const BY_CODE = new Map(SNOMED_VOCABULARY.map((e) => [e.code, e]));

export function vocabularyEntry(code: string): VocabularyEntry | undefined {
  return BY_CODE.get(code);
}

/** Short display name of a SNOMED code: its abbreviation when known, else the code. */
export function codeAbbreviation(code: string): string {
  return BY_CODE.get(code)?.abbreviation ?? code;
}

/**
 * Entries matching `query`, best first: exact abbreviation or code, then abbreviation prefix, then every
 * word of the query starting a word of the name. Within a rank the vocabulary order holds (scored first).
 */
export function searchVocabulary(query: string, limit = 20): VocabularyEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return SNOMED_VOCABULARY.slice(0, limit);
  const words = q.split(/\s+/);
  const ranked: { e: VocabularyEntry; rank: number; i: number }[] = [];
  SNOMED_VOCABULARY.forEach((e, i) => {
    const abbr = e.abbreviation.toLowerCase();
    const nameWords = e.name.toLowerCase().split(/[\s,/-]+/);
    let rank = -1;
    if (abbr === q || e.code === q) rank = 0;
    else if (abbr.startsWith(q) || e.code.startsWith(q)) rank = 1;
    else if (words.every((w) => nameWords.some((n) => n.startsWith(w)))) rank = 2;
    else if (e.name.toLowerCase().includes(q)) rank = 3;
    if (rank >= 0) ranked.push({ e, rank, i });
  });
  return ranked
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, limit)
    .map((r) => r.e);
}

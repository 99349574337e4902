// EcgFileReader entries for WFDB headers: 'cinc' (.hea with #Dx comments) and plain 'wfdb'.
import type { EcgFileReader } from './reader.ts';
import { isWfdbRecordLine } from './wfdb-header.ts';
import { fileExists, fileInHeaderFolder, readWfdbHeaderFile, readWfdbRecord, signalFilePaths } from './wfdb-record.ts';

/** Annotation files attached to a WFDB record when they exist beside its header. */
export const WFDB_ANNOTATORS = ['atr', 'qrs', 'ecg'];

/** The first record line of a header's head, or undefined when it is not a WFDB header. */
function recordLine(head: Uint8Array, filePath: string): string | undefined {
  if (!filePath.toLowerCase().endsWith('.hea') || head.includes(0)) return undefined;
  const text = new TextDecoder('latin1').decode(head);
  const line = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (line === undefined || !isWfdbRecordLine(line)) return undefined;
  // Zero-length records are layout headers of multi-segment records, read through their master.
  if (line.split(/\s+/)[3] === '0') return undefined;
  return line;
}

const hasDx = (head: Uint8Array) => /^#\s*Dx\s*:/m.test(new TextDecoder('latin1').decode(head));

/** Signal files, segment headers (and theirs) and existing annotation files of a WFDB record. */
export async function wfdbCompanions(headerPath: string): Promise<string[]> {
  const header = await readWfdbHeaderFile(headerPath);
  const out = signalFilePaths(header, headerPath);
  for (const seg of header.segments) {
    if (seg.name === '~') continue;
    const p = fileInHeaderFolder(headerPath, `${seg.name}.hea`, 'a segment header');
    out.push(p);
    if (fileExists(p)) out.push(...signalFilePaths(await readWfdbHeaderFile(p), p));
  }
  const base = headerPath.replace(/\.hea$/i, '');
  for (const a of WFDB_ANNOTATORS) if (fileExists(`${base}.${a}`)) out.push(`${base}.${a}`);
  return [...new Set(out)];
}

export const cincReader: EcgFileReader = {
  format: 'cinc',
  detect: (head, filePath) => recordLine(head, filePath) !== undefined && hasDx(head),
  companions: wfdbCompanions,
  read: async (filePath) => [await readWfdbRecord(filePath, { annotators: WFDB_ANNOTATORS })],
};

export const wfdbReader: EcgFileReader = {
  format: 'wfdb',
  extensions: ['.hea'],
  detect: (head, filePath) => recordLine(head, filePath) !== undefined && !hasDx(head),
  companions: wfdbCompanions,
  read: async (filePath) => [await readWfdbRecord(filePath, { annotators: WFDB_ANNOTATORS })],
};

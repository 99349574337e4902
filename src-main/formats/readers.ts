// The reader registry: every supported file format, asked in order. Adding a format is one
// import and one array entry; more specific readers come before general ones.
import { chapmanCsvReader } from './chapman-csv.ts';
import { dicomEcgReader } from './dicom-ecg.ts';
import { edfReader } from './edf.ts';
import { geMuseXmlReader } from './ge-muse-xml.ts';
import { hl7AecgReader } from './hl7-aecg.ts';
import { ishneReader } from './ishne.ts';
import { ludbReader } from './ludb.ts';
import { philipsSierraEcgReader } from './philips-sierraecg.ts';
import { ptbxlReader } from './ptbxl.ts';
import type { EcgFileReader } from './reader.ts';
import { scpEcgReader } from './scp-ecg.ts';
import { cincReader, wfdbReader } from './wfdb-reader.ts';

export const READERS: EcgFileReader[] = [
  ptbxlReader,
  ludbReader,
  hl7AecgReader,
  geMuseXmlReader,
  philipsSierraEcgReader,
  dicomEcgReader,
  scpEcgReader,
  ishneReader,
  edfReader,
  chapmanCsvReader,
  cincReader,
  wfdbReader,
];

/** The first reader that claims the file by its content (`head`: its first bytes, up to 4 KiB). */
export function detectReader(head: Uint8Array, filePath: string, readers: readonly EcgFileReader[] = READERS): EcgFileReader | undefined {
  return readers.find((r) => {
    try {
      return r.detect(head, filePath);
    } catch {
      return false;
    }
  });
}

/** The reader to hand a file to: by content first, then by extension, so a damaged file still gets its reader's precise error. */
export function readerForFile(head: Uint8Array, filePath: string, readers: readonly EcgFileReader[] = READERS): EcgFileReader | undefined {
  const ext = filePath.slice(filePath.lastIndexOf('.')).toLowerCase();
  return detectReader(head, filePath, readers) ?? readers.find((r) => r.extensions?.includes(ext));
}

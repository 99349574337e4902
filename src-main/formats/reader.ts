import type { EcgRecord } from '../../src-shared/record.ts';

/**
 * One file format. Adding a format is one file exporting one of these, listed in `readers.ts`.
 *
 * The ingest walker shows every file to `detect`; the reader that claims it is asked for the
 * companion files it needs (the walker waits until they exist and are stable), then reads it.
 * Files a reader lists as companions are not offered to other readers as entries.
 */
export interface EcgFileReader {
  /** Short id stored with each record, e.g. 'wfdb', 'cinc', 'ptbxl', 'hl7-aecg'. */
  format: string;
  /** File endings (lower case, with the dot) this reader is offered when no reader claims a file by content,
   *  so a damaged file of its kind gets the reader's own precise error instead of being ignored. */
  extensions?: string[];
  /** True when this reader claims the file, judged by content (`head` holds its first bytes, up to 4 KiB). */
  detect(head: Uint8Array, filePath: string): boolean;
  /** Other files this entry needs before it can be read (absolute paths), e.g. a .hea's .dat/.mat files. */
  companions(filePath: string): Promise<string[]>;
  /** Read every record the entry holds (a dataset index such as ptbxl_database.csv holds many). Throws FormatError. */
  read(filePath: string): Promise<EcgRecord[]>;
  /** Dataset indexes: the records one at a time, so ingest stores them in batches and never holds the dataset.
   *  `warn` gets one line for each thing left out (rows without files, unreadable rows). Ingest prefers it to `read`. */
  stream?(filePath: string, warn: (line: string) => void): AsyncIterable<EcgRecord>;
}

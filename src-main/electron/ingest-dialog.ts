// File > Ingest files… / Ingest folder…: the native open dialog is the one way the desktop app's API may read
// outside the inbox folders. What the user picks is remembered as chosen (api/chosen-paths.ts), then ingested
// through the same service as `ingest.paths`, so the page sees the same progress and ingest-result events.
import type { OpenDialogOptions } from 'electron';

export type IngestPick = 'files' | 'folders';

export function ingestDialogOptions(pick: IngestPick): OpenDialogOptions {
  return pick === 'files'
    ? { title: 'Ingest ECG files', buttonLabel: 'Ingest', properties: ['openFile', 'multiSelections'] }
    : { title: 'Ingest folders of ECG files', buttonLabel: 'Ingest', properties: ['openDirectory', 'multiSelections'] };
}

/** The paths to ingest from a dialog's answer; none when it was cancelled. */
export const pickedPaths = (answer: { canceled: boolean; filePaths: string[] }): string[] => (answer.canceled ? [] : answer.filePaths);

// The reviewer's changes to one record, each written at once and undoable. Nothing is reloaded here: the server
// sends records.changed after every write, and the views reload what it names (one reload per change).
import type { IntervalAnnotation, RecordNote } from '../../src-shared/api.ts';
import { BOUNDARY_LABELS, type BoundaryName } from '../../src-shared/median-beats.ts';
import { codeAbbreviation } from '../../src-shared/vocabulary-search.ts';
import { api } from '../lib/api-client.ts';
import { reviewer } from '../lib/reviewer.svelte.ts';
import type { createUndoStack } from '../lib/undo.svelte.ts';

type UndoStack = ReturnType<typeof createUndoStack>;

export function createRecordEdits(recordId: number, undo: UndoStack, onerror: (message: string) => void) {
  /** Runs a change; its error (or '' on success) goes to the view. True when it was written. */
  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn();
      onerror('');
      return true;
    } catch (e) {
      onerror((e as Error).message);
      return false;
    }
  }
  const author = () => reviewer.name;

  return {
    undo: () => run(() => undo.undo()),
    redo: () => run(() => undo.redo()),
    /** Sets a SNOMED label present or absent (`was`: whether it is present now). */
    toggleLabel(code: string, was: boolean): Promise<boolean> {
      const set = (present: boolean) => api.call('labels.set', { recordId, vocabulary: 'SNOMED', code, present, author: author() });
      return run(async () => {
        await set(!was);
        undo.push({ label: `${was ? 'remove' : 'add'} ${codeAbbreviation(code)}`, undo: () => set(was), redo: () => set(!was) });
      });
    },
    setReviewState(state: string, was: string): Promise<boolean> {
      const set = (s: string) => api.call('records.setReviewState', { recordId, state: s, author: author() });
      return run(async () => {
        await set(state);
        undo.push({ label: `review ${state}`, undo: () => set(was), redo: () => set(state) });
      });
    },
    addNote(text: string): Promise<boolean> {
      let noteId = 0;
      const add = async () => {
        noteId = (await api.call('notes.add', { recordId, text, author: author() })).id;
      };
      return run(async () => {
        await add();
        undo.push({ label: 'add note', undo: () => api.call('notes.delete', { id: noteId, author: author() }), redo: add });
      });
    },
    deleteNote(note: RecordNote): Promise<boolean> {
      let noteId = note.id;
      const del = () => api.call('notes.delete', { id: noteId, author: author() });
      return run(async () => {
        await del();
        undo.push({
          label: 'delete note',
          undo: async () => {
            noteId = (await api.call('notes.add', { recordId, text: note.text, author: author() })).id;
          },
          redo: del,
        });
      });
    },
    /** Annotates the record span [start, end) on one lead, or on all leads when `lead` is undefined. */
    addInterval(span: { start: number; end: number; lead?: string }, code: string): Promise<boolean> {
      const p = { recordId, ...span, vocabulary: 'SNOMED', code, author: author() };
      let ivId = 0;
      const add = async () => {
        ivId = (await api.call('intervals.add', p)).id;
      };
      return run(async () => {
        await add();
        undo.push({
          label: `interval ${codeAbbreviation(code)}`,
          undo: () => api.call('intervals.delete', { id: ivId, author: author() }),
          redo: add,
        });
      });
    },
    deleteInterval(iv: IntervalAnnotation): Promise<boolean> {
      return run(() => api.call('intervals.delete', { id: iv.id, author: author() }));
    },
    /** Moves a global boundary to `offset` samples from R (null: the automatic one); `was` is where it stood. */
    correctBoundary(boundary: BoundaryName, offset: number | null, was: number | null): Promise<boolean> {
      const set = (o: number | null) =>
        api.call('boundaries.correct', { recordId, boundary, ...(o === null ? {} : { offset: o }), author: author() });
      return run(async () => {
        await set(offset);
        undo.push({ label: `move ${BOUNDARY_LABELS[boundary]}`, undo: () => set(was), redo: () => set(offset) });
      });
    },
  };
}

// Undo and redo of reviewer actions. Every action is already written to the workspace; undoing writes its
// inverse (a new, audited change), so the history keeps both.
export interface UndoableAction {
  label: string;
  undo: () => Promise<unknown>;
  redo: () => Promise<unknown>;
}

export function createUndoStack() {
  let done = $state<UndoableAction[]>([]);
  let undone = $state<UndoableAction[]>([]);
  return {
    get canUndo() {
      return done.length > 0;
    },
    get canRedo() {
      return undone.length > 0;
    },
    get nextUndo() {
      return done.at(-1)?.label;
    },
    get nextRedo() {
      return undone.at(-1)?.label;
    },
    /** Records an action that has just been performed. */
    push(a: UndoableAction): void {
      done = [...done, a];
      undone = [];
    },
    async undo(): Promise<void> {
      const a = done.at(-1);
      if (!a) return;
      done = done.slice(0, -1);
      await a.undo();
      undone = [...undone, a];
    },
    async redo(): Promise<void> {
      const a = undone.at(-1);
      if (!a) return;
      undone = undone.slice(0, -1);
      await a.redo();
      done = [...done, a];
    },
  };
}

// One stack per record for the whole session: leaving a record and coming back keeps its history.
// Not reactive itself (each stack is): nothing renders the map.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const stacks = new Map<number, ReturnType<typeof createUndoStack>>();

/** The record's undo stack, created on first use and kept until the window closes. */
export function undoStackFor(recordId: number): ReturnType<typeof createUndoStack> {
  let s = stacks.get(recordId);
  if (!s) stacks.set(recordId, (s = createUndoStack()));
  return s;
}

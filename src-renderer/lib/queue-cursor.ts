// Keeps the reviewer's place in a queue across a reload: the cursor stays on its record, and when an action took
// that record out of the queue (accepted in New, ...) it lands on the record that followed it, so none is skipped.

/** The cursor's index in `after` (record ids of the reloaded list), given the list `before` and the cursor in it. */
export function followCursor(before: readonly number[], cursor: number, after: readonly number[]): number {
  if (after.length === 0) return 0;
  const index = new Map(after.map((id, i) => [id, i]));
  for (let i = Math.max(0, cursor); i < before.length; i++) {
    const j = index.get(before[i]);
    if (j !== undefined) return j;
  }
  // Nothing at or after the cursor is left: the nearest record before it.
  for (let i = Math.min(cursor, before.length) - 1; i >= 0; i--) {
    const j = index.get(before[i]);
    if (j !== undefined) return j;
  }
  return Math.min(Math.max(0, cursor), after.length - 1);
}

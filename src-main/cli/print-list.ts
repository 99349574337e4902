import type { CliContext } from './command.ts';

/** Prints one line per row of a listing command, or `none` (what to run to make some) when there are no rows. */
export function printList<Row>(ctx: CliContext, rows: Row[], none: string, line: (row: Row) => string): void {
  if (rows.length === 0) ctx.log(none);
  for (const row of rows) ctx.log(line(row));
}

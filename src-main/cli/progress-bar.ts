import type { ProgressReporter } from './command.ts';

/** A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal. */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return { update: () => undefined, finish: () => undefined };
  let last = 0;
  return {
    update(done, total, item) {
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const text = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${item ?? ''}`;
      stream.write(`\r${text.slice(0, (stream.columns ?? 100) - 1).padEnd(Math.min(100, (stream.columns ?? 100) - 1))}`);
    },
    finish() {
      stream.write('\r\x1b[K');
    },
  };
}

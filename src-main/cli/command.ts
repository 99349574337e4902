import type { Workspace } from '../store/workspace.ts';

/** Parsed command line: positional arguments and `--name value` / `--flag` options. */
export interface CliArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
}

/** Reports progress of long work: a bar on a terminal, nothing otherwise (or JSON lines with --json). */
export interface ProgressReporter {
  update(done: number, total: number, label?: string): void;
  finish(): void;
}

export interface CliContext {
  /** The workspace named by --workspace (or LEADLENS_HOME / the OS user-data folder), opened on first use. */
  workspace(): Workspace;
  workspaceDir: string;
  json: boolean;
  progress(label: string): ProgressReporter;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Human-readable output line (suppressed with --json). */
  log(line: string): void;
  /** Set by a command whose result is printed but counts as a failure (exit code 1). */
  exitCode?: number;
  /** The result is still printed, but the command failed: one line on stderr and exit code 1 (e.g. a batch that stored nothing). */
  fail(message: string): void;
}

export interface CliCommand {
  /** Words that select the command, e.g. ['rules'] or ['bench', 'qrs']. */
  name: string[];
  summary: string;
  usage: string;
  /**
   * Options the command accepts: 'string' takes a value, 'boolean' is a flag, 'list' takes a value and may be given
   * again (the values arrive comma-joined). Unknown options are an error.
   */
  options: Record<string, 'string' | 'boolean' | 'list'>;
  /** Returns the machine-readable result printed with --json (and summarised by `log` otherwise). */
  run(args: CliArgs, ctx: CliContext): Promise<unknown>;
}

/** The command line is wrong (unknown option, missing or malformed value, ambiguous --record): one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

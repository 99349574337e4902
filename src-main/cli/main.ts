import { defaultWorkspaceDir, openWorkspace, type Workspace } from '../store/workspace.ts';
import { LEADLENS_VERSION } from '../version.ts';
import type { CliCommand, CliContext } from './command.ts';
import { UsageError } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { parseArgs } from './parse-args.ts';
import { terminalProgress } from './progress-bar.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.join(' ').length));
  return [
    `LeadLens ${LEADLENS_VERSION} — ECG annotation and model review`,
    '',
    'usage: leadlens <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --workspace DIR (default: $LEADLENS_HOME or the user-data folder) and --json.',
    '--record takes a record id or a record name (id:N or name:X when a value could be both).',
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([code, meaning]) => `  ${code}  ${meaning}`),
  ].join('\n');
}

/** The exit codes every command uses (also in the README). */
export const EXIT_CODES: readonly [number, string][] = [
  [0, 'ok (a batch may have skipped records: each is listed with the reason)'],
  [1, 'failure: a file, folder, record or model that does not exist or cannot be read, or a batch that did nothing'],
  [2, 'usage: unknown command or option, a missing or malformed value, an ambiguous --record'],
];

/** Commands that share a first word ('bench qrs', ...): the first word alone lists them. */
function commandGroup(word: string): CliCommand[] {
  return COMMANDS.filter((c) => c.name.length > 1 && c.name[0] === word);
}

/** A Node file-system error as one line naming the path ('no such file or folder: /x'), else undefined. */
function fileErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || typeof err.path !== 'string') return undefined;
  const what: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'not a folder',
    EISDIR: 'a folder, not a file',
    EEXIST: 'already exists',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return `${what[err.code] ?? err.code}: ${err.path}`;
}

/** The command whose words start argv (longest match first, so 'bench qrs' wins over 'bench'). */
export function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);
  for (const c of sorted) {
    if (c.name.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(c.name.length) };
  }
  return undefined;
}

/** Runs the CLI; returns the exit code. Bad input is one line on stderr, never a stack trace. */
export async function runCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(usage() + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    process.stdout.write(LEADLENS_VERSION + '\n');
    return 0;
  }
  const found = findCommand(argv);
  const group = found ? [] : commandGroup(argv[0]);
  if (!found && group.length) {
    // `leadlens bench` lists its benchmarks; `leadlens bench nope` is a usage error that lists them too.
    const list = group.map((c) => `  ${c.name.join(' ')}  ${c.summary}\n    usage: ${c.usage.split('\n')[0]}`).join('\n');
    if (argv.length === 1 || argv[1] === '--help') {
      process.stdout.write(`leadlens ${argv[0]}: ${group.length} command${group.length > 1 ? 's' : ''}\n${list}\n`);
      return 0;
    }
    process.stderr.write(
      `leadlens ${argv[0]}: unknown ${argv[0]} command '${argv[1].slice(0, 60)}' (one of ${group.map((c) => c.name.slice(1).join(' ')).join(', ')})\n`,
    );
    return 2;
  }
  if (!found) {
    process.stderr.write(`leadlens: unknown command '${argv[0].slice(0, 60)}' (run 'leadlens --help' for the list)\n`);
    return 2;
  }
  const { command, rest } = found;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let ws: Workspace | undefined;
  let json = false;
  try {
    const args = parseArgs(rest, command);
    if (args.options.help) {
      process.stdout.write(`usage: ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    json = args.options.json === true;
    if (typeof args.options.workspace === 'string' && args.options.workspace.trim() === '')
      throw new UsageError('--workspace needs a folder path, got an empty one');
    const workspaceDir = typeof args.options.workspace === 'string' ? args.options.workspace : defaultWorkspaceDir();
    const ctx: CliContext = {
      workspaceDir,
      json,
      signal: controller.signal,
      workspace: () => (ws ??= openWorkspace(workspaceDir)),
      progress: (label) => (json ? { update: () => undefined, finish: () => undefined } : terminalProgress(label)),
      log: (line) => {
        if (!json) process.stdout.write(line + '\n');
      },
      fail: (message) => {
        process.stderr.write(`leadlens ${command.name.join(' ')}: ${message.split('\n')[0]}\n`);
        ctx.exitCode = 1;
      },
    };
    const result = await command.run(args, ctx);
    if (json && result !== undefined) process.stdout.write(JSON.stringify(result) + '\n');
    return ctx.exitCode ?? 0;
  } catch (e) {
    const msg = fileErrorLine(e) ?? (e instanceof Error ? e.message : String(e));
    process.stderr.write(`leadlens ${command.name.join(' ')}: ${msg.split('\n')[0]}\n`);
    if (process.env.LEADLENS_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    ws?.close();
  }
}

export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}

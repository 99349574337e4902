import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { CliContext } from '../../src-main/cli/command.ts';
import type { Workspace } from '../../src-main/store/workspace.ts';
import { REPO_ROOT } from './shared-data.ts';

export const LEADLENS_BIN = path.join(REPO_ROOT, 'bin', 'leadlens.mjs');

/** Runs the built `leadlens` CLI to completion. */
export function runLeadlens(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [LEADLENS_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `leadlens serve --json` and resolves with its URL once it listens. */
export function startServe(args: string[]): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [LEADLENS_BIN, 'serve', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const { url, port } = JSON.parse(line) as { url: string; port: number };
        resolve({
          url,
          port,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err.trim()}`)));
  });
}

/**
 * Runs the CLI's own entry (cli/main.ts runCli) in this process, with stdout and stderr captured: the same parsing,
 * commands, messages and exit codes as the built binary without starting a Node process per call. Tests that check
 * the binary itself (bundling, process exit) use runLeadlens.
 */
export async function runLeadlensInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../src-main/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await runCli(args);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** A CliContext for running a command object in a test: `workspace()` read when the command asks, failures thrown. */
export function testCliContext(workspace: () => Workspace, log: (line: string) => void = () => {}): CliContext {
  return {
    workspace,
    get workspaceDir() {
      return workspace().dir;
    },
    json: false,
    signal: new AbortController().signal,
    progress: () => ({ update: () => {}, finish: () => {} }),
    log,
    fail: (message) => {
      throw new Error(message);
    },
  };
}

/** Runs the built `leadlens` CLI as a child process without blocking this one, so several run at once. */
export function runLeadlensAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [LEADLENS_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

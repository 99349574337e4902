import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServe } from './run-cli.ts';
import { REPO_ROOT } from './shared-data.ts';

/** Debian's Chromium, as installed by .ci/run (never a downloaded browser). */
export const CHROMIUM = process.env.LEADLENS_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where tests save screenshots (kept as CI artifacts). */
export function artifactPath(name: string): string {
  const dir = path.join(REPO_ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/**
 * For one test file: a fresh workspace folder made ready by `prepare`, `leadlens serve` on it and a Chromium,
 * started before the file's tests and stopped after them.
 */
export function servedWorkspace(prepare: (dir: string) => void | Promise<void> = () => {}): {
  readonly url: string;
  readonly browser: Browser;
} {
  let browser: Browser | undefined;
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-e2e-'));
    await prepare(dir);
    serve = await startServe(['--workspace', dir]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });
  return {
    get url() {
      return serve!.url;
    },
    get browser() {
      return browser!;
    },
  };
}

/**
 * servedWorkspace over a copy of a workspace folder that `build` makes once, first, in its own setup with a long
 * timeout (training a model outlasts the served workspace's setup under load); the folder is removed after the file.
 */
export function servedCopy(build: () => Promise<string>, timeout = 600_000): ReturnType<typeof servedWorkspace> {
  let template: string | undefined;
  beforeAll(async () => {
    template = await build();
  }, timeout);
  afterAll(() => {
    if (template) fs.rmSync(template, { recursive: true, force: true });
  });
  return servedWorkspace((dir) => fs.cpSync(template!, dir, { recursive: true }));
}

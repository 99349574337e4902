// Regenerates docs/screenshot.png: serves a fresh demo workspace and photographs a record in Debian's Chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'leadlens-shot-'));
const child = spawn(process.execPath, [path.join(root, 'bin', 'leadlens.mjs'), 'serve', '--json', '--workspace', ws], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve) => child.stdout.on('data', (d) => resolve(JSON.parse(String(d).split('\n')[0]).url)));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
await page.goto(String(url));
await page.locator('[data-testid="worklist"] li').nth(3).click();
/* global document -- waitForFunction's callback runs in the page */
await page.waitForFunction(
  () => document.querySelector('[data-testid="ecg-chart"]')?.getAttribute('data-drawn-leads')?.split(',').length === 12,
);
fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
await page.screenshot({ path: path.join(root, 'docs', 'screenshot.png') });
await browser.close();
child.kill('SIGTERM');

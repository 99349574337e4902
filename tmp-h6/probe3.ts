import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { runLeadlens, startServe } from '../tests/helpers/run-cli.ts';
import { writeHolter } from '../bench/holter-wfdb.ts';
const d = fs.mkdtempSync('/tmp/ll-p3-data-'); const ws = fs.mkdtempSync('/tmp/ll-p3-ws-');
const hea = writeHolter(d, 0.25);
console.log(runLeadlens(['ingest', '--workspace', ws, hea]).status);
const serve = await startServe(['--workspace', ws]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1800, height: 1100 } });
  page.on('console', (m) => console.log('console', m.text()));
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  page.on('response', (r) => r.url().includes('/api/records.signal') && r.text().then((t) => console.log('SIGNAL', r.status(), t.length, t.slice(0, 120))));
  await page.goto(serve.url);
  await page.locator('[data-testid="worklist"] li', { hasText: 'HOLTER' }).locator('button').click();
  await page.waitForTimeout(1500);
  for (let i = 0; i < 6; i++) await page.keyboard.press('-');
  await page.waitForTimeout(3000);
  console.log(await page.locator('[data-testid="zoom"]').innerText(), await page.locator('[data-testid="ecg-chart"]').getAttribute('data-bucket'));
  console.log(await page.locator('[role="alert"]').allInnerTexts());
} finally {
  await browser.close(); await serve.stop(); fs.rmSync(d, { recursive: true }); fs.rmSync(ws, { recursive: true });
}

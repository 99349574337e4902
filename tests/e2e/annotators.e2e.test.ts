import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ApiMethod } from '../../src-shared/api.ts';
import { artifactPath, servedWorkspace } from '../helpers/browser.ts';
import { runLeadlens } from '../helpers/run-cli.ts';
import { chapmanFiles } from '../helpers/chapman-workspace.ts';

// Issue 16.6 and issue 14 (several annotators) in Chromium through `leadlens serve`: the annotator's keys (accept,
// corrected, submit and next, auto-advance), an interval by Shift+drag labelled by its hotkey, undo kept per record,
// and two reviewers in blind mode.

const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 20_000, ...opts });
const AF = '164889003'; // shortcut 2 by default

const app = servedWorkspace((workspace) => {
  const ingest = runLeadlens(['ingest', '--workspace', workspace, ...chapmanFiles(20, { headersOnly: true })]);
  expect(ingest.status, ingest.stderr).toBe(0);
});

const recordName = (page: Page) => page.locator('[data-testid="record-name"]').textContent();
const rowNames = (page: Page) =>
  page.locator('[data-testid="worklist"] li').evaluateAll((lis) => lis.map((li) => (li.textContent ?? '').match(/JS\d{5}/)?.[0] ?? ''));
const drawn = (page: Page) =>
  poll(() => page.locator('[data-testid="ecg-chart"]').getAttribute('data-drawn-leads'), { timeout: 15_000 }).not.toBe('');
/** The side panels come just after the first paint: a label read before them would be "no row" whatever the record says. */
const classTable = (page: Page) => poll(() => page.locator('[data-testid="class-table"]').count()).toBe(1);

/** Calls the API from the page, with its token. */
function call(page: Page, method: ApiMethod, params: Record<string, unknown>): Promise<unknown> {
  return page.evaluate(
    async ([m, p]) => {
      const token = sessionStorage.getItem('leadlens-token') ?? '';
      const res = await fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(p),
      });
      const body = (await res.json()) as { result?: unknown; error?: string };
      if (body.error) throw new Error(body.error);
      return body.result;
    },
    [method, params] as const,
  );
}

async function newPage(reviewerName: string): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.locator('[data-testid="reviewer"]').fill(reviewerName);
  // Keys go to the page, not the name field.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
  return { page, errors };
}

/** The class table's label cell for `code`: 'true', 'false', '' (no label), or null when the class has no row. */
const labelOf = (page: Page, code: string) =>
  page.locator(`[data-testid="class-row"][data-code="${code}"]`).evaluateAll((rows) => rows[0]?.getAttribute('data-label') ?? null);

describe('annotator keys', () => {
  it('walks the New queue with accept, label-then-accept, corrected, submit-and-next and skip: every record once, in order', async () => {
    const { page, errors } = await newPage('dr.walk');
    await page.locator('[data-queue="new"]').click();
    await poll(() => page.locator('[data-queue="new"]').getAttribute('class')).toMatch(/active/);
    const queue = await rowNames(page);
    expect(queue.length).toBeGreaterThanOrEqual(20);
    await page.keyboard.press('Enter');
    const visited: string[] = [];
    // '2a': label AF with its key, then a, which must then mark the record corrected, not accepted.
    const actions = ['a', '2a', 'x', 'n', 'j', 'o'];
    const expected = new Map<string, string>();
    for (let i = 0; visited.length < queue.length; i++) {
      await poll(() => recordName(page)).not.toBe(visited.at(-1) ?? '');
      const name = (await recordName(page)) ?? '';
      visited.push(name);
      if (visited.length === queue.length) break;
      await drawn(page);
      const act = actions[i % actions.length];
      if (act === '2a') {
        await page.keyboard.press('2');
        await poll(() => labelOf(page, AF)).toBe('true');
        await page.keyboard.press('a');
      } else await page.keyboard.press(act);
      expected.set(name, { a: 'accepted', '2a': 'corrected', x: 'corrected', n: 'accepted', j: 'new', o: 'second-opinion' }[act]!);
    }
    expect(visited).toEqual(queue);
    const all = (await call(page, 'records.list', { limit: 100 })) as { records: { recordName: string; reviewState: string }[] };
    const states = new Map(all.records.map((r) => [r.recordName, r.reviewState]));
    for (const [name, state] of expected) expect(`${name}:${states.get(name)}`).toBe(`${name}:${state}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('auto-advance opens the next record after a in a queue the record stays in', async () => {
    const { page, errors } = await newPage('dr.auto');
    await call(page, 'settings.set', { autoAdvance: true, author: 'dr.auto' });
    await page.reload();
    await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
    const queue = await rowNames(page);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 4; i++) {
      await poll(() => recordName(page)).toBe(queue[i]);
      await drawn(page);
      await page.keyboard.press(i % 2 ? 'o' : 'a');
    }
    await poll(() => recordName(page)).toBe(queue[4]);
    await call(page, 'settings.set', { autoAdvance: false, author: 'dr.auto' });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('an interval by Shift+drag takes the label of the key pressed next; undo survives leaving the record and coming back', async () => {
    const { page, errors } = await newPage('dr.drag');
    const queue = await rowNames(page);
    await page.keyboard.press('Enter');
    await poll(() => recordName(page)).toBe(queue[0]);
    await drawn(page);
    await classTable(page);
    // No row (null) and a row without a label ('') say the same: rules and predictions add rows as they arrive.
    const before = (await labelOf(page, AF)) ?? '';
    const box = (await page.locator('[data-testid="overlay"]').boundingBox())!;
    const panels = JSON.parse((await page.locator('[data-testid="ecg-chart"]').getAttribute('data-panels'))!) as {
      lead: string;
      x: number;
      y: number;
      width: number;
      height: number;
    }[];
    const p = panels.find((q) => q.lead === 'II')!;
    const y = box.y + p.y + p.height / 2;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + p.x + 20, y);
    await page.mouse.down();
    await page.mouse.move(box.x + p.x + 80, y, { steps: 5 });
    await page.mouse.move(box.x + p.x + 140, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await poll(() => page.locator('[data-testid="pending-hint"]').count()).toBe(1);
    await page.keyboard.press('2');
    await poll(() => page.locator('[data-testid="intervals"] li', { hasText: 'AF' }).count()).toBe(1);
    await expect(page.locator('[data-testid="intervals"] li').first().textContent()).resolves.toContain('II');
    // The key labelled the interval, not the record.
    expect((await labelOf(page, AF)) ?? '').toBe(before);
    // Now a record label, then away and back: undo still knows both.
    await page.keyboard.press('3');
    await poll(() => labelOf(page, '426177001')).toBe('true');
    await page.keyboard.press('j');
    await poll(() => recordName(page)).toBe(queue[1]);
    await drawn(page);
    await page.keyboard.press('k');
    await poll(() => recordName(page)).toBe(queue[0]);
    await drawn(page);
    await poll(() => page.locator('[data-testid="undo"]').isEnabled()).toBe(true);
    await page.keyboard.press('Control+z');
    await poll(() => labelOf(page, '426177001')).not.toBe('true');
    await page.keyboard.press('Control+z');
    await poll(() => page.locator('[data-testid="intervals"] li', { hasText: 'AF' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('annotators-drag-undo.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('more than nine label shortcuts over HTTP: twelve are saved (no HTTP 500), and g 1 labels with the tenth', async () => {
    const { page, errors } = await newPage('dr.keys');
    const before = (await call(page, 'settings.get', {})) as { shortcuts: string[] };
    expect(before.shortcuts).toHaveLength(9);
    // The nine defaults, then PAC, CRBBB and pacing rhythm on g 1, g 2, g 3.
    const twelve = [...before.shortcuts, '284470004', '713427006', '10370003'];
    const saved = (await call(page, 'settings.set', { shortcuts: twelve, author: 'dr.keys' })) as { shortcuts: string[] };
    expect(saved.shortcuts).toEqual(twelve);
    await page.reload();
    await poll(() => page.locator('[data-testid="worklist"] li').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(20);
    await page.keyboard.press('Enter');
    await drawn(page);
    await classTable(page);
    const tenth = twelve[9];
    const toggled = (await labelOf(page, tenth)) === 'true' ? 'false' : 'true';
    await page.keyboard.press('g');
    await poll(() => page.locator('[data-testid="chord"]').count()).toBe(1);
    await page.keyboard.press('1');
    await poll(() => labelOf(page, tenth)).toBe(toggled);
    await poll(() => page.locator('[data-testid="chord"]').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await poll(() => labelOf(page, tenth)).not.toBe(toggled);
    await call(page, 'settings.set', { shortcuts: before.shortcuts, author: 'dr.keys' });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("two reviewers in blind mode: B does not see A's label until B submits; the agreement view then shows the disagreement", async () => {
    const a = await newPage('dr.blindA');
    await call(a.page, 'settings.set', { blind: true, author: 'dr.blindA' });
    const queue = await rowNames(a.page);
    const target = queue[19];
    await a.page.locator('[data-testid="worklist"] li', { hasText: target }).locator('button').click();
    await poll(() => recordName(a.page)).toBe(target);
    await drawn(a.page);
    await a.page.keyboard.press('2');
    await poll(() => labelOf(a.page, AF)).toBe('true');
    await a.page.keyboard.press('a');
    await poll(() => a.page.locator('[data-testid="review-state"]').textContent()).toBe('corrected');

    const b = await newPage('dr.blindB');
    // Before B submits, neither the label filter nor the search finds the record by A's AF; A, who submitted, finds it.
    const filterBy = async (page: Page, code: string) => {
      await page.locator('[data-testid="filter-label"]').fill(code);
      await page.locator('[data-testid="filter-label"]').dispatchEvent('change');
    };
    await filterBy(a.page, AF);
    await poll(() => rowNames(a.page)).toContain(target);
    await filterBy(b.page, AF);
    await poll(() => rowNames(b.page)).not.toContain(target);
    await filterBy(b.page, '');
    await poll(() => rowNames(b.page)).toContain(target);
    await b.page.getByLabel('Search records').fill(AF);
    await poll(() => rowNames(b.page)).not.toContain(target);
    await b.page.getByLabel('Search records').fill('');
    await poll(() => rowNames(b.page)).toContain(target);
    await b.page.locator('[data-testid="worklist"] li', { hasText: target }).locator('button').click();
    await poll(() => recordName(b.page)).toBe(target);
    await drawn(b.page);
    await poll(() => b.page.locator('[data-testid="blind"]').count()).toBe(1);
    await classTable(b.page);
    expect(await labelOf(b.page, AF)).not.toBe('true');
    const history = (await b.page.locator('[data-testid="history"]').textContent()) ?? '';
    expect(history).toContain('dr.blindA review'); // that A reviewed is no secret; what A labelled is
    expect(history).not.toContain('added AF');
    await b.page.keyboard.press('a');
    await poll(() => b.page.locator('[data-testid="blind"]').count()).toBe(0);
    await poll(() => b.page.locator('[data-testid="reviewers"]').textContent()).toContain('dr.blindA: corrected');
    await poll(() => labelOf(b.page, AF)).toBe('true');
    // Submitted: now B's label filter finds the record by A's AF too.
    await filterBy(b.page, AF);
    await poll(() => rowNames(b.page)).toContain(target);
    await filterBy(b.page, '');

    await b.page.locator('[data-testid="view-agreement"]').click();
    await poll(() => b.page.locator('[data-testid="agreement-disagreements"] li', { hasText: target }).count()).toBe(1);
    await poll(() => b.page.locator(`[data-testid="agreement-classes"] tr[data-code="${AF}"]`).count()).toBe(1);
    await b.page.screenshot({ path: artifactPath('annotators-agreement.png') });
    await call(b.page, 'settings.set', { blind: false, author: 'dr.blindB' });
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 180_000);
});

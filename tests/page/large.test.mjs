// The app on workload L (`?demo=large`: 10,000 users, 500 groups, 20,000
// resources): the resource tree mounts only the rows on screen, the keyboard
// still reaches every row, and the Big space dialog previews a group's edit.
// Behaviour only; the timings are measured by tests/bench/browser.bench.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeId,
  assertNoProblems,
  launchBrowser,
  newPage,
  openApp,
  openDialog,
  screenshot,
} from './helpers.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const treeRows = (page) => page.locator('#resource-tree tbody tr.tree-row').count();

/** Waits until the page's scroll position has stayed the same for 200 ms. */
async function scrollSettled(page) {
  let last = null;
  for (let i = 0; i < 100; i++) {
    const y = await page.evaluate(() => scrollY);
    if (y === last) return;
    last = y;
    await page.waitForTimeout(200);
  }
  throw new Error('the page kept scrolling for 20 s');
}

test('a long tree mounts a screenful of rows and the keyboard reaches its end', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await openApp(page, '?demo=large');
  const tree = page.locator('#resource-tree');
  const total = Number(await tree.getAttribute('aria-rowcount')) - 1;
  assert.ok(total > 1000, `the L tree shows ${total} rows when opened`);
  const mounted = await treeRows(page);
  assert.ok(mounted < 100, `${mounted} of ${total} rows mounted`);

  // End moves to the last row: it is mounted, focused and on screen.
  await page.locator('#resource-tree tbody tr.tree-row').first().focus();
  await page.keyboard.press('End');
  // The last row is mounted after the scroll, then focused.
  await page.waitForFunction(
    (last) => document.activeElement?.getAttribute('aria-rowindex') === String(last),
    total + 1,
  );
  const last = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { index: el.getAttribute('aria-rowindex'), top: r.top, bottom: r.bottom, h: innerHeight };
  });
  assert.equal(Number(last.index), total + 1, `focus on the last row (${await activeId(page)})`);
  assert.ok(last.top >= 0 && last.bottom <= last.h, 'the last row is on screen');
  assert.ok((await treeRows(page)) < 100, 'still a screenful of rows at the end');

  // Home comes back to the first row.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-rowindex') === '2');
  await screenshot(page, 'large-tree', { fullPage: false });
  assertNoProblems(page);
  await page.context().close();
});

test("the Big space dialog previews a group's edit on 2,000 assets", async () => {
  const page = await newPage(browser, { viewport: { width: 1400, height: 900 } });
  await openApp(page, '?demo=large');
  await openDialog(page, 'sp-big');
  const cell = page.locator('[data-testid^="cell-g-"][data-testid$="-edit-all-packages"]').first();
  await cell.locator('[role=checkbox]').click();
  const summary = page.locator('#preview-summary');
  await assert.doesNotReject(summary.filter({ hasText: /gain|lose/ }).waitFor());
  const principalRows = await page.locator('#preview-table tbody tr').count();
  assert.ok(principalRows <= 60, `${principalRows} preview rows mounted`);
  await screenshot(page, 'large-dialog', { fullPage: false });
  assertNoProblems(page);
  await page.context().close();
});

test('the focused tree row keeps focus while the mouse scrolls it out of sight', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
  await openApp(page, '?demo=large');
  const first = page.locator('#resource-tree tbody tr.tree-row').first();
  await first.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-rowindex') === '3');
  const id = await activeId(page);

  // The wheel takes the page far down: the window mounts the rows there,
  // and the focused row stays mounted (and focused) above them.
  await page.mouse.move(640, 400);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 2000);
  await page.waitForFunction(() => scrollY > 10_000);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#resource-tree tbody tr.tree-row')].some(
      (r) => Number(r.getAttribute('aria-rowindex')) > 100,
    ),
  );
  assert.equal(await activeId(page), id, 'focus stays on the row it was on');
  assert.ok((await treeRows(page)) < 100, 'still a screenful of rows (and the focused one)');
  // The wheel's scrolling is animated: let it end, or it would carry the
  // page on past the row the keyboard brings into view next.
  await scrollSettled(page);

  // The keyboard goes on from there: the next row is brought into view.
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-rowindex') === '4');
  const top = await page.evaluate(() => document.activeElement.getBoundingClientRect().top);
  assert.ok(top >= 0 && top <= 800, `the row is on screen (top ${top})`);
  assertNoProblems(page);
  await page.context().close();
});

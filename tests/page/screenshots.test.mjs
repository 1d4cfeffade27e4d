// Screenshots of every dialog — each kind's permissions dialog (with one
// pending change, so the preview has content), the Why? dialog, Check access
// and the data permissions editor — at 1400 × 900 (the preview beside the
// grid) and 900 × 800 (under it), written to
// test-results/screenshots/<name>-<width>.png to be looked at. Each fails on
// console errors, on a dialog wider than the viewport, and on a header or
// footer whose content spills out of it.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  DIALOG,
  assertNoProblems,
  cell,
  expandTreeRow,
  launchBrowser,
  newPage,
  openApp,
  openDialog,
  resultsDir,
  screenshot,
} from './helpers.mjs';

let browser;

before(async () => {
  await mkdir(path.join(resultsDir, 'screenshots'), { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  { width: 1400, height: 900 },
  { width: 900, height: 800 },
];

/** Ticks the first editable (not locked) cell of the grid, if any. */
async function tickOne(page) {
  const free = page.locator(`${DIALOG} [data-testid^="cell-"] [role=checkbox]:not([aria-disabled])`);
  if ((await free.count()) === 0) return;
  await free.first().click();
  await page.locator('#pending-count[data-count="1"]').waitFor();
}

const SHOTS = [
  { name: 'service', resource: 'di' },
  { name: 'space', resource: 'sp-sales', edit: (page) => cell(page, 'u-ken', 'edit-space').locator('[role=checkbox]').click() },
  { name: 'package', resource: 'pk-o2c' },
  { name: 'data-pool', resource: 'dp-sap' },
  { name: 'data-model', resource: 'dm-o2c' },
  { name: 'asset', resource: 'km-o2c', parent: 'pk-o2c' },
  {
    name: 'why',
    resource: 'sp-sales',
    edit: async (page) => {
      await cell(page, 'u-ken', 'edit-space').locator('[role=checkbox]').click();
      await page.locator('#pending-count[data-count="1"]').waitFor();
      await cell(page, 'u-ken', 'edit-space').locator('[role=checkbox]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#why-dialog').waitFor();
    },
  },
  { name: 'check-access', resource: 'sp-sales', item: 'check', ready: '#panel-check table' },
  { name: 'data-permissions', resource: 'dm-o2c', item: 'data', ready: '#panel-data .dpe' },
];

for (const vp of VIEWPORTS) {
  for (const s of SHOTS) {
    test(`screenshot: ${s.name} at ${vp.width} × ${vp.height}`, async () => {
      const page = await newPage(browser, { viewport: vp });
      try {
        await openApp(page);
        await page.locator('#resource-tree').waitFor({ state: 'visible' });
        if (s.parent) await expandTreeRow(page, s.parent);
        await openDialog(page, s.resource, s.item);
        if (s.ready) await page.locator(s.ready).first().waitFor();
        else await page.locator('#perm-grid').waitFor();
        if (s.edit) await s.edit(page);
        else if (!s.item) await tickOne(page);
        await page.mouse.move(1, 1);
        const fits = await page.evaluate(() =>
          [...document.querySelectorAll('.modal')].every((m) => m.getBoundingClientRect().right <= window.innerWidth),
        );
        assert.ok(fits, 'every dialog fits in the viewport');
        const overflowing = await page.evaluate(() =>
          [...document.querySelectorAll('.modal-header, .modal-footer')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1)
            .map((e) => e.className),
        );
        assert.deepEqual(overflowing, [], 'nothing spills out of a dialog header or footer');
        await screenshot(page, `screenshots/${s.name}-${vp.width}`, { fullPage: false });
        assertNoProblems(page);
      } finally {
        await page.context().close();
      }
    });
  }
}

// The preview beside the grid on wide screens (≥ 1200 px): the grid and the
// preview are both in view, side by side, and ticking a cell updates the
// preview next to it. Below 1200 px the preview stays under the grid.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DIALOG,
  assertNoProblems,
  cell,
  launchBrowser,
  newPage,
  openApp,
  openDialog,
} from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function withDialog(viewport, body) {
  const page = await newPage(browser, { viewport });
  try {
    await openApp(page);
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await openDialog(page, 'sp-sales');
    await page.locator('#perm-grid').waitFor();
    await body(page);
    assertNoProblems(page);
  } finally {
    await page.context().close();
  }
}

/** Whether a box lies within the viewport. */
function inView(b, viewport) {
  return b && b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y < viewport.height;
}

test('at 1400 × 900 the preview is a side panel beside the grid, updated as cells are ticked', async () => {
  const viewport = { width: 1400, height: 900 };
  await withDialog(viewport, async (page) => {
    // One preview region, named by its heading (no second copy).
    const region = page.getByRole('region', { name: 'Preview before saving' });
    assert.equal(await region.count(), 1, 'one preview region');
    const grid = page.getByRole('grid');
    const g = await grid.boundingBox();
    const p = await region.boundingBox();
    assert.ok(inView(g, viewport) && inView(p, viewport), `both in view: grid ${JSON.stringify(g)}, preview ${JSON.stringify(p)}`);
    assert.ok(p.x >= g.x + g.width, `the preview is right of the grid (grid ends at ${g.x + g.width}, preview starts at ${p.x})`);
    assert.ok(p.y < g.y + g.height && g.y < p.y + p.height, 'side by side: they overlap vertically');

    assert.match(await page.textContent('#preview-summary'), /No pending changes/);
    await cell(page, 'u-ken', 'edit-space').locator('[role=checkbox]').click();
    await page.locator('#pending-count[data-count="1"]').waitFor();
    await page.waitForFunction(() => /Ken Watanabe/.test(document.getElementById('preview-summary')?.textContent ?? ''));
    await page.locator('[data-testid="preview-row-u-ken"]').waitFor({ state: 'visible' });
    // Still beside the grid, in view, without scrolling.
    const p2 = await region.boundingBox();
    assert.ok(inView(p2, viewport), `the updated preview is in view: ${JSON.stringify(p2)}`);
    assert.ok(p2.x >= g.x + g.width, 'still beside the grid');
  });
});

test('at 1100 × 800 the preview stays under the grid', async () => {
  await withDialog({ width: 1100, height: 800 }, async (page) => {
    const g = await page.locator(`${DIALOG} #perm-grid`).boundingBox();
    const p = await page.locator('#preview').boundingBox();
    assert.ok(p.y >= g.y + g.height, `the preview is below the grid (grid ends at ${g.y + g.height}, preview at ${p.y})`);
  });
});

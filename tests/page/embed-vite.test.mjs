// The Vite example host (examples/vite/): built offline by the project's
// Vite from the packed package, then loaded: the widget mounts and edits,
// the custom element is defined, the evaluator answers in the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { assertNoProblems, launchBrowser, newPage, screenshot } from './helpers.mjs';
import { serveSite } from './embed-helpers.mjs';

let browser;
let site;
before(async () => {
  site = await serveSite({ example: 'vite', viteBuild: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test('the Vite build bundles the package and its wasm', () => {
  const assets = readdirSync(path.join(site.dir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `a .wasm asset: ${assets.join(', ')}`);
  assert.ok(assets.some((f) => f.endsWith('.js')), 'a JS bundle');
});

test('the bundled host mounts the widget, edits, and uses the evaluator', async () => {
  const page = await newPage(browser);
  await page.goto(site.url);
  await page.locator('#permissions .dialog-content[data-resource="sp-sales"]').waitFor();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
  assert.match(await page.textContent('#status'), /Ready: \d+ principals can see Finance/);
  assert.equal(await page.evaluate(() => !!customElements.get('permissions-dialog')), true);
  await page.click('#permissions [data-testid="cell-g-exec-edit-all-packages"] [role=checkbox]');
  await page.waitForFunction(() => window.hostLog.some((e) => e.type === 'permissions-change'));
  assert.equal((await page.evaluate(() => window.widget.pending())).length, 1);
  await page.evaluate(() => document.getElementById('element').open('sp-fin'));
  await page.locator('#element #permissions-dialog[aria-modal=true]').waitFor();
  await screenshot(page, 'embed-vite-host', { fullPage: false });
  assertNoProblems(page);
});

// Page-level smoke test: the release build, served on localhost, loads in
// headless Chromium without errors, renders the app root, has no serious
// accessibility violations, and is saved as test-results/smoke.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAccessible,
  assertNoProblems,
  launchBrowser,
  newPage,
  openApp,
  screenshot,
} from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('the release build loads, renders the app and passes axe-core', async () => {
  const page = await newPage(browser);
  await openApp(page);

  assert.match(await page.title(), /Permissions/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.ok(await page.locator('main h1').first().isVisible(), 'the app shows its heading');

  await assertAccessible(page);
  const file = await screenshot(page, 'smoke');
  assertNoProblems(page);
  console.log(`screenshot: ${file}`);
  await page.context().close();
});

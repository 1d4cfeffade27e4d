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
  baseUrl,
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

test('when the app cannot start, the page says so instead of loading forever', async () => {
  const page = await newPage(browser);
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(baseUrl, { waitUntil: 'load' });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /The app could not start\. Reload the page/);
  assert.equal(await page.getByText('Loading permissions…').count(), 0);
  await page.context().close();
});

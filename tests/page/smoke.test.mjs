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
  DIALOG,
  openDialog,
  waitDialogClosed,
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

test("a dialog's link opens it; the address follows the open dialog", async () => {
  const page = await newPage(browser);
  const hash = () => page.evaluate(() => location.hash);
  await openApp(page, '#permissions/sp-sales');
  const content = page.locator(`${DIALOG} .dialog-content[data-resource="sp-sales"]`);
  await content.waitFor({ state: 'visible' });
  assert.ok(await page.getByRole('dialog', { name: /Sales/ }).isVisible(), 'the linked dialog is open');
  await page.keyboard.press('Escape');
  await waitDialogClosed(page);
  assert.equal(await hash(), '', 'closed: no link in the address');

  // Opened from the tree, the address is its link, with the tab.
  await openDialog(page, 'dm-o2c', 'data');
  assert.equal(await hash(), '#permissions/dm-o2c/data');
  await page.keyboard.press('Escape');
  await waitDialogClosed(page);

  // A link typed into the address bar of the open page.
  await page.evaluate(() => (location.hash = '#permissions/pk-o2c/check'));
  await page.locator(`${DIALOG} .dialog-content[data-resource="pk-o2c"]`).waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('tab', { selected: true }).textContent(), 'Check access');
  // The tab chosen in the dialog goes into the link.
  await page.getByRole('tab', { name: 'Permissions' }).click();
  await page.waitForFunction(() => location.hash === '#permissions/pk-o2c');
  assertNoProblems(page);
  await page.context().close();
});

test('a link to a resource that does not exist says so and opens nothing', async () => {
  const page = await newPage(browser);
  await openApp(page, '#permissions/sp-gone');
  const banner = page.getByText('The link names a resource that does not exist here: “sp-gone”.');
  await banner.waitFor();
  assert.equal(await page.locator(DIALOG).count(), 0);
  assertNoProblems(page);
  await page.context().close();
});

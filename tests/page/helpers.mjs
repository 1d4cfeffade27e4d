// Shared helpers for the page-level tests (node:test + playwright-core).
//
// The browser is Debian's /usr/bin/chromium: nothing is downloaded
// (never `playwright install`). The app under test is the release build in
// dist/, served on localhost by scripts/test.sh, which passes its address in
// BASE_URL.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Repository root (two levels above tests/page/). */
export const repoRoot = path.resolve(here, '..', '..');

/** Where screenshots and other artefacts go (git-ignored). */
export const resultsDir = path.join(repoRoot, 'test-results');

/** Base URL of the served release build, e.g. http://127.0.0.1:41234/ */
export const baseUrl = (() => {
  const url = process.env.BASE_URL;
  if (!url) {
    throw new Error('BASE_URL is not set: run the page tests through scripts/test.sh');
  }
  return url.endsWith('/') ? url : `${url}/`;
})();

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Debian Chromium. Close it in an `after` hook. */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/**
 * Opens a new page that records console errors, uncaught page errors and
 * failed requests into `page.problems` (an array of strings), so a test can
 * assert there were none.
 */
export async function newPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`),
  );
  page.problems = problems;
  return page;
}

/** Loads `relative` (default: the app) and waits until the Yew app has rendered. */
export async function openApp(page, relative = '', { rootSelector = '#app-root' } = {}) {
  const response = await page.goto(new URL(relative, baseUrl).href, { waitUntil: 'load' });
  assert.ok(response && response.ok(), `page loads (status ${response && response.status()})`);
  await page.waitForSelector(rootSelector, { state: 'visible', timeout: 30_000 });
}

/** Fails the test if the page logged console errors or threw. */
export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'no console errors, page errors or failed requests');
}

/**
 * Runs axe-core on the page (or on `include`, a selector) and fails on
 * violations of impact `serious` or `critical`. Returns the full result for
 * further checks.
 */
export async function assertAccessible(page, { include, label } = {}) {
  // Injected once per document (a reload or navigation needs it again).
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const results = await page.evaluate(
    // eslint-disable-next-line no-undef
    (context) => axe.run(context ?? document, { resultTypes: ['violations'] }),
    include ?? null,
  );
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) =>
        `${v.impact}: ${v.id} (${v.help})\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
    )
    .join('\n');
  assert.equal(
    bad.length,
    0,
    `axe-core serious/critical violations${label ? ` in ${label}` : ''}:\n${report}`,
  );
  return results;
}

/**
 * Saves a screenshot to test-results/<name>.png and returns its path: the
 * full page by default, or only the viewport with `fullPage: false` (what a
 * user sees of a modal dialog).
 */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// --- the app: acting user, tree, dialogs ------------------------------------------

/** The open permissions dialog (`#permissions-dialog`). */
export const DIALOG = '#permissions-dialog';

/** Chooses the acting user with the header's "Act as another user" combobox. */
export async function actAs(page, userId) {
  const box = page.getByRole('combobox', { name: 'Act as another user' });
  await box.fill(userId);
  await page.getByRole('listbox', { name: 'Act as another user' }).getByRole('option').first().waitFor();
  await box.press('Enter');
  await page.locator(`#acting-as-current[data-id="${userId}"]`).waitFor();
}

/** Expands a collapsed tree row (a package, to show its assets) with the mouse. */
export async function expandTreeRow(page, resourceId) {
  const row = page.locator(`[data-testid="tree-row-${resourceId}"]`);
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.tree-twisty').click();
  }
  await assert.doesNotReject(
    page.waitForSelector(`[data-testid="tree-row-${resourceId}"][aria-expanded="true"]`),
    `tree row ${resourceId} expands`,
  );
}

/**
 * Opens a resource's dialog as a user would: its Options button in the tree,
 * then a menu item (`permissions`, `data` for data models, `check`). Waits
 * until the dialog shows that resource, and returns its `.dialog-content`.
 */
export async function openDialog(page, resourceId, item = 'permissions') {
  await page.click(`[data-testid="options-${resourceId}"]`);
  await page.click(`[data-testid="menu-${item}-${resourceId}"]`);
  const content = page.locator(`${DIALOG} .dialog-content[data-resource="${resourceId}"]`);
  await content.waitFor({ state: 'visible' });
  return content;
}

/** Waits until no permissions dialog is open. */
export async function waitDialogClosed(page) {
  await page.locator(DIALOG).waitFor({ state: 'detached' });
}

/** A grid cell (`td`) of the open dialog: principal × permission. */
export function cell(page, principalId, flag) {
  return page.locator(`${DIALOG} [data-testid="cell-${principalId}-${flag}"]`);
}

/** The pending-change count shown in the dialog's footer. */
export async function pendingCount(page) {
  return Number(await page.getAttribute('#pending-count', 'data-count'));
}

/** DOM id (or a short description) of the focused element. */
export function activeId(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return '(body)';
    return a.id || `<${a.tagName.toLowerCase()} ${a.getAttribute('data-testid') ?? a.className}>`;
  });
}

/**
 * Presses `key` until `done(activeId)` holds (at most `max` times); fails with
 * the path focus took otherwise. For Tab / arrow-key walks.
 */
export async function pressUntil(page, key, done, { max = 40, what = 'the target' } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    const id = await activeId(page);
    if (done(id)) return id;
    seen.push(id);
    await page.keyboard.press(key);
  }
  const id = await activeId(page);
  if (done(id)) return id;
  assert.fail(`${key} × ${max} did not reach ${what}; focus went ${seen.join(' → ')} → ${id}`);
}

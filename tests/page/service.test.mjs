// The app served by the permission service (server/, started by
// scripts/test.sh on a throwaway SQLite file with the release build, address
// in SERVICE_URL): the team comes from the service, Save goes to it, a save
// someone made first is shown and the edits rebased, and pending edits
// survive a reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DIALOG,
  assertNoProblems,
  cell,
  launchBrowser,
  newPage,
  openDialog,
  pendingCount,
  screenshot,
  waitDialogClosed,
} from './helpers.mjs';

const serviceUrl = (() => {
  const url = process.env.SERVICE_URL;
  if (!url) throw new Error('SERVICE_URL is not set: run the page tests through scripts/test.sh');
  return url.endsWith('/') ? url : `${url}/`;
})();
const api = new URL('api/v1/', serviceUrl).href;

/** The demo token of a user, from the service in demo mode. */
async function tokenOf(principal) {
  const answer = await fetch(new URL('demo/tokens', api));
  assert.equal(answer.status, 200);
  const { tokens } = await answer.json();
  const found = tokens.find((t) => t.principal === principal);
  assert.ok(found, `a demo token for ${principal}`);
  return found.token;
}

/** The team as the service holds it now, and its version. */
async function team(token) {
  const answer = await fetch(new URL('team', api), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(answer.status, 200);
  return { etag: answer.headers.get('etag'), snapshot: await answer.json() };
}

/** Saves a change set through the API, as another session would. */
async function saveElsewhere(token, changes) {
  const { etag } = await team(token);
  const answer = await fetch(new URL('team/changes', api), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'If-Match': etag, 'Content-Type': 'application/json' },
    body: JSON.stringify({ changes }),
  });
  assert.equal(answer.status, 200, await answer.text());
}

function granted(snapshot, principal, resource, permission) {
  return snapshot.grants.some(
    (g) => g.principal === principal && g.resource === resource && g.permissions.includes(permission),
  );
}

async function openService(page) {
  const response = await page.goto(serviceUrl, { waitUntil: 'load' });
  assert.ok(response?.ok(), 'the service serves the app');
  await page.locator('#resource-tree').waitFor({ state: 'visible', timeout: 30_000 });
}

async function tick(page, principal, flag) {
  await cell(page, principal, flag).locator('[role=checkbox]').click();
}

describe('the app on the permission service', () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('loads the team from the service and saves to it', async () => {
    const page = await newPage(browser);
    await openService(page);
    assert.match(await page.textContent('.brand-sub'), /Team on the permission service/);
    assert.equal(await page.locator('#reset-demo').count(), 0, 'no demo reset on the service');
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-ken', 'edit-space');
    assert.equal(await pendingCount(page), 1);
    await page.click('#dialog-save');
    await waitDialogClosed(page);
    assert.match(await page.textContent('#toast'), /Saved 1 change to Space Sales/);

    const admin = await tokenOf('u-admin');
    assert.ok(granted((await team(admin)).snapshot, 'u-ken', 'sp-sales', 'edit-space'), 'the service holds it');
    await page.reload({ waitUntil: 'load' });
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await openDialog(page, 'sp-sales');
    assert.equal(await cell(page, 'u-ken', 'edit-space').getAttribute('data-state'), 'granted');
    assertNoProblems(page);
    await page.close();
  });

  test('someone saving first: their change is named and the edits are kept on their version', async () => {
    const page = await newPage(browser);
    await openService(page);
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-ken', 'delete-space');
    await saveElsewhere(await tokenOf('u-admin'), [
      { op: 'grant', principal: 'u-ken', resource: 'sp-sales', permission: 'create-package' },
    ]);
    await page.click('#dialog-save');
    const banner = page.locator(`${DIALOG} #dialog-error`);
    await banner.waitFor();
    const said = await banner.innerText();
    assert.ok(
      await banner.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
      'the banner is brought into sight',
    );
    assert.match(said, /Someone else saved these permissions first/);
    assert.match(said, /Alex Morgan granted Create package to Ken Watanabe/, said);
    assert.match(said, /1 edit kept/, said);
    assert.equal(await pendingCount(page), 1, 'the edit is still pending');
    assert.equal(await cell(page, 'u-ken', 'create-package').getAttribute('data-state'), 'granted');
    await screenshot(page, 'service-conflict', { fullPage: false });

    await page.click('#dialog-save');
    await waitDialogClosed(page);
    const admin = await tokenOf('u-admin');
    const now = (await team(admin)).snapshot;
    assert.ok(granted(now, 'u-ken', 'sp-sales', 'delete-space') && granted(now, 'u-ken', 'sp-sales', 'create-package'));
    await page.close();
  });

  test('pending edits survive a reload until they are saved', async () => {
    const page = await newPage(browser);
    await openService(page);
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-pia', 'edit-space');
    assert.equal(await pendingCount(page), 1);
    await page.reload({ waitUntil: 'load' });
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await openDialog(page, 'sp-sales');
    assert.equal(await pendingCount(page), 1, 'the edit is back');
    assert.match(await page.locator(`${DIALOG} #dialog-error`).innerText(), /Restored 1 edit/);
    await page.click('#dialog-save');
    await waitDialogClosed(page);
    await page.close();
  });
});

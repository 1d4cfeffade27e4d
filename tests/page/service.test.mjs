// The app served by the permission service (server/): the test starts the
// service itself — the binary scripts/test.sh builds, on a throwaway SQLite
// file, serving the release build in dist/ — so it can stop and restart it.
// The team comes from the service and Save goes to it; a save made first in
// another browser is shown and the edits rebased; a service stopped mid-save
// loses no edit, also over a reload, and the save goes through once it is back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DIALOG,
  assertNoProblems,
  cell,
  launchBrowser,
  newPage,
  openDialog,
  pendingCount,
  repoRoot,
  screenshot,
  waitDialogClosed,
} from './helpers.mjs';

const binary = process.env.PERMISSIONS_SERVER_BIN || path.join(repoRoot, 'target', 'debug', 'permissions-server');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The permission service on `database`, at `port`; `stop()` ends it. */
async function startService(port, database) {
  const child = spawn(
    binary,
    ['--listen', `127.0.0.1:${port}`, '--database-url', database, '--static', path.join(repoRoot, 'dist'), '--demo'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited: ${log}`);
    try {
      if ((await fetch(new URL('api/v1/config', url))).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function tokenOf(api, principal) {
  const answer = await fetch(new URL('demo/tokens', api));
  assert.equal(answer.status, 200);
  const found = (await answer.json()).tokens.find((t) => t.principal === principal);
  assert.ok(found, `a demo token for ${principal}`);
  return found.token;
}

async function snapshotOf(api) {
  const token = await tokenOf(api, 'u-admin');
  const answer = await fetch(new URL('team', api), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(answer.status, 200);
  return answer.json();
}

function granted(snapshot, principal, resource, permission) {
  return snapshot.grants.some(
    (g) => g.principal === principal && g.resource === resource && g.permissions.includes(permission),
  );
}

async function openOn(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.ok(response?.ok(), 'the service serves the app');
  await page.locator('#resource-tree').waitFor({ state: 'visible', timeout: 30_000 });
}

async function tick(page, principal, flag) {
  await cell(page, principal, flag).locator('[role=checkbox]').click();
}

describe('the app on the permission service', () => {
  let browser;
  let service;
  let api;
  let port;
  let database;
  let dataDir;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'permissions-service-'));
    database = `sqlite://${path.join(dataDir, 'permissions.db')}`;
    port = await freePort();
    service = await startService(port, database);
    api = new URL('api/v1/', service.url).href;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('loads the team from the service and saves to it', async () => {
    const page = await newPage(browser);
    await openOn(page, service.url);
    assert.match(await page.textContent('.brand-sub'), /Team on the permission service/);
    assert.equal(await page.locator('#reset-demo').count(), 0, 'no demo reset on the service');
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-ken', 'edit-space');
    await page.click('#dialog-save');
    await waitDialogClosed(page);
    assert.match(await page.textContent('#toast'), /Saved 1 change to Space Sales/);
    assert.ok(granted(await snapshotOf(api), 'u-ken', 'sp-sales', 'edit-space'), 'the service holds it');

    await page.reload({ waitUntil: 'load' });
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await openDialog(page, 'sp-sales');
    assert.equal(await cell(page, 'u-ken', 'edit-space').getAttribute('data-state'), 'granted');
    assertNoProblems(page);
    await page.context().close();
  });

  test('two browsers on one resource: the second sees who saved first and loses nothing', async () => {
    const first = await newPage(browser);
    const second = await newPage(browser);
    for (const page of [first, second]) {
      await openOn(page, service.url);
      await openDialog(page, 'sp-sales');
    }
    await tick(first, 'u-ken', 'create-package');
    await tick(second, 'u-ken', 'delete-space');
    await first.click('#dialog-save');
    await waitDialogClosed(first);

    await second.click('#dialog-save');
    const banner = second.locator(`${DIALOG} #dialog-error`);
    await banner.waitFor();
    const said = await banner.innerText();
    assert.match(said, /Someone else saved these permissions first/);
    assert.match(said, /Alex Morgan granted Create package to Ken Watanabe on Space Sales/, said);
    assert.match(said, /1 edit kept/, said);
    assert.ok(
      await banner.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
      'the banner is brought into sight',
    );
    assert.equal(await pendingCount(second), 1, 'the edit is still pending');
    assert.equal(await cell(second, 'u-ken', 'create-package').getAttribute('data-state'), 'granted');
    await screenshot(second, 'service-conflict', { fullPage: false });

    await second.click('#dialog-save');
    await waitDialogClosed(second);
    const now = await snapshotOf(api);
    assert.ok(granted(now, 'u-ken', 'sp-sales', 'delete-space') && granted(now, 'u-ken', 'sp-sales', 'create-package'));
    await first.context().close();
    await second.context().close();
  });

  test('a service stopped mid-save: the edit stays, also over a reload, and saves once it is back', async () => {
    const page = await newPage(browser);
    await openOn(page, service.url);
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-pia', 'edit-space');
    await service.stop();
    await page.click('#dialog-save');
    const banner = page.locator(`${DIALOG} #dialog-error`);
    await banner.waitFor();
    assert.match(await banner.innerText(), /Saving failed: the server cannot be reached\. Nothing was saved; your changes are still here/);
    assert.equal(await pendingCount(page), 1);

    // The page cannot even be reloaded while the service is down; once it is
    // back, the same tab opens the app again with the edit restored.
    await page.reload().catch(() => {});
    service = await startService(port, database);
    await openOn(page, service.url);
    await openDialog(page, 'sp-sales');
    assert.equal(await pendingCount(page), 1, 'the edit is back');
    assert.match(await page.locator(`${DIALOG} #dialog-error`).innerText(), /Restored 1 edit/);
    await page.click('#dialog-save');
    await waitDialogClosed(page);
    assert.ok(granted(await snapshotOf(api), 'u-pia', 'sp-sales', 'edit-space'));
    await page.context().close();
  });

  test('a service back before the automatic retry: the retry saves', async () => {
    const page = await newPage(browser);
    await openOn(page, service.url);
    await openDialog(page, 'sp-sales');
    await tick(page, 'u-pia', 'delete-space');
    await service.stop();
    await page.click('#dialog-save');
    await page.locator(`${DIALOG} #dialog-error`).waitFor();
    assert.match(await page.locator(`${DIALOG} #dialog-error`).innerText(), /tried again in 1 s \(retry 1 of 5\)/);
    service = await startService(port, database);
    await waitDialogClosed(page);
    assert.match(await page.textContent('#toast'), /Saved 1 change to Space Sales/);
    assert.ok(granted(await snapshotOf(api), 'u-pia', 'sp-sales', 'delete-space'));
    await page.context().close();
  });
});

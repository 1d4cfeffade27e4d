// The plain HTML example host (examples/plain/) on the packed npm package:
// two widgets (inline with mount(), a modal <permissions-dialog>), every
// event with its detail, a save the page handles itself, update, destroy,
// bad options, a hostile host stylesheet, keyboard use and axe-core inside
// the shadow roots; and the README's "Embed it in your page" snippet.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertAccessible, assertNoProblems, launchBrowser, newPage, resultsDir, screenshot } from './helpers.mjs';
import { deepActiveId, readmeSnippet, serveSite } from './embed-helpers.mjs';

const INLINE = '#inline-widget';
const MODAL = '#modal-widget';
const cellBox = (host, principal, flag) =>
  `${host} [data-testid="cell-${principal}-${flag}"] [role=checkbox]`;

/** The host's event log, from `from` on. */
const events = (page, from = 0) => page.evaluate((n) => window.hostLog.slice(n), from);
const logLength = (page) => page.evaluate(() => window.hostLog.length);

/** Waits until an event of this type from this widget was logged after `from`. */
async function waitEvent(page, where, type, from = 0) {
  await page.waitForFunction(
    ([w, t, n]) => window.hostLog.slice(n).some((e) => e.where === w && e.type === t),
    [where, type, from],
  );
  return (await events(page, from)).filter((e) => e.where === where && e.type === type).at(-1);
}

describe('example host: plain HTML page', () => {
  let browser;
  let site;
  before(async () => {
    site = await serveSite({ example: 'plain' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function openHost() {
    const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    await page.waitForFunction(() => window.hostReady === true);
    await page.locator(`${INLINE} .dialog-content[data-resource="sp-sales"]`).waitFor();
    return page;
  }

  test('mounts two independent widgets in shadow roots, edits, every event with its detail', async () => {
    const page = await openHost();
    const shape = await page.evaluate(() => {
      const host = document.getElementById('inline-widget');
      return {
        shadow: !!host.shadowRoot,
        light: host.children.length,
        sheets: host.shadowRoot.adoptedStyleSheets.length,
        shared:
          host.shadowRoot.adoptedStyleSheets[0] ===
          document.getElementById('modal-widget').shadowRoot.adoptedStyleSheets[0],
        role: host.shadowRoot.querySelector('#permissions-dialog').getAttribute('role'),
      };
    });
    assert.deepEqual(shape, { shadow: true, light: 0, sheets: 1, shared: true, role: 'region' });
    assert.equal(await page.locator(`${MODAL} #permissions-dialog`).count(), 0, 'the modal is closed');

    const from = await logLength(page);
    await page.click(cellBox(INLINE, 'g-exec', 'edit-all-packages'));
    const change = await waitEvent(page, 'inline', 'permissions-change', from);
    assert.equal(change.detail.resource, 'sp-sales');
    assert.equal(change.detail.count, 1);
    assert.deepEqual(change.detail.changes, [
      { op: 'grant', principal: 'g-exec', resource: 'sp-sales', permission: 'edit-all-packages' },
    ]);
    assert.ok(change.detail.impact.entries.length > 0, 'the impact comes with it');
    assert.ok(change.detail.summary.length > 0);
    assert.equal((await page.evaluate(() => window.inlineWidget.pending())).length, 1);

    // The modal widget is untouched by the inline one's edit.
    assert.deepEqual(await page.evaluate(() => document.getElementById('modal-widget').pending()), []);
    assert.ok((await events(page, from)).every((e) => e.where === 'inline'));

    // The page saves it itself: permissions-save (cancelable), then saved() → permissions-saved.
    const beforeSave = await logLength(page);
    await page.click(`${INLINE} #dialog-save`);
    const save = await waitEvent(page, 'inline', 'permissions-save', beforeSave);
    assert.equal(save.detail.actor, 'u-admin');
    assert.equal(save.detail.changes.length, 1);
    const saved = await waitEvent(page, 'inline', 'permissions-saved', beforeSave);
    assert.ok(saved.detail.snapshot.grants.some((g) => g.principal === 'g-exec' && g.resource === 'sp-sales'));
    await page.locator(`${INLINE} #pending-count[data-count="0"]`).waitFor();
    assert.equal(
      await page.getAttribute(`${INLINE} [data-testid="cell-g-exec-edit-all-packages"]`, 'data-state'),
      'granted',
      'the saved team is shown',
    );
    await screenshot(page, 'embed-plain-host');
    assertNoProblems(page);
    await page.context().close();
  });

  test('the modal custom element: keyboard only, focus trap and return, cancel, axe inside the shadow root', async () => {
    const page = await openHost();
    await page.focus('#open-modal');
    await page.keyboard.press('Enter');
    const dialog = page.locator(`${MODAL} #permissions-dialog[role=dialog][aria-modal=true]`);
    await dialog.waitFor();
    await page.waitForFunction(() => {
      const a = document.getElementById('modal-widget').shadowRoot.activeElement;
      return a && a.id === 'tab-permissions';
    });
    assert.equal(await deepActiveId(page), 'tab-permissions', 'focus moves into the dialog');
    // aria-labelledby resolves inside the shadow root.
    const label = await page.evaluate(() => {
      const root = document.getElementById('modal-widget').shadowRoot;
      const d = root.querySelector('#permissions-dialog');
      return root.getElementById(d.getAttribute('aria-labelledby'))?.textContent;
    });
    assert.match(label ?? '', /Finance/);
    // Tab keeps focus inside the dialog, in the modal's shadow root.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'modal-widget', `Tab ${i} stays in the widget`);
    }
    // Space on a cell with the keyboard: go to the grid and toggle.
    await page.focus(cellBox(MODAL, 'g-fin', 'edit-all-packages'));
    await page.keyboard.press('Space');
    await page.locator(`${MODAL} #pending-count[data-count="1"]`).waitFor();
    await assertAccessible(page, { include: MODAL, label: 'the modal widget' });
    await screenshot(page, 'embed-modal', { fullPage: false });

    // Escape asks to discard the change; confirm; permissions-cancel; focus returns.
    const from = await logLength(page);
    await page.keyboard.press('Escape');
    await page.locator(`${MODAL} [role=alertdialog]`).waitFor();
    await page.click(`${MODAL} [role=alertdialog] .button-danger, ${MODAL} [role=alertdialog] [id$=-confirm]`);
    const cancel = await waitEvent(page, 'modal', 'permissions-cancel', from);
    assert.equal(cancel.detail.resource, 'sp-fin');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'open-modal');
    assert.equal(await page.evaluate(() => document.getElementById('modal-widget').getAttribute('resource')), null);
    assertNoProblems(page);
    await page.context().close();
  });

  test('update and destroy: nothing left behind, later page events raise no errors', async () => {
    const page = await openHost();
    await page.click('#update-inline');
    await page.locator(`${INLINE} .dialog-content[data-resource="sp-ops"]`).waitFor();
    await page.click('#destroy-inline');
    const left = await page.evaluate(() => {
      const host = document.getElementById('inline-widget');
      return { nodes: host.shadowRoot.childNodes.length, sheets: host.shadowRoot.adoptedStyleSheets.length };
    });
    assert.deepEqual(left, { nodes: 0, sheets: 0 });
    const threw = await page.evaluate(() => {
      try {
        window.inlineWidget.pending();
        return false;
      } catch (e) {
        return e instanceof Error;
      }
    });
    assert.ok(threw, 'a destroyed handle says so');
    // Page-wide events after destroy reach no dead listener.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await page.mouse.click(5, 5);
    await page.evaluate(() => window.dispatchEvent(new Event('resize')));
    // The other widget still works.
    await page.click('#open-modal');
    await page.locator(`${MODAL} #permissions-dialog`).waitFor();
    assertNoProblems(page);
    await page.context().close();
  });

  test('bad options: a readable Error with the problem list, shown in the widget, and an event', async () => {
    const page = await openHost();
    const result = await page.evaluate(async () => {
      const { mount } = await import('./node_modules/permissions-widget/index.js');
      const el = document.createElement('div');
      el.id = 'bad-widget';
      document.body.append(el);
      const seen = [];
      el.addEventListener('permissions-error', (e) => seen.push(e.detail));
      const team = await (await fetch('./team.json')).json();
      try {
        await mount(el, { snapshot: team, actor: 'nobody', resource: 'sp-sales', mode: 'sideways' });
        return { threw: false };
      } catch (e) {
        return { threw: true, isError: e instanceof Error, message: e.message, problems: e.problems, seen };
      }
    });
    assert.ok(result.threw && result.isError, 'mount rejects with an Error');
    assert.match(result.message, /mode/);
    assert.deepEqual(result.problems.map((p) => [p.code, p.path]), [['invalid-option', '$.mode']]);
    assert.equal(result.seen.length, 1);
    assert.equal(result.seen[0].code, 'invalid-options');
    const shown = page.locator('#bad-widget [data-testid=pw-error]');
    await shown.waitFor();
    assert.match(await shown.textContent(), /sideways/);

    // Unknown ids are checked against the team; the widget is never blank.
    const second = await page.evaluate(async () => {
      const { mount } = await import('./node_modules/permissions-widget/index.js');
      const el = document.getElementById('bad-widget');
      const team = await (await fetch('./team.json')).json();
      try {
        await mount(el, { snapshot: team, actor: 'nobody', resource: 'nowhere' });
        return null;
      } catch (e) {
        return e.problems;
      }
    });
    assert.deepEqual(second.map((p) => p.code).sort(), ['unknown-principal', 'unknown-resource']);
    await page.locator('#bad-widget [data-testid=pw-error] li').nth(1).waitFor();
    // No element at all: the same kind of Error.
    const noElement = await page.evaluate(async () => {
      const { mount } = await import('./node_modules/permissions-widget/index.js');
      try {
        mount(null, {});
        return null;
      } catch (e) {
        return { isError: e instanceof Error, codes: e.problems.map((p) => p.code) };
      }
    });
    assert.deepEqual(noElement, { isError: true, codes: ['invalid-element'] });
    await screenshot(page, 'embed-bad-options');
    // The page's console errors: none (the host got an Error and an event).
    assertNoProblems(page);
    await page.context().close();
  });

  test('the handle mount() returns works at once, before the module has loaded', async () => {
    const page = await openHost();
    const result = await page.evaluate(async () => {
      const { mount } = await import('./node_modules/permissions-widget/index.js');
      const team = await (await fetch('./team.json')).json();
      const el = document.createElement('div');
      el.id = 'sync-widget';
      document.body.append(el);
      const handle = mount(el, { snapshot: team, actor: 'u-admin', resource: 'sp-sales' });
      const before = handle.pending();
      handle.open('sp-fin', { tab: 'check' });
      const widget = await handle;
      const resource = el.shadowRoot.querySelector('.dialog-content')?.getAttribute('data-resource');
      handle.destroy();
      return { before, resource, awaited: typeof widget.open, left: el.shadowRoot?.childElementCount ?? 0 };
    });
    assert.deepEqual(result.before, [], 'nothing pending before the dialog is mounted');
    assert.equal(result.resource, 'sp-fin', 'a call made before the module loaded is carried out');
    assert.equal(result.awaited, 'function', 'awaiting the handle gives the widget');
    assert.equal(result.left, 0, 'destroy leaves nothing');
    assertNoProblems(page);
    await page.context().close();
  });

  test('two widgets with pending edits at once stay independent', async () => {
    const page = await openHost();
    const from = await logLength(page);
    await page.click(cellBox(INLINE, 'g-exec', 'edit-all-packages'));
    await page.click('#open-modal');
    await page.locator(`${MODAL} #permissions-dialog`).waitFor();
    await page.click(cellBox(MODAL, 'g-fin', 'edit-all-packages'));
    await page.click(cellBox(MODAL, 'g-exec', 'delete-space'));
    await page.locator(`${MODAL} #pending-count[data-count="2"]`).waitFor();
    const pending = await page.evaluate(() => ({
      inline: window.inlineWidget.pending().map((o) => o.resource),
      modal: document.getElementById('modal-widget').pending().map((o) => o.resource),
    }));
    assert.deepEqual(pending, { inline: ['sp-sales'], modal: ['sp-fin', 'sp-fin'] });
    assert.equal(await page.getAttribute(`${INLINE} #pending-count`, 'data-count'), '1');
    const changes = (await events(page, from)).filter((e) => e.type === 'permissions-change');
    assert.deepEqual(
      changes.map((e) => [e.where, e.detail.resource, e.detail.count]),
      [
        ['inline', 'sp-sales', 1],
        ['modal', 'sp-fin', 1],
        ['modal', 'sp-fin', 2],
      ],
    );
    assertNoProblems(page);
    await page.context().close();
  });

  test('theming: dark, --permissions-* custom properties and ::part()', async () => {
    const page = await openHost();
    const look = () =>
      page.evaluate(() => {
        const modal = document.getElementById('inline-widget').shadowRoot.querySelector('.modal');
        const s = getComputedStyle(modal);
        return { surface: s.backgroundColor, outline: s.outlineColor, font: s.fontFamily };
      });
    const light = await look();
    await page.evaluate(() => window.inlineWidget.update({ theme: 'dark' }));
    await page.waitForFunction(
      (l) =>
        getComputedStyle(document.getElementById('inline-widget').shadowRoot.querySelector('.modal'))
          .backgroundColor !== l,
      light.surface,
    );
    await screenshot(page, 'embed-dark', { fullPage: false });
    await page.addStyleTag({
      content: `#inline-widget { --permissions-surface: rgb(1, 2, 3); --permissions-font: "DejaVu Serif", serif; }
        #inline-widget::part(dialog) { outline: 3px solid rgb(200, 0, 0); }`,
    });
    const themed = await look();
    assert.equal(themed.surface, 'rgb(1, 2, 3)');
    assert.equal(themed.outline, 'rgb(200, 0, 0)');
    assert.match(themed.font, /DejaVu Serif/);
    assertNoProblems(page);
    await page.context().close();
  });

  test("a hostile host stylesheet does not change the widget's rendering", async () => {
    const page = await openHost();
    // The widget at a fixed place, so that the host's text around it cannot move it.
    await page.addStyleTag({
      content: '#inline-widget { position: fixed !important; top: 0 !important; left: 0 !important; z-index: 5; }',
    });
    await page.mouse.move(1279, 899);
    const bounds = await page.locator(`${INLINE} #permissions-dialog`).boundingBox();
    // Inside the rounded corners (the page shows there).
    const clip = { x: bounds.x + 12, y: bounds.y + 12, width: bounds.width - 24, height: Math.min(bounds.height, 880) - 24 };
    const box = { screenshot: () => page.screenshot({ clip }) };
    const beforeShot = await box.screenshot();
    await page.addStyleTag({
      content: `
        html { font-size: 7px !important; }
        *, *::before, *::after { font: italic 23px/3 "Comic Sans MS", cursive !important; color: red !important;
          letter-spacing: 3px !important; text-transform: uppercase !important; text-align: right !important;
          box-sizing: content-box !important; visibility: visible !important; }
        button, input, select, textarea { all: unset !important; background: hotpink !important;
          border: 5px solid lime !important; padding: 20px !important; }
        table, th, td, tr { border-collapse: separate !important; border: 4px dotted blue !important;
          padding: 30px !important; display: block !important; }
        div, p, h2, ul, li, span { margin: 40px !important; padding: 10px !important; background: yellow !important; }
        #inline-widget { margin: 0 !important; padding: 0 !important; }
      `,
    });
    await page.waitForTimeout(100);
    const afterShot = await box.screenshot();
    await screenshot(page, 'embed-hostile-host');
    await mkdir(resultsDir, { recursive: true });
    await writeFile(path.join(resultsDir, 'embed-widget-before-hostile.png'), beforeShot);
    await writeFile(path.join(resultsDir, 'embed-widget-after-hostile.png'), afterShot);
    assert.ok(beforeShot.equals(afterShot), 'the widget looks the same under the hostile stylesheet');
    assertNoProblems(page);
    await page.context().close();
  });
});

describe("the README's embed snippet", () => {
  test('runs as written and shows the dialog', async () => {
    const snippet = readmeSnippet();
    const site = await serveSite({
      files: {
        'index.html': `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Snippet</title><link rel="icon" href="data:,"></head><body>\n${snippet}</body></html>\n`,
      },
    });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      await page.goto(site.url);
      await page.locator('#permissions .dialog-content[data-resource="sp-sales"]').waitFor();
      await page.click(cellBox('#permissions', 'g-exec', 'edit-all-packages'));
      await page.locator('#permissions #pending-count[data-count="1"]').waitFor();
      assertNoProblems(page);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});

describe('the custom element', () => {
  let browser;
  let site;
  before(async () => {
    site = await serveSite({
      files: {
        'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Custom element</title><link rel="icon" href="data:,"></head>
<body><main><h1>Custom element</h1><div id="slot"></div></main>
<script type="module">
  import { ready } from './node_modules/permissions-widget/index.js';
  await ready();
  window.team = await (await fetch('./team.json')).json();
  window.ready = true;
</script></body></html>`,
      },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('attributes reflect, changes are followed, disconnect cleans up, reconnect mounts again', async () => {
    const page = await newPage(browser);
    await page.goto(site.url);
    await page.waitForFunction(() => window.ready === true);
    await page.evaluate(() => {
      const el = document.createElement('permissions-dialog');
      window.ce = el;
      el.id = 'ce';
      el.actor = 'u-admin';
      el.resource = 'sp-sales';
      el.snapshot = window.team;
      document.getElementById('slot').append(el);
    });
    await page.locator('#ce .dialog-content[data-resource="sp-sales"]').waitFor();
    assert.equal(await page.getAttribute('#ce', 'resource'), 'sp-sales', 'properties reflect to attributes');
    await page.evaluate(() => {
      const el = document.getElementById('ce');
      el.setAttribute('theme', 'dark');
      el.setAttribute('resource', 'sp-ops');
    });
    await page.locator('#ce .dialog-content[data-resource="sp-ops"]').waitFor();
    assert.equal(await page.evaluate(() => document.getElementById('ce').theme), 'dark');
    assert.equal(
      await page.evaluate(() => document.getElementById('ce').shadowRoot.querySelector('.pw-root').dataset.theme),
      'dark',
    );
    // A bad attribute: shown in place, the element keeps the Error with problems.
    await page.evaluate(() => document.getElementById('ce').setAttribute('tab', 'nope'));
    await page.locator('#ce [data-testid=pw-error]').waitFor();
    assert.deepEqual(
      await page.evaluate(() => document.getElementById('ce').error.problems.map((p) => p.path)),
      ['$.tab'],
    );
    await page.evaluate(() => document.getElementById('ce').removeAttribute('tab'));
    await page.locator('#ce .dialog-content[data-resource="sp-ops"]').waitFor();
    // Removed: nothing left; added again: mounted again.
    const left = await page.evaluate(async () => {
      const el = document.getElementById('ce');
      el.remove();
      await new Promise((r) => setTimeout(r, 50));
      return { nodes: el.shadowRoot.childNodes.length, sheets: el.shadowRoot.adoptedStyleSheets.length };
    });
    assert.deepEqual(left, { nodes: 0, sheets: 0 });
    await page.keyboard.press('Escape');
    await page.evaluate(() => document.getElementById('slot').append(window.ce));
    await page.locator('#ce .dialog-content[data-resource="sp-ops"]').waitFor();
    assertNoProblems(page);
    await page.context().close();
  });
});

describe('the widget on the permission service (backend option)', () => {
  test('loads the team with a token through the HTTP API; a save the host takes over', async () => {
    if (!process.env.SERVICE_URL) throw new Error('SERVICE_URL is not set: run the page tests through scripts/test.sh');
    const service = new URL(process.env.SERVICE_URL);
    const api = new URL('api/v1', service).href;
    const { tokens } = await (await fetch(`${api}/demo/tokens`)).json();
    const token = tokens.find((t) => t.principal === 'u-admin').token;
    const site = await serveSite({
      files: { 'index.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Remote</title><link rel="icon" href="data:,"></head><body></body></html>' },
    });
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser);
      // The host page and the package, served from the service's origin (no CORS needed).
      await page.route(`${service.origin}/host/**`, async (route) => {
        const rel = new URL(route.request().url()).pathname.replace(/^\/host\//, '');
        const res = await fetch(new URL(rel, site.url));
        await route.fulfill({
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? 'text/plain' },
          body: Buffer.from(await res.arrayBuffer()),
        });
      });
      await page.goto(`${service.origin}/host/index.html`);
      const result = await page.evaluate(
        async ([url, token]) => {
          const { mount } = await import('./node_modules/permissions-widget/index.js');
          const el = document.createElement('div');
          el.id = 'remote';
          document.body.append(el);
          window.remoteLog = [];
          for (const t of ['permissions-save', 'permissions-error', 'permissions-change'])
            el.addEventListener(t, (e) => window.remoteLog.push({ type: t, detail: e.detail }));
          el.addEventListener('permissions-save', (e) => {
            e.preventDefault();
            window.remote.failed(new Error('saving is up to the host here'));
          });
          window.remote = await mount(el, { backend: { url, token }, actor: 'u-admin', resource: 'sp-sales' });
          return true;
        },
        [api, token],
      );
      assert.ok(result);
      await page.locator('#remote .dialog-content[data-resource="sp-sales"]').waitFor();
      await page.click('#remote [data-testid="cell-g-exec-delete-space"] [role=checkbox]');
      await page.locator('#remote #pending-count[data-count="1"]').waitFor();
      await page.click('#remote #dialog-save');
      await page.waitForFunction(() => window.remoteLog.some((e) => e.type === 'permissions-error'));
      const error = await page.evaluate(() => window.remoteLog.find((e) => e.type === 'permissions-error').detail);
      assert.equal(error.code, 'save-failed');
      assert.match(error.message, /up to the host/);
      assertNoProblems(page);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});

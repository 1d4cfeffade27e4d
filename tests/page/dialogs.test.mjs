// Page-level tests of the Options → Permissions dialogs, driven as an
// administrator would drive them: mouse and keyboard only, through the
// resource tree, against the release build served on localhost.
//
// Every test opens a fresh browser context (fresh localStorage, so the demo
// team of src/demo/README.md), fails on console errors, page errors or failed
// requests, and never sleeps: it waits for elements and states.
//
// Screenshots (viewport, 1280 × 800 unless named -1024) go to
// test-results/dialog-<kind>.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DIALOG,
  actAs,
  activeId,
  assertAccessible,
  assertNoProblems,
  cell,
  expandTreeRow,
  launchBrowser,
  newPage,
  openApp,
  openDialog,
  pendingCount,
  pressUntil,
  screenshot,
  waitDialogClosed,
} from './helpers.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Runs `body(page)` on a fresh page of the app (fresh context = fresh
 * localStorage), then checks the page logged no error, and closes it.
 */
async function withApp(body, options) {
  const page = await newPage(browser, options);
  try {
    await openApp(page);
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await body(page);
    assertNoProblems(page);
  } finally {
    await page.context().close();
  }
}

/**
 * Viewport screenshot test-results/<name>.png, with the mouse moved off the
 * dialog first (a hovered cell shows its Why? button).
 */
async function shoot(page, name) {
  await page.mouse.move(1, 1);
  return screenshot(page, name, { fullPage: false });
}

/** The cell's checkbox (`role=checkbox` inside the `td`). */
const box = (page, principal, flag) => cell(page, principal, flag).locator('[role=checkbox]');

/** Asserts a cell's `data-state` (waits for it: Yew renders asynchronously). */
async function expectState(page, principal, flag, state) {
  const c = cell(page, principal, flag);
  await assert.doesNotReject(
    c.and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout: 5_000 }),
    `cell ${principal} × ${flag} becomes ${state}`,
  );
  assert.equal(await c.getAttribute('data-state'), state);
}

/** Waits until the footer shows `n` pending changes. */
async function expectPending(page, n) {
  try {
    await page.locator(`#pending-count[data-count="${n}"]`).waitFor({ timeout: 5_000 });
  } catch {
    const now = await page.getAttribute('#pending-count', 'data-count');
    assert.fail(`pending count becomes ${n} (still ${now} after 5 s)`);
  }
}

// --- 1. toggle, preview, save, reload, persisted --------------------------------

test('admin grants a space permission with the mouse: preview, Save, reload, persisted', async () => {
  await withApp(async (page) => {
    // The demo's admin is the default acting user.
    assert.equal(await page.getAttribute('#acting-as-current', 'data-id'), 'u-admin');
    await openDialog(page, 'sp-sales');
    assert.equal(await page.textContent('#permissions-dialog-title'), 'Space permissions: Sales');
    // A row listed only for a grant above that gives nothing here says so.
    assert.match(
      await page.textContent('[data-testid="why-listed-u-pia"]'),
      /^Listed for Delete all spaces on Studio, which gives nothing here$/,
    );
    await expectState(page, 'u-ken', 'edit-space', 'none');
    assert.equal(await pendingCount(page), 0);
    assert.ok(await page.locator('#dialog-save').isDisabled(), 'Save is disabled with nothing pending');

    await box(page, 'u-ken', 'edit-space').click();
    await expectState(page, 'u-ken', 'edit-space', 'pending-add');
    assert.equal(await box(page, 'u-ken', 'edit-space').getAttribute('aria-checked'), 'true');
    await expectPending(page, 1);
    assert.equal((await page.textContent('#pending-count')).trim(), '1 pending change');

    // The summary is in sight above the footer's buttons without scrolling.
    const line = page.locator('#footer-summary');
    assert.match(await line.innerText(), /Ken Watanabe gains .+ on Space Sales/);
    const lineBox = await line.boundingBox();
    const viewport = page.viewportSize();
    assert.ok(lineBox && lineBox.y >= 0 && lineBox.y + lineBox.height <= viewport.height, 'the summary line is in view');
    await line.getByRole('button', { name: 'Details' }).click();
    await page.waitForFunction(() => {
      const r = document.getElementById('preview')?.getBoundingClientRect();
      return r && r.top < window.innerHeight && r.bottom > 0;
    });

    // The preview names who gains what, where, and what the ticked permission does.
    assert.equal((await page.textContent('#preview-meanings')).trim(), 'Edit Space → Rename');
    const summary = await page.textContent('#preview-summary');
    assert.match(summary, /Ken Watanabe gains .+ on Space Sales/, `summary: ${summary}`);
    const row = page.locator('[data-testid="preview-row-u-ken"]');
    assert.match(await row.innerText(), /Ken Watanabe[\s\S]*gains .+ on Space Sales/);
    // Its before → after table, once expanded.
    await row.locator('button.disclosure').click();
    const details = page.locator('#preview-table .preview-item');
    await details.first().waitFor();
    const lines = await details.allInnerTexts();
    assert.ok(
      lines.some((l) => /Space Sales[\s\S]*✗ no[\s\S]*→[\s\S]*✓ yes/.test(l)),
      `a before → after line for Space Sales: ${JSON.stringify(lines)}`,
    );
    await page.locator('#preview').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shoot(page, 'dialog-preview');

    await page.click('#dialog-save');
    await waitDialogClosed(page);
    assert.match(await page.textContent('#toast'), /Saved 1 change to Space Sales/);

    // Stored in this browser: survives a reload.
    await page.reload({ waitUntil: 'load' });
    await page.locator('#resource-tree').waitFor({ state: 'visible' });
    await openDialog(page, 'sp-sales');
    await expectState(page, 'u-ken', 'edit-space', 'granted');
    assert.equal(await box(page, 'u-ken', 'edit-space').getAttribute('aria-checked'), 'true');
    assert.equal(await pendingCount(page), 0, 'nothing pending after reopening');
  });
});

// --- 2. the same, keyboard only -------------------------------------------------

test('keyboard only: treegrid → Options menu → grid → Space → Save; focus in and back; Escape closes', async () => {
  await withApp(async (page) => {
    // Tab from the top of the page into the treegrid (one tab stop: its first row).
    await page.locator('body').focus();
    await pressUntil(page, 'Tab', (id) => id.startsWith('tree-row-'), { max: 10, what: 'the tree' });
    assert.equal(await activeId(page), 'tree-row-di');

    // Down to the Sales space, then right across its cells to the Options button.
    await pressUntil(page, 'ArrowDown', (id) => id === 'tree-row-sp-sales', { what: 'the Sales row' });
    await pressUntil(page, 'ArrowRight', (id) => id === 'tree-options-sp-sales', {
      max: 6,
      what: 'the Options button of Sales',
    });
    const options = page.locator('#tree-options-sp-sales');
    assert.equal(await options.getAttribute('aria-haspopup'), 'menu');

    // Enter opens the menu; Escape closes it and focus returns to the button.
    await page.keyboard.press('Enter');
    await page.locator('#tree-menu-sp-sales').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#tree-menu-sp-sales').waitFor({ state: 'detached' });
    assert.equal(await activeId(page), 'tree-options-sp-sales');

    // Enter again: focus lands on its first item, Permissions….
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="menu-permissions-sp-sales"]').waitFor();
    assert.equal(await options.getAttribute('aria-expanded'), 'true');
    await assert.doesNotReject(
      page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem'),
    );
    assert.equal(
      await page.evaluate(() => document.activeElement.dataset.testid),
      'menu-permissions-sp-sales',
    );
    await page.keyboard.press('Enter');
    await page.locator(`${DIALOG} .dialog-content[data-resource="sp-sales"]`).waitFor();

    // Focus moved into the dialog (its selected tab); the page behind is inert.
    await page.waitForFunction(() => document.activeElement?.closest('#permissions-dialog'));
    assert.equal(await activeId(page), 'tab-permissions');
    assert.notEqual(await page.getAttribute('main#app-root', 'inert'), null, 'the page behind is inert');

    // Tab into the grid (one tab stop), then arrow keys to Pia × Create package.
    await pressUntil(page, 'Tab', (id) => /^gc-\d+-\d+$/.test(id), { what: 'the permission grid' });
    const target = await box(page, 'u-pia', 'create-package').getAttribute('id');
    const [, tr, tc] = target.match(/^gc-(\d+)-(\d+)$/).map(Number);
    let [, r, c] = (await activeId(page)).match(/^gc-(\d+)-(\d+)$/).map(Number);
    for (; r < tr; r++) await page.keyboard.press('ArrowDown');
    for (; c < tc; c++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction((id) => document.activeElement?.id === id, target);
    assert.equal(await activeId(page), target, 'arrow keys reach the cell');

    await page.keyboard.press('Space');
    await expectState(page, 'u-pia', 'create-package', 'pending-add');
    await expectPending(page, 1);
    assert.equal(await activeId(page), target, 'focus stays on the toggled cell');

    // Tab on to Save; Tab wraps inside the dialog (never to the page behind).
    await pressUntil(page, 'Tab', (id) => id === 'dialog-save', { what: 'Save' });
    await page.keyboard.press('Tab');
    assert.ok(
      await page.evaluate(() => !!document.activeElement?.closest('#permissions-dialog')),
      `Tab after Save stays in the dialog (focus on ${await activeId(page)})`,
    );
    await page.keyboard.press('Shift+Tab');
    assert.equal(await activeId(page), 'dialog-save', 'Shift+Tab goes back to Save');
    await page.keyboard.press('Enter');
    await waitDialogClosed(page);
    assert.match(await page.textContent('#toast'), /Saved 1 change to Space Sales/);

    // Focus returned to the opener, the Options button.
    await page.waitForFunction(() => document.activeElement?.id === 'tree-options-sp-sales');

    // Reopen from the keyboard: the grant is there; Escape closes, focus returns.
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="menu-permissions-sp-sales"]').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    await page.keyboard.press('Enter');
    await page.locator(`${DIALOG} .dialog-content[data-resource="sp-sales"]`).waitFor();
    await expectState(page, 'u-pia', 'create-package', 'granted');
    await page.keyboard.press('Escape');
    await waitDialogClosed(page);
    await page.waitForFunction(() => document.activeElement?.id === 'tree-options-sp-sales');
    assert.equal(await page.getAttribute('main#app-root', 'inert'), null, 'the page is live again');

    // Enter on a tree row opens its dialog too; Escape returns focus to the row.
    await page.keyboard.press('ArrowLeft'); // Options → You cell
    await pressUntil(page, 'ArrowLeft', (id) => id === 'tree-row-sp-sales', { max: 6, what: 'the row' });
    await page.keyboard.press('Enter');
    await page.locator(`${DIALOG} .dialog-content[data-resource="sp-sales"]`).waitFor();
    await page.keyboard.press('Escape');
    await waitDialogClosed(page);
    await page.waitForFunction(() => document.activeElement?.id === 'tree-row-sp-sales');
  });
});

// --- 3. Cancel with pending changes ---------------------------------------------

test('Cancel with pending changes asks first: Keep editing keeps them, Discard drops them', async () => {
  await withApp(async (page) => {
    await openDialog(page, 'sp-sales');
    await box(page, 'u-ken', 'edit-space').click();
    await box(page, 'g-exec', 'delete-space').click();
    await expectPending(page, 2);

    // Cancel → confirmation (alertdialog, safe choice focused).
    await page.click('#dialog-cancel');
    const confirm = page.locator('#confirm-discard');
    await confirm.waitFor();
    assert.equal(await confirm.getAttribute('role'), 'alertdialog');
    assert.match(await confirm.innerText(), /You have 2 pending changes\. Closing the dialog discards them\./);
    await page.waitForFunction(() => document.activeElement?.id === 'confirm-discard-cancel');
    assert.equal((await page.textContent('#confirm-discard-cancel')).trim(), 'Keep editing');
    await assertAccessible(page, { label: 'the discard confirmation' });

    // Declining keeps the dialog and the pending edits.
    await page.click('#confirm-discard-cancel');
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await page.locator(DIALOG).isVisible(), 'the dialog stays open');
    await expectPending(page, 2);
    await expectState(page, 'u-ken', 'edit-space', 'pending-add');
    await expectState(page, 'g-exec', 'delete-space', 'pending-add');
    await page.waitForFunction(() => document.activeElement?.id === 'dialog-cancel');

    // Escape with pending changes asks too; confirming discards.
    await page.keyboard.press('Escape');
    await confirm.waitFor();
    await page.click('#confirm-discard-confirm');
    await waitDialogClosed(page);
    assert.equal(
      await page.evaluate(() => localStorage.getItem('permissions-widget.snapshot')),
      null,
      'nothing was stored',
    );

    // Reopening shows nothing changed.
    await openDialog(page, 'sp-sales');
    assert.equal(await pendingCount(page), 0);
    await expectState(page, 'u-ken', 'edit-space', 'none');
    await expectState(page, 'g-exec', 'delete-space', 'none');
    assert.match(await page.textContent('#preview-summary'), /No pending changes/);
  });
});

// --- 3b. undo and redo ------------------------------------------------------------

test('Undo and Redo: footer buttons and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y; typing in a field is left alone', async () => {
  await withApp(async (page) => {
    await openDialog(page, 'sp-sales');
    assert.ok(await page.locator('#dialog-undo').isDisabled(), 'nothing to undo yet');
    assert.ok(await page.locator('#dialog-redo').isDisabled(), 'nothing to redo yet');
    await box(page, 'u-ken', 'edit-space').click();
    await box(page, 'g-exec', 'delete-space').click();
    await expectPending(page, 2);

    // Keyboard, with focus on a cell.
    await box(page, 'g-exec', 'delete-space').focus();
    await page.keyboard.press('Control+z');
    await expectPending(page, 1);
    await expectState(page, 'g-exec', 'delete-space', 'none');
    await page.keyboard.press('Control+z');
    await expectPending(page, 0);
    await page.keyboard.press('Control+Shift+Z');
    await expectPending(page, 1);
    await expectState(page, 'u-ken', 'edit-space', 'pending-add');
    await page.keyboard.press('Control+y');
    await expectPending(page, 2);
    assert.ok(await page.locator('#dialog-redo').isDisabled(), 'everything redone');

    // The footer's buttons do the same.
    await page.click('#dialog-undo');
    await expectPending(page, 1);
    assert.ok(await page.locator('#dialog-redo').isEnabled());
    await page.click('#dialog-redo');
    await expectPending(page, 2);
    assert.match(await page.textContent('#preview-summary'), /Ken Watanabe/);

    // A new edit after an undo forgets what was undone.
    await page.click('#dialog-undo');
    await expectPending(page, 1);
    await box(page, 'u-ken', 'create-package').click();
    await expectPending(page, 2);
    assert.ok(await page.locator('#dialog-redo').isDisabled(), 'a new edit clears redo');

    // Ctrl+Z inside a text field undoes typing, not the permission edits.
    const search = page.locator('#permissions-dialog input.picker__input');
    await search.fill('abc');
    await search.press('Control+z');
    await expectPending(page, 2);
  });
});

// --- 4. read-only for a plain member --------------------------------------------

test('acting as Sam (plain member): a space dialog is read-only, says why, Save disabled', async () => {
  await withApp(async (page) => {
    await actAs(page, 'u-sam');
    await assert.doesNotReject(
      page
        .locator('[data-testid="tree-row-sp-sales"] .tree-you', { hasText: 'View only' })
        .waitFor({ timeout: 5_000 }),
      'the tree says View only',
    );
    const content = await openDialog(page, 'sp-sales');
    assert.equal(await content.getAttribute('data-read-only'), 'true');
    assert.match(await page.textContent(`${DIALOG} .dialog-facts`), /Acting as Sam Wright \(Member\)/);

    const banner = page.locator('[data-testid="read-only-banner"]');
    await banner.waitFor();
    const why = await banner.innerText();
    assert.match(why, /Read-only/);
    // The evaluator's reason, with names rather than ids.
    assert.match(
      why,
      /Sam Wright may not manage permissions on Space Sales or anything above it/,
      `the reason: ${why}`,
    );

    const save = page.locator('#dialog-save');
    assert.ok(await save.isDisabled(), 'Save is disabled');
    assert.match((await save.getAttribute('title')) ?? '', /Read-only/);
    assert.equal((await page.textContent('#dialog-cancel')).trim(), 'Close');
    assert.equal(await page.locator('[data-testid="add-principal"]').count(), 0, 'no principal picker');
    assert.equal(await page.locator(`${DIALOG} [data-testid^="remove-"]`).count(), 0, 'no Remove buttons');

    await assertAccessible(page, { label: 'the read-only space dialog' });
    await shoot(page, 'dialog-space-read-only');

    // Cells are locked: clicking one, or Space on it, explains it instead of changing it.
    const b = box(page, 'u-ken', 'edit-space');
    assert.equal(await b.getAttribute('aria-disabled'), 'true');
    await b.click({ force: true });
    await page.locator('#why-dialog').waitFor();
    await page.click('#why-close');
    await page.locator('#why-dialog').waitFor({ state: 'detached' });
    await b.focus();
    await page.keyboard.press('Space');
    await page.locator('#why-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#why-dialog').waitFor({ state: 'detached' });
    assert.equal(await pendingCount(page), 0, 'nothing pending');
    await expectState(page, 'u-ken', 'edit-space', 'none');

    await page.click('#dialog-cancel');
    await waitDialogClosed(page);
  });
});

// --- 5. data permissions: invalid rule, then a valid one ------------------------

/** The Table / Column / Values inputs of rule `n` (1-based) of an entry. */
function ruleFields(entry, who, n) {
  const field = (label) =>
    entry.getByRole('textbox', { name: new RegExp(`^${label}, rule ${n} for ${who}$`) });
  return { table: field('Table'), column: field('Column'), values: field('Values') };
}

/** Data access of one principal in "Resulting data access". */
const accessOf = (page, id) => page.locator(`#panel-data .dpe__access tr[data-principal="${id}"] td`);

test('data model: a rule with an empty value shows an error and changes nothing; a valid rule filters', async () => {
  await withApp(async (page) => {
    // Options → Data permissions… opens the data model's dialog on that tab.
    const content = await openDialog(page, 'dm-o2c', 'data');
    assert.equal(await content.getAttribute('data-kind'), 'data-model');
    assert.equal(await page.getAttribute('#tab-data', 'aria-selected'), 'true');
    const panel = page.locator('#panel-data');
    assert.match(await panel.locator('.dpe__title').innerText(), /Data permissions of Order to Cash/);
    assert.match(await accessOf(page, 'u-carla').innerText(), /^Filtered: VBAK\.BUKRS ∈ \{1000, 2000\}$/);

    // Carla's entry: Add rule, fill Table and Column, leave Values empty.
    const carla = panel.locator('.dpe__entry[data-principal="u-carla"]');
    await carla.getByRole('button', { name: 'Add rule' }).click();
    const rule = ruleFields(carla, 'Carla Mendes', 2);
    await rule.table.fill('VBAK');
    await rule.column.fill('VKORG');
    assert.equal(await rule.values.inputValue(), '');

    // An error next to the Values field (same cell, tied by aria-describedby).
    await assert.doesNotReject(
      panel.locator('input[aria-invalid="true"]').first().waitFor({ timeout: 5_000 }),
      'a field is marked invalid',
    );
    assert.equal(await rule.values.getAttribute('aria-invalid'), 'true');
    assert.equal(await panel.locator('input[aria-invalid="true"]').count(), 1, 'only Values is invalid');
    const errId = await rule.values.getAttribute('aria-describedby');
    assert.ok(errId, 'the Values field is described by its error');
    const err = page.locator(`[id="${errId}"]`);
    assert.equal((await err.innerText()).trim(), 'a rule needs at least one value');
    assert.match((await err.getAttribute('data-path')) ?? '', /\.rules\[1\]\.values$/);
    const valuesId = await rule.values.getAttribute('id');
    assert.ok(
      await err.evaluate((e, id) => e.closest('td')?.querySelector('input')?.id === id, valuesId),
      'the error is in the Values cell, under the field',
    );
    assert.match(
      await panel.locator('.pw-error-summary').innerText(),
      /1 problem — the changes are not applied until it is fixed[\s\S]*Carla Mendes, rule 2, values/,
    );

    // Nothing pending; the resulting access still shows the last valid state.
    assert.equal(await pendingCount(page), 0, 'nothing pending while the rule is invalid');
    assert.ok(await page.locator('#dialog-save').isDisabled(), 'Save stays disabled');
    assert.match(await page.textContent('#preview-summary'), /No pending changes/);
    assert.match(await accessOf(page, 'u-carla').innerText(), /^Filtered: VBAK\.BUKRS ∈ \{1000, 2000\}$/);
    await assertAccessible(page, { label: 'the data permissions tab with a field error' });
    await err.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await shoot(page, 'dialog-data-model-data-error');

    // A value makes the rule valid: one pending change, a narrower filter.
    await rule.values.fill('1000');
    await expectPending(page, 1);
    assert.equal(await panel.locator('input[aria-invalid="true"]').count(), 0, 'no invalid field');
    assert.equal(await panel.locator('.pw-error-summary').count(), 0, 'no error summary');
    await assert.doesNotReject(
      accessOf(page, 'u-carla').filter({ hasText: 'VKORG' }).waitFor({ timeout: 5_000 }),
      'Carla\'s access shows the new rule',
    );
    assert.equal(
      (await accessOf(page, 'u-carla').innerText()).trim(),
      'Filtered: VBAK.BUKRS ∈ {1000, 2000} AND VBAK.VKORG ∈ {1000}',
    );
    assert.ok(await page.locator('#dialog-save').isEnabled(), 'Save is enabled');

    // A new entry (Ken, who sees no rows) starts with an empty rule: not applied.
    // (The model's data permissions are one pending operation, replaced by each
    // valid edit, so the count stays at 1 from here on.)
    assert.equal((await accessOf(page, 'u-ken').innerText()).trim(), 'No rows');
    const picker = panel.getByRole('combobox', { name: 'Add a user, group or application' });
    await picker.fill('Ken Wat');
    await panel.getByRole('option', { name: /Ken Watanabe/ }).first().waitFor();
    await picker.press('Enter');
    const ken = panel.locator('.dpe__entry[data-principal="u-ken"]');
    await ken.waitFor();
    const kenRule = ruleFields(ken, 'Ken Watanabe', 1);
    await kenRule.table.fill('VBAK');
    await kenRule.column.fill('BUKRS');
    assert.equal(await kenRule.values.getAttribute('aria-invalid'), 'true');
    assert.equal((await accessOf(page, 'u-ken').innerText()).trim(), 'No rows', 'not applied');
    assert.doesNotMatch(await page.textContent('#preview-summary'), /Ken/);
    await kenRule.values.fill('3000, 4000');
    await assert.doesNotReject(
      accessOf(page, 'u-ken').locator('.pw-access--filtered').waitFor({ timeout: 5_000 }),
      'Ken\'s access becomes filtered',
    );
    assert.equal((await accessOf(page, 'u-ken').innerText()).trim(), 'Filtered: VBAK.BUKRS ∈ {3000, 4000}');
    assert.equal(await pendingCount(page), 1);
    // The preview agrees.
    assert.match(
      await page.textContent('#preview-summary'),
      /Ken Watanabe gains data access to .*Order to Cash/,
    );
  });
});

// --- 6. Why? ------------------------------------------------------------------

test('an invalid data-permission draft is never saved: Save waits, the footer says why', async () => {
  await withApp(async (page) => {
    await openDialog(page, 'dm-o2c', 'data');
    const carla = page.locator('#panel-data .dpe__entry[data-principal="u-carla"]');
    const rule = ruleFields(carla, 'Carla Mendes', 1);
    // A valid edit first: pending, Save on.
    await rule.values.fill('1000');
    await expectPending(page, 1);
    assert.ok(await page.locator('#dialog-save').isEnabled());

    // Clearing the values of that valid rule: Save off, the footer points at the problem.
    await rule.values.fill('');
    await page.locator('#draft-problem').waitFor();
    assert.match(
      await page.textContent('#draft-problem'),
      /Save waits until the data permissions are fixed — Carla Mendes, rule 1, values: a rule needs at least one value/,
    );
    assert.ok(await page.locator('#dialog-save').isDisabled(), 'Save is off while the form is invalid');
    assert.equal(await page.getAttribute('#dialog-save', 'aria-describedby'), 'draft-problem');
    await shoot(page, 'dialog-data-model-draft-invalid');

    // Fixed: Save on again, and what is saved is exactly what the form shows.
    await rule.values.fill('3000');
    await page.locator('#draft-problem').waitFor({ state: 'detached' });
    assert.ok(await page.locator('#dialog-save').isEnabled());
    await page.click('#dialog-save');
    await waitDialogClosed(page);
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('permissions-widget.snapshot')));
    const entry = stored.data_permissions
      .find((d) => d.data_model === 'dm-o2c')
      .entries.find((e) => e.principal === 'u-carla');
    assert.deepEqual(entry.rules[0].values, ['3000']);
  });
});

test('Why? explains a cell in readable sentences (mouse and keyboard)', async () => {
  await withApp(async (page) => {
    await openDialog(page, 'sp-sales');
    // Ken holds Edit all packages through his group, Sales Ops.
    await expectState(page, 'u-ken', 'edit-all-packages', 'via-group');
    const c = cell(page, 'u-ken', 'edit-all-packages');
    await c.hover();
    await c.locator('.why-button').click();
    const why = page.locator('#why-dialog');
    await why.waitFor();
    assert.match(await page.textContent('#why-dialog-title'), /^Why\? .+ for Ken Watanabe$/);
    await page.waitForFunction(() => document.activeElement?.id === 'why-close');
    const sentences = await why
      .locator('.why-sentences > li, .explain__sentence')
      .allInnerTexts();
    assert.ok(sentences.length > 0, 'at least one sentence');
    const text = sentences.join('\n');
    assert.match(
      text,
      /Ken Watanabe holds Edit all packages on Space Sales: granted here to group Sales Ops\./,
      `says where it comes from:\n${text}`,
    );
    for (const s of sentences) {
      assert.match(s, /^[A-Z].{8,}\.$/, `a sentence, not a code: ${s}`);
      assert.doesNotMatch(s, /\b(u|g|sp|pk)-[a-z]+\b/, `no raw ids: ${s}`);
    }
    await assertAccessible(page, { label: 'the Why? dialog' });
    await shoot(page, 'dialog-why');
    await page.click('#why-close');
    await why.waitFor({ state: 'detached' });
    assert.ok(await page.locator(DIALOG).isVisible(), 'the permissions dialog stays open');

    // From the keyboard: Enter on a cell explains it; Escape closes only the Why?.
    const target = await box(page, 'u-carla', 'manage-permissions').getAttribute('id');
    await box(page, 'u-carla', 'manage-permissions').focus();
    await page.keyboard.press('Enter');
    await why.waitFor();
    assert.match(await page.textContent('#why-dialog-title'), /for Carla Mendes$/);
    const carla = await why.locator('[data-testid="why-body"]').innerText();
    assert.match(carla, /Carla Mendes holds .+ on Space Sales/, `a readable explanation:\n${carla}`);
    await page.keyboard.press('Escape');
    await why.waitFor({ state: 'detached' });
    assert.ok(await page.locator(DIALOG).isVisible(), 'Escape closed only the Why? dialog');
    await page.waitForFunction((id) => document.activeElement?.id === id, target);
  });
});

test(
  'Why? opened with the mouse (a cell\'s ? button) returns focus to that cell when closed',
  async () => {
    await withApp(async (page) => {
      await openDialog(page, 'sp-sales');
      const c = cell(page, 'u-ken', 'edit-all-packages');
      const target = await c.locator('[role=checkbox]').getAttribute('id');
      await c.hover();
      await c.locator('.why-button').click();
      await page.locator('#why-dialog').waitFor();
      await page.click('#why-close');
      await page.locator('#why-dialog').waitFor({ state: 'detached' });
      await page
        .waitForFunction(() => document.activeElement !== document.body, null, { timeout: 2_000 })
        .catch(() => {});
      const focused = await activeId(page);
      assert.ok(
        focused === target || /why-button/.test(focused),
        `focus returns to the cell ${target} (or its ? button), not ${focused}`,
      );
    });
  },
);

// --- 7. axe-core and a screenshot of every dialog kind ----------------------------

const KINDS = [
  { kind: 'data-integration', resource: 'di', title: 'Data Integration service permissions' },
  { kind: 'data-pool', resource: 'dp-sap', title: /SAP ECC Production/ },
  { kind: 'data-model', resource: 'dm-o2c', title: /Order to Cash/ },
  { kind: 'data-model-data', dataKind: 'data-model', resource: 'dm-o2c', item: 'data', tab: 'tab-data' },
  { kind: 'studio', resource: 'studio', title: /service permissions/ },
  { kind: 'space', resource: 'sp-sales', title: 'Space permissions: Sales' },
  { kind: 'package', resource: 'pk-o2c', title: /Order to Cash/ },
  { kind: 'asset', dataKind: 'knowledge-model', resource: 'km-o2c', parent: 'pk-o2c', title: /knowledge model/i },
];

for (const k of KINDS) {
  test(`axe-core and screenshot: ${k.kind} dialog`, async () => {
    await withApp(async (page) => {
      if (k.parent) await expandTreeRow(page, k.parent);
      const content = await openDialog(page, k.resource, k.item);
      if (k.dataKind !== undefined || k.kind !== 'asset') {
        assert.equal(await content.getAttribute('data-kind'), k.dataKind ?? k.kind);
      }
      assert.equal(await content.getAttribute('data-read-only'), 'false', 'the admin may edit it');
      if (k.title) {
        const title = await page.textContent('#permissions-dialog-title');
        if (typeof k.title === 'string') assert.equal(title, k.title);
        else assert.match(title, k.title);
      }
      const tab = k.tab ?? 'tab-permissions';
      assert.equal(await page.getAttribute(`#${tab}`, 'aria-selected'), 'true');
      if (tab === 'tab-permissions') {
        await page.locator('#perm-grid').waitFor();
        assert.ok((await page.locator('#perm-grid tbody tr').count()) > 0, 'the grid has rows');
      }
      await page.waitForFunction(() => document.activeElement?.closest('#permissions-dialog'));
      await assertAccessible(page, { label: `the ${k.kind} dialog` });
      await shoot(page, `dialog-${k.kind}`);
    });
  });
}

test('axe-core with pending changes and an expanded preview; the space dialog at 1024 px', async () => {
  await withApp(
    async (page) => {
      await openDialog(page, 'sp-sales');
      await shoot(page, 'dialog-space-1024');
      await box(page, 'u-ken', 'edit-space').click();
      await box(page, 'g-salesops', 'manage-permissions').click();
      await expectPending(page, 2);
      // Ken is in Sales Ops: his row is under the group's.
      await page.click('[data-testid="preview-group-g-salesops"] button.disclosure');
      await page.click('[data-testid="preview-row-u-ken"] button.disclosure');
      await page.locator('#preview-table .preview-item').first().waitFor();
      await assertAccessible(page, { label: 'the space dialog with pending changes' });
      await page.locator('#preview').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await shoot(page, 'dialog-preview-1024');
      // The seven permission columns fit without a horizontal page scrollbar.
      const overflow = await page.evaluate(() => {
        const m = document.querySelector('#permissions-dialog');
        return { dialog: m.getBoundingClientRect().right, viewport: window.innerWidth };
      });
      assert.ok(
        overflow.dialog <= overflow.viewport,
        `the dialog fits in the viewport (${JSON.stringify(overflow)})`,
      );
    },
    { viewport: { width: 1024, height: 768 } },
  );
});

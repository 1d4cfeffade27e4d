// Your own permission rules as tests (`node --test`), run by the same
// evaluator as the dialog, on your team's snapshot (team.json beside this file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Evaluator, validateSnapshot } from 'permissions-widget';

const snapshot = readFileSync(new URL('./team.json', import.meta.url), 'utf8');
const team = new Evaluator(snapshot);
const members = (group) =>
  JSON.parse(snapshot).directory.groups.find((g) => g.id === group).members;

test('the snapshot is valid', () => {
  const problems = validateSnapshot(snapshot).filter((p) => !['too-many-groups'].includes(p.code));
  assert.deepEqual(problems, []);
});

test('Logistics cannot see the Finance space', () => {
  for (const user of members('g-log')) {
    assert.equal(team.can(user, 'sp-fin', 'see'), false, `${user} must not see Finance`);
  }
});

test('Finance can see its space, and the evaluator says why', () => {
  assert.equal(team.can('u-fay', 'sp-fin', 'see'), true);
  const why = team.explain('u-fay', 'sp-fin', 'see');
  assert.ok(why.sentences.length > 0);
});

test('a change set is checked before it is applied', () => {
  const grant = [{ op: 'grant', principal: 'g-log', resource: 'sp-fin', permission: 'use-all-packages' }];
  // Someone who may not manage Finance's permissions: refused, nothing applied.
  assert.throws(() => team.impact('u-quinn', grant), (e) => e instanceof Error && e.problems[0].code === 'not-allowed');
  const impact = team.impact('u-admin', grant);
  assert.ok(impact.entries.length > 0, 'granting it would give Logistics access');
});

test('a broken snapshot is refused with every problem', () => {
  assert.throws(
    () => new Evaluator('{"resources": [{"id": "x", "kind": "nope", "name": "X"}]}'),
    (e) => e instanceof Error && e.problems.some((p) => p.code === 'unknown-kind'),
  );
});

// The npm package as a host installs it, from the packed tarball
// (scripts/package.sh): its files and manifest, the headless evaluator in
// Node from the wasm bytes (no browser), and the README's example test
// (examples/node/permissions.test.mjs) run against the demo team.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tarball =
  process.env.PACKAGE_TGZ ?? path.join(root, 'target', 'package', 'permissions-widget-0.1.0.tgz');
let dir;
let pkg;

before(() => {
  assert.ok(existsSync(tarball), `the packed package exists (${tarball}): run scripts/package.sh`);
  dir = mkdtempSync(path.join(tmpdir(), 'permissions-widget-node-'));
  mkdirSync(path.join(dir, 'node_modules'));
  execFileSync('tar', ['xzf', tarball, '-C', path.join(dir, 'node_modules')]);
  execFileSync('mv', [path.join(dir, 'node_modules', 'package'), path.join(dir, 'node_modules', 'permissions-widget')]);
  pkg = path.join(dir, 'node_modules', 'permissions-widget');
});

after(() => dir && rmSync(dir, { recursive: true, force: true }));

test('the package has its fixed files and a manifest that names them', () => {
  const files = readdirSync(pkg).sort();
  for (const f of [
    'README.md',
    'custom-elements.json',
    'index.d.ts',
    'index.js',
    'node.d.ts',
    'node.js',
    'package.json',
    'permissions_widget.d.ts',
    'permissions_widget.js',
    'permissions_widget_bg.wasm',
    'styles',
  ]) {
    assert.ok(files.includes(f), `${f} is in the package (${files.join(', ')})`);
  }
  const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.customElements, 'custom-elements.json');
  assert.equal(manifest.exports['.'].node, './node.js');
  assert.equal(manifest.exports['.'].default, './index.js');
  const cem = JSON.parse(readFileSync(path.join(pkg, 'custom-elements.json'), 'utf8'));
  const element = cem.modules[0].declarations.find((d) => d.customElement);
  assert.equal(element.tagName, 'permissions-dialog');
  assert.deepEqual(
    element.attributes.map((a) => a.name),
    ['resource', 'actor', 'tab', 'src', 'mode', 'theme'],
  );
  assert.deepEqual(
    element.events.map((e) => e.name),
    ['permissions-change', 'permissions-save', 'permissions-saved', 'permissions-cancel', 'permissions-error'],
  );
  const types = readFileSync(path.join(pkg, 'index.d.ts'), 'utf8');
  for (const t of ['ChangeDetail', 'SaveDetail', 'SavedDetail', 'CancelDetail', 'ErrorDetail', 'MountOptions']) {
    assert.match(types, new RegExp(`interface ${t}\\b`), `index.d.ts declares ${t}`);
  }
  assert.ok(!readdirSync(pkg).some((f) => /\.[0-9a-f]{8,}\./.test(f)), 'no content hashes in names');
});

test('the evaluator loads in Node from the wasm bytes and answers', async () => {
  const { Evaluator, validateSnapshot, runGoldenCase } = await import(
    pathToFileURL(path.join(pkg, 'node.js')).href
  );
  const snapshot = readFileSync(path.join(root, 'src', 'demo', 'team.json'), 'utf8');
  const team = new Evaluator(snapshot);
  assert.equal(team.can('u-admin', 'sp-fin', 'see'), true);
  assert.equal(team.can('u-quinn', 'sp-fin', 'see'), false);
  assert.ok(Array.isArray(validateSnapshot(snapshot)));
  const bad = validateSnapshot('{"resources": [{"id": "x", "kind": "nope", "name": "X"}]}');
  assert.ok(bad.some((p) => p.code === 'unknown-kind' && p.path.startsWith('$.resources[0]')));
  assert.throws(
    () => new Evaluator('not json'),
    (e) => e instanceof Error && Array.isArray(e.problems) && e.problems.length > 0,
  );
  const golden = path.join(root, 'tests', 'golden', 'space-edit-flows.json');
  const report = runGoldenCase('space-edit-flows.json', readFileSync(golden, 'utf8'));
  assert.equal(report.passed, true, report.failures.join('\n'));
});

test('a bare import picks the Node entry', () => {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', "import { Evaluator } from 'permissions-widget'; console.log(typeof Evaluator)"],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(out.trim(), 'function');
});

test("the README's example test passes on the demo team", () => {
  cpSync(path.join(root, 'examples', 'node', 'permissions.test.mjs'), path.join(dir, 'permissions.test.mjs'));
  cpSync(path.join(root, 'src', 'demo', 'team.json'), path.join(dir, 'team.json'));
  // A test run of its own (not a subtest of this one).
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', 'permissions.test.mjs'], {
    cwd: dir,
    encoding: 'utf8',
    env,
  });
  assert.match(out, /# pass 5/);
  assert.match(out, /# fail 0/);
});

// Helpers of the example-host page tests: the packed package unpacked into
// a throwaway site (an example host's files, the demo team as team.json,
// node_modules/permissions-widget), served on a free localhost port.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './helpers.mjs';
import { serveDir } from './static-server.mjs';

export const tarball =
  process.env.PACKAGE_TGZ ?? path.join(repoRoot, 'target', 'package', 'permissions-widget-0.1.0.tgz');

/** Unpacks the package into `dir`/node_modules/permissions-widget. */
export function installPackage(dir) {
  assert.ok(existsSync(tarball), `the packed package exists (${tarball}): run scripts/package.sh`);
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', modules]);
  rmSync(path.join(modules, 'permissions-widget'), { recursive: true, force: true });
  execFileSync('mv', [path.join(modules, 'package'), path.join(modules, 'permissions-widget')]);
}

/**
 * A site in a temp dir: `files` ({name: text}), the example folder copied
 * when given, team.json, and the package. Returns {dir, url, close}.
 */
export async function serveSite({ example, files = {}, viteBuild = false } = {}) {
  const site = mkdtempSync(path.join(tmpdir(), 'permissions-host-'));
  if (example) cpSync(path.join(repoRoot, 'examples', example), site, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(site, name), text);
  installPackage(site);
  let dir = site;
  if (viteBuild) {
    // The project's Vite (package-lock.json), offline, on the host app with the package installed.
    execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vite'), ['build'], { cwd: site, stdio: 'pipe' });
    dir = path.join(site, 'dist');
  }
  cpSync(path.join(repoRoot, 'src', 'demo', 'team.json'), path.join(dir, 'team.json'));
  const { server, url } = await serveDir(dir);
  return {
    dir,
    site,
    url,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(site, { recursive: true, force: true });
    },
  };
}

/** The deepest focused element's id (through open shadow roots). */
export function deepActiveId(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a ? a.id || `<${a.tagName.toLowerCase()}>` : '(none)';
  });
}

/** The host element whose shadow root holds the focused element. */
export function focusedHostId(page) {
  return page.evaluate(() => document.activeElement?.id ?? '(none)');
}

/** The README's "Embed it in your page" HTML snippet, exactly. */
export function readmeSnippet() {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('\n## Embed it in your page')[1];
  assert.ok(section, 'README.md has an "Embed it in your page" section');
  const match = section.match(/```html\n([\s\S]*?)```/);
  assert.ok(match, 'the section has an html snippet');
  return match[1];
}

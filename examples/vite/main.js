// A bundled host: the package imported by name, the .wasm and the
// evaluator found by Vite; team.json is served beside the page.
import { mount, Evaluator } from 'permissions-widget';

const status = document.getElementById('status');
window.hostLog = [];
const element = document.getElementById('permissions');
for (const type of ['permissions-change', 'permissions-save', 'permissions-saved', 'permissions-error']) {
  element.addEventListener(type, (e) => window.hostLog.push({ type, detail: e.detail }));
}
const team = await (await fetch('./team.json')).json();
const widget = await mount(element, { snapshot: team, actor: 'u-admin', resource: 'sp-sales' });
window.widget = widget;
document.getElementById('element').snapshot = team;
const finance = new Evaluator(JSON.stringify(team)).whoCan('sp-fin', 'see').length;
status.textContent = `Ready: ${finance} principals can see Finance.`;

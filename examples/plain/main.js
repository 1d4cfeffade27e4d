// A plain host page: mounts two widgets (inline with mount(), and a
// <permissions-dialog> in modal mode), logs every event, saves changes
// itself when the box is ticked, updates options and destroys a widget.
// Installed package: node_modules/permissions-widget (npm install permissions-widget).
import { mount, ready, Evaluator } from './node_modules/permissions-widget/index.js';

const EVENTS = [
  'permissions-change',
  'permissions-save',
  'permissions-saved',
  'permissions-cancel',
  'permissions-error',
];

// Every event, in order, for the page tests too.
window.hostLog = [];
const log = document.getElementById('log');
function record(where, event) {
  window.hostLog.push({ where, type: event.type, detail: event.detail });
  const item = document.createElement('li');
  item.textContent = `${where}: ${event.type} ${JSON.stringify(event.detail).slice(0, 140)}`;
  log.append(item);
}

await ready();
let team = await (await fetch('./team.json')).json();

const inlineHost = document.getElementById('inline-widget');
const modal = document.getElementById('modal-widget');
for (const type of EVENTS) {
  inlineHost.addEventListener(type, (e) => record('inline', e));
  modal.addEventListener(type, (e) => record('modal', e));
}

const inline = await mount(inlineHost, {
  snapshot: team,
  actor: 'u-admin',
  resource: 'sp-sales',
  mode: 'inline',
});
window.inlineWidget = inline;
modal.snapshot = team;

// The page saves the change set itself: it applies it with the evaluator
// (as its server would) and hands the new snapshot back a little later.
document.addEventListener('permissions-save', (event) => {
  if (!document.getElementById('host-saves').checked) return;
  event.preventDefault();
  const widget = event.target === inlineHost ? inline : modal;
  const { actor, changes } = event.detail;
  setTimeout(() => {
    try {
      const evaluator = new Evaluator(JSON.stringify(team));
      evaluator.apply(actor, changes);
      team = evaluator.snapshot();
      widget.saved(team);
    } catch (error) {
      widget.failed(error);
    }
  }, 50);
});

document.getElementById('open-modal').addEventListener('click', () => modal.open('sp-fin'));
document.getElementById('update-inline').addEventListener('click', () =>
  inline.update({ resource: 'sp-ops', tab: 'permissions' }),
);
document.getElementById('destroy-inline').addEventListener('click', () => {
  inline.destroy();
  document.getElementById('update-inline').disabled = true;
});
window.hostReady = true;

// The browser entry of permissions-widget: mount(), the <permissions-dialog>
// custom element and the evaluator. Everything that decides a permission is
// in the WebAssembly module (permissions_widget_bg.wasm); this file only
// loads it, and the custom element is a thin class around mount().
import init, * as wasm from './permissions_widget.js';

export { Evaluator, validateSnapshot, runGoldenCase, PermissionsWidget } from './permissions_widget.js';

let loading;

/**
 * Loads the WebAssembly module, once. `input` (optional): its URL, bytes
 * or a compiled module; by default the .wasm beside this file (a bundler
 * rewrites that URL). `mount()` calls it; call it yourself before using
 * `Evaluator`, `validateSnapshot` or `runGoldenCase` in a page.
 */
export function ready(input) {
  loading ??= init(input === undefined ? undefined : { module_or_path: input }).then(() => undefined);
  return loading;
}

/**
 * Mounts the permissions dialog into `element` (an open shadow root is
 * attached to it) and returns its handle at once: calls made before the
 * WebAssembly module has loaded are carried out, in order, when it has.
 * The handle is also awaitable: `await mount(…)` waits until the dialog is
 * mounted, and rejects with an `Error` carrying `problems: [{code, path,
 * message}]` when the options are not valid (the widget shows them too, and
 * dispatches `permissions-error` either way).
 */
export function mount(element, options) {
  checkElement(element);
  return new WidgetHandle(element, options);
}

/** The handle `mount()` returns: the wasm widget, once there is one. */
class WidgetHandle {
  #widget = null;
  #queue = [];
  #mounted;

  constructor(element, options) {
    this.#mounted = ready().then(() => {
      this.#widget = wasm.mount(element, options);
      for (const [method, args] of this.#queue.splice(0)) this.#widget[method](...args);
      return this.#widget;
    });
    // A host that never awaits still sees the problem in the widget and in
    // `permissions-error`; the rejection is not left unhandled.
    this.#mounted.catch(() => {});
  }

  #call(method, args) {
    if (this.#widget) return this.#widget[method](...args);
    this.#queue.push([method, args]);
    return undefined;
  }

  /** Resolves to the mounted widget (not to this handle, which is awaitable). */
  then(onMounted, onError) {
    return this.#mounted.then(onMounted, onError);
  }

  catch(onError) {
    return this.#mounted.catch(onError);
  }

  open(...args) { return this.#call('open', args); }
  update(...args) { return this.#call('update', args); }
  close(...args) { return this.#call('close', args); }
  destroy(...args) { return this.#call('destroy', args); }
  saved(...args) { return this.#call('saved', args); }
  failed(...args) { return this.#call('failed', args); }

  /** The pending change set (none before the dialog is mounted). */
  pending() {
    return this.#widget ? this.#widget.pending() : [];
  }
}

/** An `Error` with `problems`, like the widget's own, for a missing element. */
function checkElement(element) {
  if (globalThis.Element && element instanceof Element) return;
  const message = 'mount(element, options): `element` must be an element of the page, e.g. a <div>';
  const error = new Error(message);
  error.problems = [{ code: 'invalid-element', path: 'element', message }];
  throw error;
}

/** Removes what `mount()` left in `element`, if anything. */
export async function unmount(element) {
  checkElement(element);
  await ready();
  wasm.unmount(element);
}

const ATTRIBUTES = ['resource', 'actor', 'tab', 'src', 'mode', 'theme'];
const HTMLElementBase = globalThis.HTMLElement ?? class {};

/**
 * `<permissions-dialog>`: attributes `resource`, `actor`, `tab`, `src` (the
 * permission service's API base URL), `mode` (`inline` | `modal`), `theme`
 * (`auto` | `light` | `dark`), reflected as properties; `snapshot` and
 * `token` are properties only. It follows every change and cleans up
 * completely when it leaves the document.
 */
export class PermissionsDialogElement extends HTMLElementBase {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  #handle = null;
  #snapshot = undefined;
  #token = undefined;
  #queued = false;
  #error = null;

  constructor() {
    super();
    // A modal closed by the user (saved or cancelled) no longer has a resource open.
    const closed = () => {
      if (this.mode === 'modal') this.removeAttribute('resource');
    };
    this.addEventListener('permissions-cancel', closed);
    this.addEventListener('permissions-saved', closed);
  }

  get snapshot() {
    return this.#snapshot;
  }
  set snapshot(value) {
    this.#snapshot = value ?? undefined;
    this.#schedule();
  }

  /** The bearer token for `src` (never an attribute: it is a secret). */
  get token() {
    return this.#token;
  }
  set token(value) {
    this.#token = value ?? undefined;
    this.#schedule();
  }

  /** The handle of the mounted widget (`null` before it is mounted). */
  get handle() {
    return this.#handle;
  }

  /** The last options error (an `Error` with `problems`), or `null`. */
  get error() {
    return this.#error;
  }

  /** Opens a resource (`{tab}`): sets the `resource` and `tab` attributes. */
  open(resource, { tab } = {}) {
    if (tab) this.setAttribute('tab', tab);
    this.setAttribute('resource', resource);
  }

  /** Closes the dialog (drops its pending changes). */
  close() {
    this.removeAttribute('resource');
  }

  /** The pending change set (`[]` when none or not mounted). */
  pending() {
    return this.#handle ? this.#handle.pending() : [];
  }

  /** After `preventDefault()` on `permissions-save`: the host saved; `snapshot` is the team now. */
  saved(snapshot) {
    this.#handle?.saved(snapshot);
    this.#snapshot = snapshot;
  }

  /** After `preventDefault()` on `permissions-save`: the host's save failed. */
  failed(error) {
    this.#handle?.failed(error);
  }

  connectedCallback() {
    this.#schedule();
  }

  disconnectedCallback() {
    const handle = this.#handle;
    this.#handle = null;
    handle?.destroy();
    if (loading) loading.then(() => wasm.unmount(this));
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue) this.#schedule();
  }

  // Several changes in one task make one update.
  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#sync();
    });
  }

  #options() {
    const src = this.getAttribute('src');
    if (this.#snapshot === undefined && !src) return null;
    const attr = (name) => this.getAttribute(name);
    return {
      snapshot: this.#snapshot ?? null,
      backend: this.#snapshot === undefined ? { url: src, token: this.#token ?? null } : null,
      actor: attr('actor'),
      resource: attr('resource'),
      tab: attr('tab'),
      mode: attr('mode'),
      theme: attr('theme'),
    };
  }

  async #sync() {
    if (!this.isConnected) return;
    const options = this.#options();
    if (!options) return;
    await ready();
    if (!this.isConnected) return;
    try {
      if (this.#handle) this.#handle.update(options);
      else this.#handle = wasm.mount(this, options);
      this.#error = null;
    } catch (error) {
      // Shown in the widget and dispatched as permissions-error already.
      this.#error = error;
    }
  }
}

for (const name of ATTRIBUTES) {
  Object.defineProperty(PermissionsDialogElement.prototype, name, {
    get() {
      return this.getAttribute(name);
    },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(name);
      else this.setAttribute(name, String(value));
    },
    configurable: true,
    enumerable: true,
  });
}

if (globalThis.customElements && !customElements.get('permissions-dialog')) {
  customElements.define('permissions-dialog', PermissionsDialogElement);
}

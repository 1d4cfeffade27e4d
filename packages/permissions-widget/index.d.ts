// Types of permissions-widget (browser entry). The evaluator's classes are
// declared by wasm-bindgen in permissions_widget.d.ts.
export { Evaluator, validateSnapshot, runGoldenCase } from './permissions_widget.js';

/** A team snapshot (see the snapshot format in the package README). */
export type Snapshot = Record<string, unknown>;

/** One problem: what is wrong and where (`$.actor`, `$.snapshot.resources[2].kind`). */
export interface Problem {
  code: string;
  path: string;
  message: string;
}

/** An `Error` thrown for bad options (and by `Evaluator` for a bad snapshot). */
export interface ProblemsError extends Error {
  problems: Problem[];
}

export type Tab = 'permissions' | 'data' | 'check';
export type Mode = 'inline' | 'modal';
export type Theme = 'auto' | 'light' | 'dark';

/** The permission service's HTTP API (`api/openapi.yaml`). */
export interface BackendOptions {
  /** The API base URL, e.g. `https://perm.example.com/api/v1`. */
  url: string;
  /** Bearer token of the signed-in user. */
  token?: string | null;
}

/** `mount()` / `update()` options: exactly one of `snapshot` and `backend`. */
export interface MountOptions {
  /** The team: a snapshot object or its JSON text (saves are the host's, or kept in memory). */
  snapshot?: Snapshot | string | null;
  /** Or the permission service, which loads and saves the team. */
  backend?: BackendOptions | null;
  /** The acting user's principal id. */
  actor: string;
  /** The resource to open (none: nothing open). */
  resource?: string | null;
  /** The tab to open on (default `permissions`). */
  tab?: Tab | null;
  /** `inline` (default): part of the page; `modal`: above it while a resource is open. */
  mode?: Mode | null;
  /** `auto` (default) follows `prefers-color-scheme`. */
  theme?: Theme | null;
}

/** One operation of a change set. */
export type Operation =
  | { op: 'grant' | 'revoke'; principal: string; resource: string; permission: string }
  | { op: 'set-data-permissions'; data_model: string; enabled: boolean; entries: unknown[] };

/** What the pending changes do: one entry per change of capabilities, and warnings. */
export interface Impact {
  entries: { principals: string[]; resource: string; change: Record<string, unknown> }[];
  warnings: Problem[];
}

/** `permissions-change`: the pending change set, after every edit. */
export interface ChangeDetail {
  resource: string;
  count: number;
  changes: Operation[];
  /** Per principal; computed when first read (large for a large change set). */
  impact: Impact;
  /** The preview's summary sentences. */
  summary: string[];
}

/** `permissions-save` (cancelable): about to save; `preventDefault()` to save it yourself. */
export interface SaveDetail {
  resource: string | null;
  actor: string;
  baseVersion: string;
  changes: Operation[];
}

/** `permissions-saved`: saved; the team now. */
export interface SavedDetail {
  message: string;
  version: string | null;
  snapshot: Snapshot;
}

/** `permissions-cancel`: the user closed the dialog; pending changes were dropped. */
export interface CancelDetail {
  resource: string | null;
}

/** `permissions-error`: invalid options, a failed load or save, an internal error. */
export interface ErrorDetail {
  code:
    | 'invalid-options'
    | 'load-failed'
    | 'save-rejected'
    | 'save-unavailable'
    | 'save-failed'
    | 'internal'
    | (string & {});
  message: string;
  problems: Problem[];
}

export interface PermissionsEventMap {
  'permissions-change': CustomEvent<ChangeDetail>;
  'permissions-save': CustomEvent<SaveDetail>;
  'permissions-saved': CustomEvent<SavedDetail>;
  'permissions-cancel': CustomEvent<CancelDetail>;
  'permissions-error': CustomEvent<ErrorDetail>;
}

/** The handle `mount()` resolves to. Several widgets on a page are independent. */
export interface PermissionsWidget {
  /** Opens a resource (throws like `mount` for an unknown one). */
  open(resource: string, options?: { tab?: Tab }): void;
  /** Changes some options; the others stay. Throws a `ProblemsError`. */
  update(options: Partial<MountOptions>): void;
  /** The pending change set. */
  pending(): Operation[];
  /** Closes the dialog (pending changes are dropped). */
  close(): void;
  /** Removes the widget completely. */
  destroy(): void;
  /** After `preventDefault()` on `permissions-save`: saved, the team is now `snapshot`. */
  saved(snapshot: Snapshot | string): void;
  /** After `preventDefault()` on `permissions-save`: the save failed. */
  failed(error: Error | string | { message: string }): void;
  free(): void;
}

/** Loads the WebAssembly module once (needed before `Evaluator` & co. in a page). */
export function ready(input?: string | URL | Request | BufferSource | WebAssembly.Module): Promise<void>;

/**
 * Mounts the dialog into `element` and returns its handle at once (calls
 * made before the WebAssembly module has loaded run when it has). The handle
 * is awaitable: `await mount(…)` gives the mounted widget, or rejects with a
 * `ProblemsError` for bad options.
 */
export function mount(
  element: HTMLElement,
  options: MountOptions,
): Omit<PermissionsWidget, 'free'> & PromiseLike<PermissionsWidget> & { catch(onError: (error: ProblemsError) => unknown): Promise<unknown> };

/** Removes what `mount()` left in `element`. */
export function unmount(element: HTMLElement): Promise<void>;

/** `<permissions-dialog>` */
export class PermissionsDialogElement extends HTMLElement {
  resource: string | null;
  actor: string | null;
  tab: Tab | null;
  /** The permission service's API base URL (used when no `snapshot` is set). */
  src: string | null;
  mode: Mode | null;
  theme: Theme | null;
  snapshot: Snapshot | string | undefined;
  token: string | undefined;
  readonly handle: PermissionsWidget | null;
  readonly error: ProblemsError | null;
  open(resource: string, options?: { tab?: Tab }): void;
  close(): void;
  pending(): Operation[];
  saved(snapshot: Snapshot | string): void;
  failed(error: Error | string | { message: string }): void;
  addEventListener<K extends keyof PermissionsEventMap>(
    type: K,
    listener: (this: PermissionsDialogElement, ev: PermissionsEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'permissions-dialog': PermissionsDialogElement;
  }
  interface HTMLElementEventMap extends PermissionsEventMap {}
}

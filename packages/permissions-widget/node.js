// The Node entry of permissions-widget (no browser): the evaluator from the
// same WebAssembly module, loaded synchronously from its bytes.
import { readFileSync } from 'node:fs';
import { initSync } from './permissions_widget.js';

initSync({ module: readFileSync(new URL('./permissions_widget_bg.wasm', import.meta.url)) });

export { Evaluator, validateSnapshot, runGoldenCase } from './permissions_widget.js';

/** Already loaded in Node; kept so code written for the browser entry runs as is. */
export function ready() {
  return Promise.resolve();
}

// Types of permissions-widget in Node: the evaluator only (loaded synchronously).
export { Evaluator, validateSnapshot, runGoldenCase } from './permissions_widget.js';
export function ready(): Promise<void>;

/**
 * Browser stand-ins for the two calls the core suite makes into `node:v8` and `node:vm`: forcing a
 * garbage collection. Chromium runs with `--js-flags=--expose-gc`, so `gc` is a global there.
 */

/** `v8.setFlagsFromString`: the flags were given on Chromium's command line; nothing to do. */
export function setFlagsFromString(_flags: string): void {}

/** `vm.runInNewContext(code)`, for the only code the suite runs: `'gc'`, the collector. */
export function runInNewContext(code: string): unknown {
  if (code !== 'gc') throw new Error(`runInNewContext(${JSON.stringify(code)}): the browser shim only knows 'gc'`);
  return (globalThis as { gc?: () => void }).gc;
}

/**
 * How values look in messages and reprs, as asyncio's format_helpers does for Python.
 * @module
 */

/** `NaN (number)`, `'abc' (string)`, `[object Promise] (object)`: a value named for an error message. */
export function describeValue(value: unknown): string {
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'function') shown = `function ${value.name || '(anonymous)'}`;
  else if (typeof value === 'symbol') shown = value.toString();
  else if (value !== null && typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    shown = `[object ${ctor?.name || Object.prototype.toString.call(value).slice(8, -1)}]`;
  } else shown = String(value);
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/** A short form of any value for reprs: `42`, `'x'`, `<Future pending>`. */
export function shortRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 37) + '...' : value}'`;
  if (value instanceof Error) return `${value.name}(${value.message ? `'${value.message}'` : ''})`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value !== null && typeof value === 'object') {
    if (typeof (value as { toString?: unknown }).toString === 'function' && (value as object).toString !== Object.prototype.toString) {
      return String(value);
    }
    const ctor = (value as { constructor?: { name?: string } }).constructor;
    return `[object ${ctor?.name || Object.prototype.toString.call(value).slice(8, -1)}]`;
  }
  return String(value);
}

/**
 * How a task's repr names its coroutine (`<Task ... coro=<...>>`). A generator object does not link
 * back to its function, so a plain one shows as `coroutine`; yieldio's own coroutine objects (a
 * sleep, an async generator's anext) describe themselves through their toString.
 */
export function coroName(coro: unknown): string {
  const own = (coro as { toString?: unknown } | null)?.toString;
  return typeof own === 'function' && own !== Object.prototype.toString ? String(coro).replace(/^<(.*)>$/, '$1') : 'coroutine';
}

/** The registered symbol Node's util.inspect looks for; registered, so no `node:` import is needed. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

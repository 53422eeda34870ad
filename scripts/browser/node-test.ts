/**
 * A browser stand-in for the part of `node:test` the core suite uses: `test`, `describe` (`it`,
 * `suite`), `{ skip, todo }` options and `t.skip()`. Registration runs at import, as in Node; the
 * runner page calls `runRegistered()` and gets one result per test, subtests named by their path.
 */

/** What a test body receives: `t.skip(message)` marks the test skipped. */
export interface TestContext {
  readonly name: string;
  skip(message?: string): void;
  todo(message?: string): void;
  diagnostic(message: string): void;
}

type Body = (t: TestContext) => unknown;
interface Options {
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
}

/** One test's outcome, as the runner reports it. */
export interface TestResult {
  name: string;
  status: 'pass' | 'fail' | 'skip' | 'todo';
  error?: string;
  ms: number;
}

interface Entry {
  path: string[];
  body: Body;
  options: Options;
}

const entries: Entry[] = [];
const prefix: string[] = [];
const suiteSkips: (Options | undefined)[] = [];

function parse(args: unknown[]): [string, Options, Body | undefined] {
  let name = '<anonymous>';
  let options: Options = {};
  let body: Body | undefined;
  for (const arg of args) {
    if (typeof arg === 'string') name = arg;
    else if (typeof arg === 'function') body = arg as Body;
    else if (arg !== null && typeof arg === 'object') options = arg as Options;
  }
  if (body !== undefined && args.length > 0 && typeof args[0] === 'function' && body.name) name = body.name;
  return [name, options, body];
}

/** `test(name, [options], fn)`: registers a test under the current describe path. */
export function test(name: string, fn?: Body): void;
export function test(name: string, options: Options, fn?: Body): void;
export function test(...args: unknown[]): void {
  const [name, options, body] = parse(args);
  const inherited = suiteSkips.find((o) => o?.skip || o?.todo);
  entries.push({ path: [...prefix, name], body: body ?? (() => {}), options: inherited ?? options });
}

/** `describe(name, [options], fn)`: runs `fn` now to register the tests it declares. */
export function describe(name: string, fn?: () => void): void;
export function describe(name: string, options: Options, fn?: () => void): void;
export function describe(...args: unknown[]): void {
  const [name, options, body] = parse(args);
  prefix.push(name);
  suiteSkips.push(options.skip || options.todo ? options : undefined);
  try {
    (body as (() => void) | undefined)?.();
  } finally {
    prefix.pop();
    suiteSkips.pop();
  }
}

test.skip = (name: string, fn?: Body): void => test(name, { skip: true }, fn);
test.todo = (name: string, fn?: Body): void => test(name, { todo: true }, fn);
describe.skip = (name: string, fn?: () => void): void => describe(name, { skip: true }, fn);
export const it = test;
export const suite = describe;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.stack ?? `${error.name}: ${error.message}`}`;
  return `thrown: ${String(error)}`;
}

/** Runs every registered test in order; a test that does not settle in its timeout fails. */
export async function runRegistered(report: (result: TestResult) => void, defaultTimeoutMs: number): Promise<void> {
  for (const entry of entries) {
    const name = entry.path.join(' > ');
    if (entry.options.skip || entry.options.todo) {
      report({ name, status: entry.options.skip ? 'skip' : 'todo', ms: 0 });
      continue;
    }
    let status: TestResult['status'] = 'pass';
    let error: string | undefined;
    const context: TestContext = {
      name: entry.path[entry.path.length - 1] ?? name,
      skip() {
        status = 'skip';
      },
      todo() {
        status = 'todo';
      },
      diagnostic() {},
    };
    const start = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeoutMs = entry.options.timeout ?? defaultTimeoutMs;
      await Promise.race([
        Promise.resolve().then(() => entry.body(context)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`test timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (e) {
      status = 'fail';
      error = describeError(e);
    } finally {
      clearTimeout(timer);
    }
    const result: TestResult = { name, status, ms: performance.now() - start };
    if (error !== undefined) result.error = error;
    report(result);
  }
}

/**
 * ExceptionGroup (PEP 654) and `catchGroup`, the `except*` of TypeScript.
 * @asyncio builtins.ExceptionGroup and the `except*` clause
 *
 * Design notes.
 * - `ExceptionGroup extends AggregateError`, so native code that knows AggregateError (and
 *   `.errors`) understands it; `.exceptions` is asyncio's name, a frozen copy of the same list.
 * - A *matcher* (the `condition` of Python's `split` / `subgroup`) is an error class, an array of
 *   classes (Python's tuple of types), or a predicate function. JavaScript cannot tell a class
 *   from a function by type, so a function is taken as a class when it is `Error` or a subclass
 *   of it, or when it is written with `class`; any other function is a predicate.
 * - As in CPython, a matcher is tried on each group itself before its members, so a predicate
 *   that accepts a group takes the whole group.
 * - `catchGroup(error, [[TypeError, handle], [RangeError, handle2]])` runs each clause on what the
 *   earlier clauses left, exactly as consecutive `except*` clauses do; what nobody matched is
 *   re-raised with its original nesting, and errors thrown by handlers are raised together with
 *   it in a new group. A handler that rethrows the group it was given re-raises those leaves
 *   (Python's bare `raise`). So user code never loops over `.exceptions` by hand.
 * @module
 */
import { describeValue, inspectSymbol } from './internal/repr.ts';
import { describeFailureChain, hideInternalFrames } from './internal/failures.ts';
import { isErrorObject } from './internal/validate.ts';

// True while yieldio itself builds a group from thrown values: a TaskGroup child or a catchGroup
// handler may throw a string (JavaScript can throw anything), and that must still be reported.
// A group a user builds must hold Errors, as Python's must hold exceptions.
let trustedMembers = false;

function trusted<R>(build: () => R): R {
  const previous = trustedMembers;
  trustedMembers = true;
  try {
    return build();
  } finally {
    trustedMembers = previous;
  }
}

/** @internal A group of thrown values, whatever they are (a TaskGroup's children's failures). */
export function groupOfThrown(message: string, thrown: unknown[]): ExceptionGroup<unknown> {
  return trusted(() => new ExceptionGroup(message, thrown));
}

/** A class whose instances a matcher selects (`TypeError`, a user error class). */
export type ErrorClass<E = unknown> = abstract new (...args: never[]) => E;

/**
 * What `split`, `subgroup` and `catchGroup` match with: an error class, an array of classes
 * (any of them), or a predicate called on every group and every leaf.
 * @asyncio the `condition` of BaseExceptionGroup.split(condition)
 */
export type Matcher = ErrorClass | readonly ErrorClass[] | ((error: unknown) => boolean);

/** The leaf type a matcher selects: `Matched<typeof TypeError>` is `TypeError`. */
export type Matched<M> = M extends ErrorClass<infer E> ? E : M extends readonly (infer C)[] ? InstanceOf<C> : unknown;

/** The instance type of each class in a union of classes. */
type InstanceOf<C> = C extends ErrorClass<infer E> ? E : never;

/**
 * A group of errors raised together (by a TaskGroup, by `catchGroup` handlers).
 * Groups nest: a member may itself be an ExceptionGroup.
 * @asyncio ExceptionGroup(message, exceptions)
 * Differs from asyncio: there is no separate BaseExceptionGroup, since JavaScript has no
 * BaseException. The constructor takes Errors only (as Python takes exceptions only), but a group
 * yieldio raises (a TaskGroup's, `catchGroup`'s) holds whatever was thrown, strings included.
 * @throws {RangeError} "Item N of second argument (exceptions) is not an exception" for a member
 *   that is not an Error.
 * @example
 * try {
 *   yield* taskGroup(function* (tg) { tg.createTask(a()); tg.createTask(b()); });
 * } catch (e) {
 *   if (!(e instanceof ExceptionGroup)) throw e;
 *   const [timeouts, rest] = e.split(TimeoutError);
 * }
 */
export class ExceptionGroup<E = unknown> extends AggregateError {
  override name = 'ExceptionGroup';
  /** The members, in order: errors or nested groups. */
  readonly exceptions: readonly E[];

  /**
   * @param message the group's message (TaskGroup uses "unhandled errors in a TaskGroup").
   * @param exceptions a non-empty array (or iterable) of errors or nested groups.
   * @throws {TypeError} if `message` is not a string or `exceptions` is not iterable.
   * @throws {RangeError} if `exceptions` is empty.
   */
  constructor(message: string, exceptions: Iterable<E>, options?: ErrorOptions) {
    if (typeof message !== 'string') {
      throw new TypeError(`argument 1 must be str, not ${message === null ? 'null' : typeof message}: pass the group's message first, then the array of errors`);
    }
    if (exceptions === null || exceptions === undefined || typeof (exceptions as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError('second argument (exceptions) must be a sequence: pass an array of errors');
    }
    const list = Array.from(exceptions);
    if (list.length === 0) throw new RangeError('second argument (exceptions) must be a non-empty sequence');
    if (!trustedMembers) {
      const bad = list.findIndex((member) => !isErrorObject(member));
      if (bad >= 0) {
        throw new RangeError(
          `Item ${bad} of second argument (exceptions) is not an exception: got ${describeValue(list[bad])}. Pass Error objects, e.g. new Error(${typeof list[bad] === 'string' ? JSON.stringify(list[bad]) : "'...'"}).`,
        );
      }
    }
    super(list, message, options);
    this.exceptions = Object.freeze(list);
  }

  /**
   * Splits the group by `matcher`: `[match, rest]`, each a group with the original nesting and
   * messages, or null when empty. The group itself is tested first.
   * @asyncio BaseExceptionGroup.split(condition)
   * @param matcher an error class, an array of classes, or a predicate.
   * @returns `[matching, nonMatching]`.
   * @example
   * const [typeErrors, others] = group.split(TypeError);
   */
  split<M extends Matcher>(matcher: M): [ExceptionGroup<Matched<M>> | null, ExceptionGroup<E> | null] {
    const test = toPredicate(matcher);
    const [match, rest] = splitRecursive(this, test, true);
    return [match as ExceptionGroup<Matched<M>> | null, rest as ExceptionGroup<E> | null];
  }

  /**
   * The part of the group that `matcher` selects, with the original nesting, or null.
   * @asyncio BaseExceptionGroup.subgroup(condition)
   * @param matcher an error class, an array of classes, or a predicate.
   * @returns the matching subgroup, or null.
   * @example
   * const timeouts = group.subgroup(TimeoutError);
   */
  subgroup<M extends Matcher>(matcher: M): ExceptionGroup<Matched<M>> | null {
    return splitRecursive(this, toPredicate(matcher), false)[0] as ExceptionGroup<Matched<M>> | null;
  }

  /**
   * A group like this one (same message and class) holding `exceptions`. `split` and `subgroup`
   * build their parts with it, so a subclass overrides it to keep its own fields.
   * @asyncio BaseExceptionGroup.derive(excs)
   * @param exceptions the members of the new group.
   * @returns a new group; `split` copies `cause` and `stack` onto it.
   * @example
   * class MyGroup extends ExceptionGroup { override derive(excs) { return new MyGroup(this.message, excs); } }
   */
  derive<F>(exceptions: Iterable<F>): ExceptionGroup<F> {
    return new ExceptionGroup(this.message, exceptions);
  }

  /** `ExceptionGroup('msg', [TypeError('x'), ...])`, as Python's repr. */
  override toString(): string {
    return `${this.name}: ${this.message} (${this.exceptions.length} sub-exception${this.exceptions.length === 1 ? '' : 's'})`;
  }

  /**
   * How Node's `console.log` / `util.inspect` shows a group: Python's traceback tree
   * (`+-+---- 1 ----` branches, each member's own stack, the child task it came from), and the
   * members once (AggregateError's default would print them twice, as `exceptions` and `[errors]`).
   */
  [inspectSymbol](depth: number, options: unknown, inspect?: (value: unknown, options?: unknown) => string): string {
    return formatGroup(this, typeof inspect === 'function' ? (v) => inspect(v, options) : fallbackInspect).join('\n');
  }
}

const errorTasks = new WeakMap<object, string>();

/** @internal `error` made the task named `taskName` fail (TaskGroup records its children's failures here). */
export function noteErrorTask(error: unknown, taskName: string): void {
  if (error !== null && typeof error === 'object' && !errorTasks.has(error)) errorTasks.set(error, taskName);
}

/** @internal The task whose failure `error` is, if recorded. */
export function taskOfError(error: unknown): string | undefined {
  return error !== null && typeof error === 'object' ? errorTasks.get(error) : undefined;
}

function fallbackInspect(value: unknown): string {
  if (value instanceof ExceptionGroup) return formatGroup(value, fallbackInspect).join('\n');
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return String(value);
}

const BAR = '-'.repeat(16);

/** Python's `TracebackException.format` layout for a group, in lines. */
function formatGroup(group: ExceptionGroup<unknown>, inspect: (value: unknown) => string): string[] {
  const stack = typeof group.stack === 'string' ? group.stack.split('\n') : [];
  const frames = stack.filter((line) => /^\s+at /.test(line));
  const lines = [group.toString(), ...hideInternalFrames(frames)];
  // The task the group came out of (a TaskGroup's parent) and who awaited it, as every failure report says.
  const chain = describeFailureChain(group);
  if (chain !== null) lines.push(`    ${chain}`);
  if (group.cause !== undefined) lines.push(...`[cause]: ${inspect(group.cause)}`.split('\n').map((l) => `  ${l}`));
  group.exceptions.forEach((member, i) => {
    const task = taskOfError(member);
    const title = `${i + 1}${task !== undefined ? ` (Task '${task}')` : ''}`;
    lines.push(i === 0 ? `  +-+${BAR} ${title} ${BAR}` : `    +${BAR} ${title} ${BAR}`);
    const text = member instanceof ExceptionGroup ? inspect(member).split('\n') : hideInternalFrames(inspect(member).split('\n'));
    for (const line of text) lines.push(`    | ${line}`);
  });
  lines.push(`    +${'-'.repeat(36)}`);
  return lines;
}

/** Whether `fn` is an error class rather than a predicate (see the design notes). */
function isClass(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  if (fn === Error || fn.prototype instanceof Error) return true;
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function toPredicate(matcher: unknown): (error: unknown) => boolean {
  if (Array.isArray(matcher)) {
    matcher.forEach((cls, i) => {
      if (!isClass(cls)) throw new TypeError(`expected an exception type, a tuple of exception types, or a callable (other than a class), got \`matcher[${i}]\` = ${describeValue(cls)}`);
    });
    const classes = matcher as (abstract new () => unknown)[];
    return (error) => classes.some((cls) => error instanceof cls);
  }
  if (typeof matcher === 'function') {
    if (isClass(matcher)) {
      const cls = matcher as abstract new () => unknown;
      return (error) => error instanceof cls;
    }
    return matcher as (error: unknown) => boolean;
  }
  throw new TypeError(
    `expected an exception type, a tuple of exception types, or a callable (other than a class), got ${matcher === null ? 'null' : typeof matcher}. Pass an error class such as TypeError, an array of classes, or (e) => boolean.`,
  );
}

/** CPython's exceptiongroup_split_recursive: [match, rest] with the original structure. */
function splitRecursive(error: unknown, test: (error: unknown) => boolean, wantRest: boolean): [unknown, unknown] {
  if (test(error)) return [error, null];
  if (!(error instanceof ExceptionGroup)) return [null, error];
  const matches: unknown[] = [];
  const rests: unknown[] = [];
  for (const member of error.exceptions) {
    const [m, r] = splitRecursive(member, test, wantRest);
    if (m !== null) matches.push(m);
    if (wantRest && r !== null) rests.push(r);
  }
  return [deriveLike(error, matches), wantRest ? deriveLike(error, rests) : null];
}

function deriveLike(group: ExceptionGroup<unknown>, members: unknown[]): ExceptionGroup<unknown> | null {
  if (members.length === 0) return null;
  if (members.length === group.exceptions.length && members.every((m, i) => m === group.exceptions[i])) return group;
  const derived = trusted(() => group.derive(members));
  if (!(derived instanceof ExceptionGroup)) throw new TypeError('derive must return an instance of BaseExceptionGroup');
  // Python copies __cause__, __context__, __traceback__ and __notes__ onto the parts.
  if (group.cause !== undefined) derived.cause = group.cause;
  if (group.stack !== undefined) derived.stack = group.stack;
  return derived;
}

/** One `except*` clause: a matcher and the handler that receives the matching group. */
export type CatchClause<M> = readonly [matcher: M, handler: (group: ExceptionGroup<Matched<M>>) => void];

/** The clauses of `catchGroup`, typed clause by clause from each matcher. */
export type CatchClauses<Ms extends readonly unknown[]> = { readonly [K in keyof Ms]: CatchClause<Ms[K]> };

/**
 * The `except*` of TypeScript. Each clause, in order, takes the part of `error` its matcher
 * selects (as a group, even for a single, non-group error) and handles it; what no clause
 * matched is re-raised with its original nesting. Errors thrown by handlers are raised together
 * with the unmatched rest as `ExceptionGroup('', [...thrown, rest])`. A handler that rethrows
 * the group it received re-raises those errors (Python's bare `raise`).
 * @asyncio `try: ... except* T1: ... except* T2: ...`
 * Differs from asyncio: handlers are plain functions (not coroutines); to await in a handler,
 * keep the group and await after `catchGroup` returns.
 * @param error what was caught (a group or a single error).
 * @param clauses `[matcher, handler]` pairs, tried in order on what the earlier ones left.
 * @returns nothing when every error was handled.
 * @throws the unmatched rest (the original error itself when nothing matched), or a new
 *   `ExceptionGroup('', [...])` when handlers threw.
 * @example
 * try {
 *   yield* taskGroup(function* (tg) { tg.createTask(fetchA()); tg.createTask(fetchB()); });
 * } catch (e) {
 *   catchGroup(e, [
 *     [TimeoutError, (group) => log('timed out', group.exceptions.length)],
 *     [[TypeError, RangeError], (group) => report(group)],
 *   ]);
 * }
 */
export function catchGroup<const Ms extends readonly Matcher[]>(error: unknown, clauses: CatchClauses<Ms>): void {
  if (!Array.isArray(clauses)) {
    throw new TypeError('Expected `clauses` to be an array of [matcher, handler] pairs, e.g. catchGroup(e, [[TypeError, (group) => ...]])');
  }
  const predicates = clauses.map((clause: unknown, i) => {
    if (!Array.isArray(clause) || clause.length !== 2 || typeof clause[1] !== 'function') {
      throw new TypeError(`Expected \`clauses[${i}]\` to be a [matcher, handler] pair, e.g. [TypeError, (group) => ...]`);
    }
    return toPredicate(clause[0]);
  });
  // A single error is matched as a one-member group with an empty message, as `except*` does.
  const original = error instanceof ExceptionGroup ? error : groupOfThrown('', [error]);
  let rest: ExceptionGroup<unknown> | null = original;
  const reraised = new Set<unknown>();
  const raised: unknown[] = [];
  let matchedAny = false;
  for (let i = 0; i < clauses.length && rest !== null; i++) {
    const [match, remaining]: [unknown, unknown] = splitRecursive(rest, predicates[i] as (e: unknown) => boolean, true);
    rest = remaining as ExceptionGroup<unknown> | null;
    if (match === null) continue;
    matchedAny = true;
    const group = match instanceof ExceptionGroup ? match : groupOfThrown('', [match]);
    try {
      (clauses[i] as CatchClause<unknown>)[1](group as ExceptionGroup<never>);
    } catch (thrown) {
      if (thrown === group) collectLeaves(group, reraised);
      else raised.push(thrown);
    }
  }
  if (!matchedAny) throw error;
  if (rest !== null) collectLeaves(rest, reraised);
  // Project the original onto the leaves to re-raise, so their nesting and messages survive.
  const projected = reraised.size === 0 ? null : splitRecursive(original, (e) => !(e instanceof ExceptionGroup) && reraised.has(e), false)[0];
  if (raised.length === 0) {
    if (projected !== null) throw projected;
    return;
  }
  if (projected !== null) raised.push(projected);
  throw groupOfThrown('', raised);
}

function collectLeaves(error: unknown, into: Set<unknown>): void {
  if (error instanceof ExceptionGroup) for (const member of error.exceptions) collectLeaves(member, into);
  else into.add(error);
}

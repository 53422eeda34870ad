/**
 * Debug mode: catch an async generator that yields a value while a `timeout()` or TaskGroup it
 * opened is still open (Trio issues #264, #638; style.md §7.9). The scope then guards the
 * consumer's code, which runs in the same task between two `anext()` calls: a timeout fires in
 * the wrong place, a TaskGroup cancels the wrong code.
 *
 * Costs nothing until a loop in debug mode exists: the async-generator step checks one boolean.
 * Then each generator step records which generator is running, and scopes entered during it are
 * counted on that generator until they exit.
 * @module
 */

/** What counts open scopes: an async generator. */
export interface ScopeOwner {
  _openScopes: number;
}

let tracking = false;
let running: ScopeOwner | null = null;
const owners = new WeakMap<object, ScopeOwner>();

/** Turned on (for good) when a loop enters debug mode. */
export function enableScopeTracking(): void {
  tracking = true;
}

/** Whether async-generator steps must record themselves (a debug loop exists). */
export function isTrackingScopes(): boolean {
  return tracking;
}

/** Marks `owner` as the generator whose body runs now; returns the previous one to restore. */
export function setRunningScopeOwner(owner: ScopeOwner | null): ScopeOwner | null {
  const previous = running;
  running = owner;
  return previous;
}

/** A timeout or TaskGroup was entered: count it on the generator running now, if any. */
export function scopeEntered(scope: object): void {
  if (!tracking || running === null) return;
  running._openScopes++;
  owners.set(scope, running);
}

/** The scope exited: it no longer counts. */
export function scopeExited(scope: object): void {
  const owner = owners.get(scope);
  if (owner === undefined) return;
  owners.delete(scope);
  owner._openScopes--;
}

/** The advice, worded after Trio's MISNESTING_ADVICE. */
export function misnestingMessage(agen: object): string {
  return (
    `${String(agen)} yielded a value while a timeout() or TaskGroup it opened is still open. ` +
    "The scope now covers the consumer's code between two anext() calls, not the generator's: a timeout " +
    'fires there, a TaskGroup cancels it. Close the scope before `yield`, or move the work into a task that ' +
    'sends values through a Queue.'
  );
}

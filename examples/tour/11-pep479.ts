// §11 PEP 479: in Python a StopIteration that escapes a generator's body
// used to end it silently (the caller's loop just stopped); since 3.7 it
// becomes RuntimeError("generator raised StopIteration"), and coroutines
// had the rule from PEP 492 on. JavaScript has no StopIteration: the end
// of an iterator is a result, { done: true }, never an exception, so there
// is nothing to convert. The same slip in JavaScript yields `undefined`
// instead of stopping anything.
// Errors thrown in a generator (or a yieldio coroutine) reach the caller
// as they are.
import { runSync, type Coroutine } from '../../src/index.ts';

/** The first item of each; the PEP 479 slip: an empty one is not checked. */
function* firstOfEach(
  ...iterables: number[][]
): Generator<number | undefined> {
  for (const iterable of iterables) {
    const it = iterable[Symbol.iterator]();
    // Python: yield next(iter(iterable)), and StopIteration on []
    yield it.next().value;
  }
}

/** The fix, in both languages: look for the end, do not assume an item. */
function* firstOfEachChecked(...iterables: number[][]): Generator<number> {
  for (const iterable of iterables) {
    const first = iterable[Symbol.iterator]().next();
    if (first.done !== true) yield first.value;
  }
}

function* brewStep(): Coroutine<string> {
  throw new RangeError('mash too hot'); // Python would raise ValueError
}

export function main(): void {
  console.log('slip:   ', [...firstOfEach([1, 2], [], [3])]);
  console.log('checked:', [...firstOfEachChecked([1, 2], [], [3])]);
  try {
    runSync(brewStep);
  } catch (error) {
    const { name, message } = error as Error;
    console.log(`a coroutine's error reaches the caller as is: ${name}: ${message}`);
  }
}

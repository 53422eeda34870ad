// §7 The return value: the missing piece.
// A generator's `return value` ends it with { done: true, value } (Python:
// StopIteration(value)); `yield*` evaluates to that value. This is how
// `await` gets a coroutine's result.

function* fetchData(): Generator<string, number> {
  yield 'step 1: loading...';
  yield 'step 2: processing...';
  return 42; // Python: raise StopIteration(42)
}

function* mainGen(): Generator<string | number, void> {
  const result = yield* fetchData();
  console.log(`  Result: ${result}`);
  yield result;
}

export function main(): void {
  const sub = fetchData();
  sub.next();
  sub.next();
  // The "StopIteration" carries 42:
  console.log('the sub-generator ends with', sub.next());

  const g = mainGen();
  console.log(g.next().value); // fetchData produces
  console.log(g.next().value); // fetchData produces
  console.log(g.next().value); // fetchData returns 42, mainGen resumes and yields it
}

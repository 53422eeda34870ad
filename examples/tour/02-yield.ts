// §2 yield: the function that suspends (PEP 255).
// Calling a generator function runs no code: it returns a generator
// object, and each next() runs the body up to the following yield, where
// the whole frame freezes.

function* count(): Generator<number> {
  console.log('  (count starts running)');
  yield 1;
  yield 2;
  yield 3;
}

function* demo(): Generator<number> {
  let x = 10;
  yield x; // suspends here, x = 10
  x += 1;
  yield x; // resumes here: x is 11, not 10 again; the frame was frozen
}

export function main(): void {
  const c = count(); // no code is executed!
  console.log('count() created, nothing printed yet');
  console.log(c.next()); // now it runs until the first yield
  console.log(c.next());
  console.log(c.next());
  console.log(c.next()); // Python: StopIteration

  const d = demo();
  console.log('demo:', d.next().value, d.next().value);

  // A generator is both iterable and iterator: [Symbol.iterator]() returns
  // itself.
  const g = count();
  console.log('g[Symbol.iterator]() === g:', g[Symbol.iterator]() === g);
  for (const n of count()) console.log('for...of:', n);
}

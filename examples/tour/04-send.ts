// §4 send(): two-way communication (PEP 342).
// JavaScript's gen.next(value) is Python's gen.send(value): the value
// becomes the result of the `yield` expression the generator is suspended
// on.

function* accumulator(): Generator<number, never, number> {
  let total = 0;
  for (;;) {
    const value = yield total; // produces total, receives value
    total += value;
  }
}

export function main(): void {
  const acc = accumulator();
  console.log(acc.next().value); // priming: runs to the first yield, produces 0
  console.log(acc.next(10).value); // send(10)
  console.log(acc.next(5).value); // send(5)
  console.log(acc.next(100).value); // send(100)

  // Python refuses a non-None first send(): "can't send non-None value to
  // a just-started generator". JavaScript silently drops it: there is no
  // yield to receive it yet.
  const fresh = accumulator();
  console.log('first next(42) gives', fresh.next(42).value, '(the 42 was dropped)');
  console.log('then next(1) gives', fresh.next(1).value);
}

// §8 The full expansion of yield from (PEP 380): yield* forwards
// next(value), throw() and return() (close) to the sub-generator, and
// evaluates to its return value.
// yieldFrom below is that expansion written by hand; it behaves like
// yield*.

function* yieldFrom<T, R>(inner: Generator<T, R, unknown>): Generator<T, R, unknown> {
  let step = inner.next();
  while (!step.done) {
    let resumed = false;
    try {
      const sent = yield step.value; // to our caller; receive what it sends
      resumed = true;
      step = inner.next(sent); // forward send()
    } catch (error) {
      if (resumed) throw error; // inner.next itself threw: propagate
      resumed = true;
      step = inner.throw(error); // forward throw()
    } finally {
      // Our caller called return(): forward close().
      if (!resumed) inner.return(undefined as R);
    }
  }
  return step.value;
}

function* innerWithHandling(): Generator<string, string> {
  try {
    for (;;) {
      try {
        yield 'ready';
      } catch (error) {
        console.log(`  inner caught: ${(error as Error).message}`);
        yield 'recovered';
      }
    }
  } finally {
    console.log('  inner: closed, cleaning up');
  }
}

export function main(): void {
  const ways = {
    'yield*   ': function* () { return yield* innerWithHandling(); },
    'yieldFrom': function* () { return yield* yieldFrom(innerWithHandling()); },
  };
  for (const [name, outer] of Object.entries(ways)) {
    console.log(`${name}:`);
    const g = outer();
    console.log('  next()        →', g.next().value);
    // The inner catches it:
    console.log('  throw(boom)   →', g.throw(new Error('boom')).value);
    console.log('  next()        →', g.next().value);
    console.log('  return("bye") →', g.return('bye')); // close() reaches the inner
  }
}

// §13 The event loop from scratch, version 1: pure round-robin in 15
// lines.

const coroutines: Generator<string>[] = [];

function enqueueCoro(coro: Generator<string>): void {
  coroutines.push(coro);
}

function run(): void {
  while (coroutines.length > 0) {
    const coro = coroutines.shift() as Generator<string>;
    const step = coro.next(); // run until the next yield
    if (step.done) continue; // coroutine finished
    console.log(step.value);
    coroutines.push(coro); // back in the queue
  }
}

function* brew(name: string): Generator<string> {
  for (const ingredient of ['malt', 'hops', 'water']) {
    yield `[${name}] ${ingredient}`; // gives control back
  }
}

export function main(): void {
  enqueueCoro(brew('Pilsner'));
  enqueueCoro(brew('IPA'));
  run();
}

// §6 The problem: incomplete composition (PEP 380).
// A for...of that re-yields a sub-generator's values does not forward
// send() (next(value)): the value stops at the delegating generator.
// yield* (Python's yield from) forwards it.

type Sent = string | undefined; // what the caller may send: "stop"

function* fermentation(days: number): Generator<number, number | undefined, Sent> {
  for (let d = days; d > 0; d--) {
    const command = yield d;
    if (command === 'stop') return d; // remaining days
  }
  return undefined;
}

function* brewWithFor(): Generator<string | number, void, string | undefined> {
  yield 'Start brewing';
  for (const v of fermentation(3)) yield v; // pass-through only
  yield '🍺 Beer ready!';
}

function* brewWithYieldStar(): Generator<string | number, void, string | undefined> {
  yield 'Start brewing';
  const remaining = yield* fermentation(3);
  if (remaining) yield `🛑 Stopped at day ${remaining}`;
  else yield '🍺 Beer ready!';
}

function drive(name: string, g: Generator<string | number, void, Sent>): void {
  const seen = [g.next().value, g.next().value, g.next().value, g.next().value];
  const afterStop = g.next('stop').value;
  console.log(`${name}: ${seen.join(' → ')} → send("stop") → ${afterStop}`);
}

export function main(): void {
  drive('for...of', brewWithFor()); // the "stop" never reaches fermentation
  drive('yield*  ', brewWithYieldStar()); // it does, and its return value comes back
}

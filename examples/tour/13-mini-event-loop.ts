// §13 The event loop from scratch, version 2: timers. A coroutine yields
// ['sleep', ms] to ask to be woken later. Real clock: it blocks the thread
// between timers, like time.sleep().

type Request = ['sleep', number] | undefined;

class MiniEventLoop {
  ready: Generator<Request>[] = []; // coroutines ready to run
  // [wakeTime, coro] pairs, scanned in full on every pass: O(n).
  sleeping: [number, Generator<Request>][] = [];

  callSoon(coro: Generator<Request>): void {
    this.ready.push(coro);
  }

  callLater(delay: number, coro: Generator<Request>): void {
    this.sleeping.push([performance.now() + delay, coro]);
  }

  run(): void {
    while (this.ready.length > 0 || this.sleeping.length > 0) {
      const now = performance.now();
      const stillSleeping: [number, Generator<Request>][] = [];
      for (const [wakeTime, coro] of this.sleeping) {
        if (now >= wakeTime) this.ready.push(coro); // woken up!
        else stillSleeping.push([wakeTime, coro]);
      }
      this.sleeping = stillSleeping;
      if (this.ready.length === 0) {
        const nearest = Math.min(...this.sleeping.map(([t]) => t));
        blockFor(nearest - performance.now()); // time.sleep()
        continue;
      }
      const coro = this.ready.shift() as Generator<Request>;
      const step = coro.next();
      if (step.done) continue; // coroutine finished
      if (step.value?.[0] === 'sleep') this.callLater(step.value[1], coro);
      else this.ready.push(coro);
    }
  }
}

function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function* fermentingBatch(name: string, days: number): Generator<Request> {
  for (let d = days; d > 0; d--) {
    console.log(`  [${name}] ${d} days left`);
    yield ['sleep', 50]; // "event loop, wake me up in 50 ms"
  }
  console.log(`  [${name}] 🍺 ready`);
}

export function main(): void {
  const loop = new MiniEventLoop();
  loop.callSoon(fermentingBatch('Pilsner', 3));
  loop.callSoon(fermentingBatch('IPA', 2));
  loop.run();
}

// §14 asyncio.run() + gather: the article's program. Two brews share one
// loop; `yield* sleep(0)` hands control back after each ingredient,
// exactly as the round-robin of §13 did by hand.
import { gather, run, sleep, type Coroutine } from '../../src/index.ts';

function* brew(name: string): Coroutine<void> {
  for (const ingredient of ['malt', 'hops', 'water']) {
    console.log(`[${name}] ${ingredient}`);
    yield* sleep(0); // yields control to the event loop
  }
}

function* main_(): Coroutine<void> {
  yield* gather([brew('Pilsner'), brew('IPA')]);
}

export async function main(): Promise<void> {
  await run(main_);
}

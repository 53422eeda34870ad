// §16 Real use cases. 15.1: the brew sequence of §9, sync then async, from
// examples/brew/.
// The async one awaits a sleep per step; on runSync's virtual clock its
// 3.3 s take no time. (15.2 scraping with backpressure:
// examples/scraping/. 15.3 testing: examples/testing/.)
import * as sync from '../brew/sync.ts';
import * as async from '../brew/async.ts';
import {
  getRunningLoop, runSync, type Coroutine,
} from '../../src/index.ts';

export function main(): void {
  console.log('sync: ', [...sync.brew()].join(', '));
  runSync(function* (): Coroutine<void> {
    yield* async.brew();
    console.log(`async: done at loop time ${getRunningLoop().time()} ms`);
  });
}

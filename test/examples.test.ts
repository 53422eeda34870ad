import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs an example's exported main(), returning what it printed with console.log. */
async function capture(main: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]): void => {
    lines.push(args.map(String).join(' '));
  };
  try {
    await main();
  } finally {
    console.log = log;
  }
  return lines;
}

describe('examples: the seed\'s use cases print what the article prints', () => {
  test('brew, sync (seed §9): list(brew())', async () => {
    const { main } = await import('../examples/brew/sync.ts');
    assert.deepEqual(await capture(main), ['["✓ malt", "✓ hops", "✓ water", 3, 2, 1, "🍺 Beer ready!"]']);
  });

  test('brew, async (seed §15.1): the same steps, one per line, 3.3 virtual seconds', async () => {
    const { main } = await import('../examples/brew/async.ts');
    assert.deepEqual(await capture(main), ['✓ malt', '✓ hops', '✓ water', '3', '2', '1', '🍺 Beer ready!']);
  });

  test('brew, sync: run as a script, it prints the same line', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'examples/brew/sync.ts'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '["✓ malt", "✓ hops", "✓ water", 3, 2, 1, "🍺 Beer ready!"]\n');
  });
});

describe('examples/scraping (seed §15.2): a real local HTTP server, fetch through fromPromise', () => {
  test('backpressure: the producer fetches the next page only after the slow consumer took every link', async () => {
    const { main } = await import('../examples/scraping/backpressure.ts');
    const lines: string[] = [];
    for (let n = 1; n <= 3; n++) {
      lines.push(`  producer: GET /page/${n}`, `  producer: yield /page/${n}`);
      lines.push(`consumer: /item/${n}a (processing...)`, `consumer: /item/${n}b (processing...)`);
    }
    assert.deepEqual(await capture(main), lines);
  });

  test('bounded: a Semaphore(2) keeps at most 2 requests in flight, and every link is found', async () => {
    const { main } = await import('../examples/scraping/bounded.ts');
    assert.deepEqual(await capture(main), [
      '12 links: /item/1a /item/1b /item/2a /item/2b /item/3a /item/3b /item/4a /item/4b /item/5a /item/5b /item/6a /item/6b',
      'most requests in flight at once: 2 (limit 2)',
    ]);
  });
});
// examples/testing/*.test.ts run in the main suite (scripts/test.ts lists examples/ too).

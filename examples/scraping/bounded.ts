// Seed §15.2, second version: fetch many pages concurrently, but never more than LIMIT at once.
// One task per URL; a Semaphore(LIMIT) around each fetch. The server counts the requests it is
// handling at the same time: it never sees more than LIMIT.
// Run: node --import tsx examples/scraping/bounded.ts
import { createTask, fromPromise, run, type Coroutine, type Task } from '../../src/index.ts';
import { Semaphore } from '../../src/locks.ts';
import { parseLinks } from './backpressure.ts';
import { startSite } from './server.ts';

export const LIMIT = 2;

function* fetchLinks(url: string, semaphore: Semaphore): Coroutine<string[]> {
  yield* semaphore.acquire(); // async with semaphore:
  try {
    const response = yield* fromPromise(fetch(url));
    return parseLinks(yield* fromPromise(response.text()));
  } finally {
    semaphore.release();
  }
}

export function* crawl(baseUrl: string, pages: number): Coroutine<string[]> {
  const semaphore = new Semaphore(LIMIT);
  const tasks: Task<string[]>[] = [];
  for (let n = 1; n <= pages; n++) tasks.push(createTask(fetchLinks(`${baseUrl}/page/${n}`, semaphore)));
  const links: string[] = [];
  for (const task of tasks) links.push(...(yield* task)); // in page order, whatever finished first
  return links;
}

export async function main(): Promise<void> {
  const site = await startSite(20);
  try {
    const links = await run(() => crawl(site.baseUrl, 6));
    console.log(`${links.length} links: ${links.join(' ')}`);
    console.log(`most requests in flight at once: ${site.maxInFlight()} (limit ${LIMIT})`);
  } finally {
    await site.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();

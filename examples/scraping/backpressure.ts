// Seed §15.2: scraping with async generators, and the backpressure they give for free.
// fetchPages yields one page at a time; extractLinks pulls from it only when its consumer asks
// for the next link. The consumer is slow (50 ms per link): the log shows the producer parked at
// its `yield` until every link of the previous page has been handled.
// Run: node --import tsx examples/scraping/backpressure.ts
import { asyncFor, asyncGenerator, fromPromise, run, sleep, type Coroutine } from '../../src/index.ts';
import { startSite } from './server.ts';

export const fetchPages = asyncGenerator(function* fetchPages(urls: string[]) {
  for (const url of urls) {
    const path = new URL(url).pathname;
    console.log(`  producer: GET ${path}`);
    const response = yield* fromPromise(fetch(url)); // await, as aiohttp's session.get
    const html = yield* fromPromise(response.text());
    console.log(`  producer: yield ${path}`);
    yield html; // parked here until the consumer asks for more
  }
});

export function parseLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
}

export const extractLinks = asyncGenerator(function* extractLinks(pages: ReturnType<typeof fetchPages>) {
  yield* asyncFor(pages, function* (html) {
    for (const link of parseLinks(html)) yield link; // natural backpressure
  });
});

export function* scrape(baseUrl: string): Coroutine<void> {
  const urls = [1, 2, 3].map((n) => `${baseUrl}/page/${n}`);
  yield* asyncFor(extractLinks(fetchPages(urls)), function* (link) {
    console.log(`consumer: ${link} (processing...)`);
    yield* sleep(50); // a slow consumer
  });
}

export async function main(): Promise<void> {
  const site = await startSite();
  try {
    await run(() => scrape(site.baseUrl));
  } finally {
    await site.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();

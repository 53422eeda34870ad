// A tiny local site for the scraping examples: /page/N links to two items; each response takes
// `delayMs`. It counts requests in flight, so a test can see how many fetches overlapped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Site {
  baseUrl: string;
  /** The most requests the server was handling at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export function pageHtml(n: number): string {
  return `<html><body><h1>Page ${n}</h1><a href="/item/${n}a">${n}a</a> <a href="/item/${n}b">${n}b</a></body></html>`;
}

export function startSite(delayMs = 10): Promise<Site> {
  let inFlight = 0;
  let max = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    const match = /^\/page\/(\d+)$/.exec(req.url ?? '');
    setTimeout(() => {
      inFlight--;
      if (match === null) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(Number(match[1])));
    }, delayMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        maxInFlight: () => max,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

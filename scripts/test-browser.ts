/**
 * `npm run test:browser`: the core test suite (every `src/**\/*.test.ts` outside src/node/) in a
 * real headless Chromium. esbuild bundles each test file for the browser, with small stand-ins for
 * `node:test` and `node:assert/strict` (scripts/browser/); a server on 127.0.0.1 serves the bundles,
 * and each file runs in a fresh page (its own realm, as each file gets its own process under
 * `node --test`). Prints node-test-like lines and a summary; exits non-zero on any failure.
 *
 * Excluded, because they need Node by design: src/node/** (the `yieldio/node` entry: sockets,
 * subprocesses, signals, threads), src/eslint-plugin/** (ESLint and the TypeScript compiler, on
 * files) and test/** (spawns Node and python3, reads the file system).
 * Extra arguments filter the files by substring: `npm run test:browser -- queues`.
 * CHROMIUM overrides the browser binary (default /usr/bin/chromium).
 */
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { TestResult } from './browser/node-test.ts';

const root = new URL('..', import.meta.url).pathname;
const shims = join(root, 'scripts', 'browser');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Generous: a test that hangs fails with a message instead of hanging the run.
const TEST_TIMEOUT_MS = 60_000;
const WORKERS = 2;

function find(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

// Core test files that test Node itself: the ExceptionGroup tree is what node:util's inspect prints.
const NODE_ONLY = new Set(['src/exception-groups.inspect.test.ts']);
const filters = process.argv.slice(2);
const files = find(join(root, 'src'))
  .filter((f) => !f.startsWith('src/node/') && !f.startsWith('src/eslint-plugin/') && !NODE_ONLY.has(f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`test:browser: no core test file matches ${filters.join(' ')}`);
  process.exit(1);
}
if (!existsSync(executablePath)) {
  console.error(`test:browser: no Chromium at ${executablePath}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM`);
  process.exit(1);
}

// One entry per test file: load it (its tests register), then run them and return the results.
const entryPrefix = 'browser-entry:';
const harness = join(shims, 'node-test.ts');
const entryPlugin: esbuild.Plugin = {
  name: 'browser-test-entries',
  setup(build) {
    build.onResolve({ filter: /^browser-entry:/ }, (args) => ({ path: args.path.slice(entryPrefix.length), namespace: 'entry' }));
    build.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({
      resolveDir: root,
      loader: 'ts',
      contents: `import { runRegistered } from ${JSON.stringify(harness)};
export async function run(timeoutMs: number) {
  const results: unknown[] = [];
  const unhandled: [string, unknown][] = [];
  globalThis.addEventListener('unhandledrejection', (e) => unhandled.push(['unhandled rejection', e.reason]));
  globalThis.addEventListener('error', (e) => unhandled.push(['uncaught error', e.error ?? e.message]));
  try {
    await import(${JSON.stringify(join(root, args.path))});
  } catch (e) {
    return [{ name: '(loading the file)', status: 'fail', ms: 0, error: e instanceof Error ? e.stack ?? String(e) : String(e) }];
  }
  await runRegistered((r) => results.push(r), timeoutMs);
  // An error or rejection nobody handled fails the file, as under node --test; late ones get a macrotask.
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const [what, e] of unhandled) {
    results.push({ name: '(' + what + ')', status: 'fail', ms: 0, error: e instanceof Error ? e.stack ?? String(e) : String(e) });
  }
  return results;
}`,
    }));
    // test/snapshot.ts reads reviewed files: in the page they are embedded at bundle time instead.
    build.onResolve({ filter: /\/test\/snapshot\.ts$/ }, () => ({ path: 'snapshot', namespace: 'snapshots' }));
    build.onLoad({ filter: /.*/, namespace: 'snapshots' }, () => {
      const dir = join(root, 'test', 'snapshots');
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt') && statSync(join(dir, f)).isFile());
      const embedded = Object.fromEntries(files.map((f) => [f.split('\\').join('/'), readFileSync(join(dir, f), 'utf8')]));
      return {
        resolveDir: root,
        loader: 'ts',
        contents: `import assert from 'node:assert/strict';
const snapshots: Record<string, string> = ${JSON.stringify(embedded)};
export function matchSnapshot(actual: string, name: string): void {
  const expected = snapshots[name];
  assert.ok(expected !== undefined, 'missing snapshot ' + name);
  assert.equal(actual.endsWith('\\n') ? actual : actual + '\\n', expected);
}`,
      };
    });
    // The Node globals a test file uses as free names come from scripts/browser/globals.ts.
    build.onLoad({ filter: /\.test\.ts$/ }, (args) => {
      let contents = readFileSync(args.path, 'utf8');
      const names = ['setImmediate', 'process'].filter((n) => new RegExp(`\\b${n}\\b`).test(contents));
      if (names.length > 0) contents = `import { ${names.join(', ')} } from ${JSON.stringify(join(shims, 'globals.ts'))};\n${contents}`;
      return { contents, loader: 'ts' };
    });
  },
};

const built = await esbuild.build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(files.map((f, i) => [`entry-${i}`, `${entryPrefix}${f}`])),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // Function names are part of yieldio's messages (<async_generator counter>); keep them through renaming.
  keepNames: true,
  outdir: 'out',
  write: false,
  logLevel: 'warning',
  alias: {
    'node:test': join(shims, 'node-test.ts'),
    'node:assert/strict': join(shims, 'node-assert.ts'),
    'node:assert': join(shims, 'node-assert.ts'),
    'node:v8': join(shims, 'node-builtins.ts'),
    'node:vm': join(shims, 'node-builtins.ts'),
  },
  plugins: [entryPlugin],
});
const assets = new Map<string, Uint8Array>();
for (const out of built.outputFiles) assets.set(`/${relative(join(root, 'out'), out.path)}`, out.contents);

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const body = assets.get(path);
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>yieldio core tests</title>');
  } else if (body !== undefined) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const profile = mkdtempSync(join(tmpdir(), 'yieldio-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // The leak tests force collections with gc(), as they do under node --expose-gc.
    '--js-flags=--expose-gc',
  ],
});

const counts = { pass: 0, fail: 0, skip: 0, todo: 0 };
const failures: string[] = [];
const started = performance.now();
let version = '';

async function runFile(index: number): Promise<string[]> {
  const file = files[index] as string;
  const page = await context.newPage();
  const lines: string[] = [];
  try {
    await page.goto(`${origin}/index.html`);
    version ||= await page.evaluate(() => navigator.userAgent);
    const results = await page.evaluate(
      async ([url, timeoutMs]) => (await import(url as string)).run(timeoutMs) as Promise<TestResult[]>,
      [`${origin}/entry-${index}.js`, TEST_TIMEOUT_MS] as const,
    );
    if (results.length === 0) results.push({ name: '(no test ran)', status: 'fail', ms: 0, error: `${file} registered no test` });
    for (const r of results) {
      counts[r.status]++;
      const mark = r.status === 'pass' ? '✔' : r.status === 'fail' ? '✖' : '﹣';
      const note = r.status === 'skip' ? ' # SKIP' : r.status === 'todo' ? ' # TODO' : '';
      lines.push(`  ${mark} ${r.name} (${r.ms.toFixed(1)}ms)${note}`);
      if (r.status === 'fail') {
        const detail = (r.error ?? '').split('\n').map((l) => `      ${l}`).join('\n');
        lines.push(detail);
        failures.push(`${file} > ${r.name}\n${detail}`);
      }
    }
  } catch (e) {
    counts.fail++;
    const detail = String(e instanceof Error ? e.stack : e);
    lines.push(`  ✖ (running the file)\n      ${detail}`);
    failures.push(`${file} > (running the file)\n      ${detail}`);
  } finally {
    await page.close();
  }
  return [`▶ ${file}`, ...lines];
}

try {
  let next = 0;
  const outputs: string[][] = [];
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < files.length) {
        const index = next++;
        outputs[index] = await runFile(index);
      }
    }),
  );
  for (const lines of outputs) console.log(lines.join('\n'));
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

const total = counts.pass + counts.fail + counts.skip + counts.todo;
if (failures.length > 0) console.log(`\n✖ failing tests:\n\n${failures.join('\n\n')}`);
console.log(`ℹ browser ${version}`);
console.log(`ℹ files ${files.length} (excluded: src/node/**, src/eslint-plugin/**, test/**, ${[...NODE_ONLY].join(', ')}: they need Node)`);
console.log(`ℹ tests ${total}`);
console.log(`ℹ pass ${counts.pass}`);
console.log(`ℹ fail ${counts.fail}`);
console.log(`ℹ skipped ${counts.skip}`);
console.log(`ℹ todo ${counts.todo}`);
console.log(`ℹ duration_ms ${(performance.now() - started).toFixed(0)}`);
console.log(`browser: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
process.exit(counts.fail > 0 || total === 0 ? 1 : 0);

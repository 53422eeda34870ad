// What a user reads when the types reject a program: the compiler's own message must name the fix.
// Runs the TypeScript compiler on small probe files against the source tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;

const probes = {
  yieldSleep: `
import { sleep, type Coroutine } from 'yieldio';
export function* main(): Coroutine<void> {
  yield sleep(1);
}
`,
  yield42: `
import type { Coroutine } from 'yieldio';
export function* main(): Coroutine<void> {
  yield 42;
}
`,
  returnBreak: `
import { asyncFor, asyncGenerator, BREAK, type Coroutine } from 'yieldio';
const ticks = asyncGenerator(function* ticks() { yield 1; });
export function* main(): Coroutine<void> {
  yield* asyncFor(ticks(), function* () { return BREAK; });
}
`,
};

/** Type-checks every probe in one program (\`yieldio\` resolves to src/ via tsconfig paths); errors by probe. */
function diagnostics(): Record<keyof typeof probes, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'yieldio-type-probe-'));
  try {
    const files = Object.keys(probes).map((name) => {
      const file = join(dir, `${name}.mts`);
      writeFileSync(file, probes[name as keyof typeof probes]);
      return file;
    });
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    // No @types/node: the core's types stand alone, and the check stays fast.
    const program = ts.createProgram(files, { ...parsed.options, noEmit: true, types: [] });
    const out = Object.fromEntries(Object.keys(probes).map((name) => [name, [] as string[]]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const name = d.file === undefined ? undefined : files.indexOf(d.file.fileName);
      const key = name === undefined || name < 0 ? undefined : Object.keys(probes)[name];
      if (key !== undefined) out[key]?.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    }
    return out as Record<keyof typeof probes, string[]>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const errors = diagnostics();

test('yield sleep(1) instead of yield* sleep(1): the type error says to write yield*', () => {
  const found = errors.yieldSleep;
  assert.equal(found.length, 1, found.join('\n---\n'));
  assert.match(found[0] ?? '', /UseYieldStarNotYield/);
  assert.match(found[0] ?? '', /useYieldStarToAwait/);
});

test('yield 42 in a coroutine: the type error names UseYieldStarNotYield', () => {
  const found = errors.yield42;
  assert.equal(found.length, 1, found.join('\n---\n'));
  assert.match(found[0] ?? '', /Type 'number' is not assignable to type 'UseYieldStarNotYield'/);
});

test('return BREAK as the only return of an asyncFor body compiles', () => {
  const found = errors.returnBreak;
  assert.deepEqual(found, []);
});

/**
 * Differential tests: the same small program under CPython 3.13 asyncio and under yieldio must
 * print the same trace, line by line.
 *
 * Convention (for every engineer adding pairs):
 * - A pair is `test/differential/<name>.py` + `test/differential/<name>.ts`. Every `.py` with a
 *   `.ts` twin is discovered and run; a `.py` without its twin (or the reverse) fails loudly.
 * - The `.py` side is a plain script: `asyncio.run(main())`, printing trace lines with `print`.
 * - The `.ts` side `export default function main(log: (line: string) => void): void | Promise<void>`
 *   and prints the same lines through `log` (it is imported in this process, so keep module state
 *   local to `main`). Use `runSync` (virtual clock) or `await run(main, { clock: 'virtual' })`.
 * - Time: the `.py` sleeps `ms / 1000` seconds for the `.ts` side's `ms`. The `.py` runs on a
 *   virtual clock (test/support/asyncio_virtual_clock.py: time jumps when no socket or thread is
 *   in play, equal deadlines fire in scheduling order as in yieldio), so traces are exact. A pair
 *   that needs CPython's real clock says `# clock: real` on a line of its own; it then prints
 *   times rounded coarsely (`round(elapsed_ms / 200) * 200`), keeps timers that must not race
 *   apart by 200 ms or more, and sleeps well under a second in total. Never print default task names
 *   (`Task-N` counters differ), reprs, or exception class names that api.md maps
 *   (ValueError → RangeError): print messages and your own class names instead.
 * - Python's `True`/`False`/`None` must be spelled the same way on the `.ts` side.
 * The Python side runs with `PYENV_VERSION=3.13.0 python3` if that is 3.13+, else `python3` if it
 * is 3.13+; otherwise every pair is SKIPPED with a message saying why (never a silent pass).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const folder = join(here, 'differential');

interface Python {
  env: NodeJS.ProcessEnv;
  version: string;
}

function findPython(): Python | string {
  const candidates: NodeJS.ProcessEnv[] = [{ ...process.env, PYENV_VERSION: '3.13.0' }, { ...process.env }];
  const problems: string[] = [];
  for (const env of candidates) {
    try {
      const out = execFileSync('python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
      const [major, minor] = out.split('.').map(Number);
      if ((major ?? 0) > 3 || ((major ?? 0) === 3 && (minor ?? 0) >= 13)) return { env, version: out };
      problems.push(`python3 is ${out} (3.13+ needed)`);
    } catch (error) {
      problems.push(`python3 not runnable (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return problems.join('; ');
}

const virtualClock = join(here, 'support');
// The `.py` runs on a virtual clock (test/support/asyncio_virtual_clock.py) unless it says
// `# clock: real`: a loaded machine then cannot make Python wake late and shift a trace.
const virtualRunner = [
  'import sys, runpy',
  `sys.path.insert(0, ${JSON.stringify(virtualClock)})`,
  'import asyncio_virtual_clock',
  'asyncio_virtual_clock.install()',
  'sys.argv = [sys.argv[1]]',
  "runpy.run_path(sys.argv[0], run_name='__main__')",
].join('\n');

function runPython(python: Python, file: string): Promise<string> {
  const real = /^# clock: real$/m.test(readFileSync(file, 'utf8'));
  const args = real ? [file] : ['-c', virtualRunner, file];
  return new Promise((resolve, reject) => {
    execFile('python3', args, { env: python.env, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python3 ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function runTs(file: string): Promise<string> {
  const module = (await import(pathToFileURL(file).href)) as { default?: (log: (line: string) => void) => void | Promise<void> };
  if (typeof module.default !== 'function') throw new Error(`${file} must export default function main(log)`);
  const lines: string[] = [];
  await module.default((line: string) => {
    lines.push(String(line));
  });
  return lines.map((l) => `${l}\n`).join('');
}

function lineDiff(expected: string[], actual: string[]): string {
  const out: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === a) out.push(`  ${i + 1}  ${e}`);
    else {
      if (e !== undefined) out.push(`- ${i + 1}  ${e}    (asyncio)`);
      if (a !== undefined) out.push(`+ ${i + 1}  ${a}    (yieldio)`);
    }
  }
  return out.join('\n');
}

const files = readdirSync(folder);
const names = [...new Set(files.filter((f) => /\.(py|ts)$/.test(f)).map((f) => f.replace(/\.(py|ts)$/, '')))].sort();
const python = findPython();

describe('differential: CPython 3.13 asyncio vs yieldio', () => {
  if (typeof python === 'string') {
    const reason = `SKIPPED LOUDLY: no usable python3 for the differential tests: ${python}`;
    console.warn(`\n*** ${reason} ***\n`);
    for (const name of names) test(`${name}: same trace as asyncio`, { skip: reason }, () => {});
    return;
  }
  // Start every Python program at once (2 cores: they mostly sleep), then compare one by one.
  const pythonOutputs = new Map<string, Promise<string>>();
  for (const name of names) {
    if (files.includes(`${name}.py`)) {
      const p = runPython(python, join(folder, `${name}.py`));
      p.catch(() => {}); // reported by the test that awaits it
      pythonOutputs.set(name, p);
    }
  }
  for (const name of names) {
    test(`${name}: same trace as asyncio (python ${python.version})`, async () => {
      assert.ok(files.includes(`${name}.py`), `test/differential/${name}.ts has no ${name}.py twin`);
      assert.ok(files.includes(`${name}.ts`), `test/differential/${name}.py has no ${name}.ts twin`);
      const expected = (await pythonOutputs.get(name))!.split('\n');
      const actual = (await runTs(join(folder, `${name}.ts`))).split('\n');
      assert.ok(expected.length > 1, `${name}.py printed nothing`);
      if (expected.join('\n') !== actual.join('\n')) {
        assert.fail(`trace of ${name} differs (- asyncio, + yieldio):\n${lineDiff(expected, actual)}`);
      }
    });
  }
});

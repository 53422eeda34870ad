/**
 * Random-program differential test: seeded random task trees (double cancels with and without
 * messages, uncancel, sleeps, events, queues, gathers, timeouts, swallowed cancellations) run
 * under CPython 3.13's asyncio and under yieldio, both on a virtual clock; every trace must match
 * line for line. The generator and both emitters live in test/support/random-programs.ts.
 *
 * A failing seed is written out as a Python file and a TypeScript file (paths in the failure) so
 * it can be rerun and shrunk by hand. RANDOM_PROGRAMS=N runs N seeds instead of the default;
 * RANDOM_SEED=S runs seeds from S. Skipped loudly where no python3 3.13+ is found.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yieldio from '../src/index.ts';
import { generate, pythonPrelude, runYieldio, toPython, toPythonFile, toTypeScriptFile, type Program } from './support/random-programs.ts';

const COUNT = Number(process.env.RANDOM_PROGRAMS ?? 150);
const FIRST_SEED = Number(process.env.RANDOM_SEED ?? 1);

function findPython(): NodeJS.ProcessEnv | string {
  const problems: string[] = [];
  for (const env of [{ ...process.env, PYENV_VERSION: '3.13.0' }, { ...process.env }]) {
    try {
      const out = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
      const [major, minor] = out.split('.').map(Number);
      if ((major ?? 0) > 3 || ((major ?? 0) === 3 && (minor ?? 0) >= 13)) return env;
      problems.push(`python3 is ${out} (3.13+ needed)`);
    } catch (error) {
      problems.push(`python3 not runnable (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return problems.join('; ');
}

/** Runs every program in one Python process; returns each seed's trace. */
function runPython(env: NodeJS.ProcessEnv, programs: Program[]): Promise<Map<number, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'yieldio-random-programs-'));
  const file = join(dir, 'programs.py');
  const body = programs.map((p) => `${toPython(p)}\ndrive(${p.seed}, prog_${p.seed})\n`).join('\n');
  writeFileSync(file, `${pythonPrelude}\n\n${body}`);
  return new Promise((resolve, reject) => {
    execFile('python3', [file], { env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`python3 ${file} failed: ${error.message}\n${stderr.slice(-4000)}`));
        return;
      }
      const traces = new Map<number, string[]>();
      let current: string[] | null = null;
      for (const line of stdout.split('\n')) {
        const header = /^=== seed (\d+)$/.exec(line);
        if (header !== null) traces.set(Number(header[1]), (current = []));
        else if (current !== null && line !== '') current.push(line);
      }
      resolve(traces);
    });
  });
}

function lineDiff(expected: string[], actual: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === a) out.push(`  ${e}`);
    else {
      if (e !== undefined) out.push(`- ${e}    (asyncio)`);
      if (a !== undefined) out.push(`+ ${a}    (yieldio)`);
    }
  }
  return out.join('\n');
}

const python = findPython();

describe('random programs: CPython 3.13 asyncio vs yieldio', () => {
  test('the generator is deterministic and emits every kind of op', () => {
    assert.deepEqual(generate(7), generate(7));
    assert.notDeepEqual(generate(7), generate(8));
    const kinds = new Set<string>();
    const visit = (ops: { k: string; body?: unknown; kids?: unknown }[]): void => {
      for (const op of ops) {
        kinds.add(op.k);
        if (Array.isArray(op.body)) visit(op.body as { k: string }[]);
        if (Array.isArray(op.kids)) for (const kid of op.kids as { body: { k: string }[] }[]) visit(kid.body);
      }
    };
    for (let seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) for (const body of generate(seed).tasks) visit(body);
    for (const k of ['sleep', 'wait', 'set', 'clear', 'put', 'get', 'cancel', 'uncancel', 'cancelling', 'await', 'gather', 'spawn', 'timeout', 'catch', 'raise', 'shield', 'waitfor', 'group', 'hold']) {
      assert.ok(kinds.has(k), `no program has a '${k}' op`);
    }
  });

  if (typeof python === 'string') {
    const reason = `SKIPPED LOUDLY: no usable python3 for the random-program differential test: ${python}`;
    console.warn(`\n*** ${reason} ***\n`);
    test(`${COUNT} random programs: same trace as asyncio`, { skip: reason }, () => {});
    return;
  }

  test(`${COUNT} random programs (seeds ${FIRST_SEED}..${FIRST_SEED + COUNT - 1}): same trace as asyncio`, async () => {
    const programs: Program[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) programs.push(generate(seed));
    const expected = await runPython(python, programs);
    const failures: string[] = [];
    let dir: string | null = null;
    for (const program of programs) {
      const want = expected.get(program.seed);
      assert.ok(want !== undefined && want.length > 0, `python printed no trace for seed ${program.seed}`);
      const got = runYieldio(yieldio, program);
      if (want.join('\n') === got.join('\n')) continue;
      dir ??= mkdtempSync(join(tmpdir(), 'yieldio-random-failures-'));
      const py = join(dir, `seed-${program.seed}.py`);
      const ts = join(dir, `seed-${program.seed}.mts`);
      writeFileSync(py, toPythonFile(program));
      writeFileSync(ts, toTypeScriptFile(program));
      if (failures.length < 3) {
        failures.push(`seed ${program.seed} (rerun: python3 ${py}; node --import tsx ${ts}):\n${lineDiff(want, got)}`);
      } else {
        failures.push(`seed ${program.seed}`);
      }
    }
    if (failures.length > 0) {
      assert.fail(`${failures.length} of ${COUNT} random programs differ from asyncio (- asyncio, + yieldio):\n\n${failures.join('\n\n')}`);
    }
  });
});

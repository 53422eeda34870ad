/**
 * `npm run bench`: every workload of `bench/*.bench.ts`, each implementation in its own process,
 * side by side with the asyncio twins of `bench/*.py` (CPython 3.13 when pyenv has it, else
 * python3; skipped loudly when neither exists), then the import time of each entry point and
 * peer. Prints the tables and writes BENCHMARKS.md.
 * For every workload: **cold** is the first run in a fresh process (the import is done before it,
 * outside the timed region), **warm** is the best of the repetitions after it.
 * Usage: npm run bench [-- [--quick] [--rounds=N] [substring of group ids to run]]
 *   --quick: one warm repetition per case and two processes per import (checks the harness; the
 *   numbers are rough). A filtered or quick run prints the tables and leaves BENCHMARKS.md alone.
 *   --rounds=N: each group's cases run N times, interleaved (A, B, C, A, B, C, …), each time in a
 *   fresh process; cold is the median of the N first runs (the upper middle one for an even N:
 *   the slower of two), warm the best repetition of any round.
 *   On a VM whose speed drifts (2× within a minute has been seen) this keeps the ratios honest.
 * A full run takes about 15–20 minutes on the idle 2-core machine (the 1M-task spawn cases dominate).
 * The Targets section at the top of BENCHMARKS.md is computed by bench/targets.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { importTimeSection } from './import-time.ts';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import type { BenchGroup, BenchRow } from './harness.ts';
import { targetsSection } from './targets.ts';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const filter = argv.find((a) => !a.startsWith('--')) ?? '';
// BENCH_QUICK also shrinks the workloads that have a quick size (streams); set before the bench
// files are imported, since their titles and op counts are read here too.
if (quick) process.env.BENCH_QUICK = '1';
const childEnv: NodeJS.ProcessEnv = quick ? { ...process.env, BENCH_REPEAT: '1' } : process.env;
const roundsArg = argv.find((a) => a.startsWith('--rounds='));
const rounds = roundsArg === undefined ? 1 : Number(roundsArg.slice('--rounds='.length));
if (!Number.isInteger(rounds) || rounds < 1) throw new TypeError(`--rounds must be a whole number of rounds, at least 1 (got ${roundsArg}); e.g. npm run bench -- --rounds=3`);

type Row = BenchRow;

// A case that runs longer than this is stopped and reported as not finished (a peer that does not
// scale must not stall the whole run).
const CASE_TIMEOUT_MS = 180_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function findPython(): { cmd: string; env: NodeJS.ProcessEnv; version: string } | null {
  for (const env of [{ ...childEnv, PYENV_VERSION: '3.13.0' }, childEnv]) {
    try {
      const version = execFileSync('python3', ['-c', 'import sys;print(sys.version.split()[0])'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { cmd: 'python3', env, version };
    } catch {
      /* try the next */
    }
  }
  return null;
}

function fmt(ms: number): string {
  return ms.toFixed(1);
}

function printRow(id: string, r: { name: string; cold: number; warm: number; maxRssMB: number | null }): void {
  const rss = r.maxRssMB === null ? '' : `  rss ${r.maxRssMB.toFixed(0)} MB`;
  console.log(`${id.padEnd(28)} ${r.name.padEnd(44)} cold ${fmt(r.cold).padStart(9)} ms  warm ${fmt(r.warm).padStart(9)} ms${rss}`);
}

const rows: Row[] = [];
const groups: BenchGroup[] = [];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();

/** One case in one fresh process: its cold time, warm repetitions and peak RSS, or why it has none. */
function runCaseProcess(file: string, group: BenchGroup, name: string): { cold: number; warm: number[]; maxRssMB: number } | { failure: string } {
  let out: string;
  try {
    out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'run-case.ts'), join(here, file), group.id, name], {
      encoding: 'utf8',
      env: childEnv,
      maxBuffer: 1 << 24,
      timeout: CASE_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { signal?: string; stderr?: string };
    const failure =
      e.signal === 'SIGTERM'
        ? `did not finish in ${CASE_TIMEOUT_MS / 1000} s`
        : /heap out of memory/.test(e.stderr ?? '')
          ? 'ran out of memory (4 GB heap)'
          : `failed: ${(e.stderr ?? String(error)).trim().split('\n').slice(-3).join(' ')}`;
    return { failure };
  }
  const line = out.trim().split('\n').pop() as string;
  return JSON.parse(line) as { cold: number; warm: number[]; maxRssMB: number };
}

for (const file of files) {
  const mod = (await import(join(here, file))) as { groups: BenchGroup[] };
  for (const group of mod.groups) {
    if (filter && !group.id.includes(filter)) continue;
    groups.push(group);
    // With --rounds N the group's cases run in N interleaved rounds (case A, B, …, then again), so
    // a drift in the machine's speed lands on every case alike instead of on one side of a ratio.
    const colds = group.cases.map((): number[] => []);
    const warms = group.cases.map((): number[] => []);
    const rss = group.cases.map(() => 0);
    const failures: (string | null)[] = group.cases.map((c) => (quick && c.slow === true ? 'skipped by --quick (one run takes tens of seconds)' : null));
    for (let round = 0; round < rounds; round++) {
      group.cases.forEach((c, i) => {
        if (failures[i] !== null) return;
        const result = runCaseProcess(file, group, c.name);
        if ('failure' in result) {
          failures[i] = result.failure;
          return;
        }
        colds[i]!.push(result.cold);
        warms[i]!.push(...result.warm);
        rss[i] = Math.max(rss[i]!, result.maxRssMB);
        if (rounds > 1) printRow(`${group.id} r${round + 1}`, { name: c.name, cold: result.cold, warm: Math.min(...result.warm), maxRssMB: result.maxRssMB });
      });
    }
    group.cases.forEach((c, i) => {
      const failure = failures[i];
      if (failure !== null && failure !== undefined) {
        rows.push({ group, name: c.name, cold: NaN, warm: NaN, maxRssMB: null, failure });
        console.log(`${group.id.padEnd(28)} ${c.name.padEnd(44)} ${failure}`);
        return;
      }
      // Cold: the median of the rounds' first runs; warm: the best repetition of any round.
      const row = { group, name: c.name, cold: median(colds[i]!), warm: Math.min(...warms[i]!), maxRssMB: rss[i]! };
      rows.push(row);
      printRow(group.id, row);
    });
  }
}

// asyncio twins: each prints JSON lines {"id": groupId, "name": "asyncio", "ms": [..]}.
const python = findPython();
let pythonNote: string;
if (python === null) {
  pythonNote = 'SKIPPED: no python3 on this machine, so the asyncio columns are missing.';
  console.warn(`\n*** ${pythonNote} ***\n`);
} else {
  pythonNote = `asyncio: CPython ${python.version}.`;
  for (const file of readdirSync(here).filter((f) => f.endsWith('.py') && !f.startsWith('_')).sort()) {
    const out = execFileSync(python.cmd, [join(here, file), filter], { env: python.env, encoding: 'utf8', maxBuffer: 1 << 24 });
    for (const line of out.trim().split('\n')) {
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line) as { id: string; name: string; cold: number; ms: number[]; maxRssMB?: number };
      const group = groups.find((g) => g.id === r.id);
      if (!group) continue;
      const row = { group, name: r.name, cold: r.cold, warm: Math.min(...r.ms), maxRssMB: r.maxRssMB ?? null };
      rows.push(row);
      printRow(r.id, row);
    }
  }
}

const lines: string[] = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts); do not edit by hand. Each implementation runs in its own',
  'Node process. **Cold**: the first run in that fresh process (the module import is done before it,',
  'outside the timed region). **Warm**: the best of the repetitions after it. A ratio is the time over',
  'yieldio\'s first row, cold over cold and warm over warm (above 1: yieldio is faster). Peak RSS is the',
  'whole process\'s. The import time of each entry point is measured separately, at the end.',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${pythonNote}`,
  `Date: ${new Date().toISOString().slice(0, 10)}`,
  ...(rounds > 1 ? ['', `Rounds: ${rounds}, interleaved: each case ran in ${rounds} fresh processes, in turn with the other cases of its group; cold is the median of their first runs, warm the best repetition of any.`] : []),
  '',
  ...targetsSection(rows, groups),
];
for (const group of groups) {
  const mine = rows.filter((r) => r.group === group);
  const base = mine[0];
  if (!base) continue;
  lines.push(`## ${group.title}`, '', `${group.ops.toLocaleString('en-US')} ${group.opName}.${group.target ? ` Target: ${group.target}` : ''}`, '');
  if (group.metric) lines.push(`Measured: ${group.metric}.`, '');
  const what = group.metric ? `measured (${group.unit ?? 'ms'})` : 'time (ms)';
  lines.push(
    `| implementation | cold ${what} | warm ${what} | warm per op (ns) | cold ratio | warm ratio | peak RSS (MB) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of mine) {
    if (r.failure !== undefined) {
      lines.push(`| ${r.name} | ${r.failure} | | | | | |`);
      continue;
    }
    const perOp = group.metric ? '' : ((r.warm * 1e6) / group.ops).toFixed(1);
    const ratio = (a: number, b: number): string => (group.metric ? '' : (a / b).toFixed(2));
    lines.push(
      `| ${r.name} | ${fmt(r.cold)} | ${fmt(r.warm)} | ${perOp} | ${ratio(r.cold, base.cold)} | ${ratio(r.warm, base.warm)} | ${r.maxRssMB === null ? '' : r.maxRssMB.toFixed(0)} |`,
    );
  }
  lines.push('');
}
// The import section runs in a full run, or when the filter names it ("import-time").
if (!filter || 'import-time'.includes(filter)) lines.push(...importTimeSection());
// The hand-written reading guide goes last.
if (existsSync(join(here, 'NOTES.md'))) lines.push(readFileSync(join(here, 'NOTES.md'), 'utf8'));
if (!filter && !quick) {
  writeFileSync(join(here, '..', 'BENCHMARKS.md'), lines.join('\n'));
  console.log('\nwrote BENCHMARKS.md');
} else {
  console.log('\n(filtered or quick run: BENCHMARKS.md not rewritten)\n' + lines.join('\n'));
}

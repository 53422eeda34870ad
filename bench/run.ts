/**
 * `npm run bench`: every workload of `bench/*.bench.ts`, each implementation in its own process,
 * side by side with the asyncio twins of `bench/*.py` (CPython 3.13 when pyenv has it, else
 * python3; skipped loudly when neither exists). Prints the table and writes BENCHMARKS.md.
 * Usage: npm run bench [-- <substring of group ids to run>]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { importTimeSection } from './import-time.ts';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import type { BenchGroup } from './harness.ts';

const here = new URL('.', import.meta.url).pathname;
const filter = process.argv[2] ?? '';

interface Row { group: BenchGroup; name: string; ms: number; maxRssMB: number | null }

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function findPython(): { cmd: string; env: NodeJS.ProcessEnv; version: string } | null {
  for (const env of [{ ...process.env, PYENV_VERSION: '3.13.0' }, process.env]) {
    try {
      const version = execFileSync('python3', ['-c', 'import sys;print(sys.version.split()[0])'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { cmd: 'python3', env, version };
    } catch {
      /* try the next */
    }
  }
  return null;
}

const rows: Row[] = [];
const groups: BenchGroup[] = [];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
for (const file of files) {
  const mod = (await import(join(here, file))) as { groups: BenchGroup[] };
  for (const group of mod.groups) {
    if (filter && !group.id.includes(filter)) continue;
    groups.push(group);
    for (const c of group.cases) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'run-case.ts'), join(here, file), group.id, c.name], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const line = out.trim().split('\n').pop() as string;
      const { times, maxRssMB } = JSON.parse(line) as { times: number[]; maxRssMB: number };
      const row = { group, name: c.name, ms: median(times), maxRssMB };
      rows.push(row);
      console.log(`${group.id.padEnd(28)} ${c.name.padEnd(34)} ${row.ms.toFixed(1).padStart(10)} ms  rss ${maxRssMB.toFixed(0)} MB`);
    }
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
      const r = JSON.parse(line) as { id: string; name: string; ms: number[]; maxRssMB?: number };
      const group = groups.find((g) => g.id === r.id);
      if (!group) continue;
      rows.push({ group, name: r.name, ms: median(r.ms), maxRssMB: r.maxRssMB ?? null });
      console.log(`${r.id.padEnd(28)} ${r.name.padEnd(34)} ${median(r.ms).toFixed(1).padStart(10)} ms`);
    }
  }
}

const lines: string[] = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts); do not edit by hand. Each implementation runs in its own',
  'Node process: one warm-up, then the median of the timed repetitions. "ratio" is time / yieldio\'s',
  'time on the same workload (above 1: yieldio is faster). Peak RSS is the whole process\'s.',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${pythonNote}`,
  `Date: ${new Date().toISOString().slice(0, 10)}`,
  '',
];
for (const group of groups) {
  const mine = rows.filter((r) => r.group === group);
  const base = mine[0];
  if (!base) continue;
  lines.push(`## ${group.title}`, '', `${group.ops.toLocaleString('en-US')} ${group.opName}.${group.target ? ` Target: ${group.target}` : ''}`, '');
  if (group.metric) lines.push(`Measured: ${group.metric}.`, '');
  const what = group.metric ? 'measured (ms)' : 'time (ms)';
  lines.push(`| implementation | ${what} | per op (ns) | ratio (vs yieldio) | peak RSS (MB) |`, '| --- | ---: | ---: | ---: | ---: |');
  for (const r of mine) {
    lines.push(
      `| ${r.name} | ${r.ms.toFixed(1)} | ${group.metric ? '' : ((r.ms * 1e6) / group.ops).toFixed(1)} | ${group.metric ? '' : (r.ms / base.ms).toFixed(2)} | ${r.maxRssMB === null ? '' : r.maxRssMB.toFixed(0)} |`,
    );
  }
  lines.push('');
}
lines.push(...importTimeSection());
// The hand-written reading guide goes last.
if (existsSync(join(here, 'NOTES.md'))) lines.push(readFileSync(join(here, 'NOTES.md'), 'utf8'));
if (!filter || !existsSync(join(here, '..', 'BENCHMARKS.md'))) {
  writeFileSync(join(here, '..', 'BENCHMARKS.md'), lines.join('\n'));
  console.log('\nwrote BENCHMARKS.md');
} else {
  console.log('\n(filtered run: BENCHMARKS.md not rewritten)\n' + lines.join('\n'));
}

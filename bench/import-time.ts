/**
 * Import time of each entry, in fresh Node processes: the time `await import(entry)` takes inside
 * a new process (its startup excluded), median of RUNS processes. Measures the built package
 * (dist/; built first if missing): the single-file bundles runtimes load (`default` condition),
 * the per-file modules bundlers read (`module` condition), and Effection and Effect beside them.
 * `npm run bench:import` prints the table and rewrites its section of BENCHMARKS.md;
 * `npm run bench` includes the section. Numbers on a loaded machine are only indicative.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// --quick (BENCH_QUICK=1): two processes per entry, enough to check the harness.
const RUNS = process.env.BENCH_QUICK === '1' ? 2 : 15;

const dist = (path: string): string => pathToFileURL(join(root, 'dist', path)).href;
const CASES: [string, string][] = [
  ["yieldio (one file: dist/bundle/index.js + its shared chunks)", 'yieldio'],
  ['yieldio/testing (one file)', 'yieldio/testing'],
  ['yieldio/node (one file)', 'yieldio/node'],
  ['yieldio as per-file modules (dist/index.js, what bundlers read)', dist('index.js')],
  ['effection', 'effection'],
  ['effect', 'effect'],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One fresh process: how long `import(specifier)` takes, in ms. */
function importOnce(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim());
}

/** The BENCHMARKS.md section (markdown lines). */
export function importTimeSection(): string[] {
  if (!existsSync(join(root, 'dist', 'bundle', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const lines = [
    '## Import time (cold process)',
    '',
    `\`await import(entry)\` in a fresh Node process, process startup excluded; median of ${RUNS} processes (\`npm run bench:import\`,`,
    `${new Date().toISOString().slice(0, 10)}; on a machine shared with other work the numbers are only indicative, the ratios less so).`,
    '',
    '| import | time (ms) |',
    '| --- | ---: |',
  ];
  for (const [name, specifier] of CASES) {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push(importOnce(specifier));
    lines.push(`| ${name} | ${median(ms).toFixed(1)} |`);
    console.log(`${name.padEnd(70)} ${median(ms).toFixed(1).padStart(8)} ms`);
  }
  lines.push('');
  return lines;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const section = importTimeSection().join('\n');
  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Import time');
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + 1);
  const notes = text.indexOf('## Reading the numbers');
  const updated = start >= 0 ? text.slice(0, start) + section + (next < 0 ? '' : text.slice(next + 1)) : notes >= 0 ? text.slice(0, notes) + section + '\n' + text.slice(notes) : `${text}\n${section}`;
  writeFileSync(file, updated);
  console.log('\nupdated BENCHMARKS.md (import time)');
}

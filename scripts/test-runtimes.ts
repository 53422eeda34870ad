/**
 * `npm run test:runtimes`: the smoke suite (test/runtimes/smoke.ts) under every runtime the README
 * claims: this Node, Node 22 and 24, Deno and Bun; and the core test suite (src/ outside src/node/
 * and src/eslint-plugin/, which `npm test` runs on this Node) under Node 22 and 24 too.
 *
 * Deno and Bun are dev dependencies (their npm packages ship the binaries; package.json's
 * allowScripts lets their postinstall link them). Node 22/24 come from the registry's
 * `node-<platform>-<arch>` packages, installed on first use into node_modules/.cache/; where that
 * install fails the versions are skipped loudly, except under CI=true, where that is a failure.
 * Prints each run's output, a summary table and a closing "N passed, N failed" line; exits 1 on any failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'node_modules', '.bin');
const smoke = 'test/runtimes/smoke.ts';
const inCI = process.env.CI === 'true';
const NODE_MAJORS = [22, 24];

interface Run {
  runtime: string;
  suite: string;
  command: string[];
}
const runs: Run[] = [];
const problems: string[] = [];

function findCoreTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findCoreTests(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}
const coreTests = findCoreTests(join(root, 'src')).filter((f) => !f.startsWith('src/node/') && !f.startsWith('src/eslint-plugin/'));

/** The path of Node `major`'s binary, installed from the npm registry if it is not there yet. */
function nodeBinary(major: number): string | null {
  const dir = join(root, 'node_modules', '.cache', 'yieldio-runtimes', `node${major}`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const binary = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  console.log(`# installing Node ${major} (${pkg}@${major}) into ${relative(root, dir)}`);
  const npm = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', `${pkg}@${major}`], { cwd: dir, stdio: 'inherit' });
  if (npm.status === 0 && existsSync(binary)) return binary;
  const message = `Node ${major}: could not install ${pkg}@${major} from the npm registry`;
  if (inCI) problems.push(message);
  else console.log(`# SKIPPED ${message}; it runs in CI`);
  return null;
}

/**
 * A dev-dependency binary (deno, bun) that runs, or a recorded problem saying how to get it. The
 * packages link their binary in a postinstall script; where npm skipped it, the binary is still in
 * the platform package (@oven/bun-linux-x64/bin/bun; deno's bin.cjs finds its own).
 */
function devBinary(name: string, fallbacks: string[]): string | null {
  for (const path of [join(bin, name), ...fallbacks.map((f) => join(root, 'node_modules', f))]) {
    if (existsSync(path) && spawnSync(path, ['--version'], { stdio: 'ignore' }).status === 0) return path;
  }
  problems.push(`${name}: no working binary in node_modules: run npm ci (${name} is a dev dependency; package.json's allowScripts lets its postinstall run)`);
  return null;
}

runs.push({ runtime: `node ${process.versions.node}`, suite: 'smoke', command: [process.execPath, '--import', 'tsx', smoke] });
for (const major of NODE_MAJORS) {
  const node = nodeBinary(major);
  if (node === null) continue;
  runs.push({ runtime: `node ${major}`, suite: 'smoke', command: [node, '--import', 'tsx', smoke] });
  runs.push({ runtime: `node ${major}`, suite: `core (${coreTests.length} files)`, command: [node, '--import', 'tsx', '--test', '--test-reporter=dot', ...coreTests] });
}
const deno = devBinary('deno', []);
if (deno !== null) {
  // Only what the suite needs: loopback sockets and `sh` for the subprocess case.
  const perms = ['--no-prompt', '--allow-net=127.0.0.1', '--allow-run=sh', '--allow-read', '--allow-env'];
  runs.push({ runtime: 'deno', suite: 'smoke', command: [deno, 'run', ...perms, smoke] });
}
const bun = devBinary('bun', [`@oven/bun-${process.platform}-${process.arch}/bin/bun`, `@oven/bun-${process.platform}-${process.arch}-baseline/bin/bun`]);
if (bun !== null) runs.push({ runtime: 'bun', suite: 'smoke', command: [bun, smoke] });

/** Runs one suite, its output buffered so that two runs side by side print one after the other. */
function execute(run: Run): Promise<{ ok: boolean; output: string; seconds: number; why: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(run.command[0] as string, run.command.slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = (ok: boolean, why: string): void => resolve({ ok, output, seconds: (performance.now() - started) / 1000, why });
    child.on('error', (error) => done(false, ` (${error.message})`));
    child.on('close', (code, signal) => done(code === 0, code === 0 ? '' : ` (exit ${code ?? signal})`));
  });
}

// Two at a time (the machines have two cores; node --test runs one file at a time there).
const results: Awaited<ReturnType<typeof execute>>[] = [];
let next = 0;
await Promise.all(
  [0, 1].map(async () => {
    while (next < runs.length) {
      const index = next++;
      results[index] = await execute(runs[index] as Run);
    }
  }),
);
const table: string[] = [];
let passed = 0;
let failed = 0;
for (const [i, run] of runs.entries()) {
  const result = results[i] as Awaited<ReturnType<typeof execute>>;
  console.log(`\n▶ ${run.runtime}: ${run.suite}\n${result.output.trimEnd()}`);
  if (result.ok) passed++;
  else failed++;
  table.push(`${result.ok ? '✔' : '✖'} ${run.runtime.padEnd(14)} ${run.suite.padEnd(18)} ${result.seconds.toFixed(1)}s${result.why}`);
}

console.log(`\n${table.join('\n')}`);
for (const problem of problems) console.log(`✖ ${problem}`);
failed += problems.length;
console.log(`runtimes: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

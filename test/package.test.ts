/**
 * The package as `npm publish` would ship it, checked from the packed tarball, never the work
 * tree: `npm pack` (which builds on prepack), publint, attw (ESM-only profile), an offline install
 * into a scratch project that imports each entry, declarations compiled by a browser project,
 * bundler smoke tests, and the size budget. Everything here runs offline.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

let scratch = '';
let tarball = '';
let project = '';
let files: string[] = [];

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} failed (exit ${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Runs an ESM program inside the scratch project (so `yieldio` resolves to the installed tarball). */
function node(source: string, name: string): string {
  const file = join(project, name);
  writeFileSync(file, source);
  return ok(run(process.execPath, [file], project), `node ${name}`);
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'yieldio-package-test-'));
  // npm pack runs prepack (the build): a clean checkout packs dist/ too.
  ok(run('npm', ['pack', '--pack-destination', scratch, '--silent'], root), 'npm pack');
  tarball = join(scratch, 'yieldio-0.1.0.tgz');
  files = ok(run('tar', ['tzf', tarball], scratch), 'tar tzf').split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  // No dependencies, so installing the tarball needs no network.
  ok(run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], project), 'npm install <tarball>');
});

after(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds every export target, with its types and maps, a LICENSE, and no tests', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      for (const path of paths) assert.ok(files.includes(path.replace(/^\.\//, '')), `export ${entry}: ${path} is not in the tarball`);
      if (typeof target !== 'string') assert.ok(target.types !== undefined && Object.keys(target)[0] === 'types', `export ${entry}: types must come first`);
    }
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.d.ts.map', 'dist/bundle/index.js.map', 'src/tasks.ts', 'dist/internal/disposable.d.ts']) {
      assert.ok(files.includes(file), `${file} is not in the tarball`);
    }
    assert.deepEqual(files.filter((f) => /\.test(-d)?\.ts$/.test(f)), []);
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License/);
  });

  test('package.json has the fields a registry page shows', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules/yieldio/package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'author', 'license']) assert.ok(pkg[field] !== undefined, `package.json lacks ${field}`);
    assert.deepEqual(pkg.sideEffects, ['./dist/node/cli.js', './dist/node/trace.js', './dist/bundle/**', './src/node/cli.ts', './src/node/trace.ts']);
  });

  test('publint finds nothing (strict)', () => {
    const out = ok(run(bin('publint'), ['--strict', tarball], scratch), 'publint');
    assert.match(out, /All good!/);
  });

  test('attw (ESM-only profile) finds no problem', () => {
    ok(run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], scratch), 'attw');
  });

  test('declarations carry no implementation notes about internal fields (src/ keeps them)', () => {
    const installed = join(project, 'node_modules/yieldio');
    for (const [file, field] of [['tasks', '_futWaiter'], ['futures', '_state'], ['locks', '_waiters'], ['events', '_callback'], ['queues', '_unfinishedTasks']] as const) {
      assert.doesNotMatch(readFileSync(join(installed, 'dist', `${file}.d.ts`), 'utf8'), new RegExp(`\`${field}\``), `dist/${file}.d.ts mentions ${field}`);
      assert.match(readFileSync(join(installed, 'src', `${file}.ts`), 'utf8'), new RegExp(`\`${field}\``), `src/${file}.ts lost its note on ${field}`);
    }
  });

  test('source maps carry their sources; declaration maps point at shipped src/', () => {
    const map = JSON.parse(readFileSync(join(project, 'node_modules/yieldio/dist/bundle/index.js.map'), 'utf8')) as { sources: string[]; sourcesContent: string[] };
    assert.equal(map.sourcesContent.length, map.sources.length);
    const dmap = JSON.parse(readFileSync(join(project, 'node_modules/yieldio/dist/tasks.d.ts.map'), 'utf8')) as { sources: string[] };
    assert.deepEqual(dmap.sources, ['../src/tasks.ts']);
  });
});

describe('installed from the tarball', () => {
  test('each entry imports and runs in Node', () => {
    const out = node(
      `import { runSync, run, sleep, gather } from 'yieldio';
import { TestLoop } from 'yieldio/testing';
import { createSubprocessExec, PIPE } from 'yieldio/node';
import pkg from 'yieldio/package.json' with { type: 'json' };
function* twice(x) { yield* sleep(10); return x * 2; }
console.log(runSync(function* () { return yield* gather(twice(1), twice(2)); }));
console.log(await run(function* () {
  const proc = yield* createSubprocessExec(process.execPath, ['-e', 'console.log(7)'], { stdout: PIPE });
  const [out] = yield* proc.communicate();
  return String(out).trim();
}));
const loop = new TestLoop();
const task = loop.createTask(twice(21));
loop.advance(10);
console.log(task.result(), pkg.name);
`,
      'entries.mjs',
    );
    assert.equal(out, '[ 2, 4 ]\n7\n42 yieldio\n');
  });

  test("the README's first program runs as written (tsx, from the installed package) and prints what the README shows", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
    assert.match(install, /```sh\nnpm install yieldio\n```/);
    const [, program, output] = /```ts\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/.exec(install) ?? [];
    assert.ok(program !== undefined && output !== undefined, 'README ## Install has no ts block followed by its text output');
    writeFileSync(join(project, 'first.ts'), program);
    const result = run(process.execPath, ['--import', join(root, 'node_modules/tsx/dist/esm/index.mjs'), 'first.ts'], project);
    assert.equal(ok(result, 'first.ts'), output);
  });

  test('one copy of the core: a Task made through yieldio/testing is instanceof yieldio\'s Task', () => {
    const out = node(
      `import { Task, Future, EventLoop, CancelledError } from 'yieldio';
import { TestLoop } from 'yieldio/testing';
import { KeyboardInterrupt } from 'yieldio/node';
function* body() { yield* new Future(loop); }
const loop = new TestLoop();
const task = loop.createTask(body());
loop.runUntilIdle();
task.cancel();
loop.runUntilIdle();
let caught;
try { task.result(); } catch (e) { caught = e; }
console.log(task instanceof Task, task instanceof Future, loop instanceof EventLoop, caught instanceof CancelledError, typeof KeyboardInterrupt);
`,
      'identity.mjs',
    );
    assert.equal(out, 'true true true true function\n');
  });

  test('toThread finds its worker file (shipped, not a data: URL) from the bundle and from the per-file modules', () => {
    for (const file of ['dist/bundle/node/thread-worker.mjs', 'dist/node/thread-worker.mjs', 'src/node/thread-worker.mjs']) {
      assert.ok(files.includes(file), `${file} is not in the tarball`);
    }
    writeFileSync(join(project, 'work.mjs'), "export function fail(n) { throw new RangeError('n = ' + n); }\nexport const twice = (n) => 2 * n;\n");
    writeFileSync(
      join(project, 'threads.mjs'),
      `import { run } from 'yieldio';
import { toThread } from 'yieldio/node';
const work = new URL('./work.mjs', import.meta.url);
console.log(await run(function* () {
  const n = yield* toThread(work, 'twice', 21);
  try { yield* toThread(work, 'fail', n); } catch (e) { return [n, String(e), e.cause.stack.split('\\n').filter((l) => l.includes('thread-worker.mjs')).map((l) => l.replace(/^.*\\/(dist\\/.*?):\\d+:\\d+\\)?$/, '$1'))]; }
}));
`,
    );
    // Node loads the bundle (the default condition); bundlers' `module` condition, the per-file modules.
    assert.equal(ok(run(process.execPath, ['threads.mjs'], project), 'threads.mjs'), "[ 42, 'RangeError: n = 42', [ 'dist/bundle/node/thread-worker.mjs' ] ]\n");
    assert.equal(ok(run(process.execPath, ['--conditions=module', 'threads.mjs'], project), 'threads.mjs (module condition)'), "[ 42, 'RangeError: n = 42', [ 'dist/node/thread-worker.mjs' ] ]\n");
  });

  test('the declarations compile in a browser project (bundler resolution, DOM lib, no @types/node, skipLibCheck false)', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], strict: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true },
        files: ['browser.ts'],
      }),
    );
    writeFileSync(
      join(project, 'browser.ts'),
      `import { runSync, sleep, Lock, TaskGroup, Queue, asyncWith, type Coroutine, type Task, type Future, type EventLoop } from 'yieldio';
import { TestLoop } from 'yieldio/testing';
function* main(): Coroutine<number> { yield* sleep(1); return 1; }
const n: number = runSync(main());
const task: Task<number> = new TestLoop().createTask(main());
const lock = new Lock();
function* locked(): Coroutine<void> { yield* asyncWith(lock, function* () { yield* sleep(1); }); }
// Internals are not in the public types: a Task completes to its asyncio methods.
// @ts-expect-error _coro is an internal field
void task._coro;
type Internal<T> = Extract<keyof T, \`_\${string}\`>;
const none: [Internal<Task<number>>, Internal<Future<number>>, Internal<EventLoop>, Internal<TaskGroup>, Internal<Lock>, Internal<Queue<number>>, Internal<TestLoop>] extends [never, never, never, never, never, never, never] ? true : false = true;
console.log(n, task, TaskGroup, locked, none);
`,
    );
    ok(run(bin('tsc'), ['-p', 'tsconfig.json'], project), 'tsc (browser project)');
  });

  test('the declarations compile in a Node project (nodenext, @types/node, skipLibCheck false), yieldio/node included', () => {
    writeFileSync(
      join(project, 'tsconfig.node.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')], strict: true, skipLibCheck: false, noEmit: true },
        files: ['server.ts'],
      }),
    );
    writeFileSync(
      join(project, 'server.ts'),
      `import { run, type Coroutine } from 'yieldio';
import { startServer, type StreamReader, type StreamWriter } from 'yieldio/node';
function* echo(reader: StreamReader, writer: StreamWriter): Coroutine<void> { writer.write(yield* reader.read(100)); }
void run(function* () { const server = yield* startServer(echo, { host: '127.0.0.1', port: 0 }); server.close(); });
`,
    );
    ok(run(bin('tsc'), ['-p', 'tsconfig.node.json'], project), 'tsc (node project)');
  });
});

/** The three programs: each crashed after bundling while tasks.ts registered itself into base-events. */
const programs: Record<string, [string, string]> = {
  'new EventLoop().runUntilCompleteSync(main())': [
    `import { EventLoop } from 'yieldio';
function* main() { return 'main done'; }
console.log(new EventLoop().runUntilCompleteSync(main()));
`,
    'main done\n',
  ],
  'loop.runUntilCompleteSync(future)': [
    `import { EventLoop } from 'yieldio';
const loop = new EventLoop();
const future = loop.createFuture();
loop.callSoon(() => future.setResult('future done'));
console.log(loop.runUntilCompleteSync(future));
`,
    'future done\n',
  ],
  'new TestLoop().createTask(...)': [
    `import { TestLoop } from 'yieldio/testing';
function* main() { return 'task done'; }
const loop = new TestLoop();
const task = loop.createTask(main());
loop.runUntilIdle();
console.log(task.result());
`,
    'task done\n',
  ],
};

async function bundle(entry: string, conditions: 'module' | 'default', minify = false): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    entryPoints: [join(project, entry)],
    absWorkingDir: project,
    bundle: true,
    minify,
    format: 'esm',
    write: false,
    metafile: true,
    // module: the per-file modules (what bundlers tree-shake); none: default, the single-file bundles.
    platform: conditions === 'module' ? 'browser' : 'neutral',
    conditions: conditions === 'module' ? ['module'] : [],
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.contents, metafile: result.metafile };
}

describe('bundled with esbuild, sideEffects: false honoured', () => {
  let n = 0;
  for (const [name, [source, expected]] of Object.entries(programs)) {
    for (const conditions of ['module', 'default'] as const) {
      test(`${name} (${conditions} condition) runs after bundling`, async () => {
        const entry = `program-${++n}.mjs`;
        writeFileSync(join(project, entry), source);
        const { code } = await bundle(entry, conditions, true);
        const out = join(project, `bundled-${n}.mjs`);
        writeFileSync(out, code);
        assert.equal(ok(run(process.execPath, [out], project), `node ${entry} (bundled)`), expected);
      });
    }
  }
});

describe('size budget (minified, gzipped, as a bundler user gets it)', () => {
  // Issue #11's targets are 6 kB and 20 kB (not met: EventLoop and Task carry every feature's
  // methods, which no bundler can drop); these ceilings (measured + ~8%) stop regressions.
  // Measured 2026-12-01: 9.6 / 24.8 kB, 11.1 / 25.9 after the stuck-run and unretrieved reports,
  // 12.5 / 27.1 after Handle contexts and the Context mapping API; 13.8 / 35.8 after TraceRecorder
  // (its page renderer is most of the core's growth; the minimal program does not carry it);
  // 14.9 / 37.6 after the argument checks of issue #10 (misuse fails at the call); 13.8 / 37.7
  // once runSync stopped going through Runner (the stuck-run call graph is run()'s alone); 14.1 /
  // 38.0 with the #10 leftovers (a callback's rejected Promise reported, createTask's option keys).
  // 16.0 / 38.3 (before the #10 leftovers) after the failure reports of issue #14 (the tasks an
  // error left, yieldio's frames folded: every program that fails prints one, so the minimal
  // program carries the formatter). Core 39.4 after issue #12's object diet (the step's fast path
  // beside its general path, Task's own result path, accessors that keep the old field names).
  // 16.4 / 40.7 after #12's second pass, each part kept for a measured gain: the async driver as
  // a resumable object, gather's repeat check without a Set, the timer heap's bottom-up pop and
  // its own tie-breaker, Queue's put/get as state machines, the private-field coroutine claim.
  const MINIMAL_CEILING = 17_000;
  const CORE_CEILING = 41_500;

  async function measure(source: string, entry: string): Promise<{ gz: number; inputs: string[] }> {
    writeFileSync(join(project, entry), source);
    const { code, metafile } = await bundle(entry, 'module', true);
    const inputs = Object.values(metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    return { gz: gzipSync(code, { level: 9 }).length, inputs };
  }
  const minimal = `import { runSync, sleep } from 'yieldio';\nfunction* main() { yield* sleep(10); }\nrunSync(main());\n`;
  const pulls = (inputs: string[], module: string): boolean => inputs.some((i) => i.endsWith(`/dist/${module}`));

  test(`a runSync + sleep program stays under ${MINIMAL_CEILING} bytes`, async () => {
    const { gz } = await measure(minimal, 'size-minimal.mjs');
    console.log(`# runSync + sleep: ${gz} bytes gz`);
    assert.ok(gz <= MINIMAL_CEILING, `runSync + sleep is ${gz} bytes gz, over ${MINIMAL_CEILING}`);
  });

  test('a runSync + sleep program does not pull in the trace recorder, async generators, combinators, locks or queues', async () => {
    const { inputs } = await measure(minimal, 'size-minimal.mjs');
    for (const module of ['trace.js', 'diagnostics.js', 'asyncgen.js', 'asyncgen-host.js', 'combinators.js', 'taskgroups.js', 'timeouts.js', 'locks.js', 'queues.js', 'contextlib.js']) {
      assert.ok(!pulls(inputs, module), `the minimal program pulls in ${module}`);
    }
  });

  // runSync never reaches the stuck-run report (only the async driver can be stuck): it does not
  // go through Runner, whose loops describe a stuck run with the call graph.
  test('a runSync + sleep program does not pull in the call graph', async () => {
    const { inputs } = await measure(minimal, 'size-minimal.mjs');
    assert.ok(pulls(inputs, 'runners.js') && pulls(inputs, 'stuck-run.js'), 'the measurement sees the modules it does pull');
    for (const module of ['graph.js', 'internal/awaits.js']) assert.ok(!pulls(inputs, module), `the minimal program pulls in ${module}`);
  });

  test('a run() program keeps the call graph for its stuck-run report', async () => {
    const { inputs } = await measure(`import { run, sleep } from 'yieldio';\nfunction* main() { yield* sleep(10); }\nawait run(main());\n`, 'size-run.mjs');
    assert.ok(pulls(inputs, 'graph.js'), 'run() lost the call graph of its stuck-run report');
  });

  test(`the whole core stays under ${CORE_CEILING} bytes`, async () => {
    const { gz } = await measure(`export * from 'yieldio';\n`, 'size-core.mjs');
    console.log(`# whole core: ${gz} bytes gz`);
    assert.ok(gz <= CORE_CEILING, `the core is ${gz} bytes gz, over ${CORE_CEILING}`);
  });
});

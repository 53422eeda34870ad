/**
 * Seeded random asyncio programs, emitted twice: as Python for CPython's asyncio and as a
 * `function*` program for yieldio. test/random-programs.test.ts runs both and compares traces.
 *
 * A program is a tree of tasks (main spawns some, tasks spawn others) whose bodies are random ops
 * (a third of the programs run under the eager task factory): sleeps, Event wait/set/clear, Queue
 * put/get, cancel(msg) (often twice in a row, with and without messages, self-cancel included),
 * uncancel(), cancelling(), awaiting another task, gather (with and without returnExceptions),
 * shield, waitFor, TaskGroups of small children, a Lock and a Semaphore(2) held across awaits,
 * timeout blocks, `except CancelledError` blocks that re-raise or swallow (with uncancel), and
 * raised errors. Every op logs a line with the (virtual) time; main ends by cancelling what is
 * left, a few rounds, and logging each task's outcome.
 *
 * Both sides run on a virtual clock in integer units (the Python loop jumps time in its selector),
 * so a trace is exact: no real time, no rounding, no flakiness. Where asyncio leaves an order open
 * or yieldio follows a later CPython fix, the Python side is pinned to yieldio's documented choice:
 * equal deadlines fire in scheduling order, a TaskGroup cancels its children in creation order,
 * and TaskGroup.create_task has gh-128550's done callback for eagerly finished children.
 *
 * Run one by hand: `node --import tsx test/support/random-programs.ts SEED [py|ts]` prints it.
 */

/** One op of a task body. Task 0 is main; tasks are 1..n. */
type Op =
  | { k: 'sleep'; d: number }
  | { k: 'wait'; e: number }
  | { k: 'set'; e: number }
  | { k: 'clear'; e: number }
  | { k: 'put'; q: number; v: number }
  | { k: 'get'; q: number }
  | { k: 'cancel'; t: number; msg: string | null }
  | { k: 'uncancel'; t: number }
  | { k: 'cancelling'; t: number }
  | { k: 'await'; t: number }
  | { k: 'gather'; ts: number[]; rx: boolean }
  | { k: 'spawn'; t: number }
  | { k: 'timeout'; d: number; body: Op[] }
  | { k: 'catch'; body: Op[]; swallow: boolean }
  | { k: 'raise'; msg: string }
  | { k: 'shield'; t: number }
  | { k: 'waitfor'; t: number; d: number }
  | { k: 'group'; kids: { id: number; body: Op[] }[] }
  | { k: 'hold'; l: number; body: Op[] };

/** A generated program: task bodies (index 0 is main's ops), event and queue counts. */
export interface Program {
  seed: number;
  tasks: Op[][];
  events: number;
  queues: number;
  /** Lock-like primitives: index 0 a Lock, 1 a Semaphore(2). */
  locks: number;
  /** Run under the eager task factory (asyncio.eager_task_factory / eagerTaskFactory). */
  eager: boolean;
}

/** mulberry32: a small, fast, well-distributed seeded PRNG (so a seed names one program). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SLEEPS = [0, 0, 1, 2, 3, 5, 10, 20];
const TIMEOUTS = [0, 1, 2, 5, 10];

/** Generates the program for `seed`. */
export function generate(seed: number): Program {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const n = 2 + int(4);
  const events = 1 + int(2);
  const queues = int(2);
  let msgs = 0;
  const message = (): string | null => (rnd() < 0.35 ? null : `m${++msgs}`);
  const other = (self: number): number => {
    const t = 1 + int(n - 1);
    return t >= self && self > 0 ? t + 1 : t; // any task but self (main is never a target)
  };
  // Awaits and gathers point only at later tasks: a cycle of awaits makes cancel() recurse forever
  // (a RecursionError in CPython too), so the await graph is a DAG.
  const later = (self: number): number => self + 1 + int(n - self);
  let catches = 0;
  let kidCount = 0;

  function op(self: number, depth: number): Op[] {
    const r = rnd() * 110;
    const target = self > 0 && rnd() < 0.15 ? self : other(self);
    if (r < 18) return [{ k: 'sleep', d: pick(SLEEPS) }];
    // Main never blocks (no wait, get, await, gather): it must reach its final phase.
    if (r < 25) return self > 0 ? [{ k: 'wait', e: int(events) }] : [{ k: 'sleep', d: 1 }];
    if (r < 30) return [{ k: 'set', e: int(events) }];
    if (r < 32) return [{ k: 'clear', e: int(events) }];
    if (r < 36) return queues > 0 ? [{ k: 'put', q: 0, v: int(100) }] : [{ k: 'sleep', d: 1 }];
    if (r < 40) return queues > 0 && self > 0 ? [{ k: 'get', q: 0 }] : [{ k: 'sleep', d: 2 }];
    if (r < 50) return [{ k: 'cancel', t: target, msg: message() }];
    if (r < 58) {
      // Two cancellations in a row: the case where the first message must win.
      return [
        { k: 'cancel', t: target, msg: message() },
        { k: 'cancel', t: target, msg: message() },
      ];
    }
    if (r < 64) return [{ k: 'uncancel', t: target }];
    if (r < 67) return [{ k: 'cancelling', t: target }];
    if (r < 72) return self > 0 && self < n ? [{ k: 'await', t: later(self) }] : [{ k: 'sleep', d: 3 }];
    if (r < 77) {
      if (self === 0 || self === n) return [{ k: 'sleep', d: 5 }];
      const ts = [later(self)];
      if (rnd() < 0.7) ts.push(later(self));
      return [{ k: 'gather', ts, rx: rnd() < 0.5 }];
    }
    if (r < 84 && depth < 2) return [{ k: 'timeout', d: pick(TIMEOUTS), body: ops(self, depth + 1, 1 + int(3)) }];
    if (r < 92 && depth < 2 && self > 0 && catches < 3) {
      catches++;
      return [{ k: 'catch', body: ops(self, depth + 1, 1 + int(3)), swallow: rnd() < 0.6 }];
    }
    if (r < 94 && self > 0) return [{ k: 'raise', msg: `boom${self}` }];
    if (r < 96 && self > 0 && self < n) return [{ k: 'shield', t: later(self) }];
    if (r < 98 && self > 0 && self < n) return [{ k: 'waitfor', t: later(self), d: pick(TIMEOUTS) }];
    if (r < 104 && depth < 2 && self > 0) return [{ k: 'hold', l: int(2), body: ops(self, depth + 1, 1 + int(3)) }];
    if (r < 110 && depth < 2) {
      const kids = [];
      for (let i = 1 + int(3); i > 0; i--) kids.push({ id: ++kidCount, body: ops(self, depth + 1, 1 + int(3)) });
      return [{ k: 'group', kids }];
    }
    return [{ k: 'sleep', d: pick(SLEEPS) }];
  }

  function ops(self: number, depth: number, count: number): Op[] {
    const out: Op[] = [];
    for (let i = 0; i < count; i++) out.push(...op(self, depth));
    return out;
  }

  const tasks: Op[][] = [];
  for (let i = 0; i <= n; i++) {
    catches = 0;
    tasks.push(i === 0 ? ops(0, 0, 2 + int(6)) : ops(i, 0, 2 + int(5)));
  }
  // The tree: each task is spawned by main or by an earlier task, at a random top-level position.
  for (let j = 1; j <= n; j++) {
    const parent = j > 1 && rnd() < 0.35 ? 1 + int(j - 1) : 0;
    const body = tasks[parent] as Op[];
    const at = parent === 0 ? Math.min(body.length, int(3)) : int(body.length + 1);
    body.splice(at, 0, { k: 'spawn', t: j });
  }
  return { seed, tasks, events, queues, locks: 2, eager: rnd() < 0.3 };
}

/** Lines with indentation, for both emitters. */
class Out {
  lines: string[] = [];
  line(depth: number, text: string): void {
    this.lines.push('    '.repeat(depth) + text);
  }
}

const pyStr = (s: string | null): string => (s === null ? '' : `'${s}'`);

function pyOps(out: Out, ops: Op[], who: string, d: number): void {
  if (ops.length === 0) out.line(d, 'pass');
  const log = (text: string): string => `log(f"{now()} ${who} ${text}")`;
  for (const o of ops) {
    switch (o.k) {
      case 'sleep':
        out.line(d, `await asyncio.sleep(${o.d})`);
        out.line(d, log(`slept ${o.d}`));
        break;
      case 'wait':
        out.line(d, `r = await E[${o.e}].wait()`);
        out.line(d, log(`waited e${o.e} -> {fmt(r)}`));
        break;
      case 'set':
        out.line(d, `E[${o.e}].set()`);
        out.line(d, log(`set e${o.e}`));
        break;
      case 'clear':
        out.line(d, `E[${o.e}].clear()`);
        out.line(d, log(`cleared e${o.e}`));
        break;
      case 'put':
        out.line(d, `Q[${o.q}].put_nowait(${o.v})`);
        out.line(d, log(`put ${o.v}`));
        break;
      case 'get':
        out.line(d, `r = await Q[${o.q}].get()`);
        out.line(d, log(`got {fmt(r)}`));
        break;
      case 'cancel':
        out.line(d, `if T[${o.t}] is None: ${log(`cancel T${o.t} skipped`)}`);
        out.line(d, `else: ${log(`cancel(${pyStr(o.msg)}) T${o.t} -> {fmt(T[${o.t}].cancel(${pyStr(o.msg)}))}`)}`);
        break;
      case 'uncancel':
        out.line(d, `if T[${o.t}] is None: ${log(`uncancel T${o.t} skipped`)}`);
        out.line(d, `else: ${log(`uncancel T${o.t} -> {T[${o.t}].uncancel()}`)}`);
        break;
      case 'cancelling':
        out.line(d, `if T[${o.t}] is None: ${log(`cancelling T${o.t} skipped`)}`);
        out.line(d, `else: ${log(`cancelling T${o.t} -> {T[${o.t}].cancelling()}`)}`);
        break;
      case 'await':
        out.line(d, `if T[${o.t}] is None: ${log(`await T${o.t} skipped`)}`);
        out.line(d, `else:`);
        out.line(d + 1, `r = await T[${o.t}]`);
        out.line(d + 1, log(`awaited T${o.t} -> {fmt(r)}`));
        break;
      case 'gather': {
        const label = o.ts.map((t) => `T${t}`).join(',');
        out.line(d, `fs = [T[j] for j in (${o.ts.join(', ')},) if T[j] is not None]`);
        out.line(d, `if not fs: ${log(`gather ${label} skipped`)}`);
        out.line(d, `else:`);
        out.line(d + 1, `r = await asyncio.gather(*fs, return_exceptions=${o.rx ? 'True' : 'False'})`);
        out.line(d + 1, log(`gathered ${label} -> {fmt(r)}`));
        break;
      }
      case 'spawn':
        out.line(d, `T[${o.t}] = asyncio.create_task(t${o.t}())`);
        out.line(d, log(`spawned T${o.t}`));
        break;
      case 'timeout':
        out.line(d, 'try:');
        out.line(d + 1, `async with asyncio.timeout(${o.d}):`);
        pyOps(out, o.body, who, d + 2);
        out.line(d + 1, log(`timeout ${o.d} ok`));
        out.line(d, 'except TimeoutError:');
        out.line(d + 1, log(`timeout ${o.d} expired`));
        break;
      case 'catch':
        out.line(d, 'try:');
        pyOps(out, o.body, who, d + 1);
        out.line(d, 'except asyncio.CancelledError as e:');
        out.line(d + 1, log(`caught {desc(e)}`));
        if (o.swallow) out.line(d + 1, log(`swallowed, uncancel -> {asyncio.current_task().uncancel()}`));
        else out.line(d + 1, 'raise');
        break;
      case 'raise':
        out.line(d, `raise Boom('${o.msg}')`);
        break;
      case 'hold':
        out.line(d, `await L[${o.l}].acquire()`);
        out.line(d, log(`acquired l${o.l}`));
        out.line(d, 'try:');
        pyOps(out, o.body, who, d + 1);
        out.line(d, 'finally:');
        out.line(d + 1, `L[${o.l}].release()`);
        out.line(d + 1, log(`released l${o.l}`));
        break;
      case 'shield':
        out.line(d, `if T[${o.t}] is None: ${log(`shield T${o.t} skipped`)}`);
        out.line(d, `else:`);
        out.line(d + 1, `r = await asyncio.shield(T[${o.t}])`);
        out.line(d + 1, log(`shielded T${o.t} -> {fmt(r)}`));
        break;
      case 'waitfor':
        out.line(d, `if T[${o.t}] is None: ${log(`wait_for T${o.t} skipped`)}`);
        out.line(d, `else:`);
        out.line(d + 1, 'try:');
        out.line(d + 2, `r = await asyncio.wait_for(T[${o.t}], ${o.d})`);
        out.line(d + 2, log(`wait_for T${o.t} ${o.d} -> {fmt(r)}`));
        out.line(d + 1, 'except TimeoutError:');
        out.line(d + 2, log(`wait_for T${o.t} ${o.d} timed out`));
        break;
      case 'group':
        out.line(d, 'try:');
        out.line(d + 1, 'async with asyncio.TaskGroup() as tg:');
        for (const kid of o.kids) {
          const name = `${who}k${kid.id}`;
          out.line(d + 2, `async def kid${kid.id}():`);
          out.line(d + 3, 'try:');
          pyOps(out, kid.body, name, d + 4);
          out.line(d + 4, `log(f"{now()} ${name} return")`);
          out.line(d + 4, `return 'r${name}'`);
          out.line(d + 3, 'except BaseException as e:');
          out.line(d + 4, `log(f"{now()} ${name} raised {desc(e)}")`);
          out.line(d + 4, 'raise');
          out.line(d + 2, `tg.create_task(kid${kid.id}())`);
        }
        out.line(d + 1, log('group ok'));
        out.line(d, 'except ExceptionGroup as eg:');
        out.line(d + 1, log('group raised {desc(eg)}'));
        break;
    }
  }
}

function tsOps(out: Out, ops: Op[], who: string, d: number): void {
  const log = (text: string): string => `log(\`\${now()} ${who} ${text}\`);`;
  for (const o of ops) {
    switch (o.k) {
      case 'sleep':
        out.line(d, `yield* sleep(${o.d});`);
        out.line(d, log(`slept ${o.d}`));
        break;
      case 'wait':
        out.line(d, `{ const r = yield* E[${o.e}].wait(); ${log(`waited e${o.e} -> \${fmt(r)}`)} }`);
        break;
      case 'set':
        out.line(d, `E[${o.e}].set(); ${log(`set e${o.e}`)}`);
        break;
      case 'clear':
        out.line(d, `E[${o.e}].clear(); ${log(`cleared e${o.e}`)}`);
        break;
      case 'put':
        out.line(d, `Q[${o.q}].putNowait(${o.v}); ${log(`put ${o.v}`)}`);
        break;
      case 'get':
        out.line(d, `{ const r = yield* Q[${o.q}].get(); ${log(`got \${fmt(r)}`)} }`);
        break;
      case 'cancel': {
        const arg = o.msg === null ? '' : `'${o.msg}'`;
        out.line(d, `if (T[${o.t}] === null) ${log(`cancel T${o.t} skipped`)}`);
        out.line(d, `else ${log(`cancel(${pyStr(o.msg)}) T${o.t} -> \${fmt(T[${o.t}].cancel(${arg}))}`)}`);
        break;
      }
      case 'uncancel':
        out.line(d, `if (T[${o.t}] === null) ${log(`uncancel T${o.t} skipped`)}`);
        out.line(d, `else ${log(`uncancel T${o.t} -> \${T[${o.t}].uncancel()}`)}`);
        break;
      case 'cancelling':
        out.line(d, `if (T[${o.t}] === null) ${log(`cancelling T${o.t} skipped`)}`);
        out.line(d, `else ${log(`cancelling T${o.t} -> \${T[${o.t}].cancelling()}`)}`);
        break;
      case 'await':
        out.line(d, `if (T[${o.t}] === null) ${log(`await T${o.t} skipped`)}`);
        out.line(d, `else { const r = yield* T[${o.t}]; ${log(`awaited T${o.t} -> \${fmt(r)}`)} }`);
        break;
      case 'gather': {
        const label = o.ts.map((t) => `T${t}`).join(',');
        out.line(d, '{');
        out.line(d + 1, `const fs = [${o.ts.join(', ')}].map((j) => T[j]).filter((t) => t !== null);`);
        out.line(d + 1, `if (fs.length === 0) ${log(`gather ${label} skipped`)}`);
        out.line(d + 1, `else { const r = yield* gather(fs, { returnExceptions: ${o.rx} }); ${log(`gathered ${label} -> \${fmt(r)}`)} }`);
        out.line(d, '}');
        break;
      }
      case 'spawn':
        out.line(d, `T[${o.t}] = createTask(t${o.t}()); ${log(`spawned T${o.t}`)}`);
        break;
      case 'timeout':
        out.line(d, 'try {');
        out.line(d + 1, `yield* timeout(${o.d}, function* () {`);
        tsOps(out, o.body, who, d + 2);
        out.line(d + 1, '});');
        out.line(d + 1, log(`timeout ${o.d} ok`));
        out.line(d, '} catch (e) {');
        out.line(d + 1, 'if (!(e instanceof TimeoutError)) throw e;');
        out.line(d + 1, log(`timeout ${o.d} expired`));
        out.line(d, '}');
        break;
      case 'catch':
        out.line(d, 'try {');
        tsOps(out, o.body, who, d + 1);
        out.line(d, '} catch (e) {');
        out.line(d + 1, 'if (!(e instanceof CancelledError)) throw e;');
        out.line(d + 1, log(`caught \${desc(e)}`));
        if (o.swallow) out.line(d + 1, log(`swallowed, uncancel -> \${currentTask().uncancel()}`));
        else out.line(d + 1, 'throw e;');
        out.line(d, '}');
        break;
      case 'raise':
        out.line(d, `throw new Boom('${o.msg}');`);
        break;
      case 'hold':
        out.line(d, `yield* L[${o.l}].acquire();`);
        out.line(d, log(`acquired l${o.l}`));
        out.line(d, 'try {');
        tsOps(out, o.body, who, d + 1);
        out.line(d, '} finally {');
        out.line(d + 1, `L[${o.l}].release();`);
        out.line(d + 1, log(`released l${o.l}`));
        out.line(d, '}');
        break;
      case 'shield':
        out.line(d, `if (T[${o.t}] === null) ${log(`shield T${o.t} skipped`)}`);
        out.line(d, `else { const r = yield* shield(T[${o.t}]); ${log(`shielded T${o.t} -> \${fmt(r)}`)} }`);
        break;
      case 'waitfor':
        out.line(d, `if (T[${o.t}] === null) ${log(`wait_for T${o.t} skipped`)}`);
        out.line(d, 'else {');
        out.line(d + 1, 'try {');
        out.line(d + 2, `const r = yield* waitFor(T[${o.t}], ${o.d}); ${log(`wait_for T${o.t} ${o.d} -> \${fmt(r)}`)}`);
        out.line(d + 1, '} catch (e) {');
        out.line(d + 2, 'if (!(e instanceof TimeoutError)) throw e;');
        out.line(d + 2, log(`wait_for T${o.t} ${o.d} timed out`));
        out.line(d + 1, '}');
        out.line(d, '}');
        break;
      case 'group':
        out.line(d, 'try {');
        out.line(d + 1, 'yield* taskGroup(function* (tg) {');
        for (const kid of o.kids) {
          const name = `${who}k${kid.id}`;
          out.line(d + 2, `function* kid${kid.id}() {`);
          out.line(d + 3, 'try {');
          tsOps(out, kid.body, name, d + 4);
          out.line(d + 4, `log(\`\${now()} ${name} return\`);`);
          out.line(d + 4, `return 'r${name}';`);
          out.line(d + 3, '} catch (e) {');
          out.line(d + 4, `log(\`\${now()} ${name} raised \${desc(e)}\`);`);
          out.line(d + 4, 'throw e;');
          out.line(d + 3, '}');
          out.line(d + 2, '}');
          out.line(d + 2, `tg.createTask(kid${kid.id}());`);
        }
        out.line(d + 1, '});');
        out.line(d + 1, log('group ok'));
        out.line(d, '} catch (e) {');
        out.line(d + 1, 'if (!(e instanceof ExceptionGroup)) throw e;');
        out.line(d + 1, log('group raised \${desc(e)}'));
        out.line(d, '}');
        break;
    }
  }
}

const FINAL_ROUNDS = 6;

/** The program as an `async def prog_SEED(log)` for CPython (helpers come from `pythonPrelude`). */
export function toPython(p: Program): string {
  const out = new Out();
  const n = p.tasks.length - 1;
  out.line(0, `async def prog_${p.seed}(log):`);
  out.line(1, 'loop = asyncio.get_running_loop()');
  if (p.eager) out.line(1, 'loop.set_task_factory(asyncio.eager_task_factory)');
  out.line(1, 'now = lambda: int(loop.time())');
  out.line(1, `E = [asyncio.Event() for _ in range(${p.events})]`);
  out.line(1, `Q = [asyncio.Queue() for _ in range(${p.queues})]`);
  out.line(1, 'L = [asyncio.Lock(), asyncio.Semaphore(2)]');
  out.line(1, `T = [None] * ${n + 1}`);
  for (let i = 1; i <= n; i++) {
    out.line(1, `async def t${i}():`);
    out.line(2, 'try:');
    pyOps(out, p.tasks[i] as Op[], `T${i}`, 3);
    out.line(3, log(i, 'return'));
    out.line(3, `return 'r${i}'`);
    out.line(2, 'except BaseException as e:');
    out.line(3, log(i, 'raised {desc(e)}'));
    out.line(3, 'raise');
  }
  pyOps(out, p.tasks[0] as Op[], 'M', 1);
  out.line(1, `for _ in range(${FINAL_ROUNDS}):`);
  out.line(2, 'await asyncio.sleep(200)');
  out.line(2, `pending = [j for j in range(1, ${n + 1}) if T[j] is not None and not T[j].done()]`);
  out.line(2, 'if not pending: break');
  out.line(2, "for j in pending: log(f'{now()} M final cancel T{j} -> {fmt(T[j].cancel())}')");
  out.line(1, `for j in range(1, ${n + 1}): log(f'T{j}: {outcome(T[j])}')`);
  return out.lines.join('\n') + '\n';

  function log(i: number, text: string): string {
    return `log(f"{now()} T${i} ${text}")`;
  }
}

/** The program as a `function*` main for yieldio, taking the yieldio exports and `log`. */
export function toTypeScript(p: Program): string {
  const out = new Out();
  const n = p.tasks.length - 1;
  out.line(0, `return function* prog_${p.seed}() {`);
  out.line(1, 'const loop = getRunningLoop();');
  if (p.eager) out.line(1, 'loop.setTaskFactory(eagerTaskFactory);');
  out.line(1, 'const now = () => loop.time();');
  out.line(1, `const E = Array.from({ length: ${p.events} }, () => new Event());`);
  out.line(1, `const Q = Array.from({ length: ${p.queues} }, () => new Queue());`);
  out.line(1, 'const L = [new Lock(), new Semaphore(2)];');
  out.line(1, `const T = new Array(${n + 1}).fill(null);`);
  for (let i = 1; i <= n; i++) {
    out.line(1, `function* t${i}() {`);
    out.line(2, 'try {');
    tsOps(out, p.tasks[i] as Op[], `T${i}`, 3);
    out.line(3, `log(\`\${now()} T${i} return\`);`);
    out.line(3, `return 'r${i}';`);
    out.line(2, '} catch (e) {');
    out.line(3, `log(\`\${now()} T${i} raised \${desc(e)}\`);`);
    out.line(3, 'throw e;');
    out.line(2, '}');
    out.line(1, '}');
  }
  tsOps(out, p.tasks[0] as Op[], 'M', 1);
  out.line(1, `for (let round = 0; round < ${FINAL_ROUNDS}; round++) {`);
  out.line(2, 'yield* sleep(200);');
  out.line(2, `const pending = T.map((t, j) => j).filter((j) => j > 0 && T[j] !== null && !T[j].done());`);
  out.line(2, 'if (pending.length === 0) break;');
  out.line(2, 'for (const j of pending) log(`${now()} M final cancel T${j} -> ${fmt(T[j].cancel())}`);');
  out.line(1, '}');
  out.line(1, `for (let j = 1; j <= ${n}; j++) log(\`T\${j}: \${outcome(T[j])}\`);`);
  out.line(0, '};');
  return out.lines.join('\n') + '\n';
}

/** Python helpers shared by every program: the virtual-time loop, fmt/desc/outcome, the driver. */
export const pythonPrelude = `import asyncio, heapq, itertools, sys


class Boom(Exception):
    pass


class Deadlock(BaseException):
    pass


class _Timer(asyncio.TimerHandle):
    # Equal deadlines fire in scheduling order, as in yieldio's timer heap (asyncio leaves it open).
    __slots__ = ('_seq',)

    def __lt__(self, other):
        return (self._when, self._seq) < (other._when, other._seq)


class _OrderedSet(dict):
    # TaskGroup keeps its tasks in a set, so CPython cancels them in hash (address) order; pin it
    # to creation order, yieldio's order, as _Timer pins equal deadlines.
    def add(self, item):
        self[item] = None

    def discard(self, item):
        self.pop(item, None)


_taskgroup_init = asyncio.TaskGroup.__init__


def _ordered_taskgroup_init(self):
    _taskgroup_init(self)
    self._tasks = _OrderedSet()


asyncio.TaskGroup.__init__ = _ordered_taskgroup_init


def _create_task(self, coro, *, name=None, context=None):
    # 3.13.0 predates gh-128550 (it skipped the done callback for a child that finished eagerly);
    # yieldio's TaskGroup.createTask follows the fix, and gh-155418 (src/taskgroups.ts).
    if not self._entered:
        coro.close()
        raise RuntimeError(f'TaskGroup {self!r} has not been entered')
    if self._exiting and not self._tasks:
        coro.close()
        raise RuntimeError(f'TaskGroup {self!r} is finished')
    if self._aborting:
        coro.close()
        raise RuntimeError(f'TaskGroup {self!r} is shutting down')
    task = self._loop.create_task(coro, name=name, context=context)
    self._tasks.add(task)
    task.add_done_callback(self._on_task_done)
    if self._aborting and not task.done():
        task.cancel()
    return task


asyncio.TaskGroup.create_task = _create_task


class _Selector:
    # No I/O: "waiting" for the next timer jumps virtual time to it.
    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout):
        if timeout is None:
            raise Deadlock()
        self.loop._vt += timeout
        return []

    def close(self):
        pass


class VirtualLoop(asyncio.BaseEventLoop):
    def __init__(self):
        super().__init__()
        self._vt = 0
        self._seqs = itertools.count()
        self._selector = _Selector(self)

    def time(self):
        return self._vt

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        timer = _Timer(when, callback, args, self, context)
        timer._seq = next(self._seqs)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass


def desc(e):
    if isinstance(e, asyncio.CancelledError):
        m = e.args[0] if e.args else ''
        return f"Cancelled('{m}')" if m else 'Cancelled()'
    if isinstance(e, TimeoutError):
        return 'Timeout'
    if isinstance(e, Boom):
        return f"Boom('{e}')"
    if isinstance(e, BaseExceptionGroup):
        return 'Group' + fmt(list(e.exceptions))
    return f'Other({e})'


def fmt(v):
    if v is None or isinstance(v, bool):
        return str(v)
    if isinstance(v, list):
        return '[' + ', '.join(fmt(x) for x in v) + ']'
    if isinstance(v, BaseException):
        return desc(v)
    return str(v)


def outcome(t):
    if t is None:
        return 'never created'
    if not t.done():
        return 'STUCK'
    if t.cancelled():
        try:
            t.result()
        except asyncio.CancelledError as e:
            return 'cancelled ' + desc(e)
    e = t.exception()
    return 'raised ' + desc(e) if e is not None else 'returned ' + fmt(t.result())


def drive(seed, prog):
    lines = []
    state = {'open': True}

    def log(line):
        if state['open']:
            lines.append(line)

    async def main():
        try:
            await prog(log)
        finally:
            state['open'] = False

    try:
        with asyncio.Runner(loop_factory=VirtualLoop) as runner:
            runner.run(main())
    except Deadlock:
        lines.append('DEADLOCK')
    print(f'=== seed {seed}')
    for line in lines:
        print(line)
`;

/** The yieldio side of fmt/desc/outcome (mirrors pythonPrelude). */
export function makeHelpers(y: typeof import('../../src/index.ts')) {
  class Boom extends Error {
    override name = 'Boom';
  }
  const py = (b: boolean): string => (b ? 'True' : 'False');
  const desc = (e: unknown): string => {
    if (e instanceof y.CancelledError) return e.message ? `Cancelled('${e.message}')` : 'Cancelled()';
    if (e instanceof y.TimeoutError) return 'Timeout';
    if (e instanceof Boom) return `Boom('${e.message}')`;
    if (e instanceof y.ExceptionGroup) return `Group${fmt([...e.exceptions])}`;
    return `Other(${(e as Error)?.message})`;
  };
  const fmt = (v: unknown): string => {
    if (v === undefined || v === null) return 'None';
    if (typeof v === 'boolean') return py(v);
    if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
    if (v instanceof Error) return desc(v);
    return String(v);
  };
  const outcome = (t: import('../../src/index.ts').Task<unknown> | null): string => {
    if (t === null) return 'never created';
    if (!t.done()) return 'STUCK';
    if (t.cancelled()) {
      try {
        t.result();
      } catch (e) {
        return `cancelled ${desc(e)}`;
      }
    }
    const e = t.exception();
    return e !== null ? `raised ${desc(e)}` : `returned ${fmt(t.result())}`;
  };
  return { Boom, desc, fmt, outcome };
}

const HELPER_NAMES = ['Boom', 'desc', 'fmt', 'outcome'] as const;
const YIELDIO_NAMES = ['sleep', 'eagerTaskFactory', 'createTask', 'currentTask', 'getRunningLoop', 'Event', 'Queue', 'gather', 'timeout', 'CancelledError', 'TimeoutError', 'shield', 'waitFor', 'taskGroup', 'ExceptionGroup', 'Lock', 'Semaphore'] as const;

/** Runs the program for `seed` under yieldio (runSync, virtual clock) and returns its trace. */
export function runYieldio(y: typeof import('../../src/index.ts'), p: Program): string[] {
  const helpers = makeHelpers(y);
  const lines: string[] = [];
  let open = true;
  const log = (line: string): void => {
    if (open) lines.push(line);
  };
  const factory = new Function(...YIELDIO_NAMES, ...HELPER_NAMES, 'log', toTypeScript(p)) as (
    ...args: unknown[]
  ) => () => import('../../src/index.ts').Coroutine<void>;
  const prog = factory(...YIELDIO_NAMES.map((name) => y[name]), ...HELPER_NAMES.map((name) => helpers[name]), log);
  try {
    y.runSync(function* () {
      try {
        yield* prog();
      } finally {
        open = false;
      }
    });
  } catch (error) {
    if (error instanceof y.RuntimeError && /cannot finish/.test(error.message)) lines.push('DEADLOCK');
    else throw error;
  }
  return lines;
}

/** A stand-alone TypeScript file for one seed (written next to the Python twin when a seed fails). */
export function toTypeScriptFile(p: Program): string {
  return [
    `// Random program, seed ${p.seed} (test/support/random-programs.ts). Run: node --import tsx THIS_FILE`,
    '// @ts-nocheck',
    `import * as y from '${new URL('../../src/index.ts', import.meta.url).pathname}';`,
    `import { generate, runYieldio } from '${new URL('./random-programs.ts', import.meta.url).pathname}';`,
    '/* The program, as runYieldio evaluates it:',
    toTypeScript(p).replaceAll('*/', '* /'),
    '*/',
    `for (const line of runYieldio(y, generate(${p.seed}))) console.log(line);`,
    '',
  ].join('\n');
}

/** A stand-alone Python file for one seed. */
export function toPythonFile(p: Program): string {
  return `${pythonPrelude}\n\n${toPython(p)}\n\ndrive(${p.seed}, prog_${p.seed})\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seed = Number(process.argv[2] ?? 1);
  const program = generate(seed);
  process.stdout.write(process.argv[3] === 'ts' ? toTypeScript(program) : toPythonFile(program));
}

// Twin of contextvars_mapping.py.
import { ContextVar, copyContext, runSync, type Coroutine } from '../../src/index.ts';

type Log = (line: string) => void;
const py = (b: boolean): string => (b ? 'True' : 'False');
const list = (items: unknown[]): string => `[${items.map((x) => (typeof x === 'string' ? `'${x}'` : Array.isArray(x) ? `(${x.map((y) => (typeof y === 'string' ? `'${y}'` : String(y))).join(', ')})` : String(x))).join(', ')}]`;

export default function main(log: Log): void {
  const v = new ContextVar<number>('x', { default: 1 });
  const w = new ContextVar<string>('y');
  runSync(function* (): Coroutine<void> {
    v.set(3);
    w.set('b');
    const ctx = copyContext();
    const ours = (k: ContextVar<unknown>): boolean => k === v || k === w;
    log(`len ${ctx.size} get ${ctx.get(v)} has ${py(ctx.has(w))}`);
    const byName = (a: ContextVar<unknown>, b: ContextVar<unknown>): number => a.name.localeCompare(b.name);
    log(`keys ${list([...ctx.keys()].filter(ours).map((k) => k.name).sort())}`);
    log(`values ${list([...ctx].filter(ours).sort(byName).map((k) => ctx.get(k)))}`);
    log(`items ${list([...ctx.entries()].filter(([k]) => ours(k)).sort(([a], [b]) => byName(a, b)).map(([k, val]) => [k.name, val]))}`);
    const t = v.set(4);
    log(`token repr starts ${String(t).replace(/>>$/, '')}`);
    v.reset(t);
    log(`used token repr starts ${String(t).split(' var=')[0]}`);
    try {
      v.reset(t);
    } catch (e) {
      log(`reset twice: ${py((e as Error).message.endsWith('has already been used once'))}`);
    }
    try {
      ctx.get(1 as never);
    } catch (e) {
      log(`get(1): ${(e as Error).message}`);
    }
    try {
      new ContextVar(1 as never);
    } catch (e) {
      log(`non-string name: ${py((e as Error).message.startsWith('context variable name must be a str'))}`);
    }
    try {
      (v as { name: string }).name = 'z';
    } catch {
      log(`name read-only: ${v.name}`);
    }
  });
  log(`outside: ${v.get()} ${w.get('unset')}`);
}

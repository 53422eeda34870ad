// bench/targets.ts turns a run's rows into BENCHMARKS.md's Targets section: the verdicts are
// computed, so the computation is tested here on made-up rows (no benchmark is run).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { targets, targetsSection } from '../bench/targets.ts';
import type { BenchGroup, BenchRow } from '../bench/harness.ts';

function group(id: string): BenchGroup {
  return { id, title: id, ops: 1, opName: 'op', cases: [] };
}

function row(g: BenchGroup, name: string, cold: number, warm: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { group: g, name, cold, warm, maxRssMB: null, ...extra };
}

/** The table line of the target whose workload starts with `prefix`. */
function line(section: string[], prefix: string): string {
  const found = section.find((l) => l.startsWith(`| ${prefix}`));
  assert.ok(found !== undefined, `no row for ${prefix} in:\n${section.join('\n')}`);
  return found;
}

describe('bench/targets.ts: the Targets section', () => {
  test('every target names a group and a subject; a compared kind names an anchor', () => {
    for (const t of targets) {
      assert.ok(t.group.length > 0 && t.subject.length > 0, t.workload);
      if (t.kind === 'max-ratio' || t.kind === 'min-speedup' || t.kind === 'not-above-anchor') assert.ok(t.anchor !== undefined, t.workload);
      assert.ok(t.cold !== undefined || t.warm !== undefined, `${t.workload}: no limit to judge`);
    }
  });

  test('max-ratio: met with its margin, or not met with how far over, per column', () => {
    const g = group('taskgroup-100k');
    const met = targetsSection([row(g, 'yieldio runSync() taskGroup', 110, 100), row(g, 'native async (await null) + Promise.all', 100, 100)], [g]);
    assert.match(line(met, 'TaskGroup'), /\| 1\.10× \| 1\.00× \| met: cold 8% under \|$/);
    const over = targetsSection([row(g, 'yieldio runSync() taskGroup', 150, 130), row(g, 'native async (await null) + Promise.all', 100, 100)], [g]);
    assert.match(line(over, 'TaskGroup'), /\| 1\.50× \| 1\.30× \| \*\*not met\*\*: cold 25% over, warm 8% over \|$/);
  });

  test('min-speedup: the anchor over the subject; "short" when below the limit (asyncio matched by prefix)', () => {
    const g = group('queue-pc-10x10');
    const s = targetsSection([row(g, 'yieldio runSync()', 100, 50), row(g, 'asyncio (CPython 3.13)', 1000, 1000)], [g]);
    assert.match(line(s, 'Queue(100)'), /\| 10\.00× \| 20\.00× \| \*\*not met\*\*: cold 17% short \|$/);
  });

  test('a cold-only target judges cold and shows warm unjudged', () => {
    const g = group('gather-100k');
    const s = targetsSection([row(g, 'yieldio runSync() gather(coroutines)', 140, 300), row(g, 'native async (await null) + Promise.all', 100, 100)], [g]);
    assert.match(line(s, 'gather'), /\| 1\.40× \| 3\.00× \| met: 7% under \|$/);
  });

  test('max-rss, max-value and not-above-anchor', () => {
    const spawn = group('spawn-join-1M');
    const rss = targetsSection([row(spawn, 'yieldio runSync()', 1, 1, { maxRssMB: 480 }), row(spawn, 'native async + Promise.all', 1, 1)], [spawn]);
    assert.match(line(rss, 'spawn + join 1,000,000 tasks, runSync: peak RSS'), /\| 480 MB \| {2}\| \*\*not met\*\*: cold 20% over \|$/);
    const virt = group('timers-100k-virtual');
    const v = targetsSection([row(virt, 'yieldio runSync() (virtual clock)', 90, 80)], [virt]);
    assert.match(line(v, 'the same 100,000 sleeps'), /\| 90\.0 ms \| 80\.0 ms \| met: cold 10% under \|$/);
    const timers = group('timers-100k');
    const t = targetsSection([row(timers, 'yieldio run(): tasks that sleep', 0.8, 0.5), row(timers, 'setTimeout callbacks', -0.8, 0.6)], [timers]);
    assert.match(line(t, '100,000 random sleeps'), /\| \+1\.6 ms \| −0\.1 ms \| \*\*not met\*\*: cold 1\.6 ms over \|$/);
  });

  test('a case that failed or did not run gives "no measurement" with the reason, not a verdict', () => {
    const g = group('tcp-bulk');
    const failed = targetsSection(
      [row(g, 'yieldio run(): write + drain, read(64 KiB)', NaN, NaN, { failure: 'did not finish in 180 s' }), row(g, 'raw net: write / drain event, data events', 1, 1)],
      [g],
    );
    assert.match(line(failed, 'TCP bulk'), /no measurement: "yieldio run\(\): write \+ drain, read\(64 KiB\)" did not finish in 180 s \|$/);
    const missing = targetsSection([row(g, 'yieldio run(): write + drain, read(64 KiB)', 1, 1)], [g]);
    assert.match(line(missing, 'TCP bulk'), /no measurement: "raw net: write \/ drain event, data events" did not run \|$/);
  });

  test('targets of groups that did not run are left out; no group, no section', () => {
    const g = group('tcp-bulk');
    const s = targetsSection([row(g, 'yieldio run(): write + drain, read(64 KiB)', 1, 1), row(g, 'raw net: write / drain event, data events', 1, 1)], [g]);
    assert.equal(s.filter((l) => l.startsWith('| ') && !l.startsWith('| workload') && !l.startsWith('| ---')).length, 1);
    assert.deepEqual(targetsSection([], [group('nothing-here')]), []);
  });
});

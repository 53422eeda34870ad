// Runs one case of one group in this process and prints a JSON line: the cold time (the first run
// in this fresh process; the module import is done before it, outside the timed region), the
// warm repetitions after it, and peak RSS. BENCH_REPEAT overrides the group's repetitions.
import { pathToFileURL } from 'node:url';
import type { BenchGroup } from './harness.ts';

const [file, groupId, caseName] = process.argv.slice(2);
const mod = (await import(pathToFileURL(file as string).href)) as { groups: BenchGroup[] };
const group = mod.groups.find((g) => g.id === groupId);
const bench = group?.cases.find((c) => c.name === caseName);
if (!group || !bench) throw new Error(`no case ${groupId}/${caseName} in ${file}`);
const repeat = process.env.BENCH_REPEAT !== undefined ? Number(process.env.BENCH_REPEAT) : (bench.repeat ?? group.repeat ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
const times: number[] = [];
for (let i = 0; i <= repeat; i++) {
  gc?.();
  const start = performance.now();
  const reported = await bench.run();
  times.push(typeof reported === 'number' ? reported : performance.now() - start);
}
const [cold, ...warm] = times as [number, ...number[]];
console.log(JSON.stringify({ cold, warm, maxRssMB: process.resourceUsage().maxRSS / 1024 }));

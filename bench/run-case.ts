// Runs one case of one group in this process and prints a JSON line: timings and peak RSS.
import { pathToFileURL } from 'node:url';
import type { BenchGroup } from './harness.ts';

const [file, groupId, caseName] = process.argv.slice(2);
const mod = (await import(pathToFileURL(file as string).href)) as { groups: BenchGroup[] };
const group = mod.groups.find((g) => g.id === groupId);
const bench = group?.cases.find((c) => c.name === caseName);
if (!group || !bench) throw new Error(`no case ${groupId}/${caseName} in ${file}`);
const repeat = group.repeat ?? 5;
const gc = (globalThis as { gc?: () => void }).gc;
const times: number[] = [];
for (let i = 0; i <= repeat; i++) {
  gc?.();
  const start = performance.now();
  const reported = await bench.run();
  const ms = typeof reported === 'number' ? reported : performance.now() - start;
  if (i > 0) times.push(ms); // the first run is the warm-up
}
console.log(JSON.stringify({ times, maxRssMB: process.resourceUsage().maxRSS / 1024 }));

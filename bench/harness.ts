/**
 * The benchmark format. A `bench/*.bench.ts` file exports `groups`: each group is one workload,
 * measured with several implementations side by side (yieldio first, then the anchors).
 * `bench/run.ts` runs every case in its own Node process (clean JIT state, and its own peak RSS),
 * runs the asyncio twins (`bench/*.py`), and writes BENCHMARKS.md with the ratios.
 */

/** One implementation of a workload. `run` does the whole workload once. */
export interface BenchCase {
  name: string;
  run: () => void | Promise<void>;
}

/** One workload with its implementations; `ops` is what "per op" divides by. */
export interface BenchGroup {
  id: string;
  title: string;
  ops: number;
  opName: string;
  cases: BenchCase[];
  /** The targets from the issue, in words (shown in BENCHMARKS.md). */
  target?: string;
  /** How many timed repetitions (after one warm-up); default 5. */
  repeat?: number;
}

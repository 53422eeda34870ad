/**
 * The benchmark format. A `bench/*.bench.ts` file exports `groups`: each group is one workload,
 * measured with several implementations side by side (yieldio first, then the anchors).
 * `bench/run.ts` runs every case in its own Node process (clean JIT state, and its own peak RSS),
 * runs the asyncio twins (`bench/*.py`), and writes BENCHMARKS.md with the ratios.
 */

/**
 * One implementation of a workload. `run` does the whole workload once. If it returns a number,
 * that number is the measurement (the group's `metric`), instead of the wall time of the call.
 */
export interface BenchCase {
  name: string;
  run: () => void | number | Promise<void | number>;
  /** Warm repetitions for this case only (a slow peer), instead of the group's. */
  repeat?: number;
  /** Skipped by `--quick` (one run takes tens of seconds); reported as skipped, not dropped. */
  slow?: boolean;
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
  /** What the measured number is when cases return one (default: wall time of `run`, ms). */
  metric?: string;
  /** The unit of `metric` (default ms). */
  unit?: string;
  /** How many timed repetitions (after one warm-up); default 5. */
  repeat?: number;
}

/** One case's result in a run: `failure` says why it has no numbers (out of memory, timeout). */
export interface BenchRow {
  group: BenchGroup;
  name: string;
  cold: number;
  warm: number;
  maxRssMB: number | null;
  failure?: string;
}

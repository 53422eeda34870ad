/**
 * Runs one scenario under every flavour of the core (style.md §6.7), the way CPython's
 * BaseTaskTests runs over the Python and C tasks: lazy and eager task factories, driven by
 * `runSync` (virtual clock) and by `run` with `clock: 'virtual'`.
 * Write the scenario once as a coroutine function; `flavours()` registers one node:test per flavour.
 */
import { test } from 'node:test';
import { run, runSync } from '../../src/runners.ts';
import { getRunningLoop } from '../../src/events.ts';
import { eagerTaskFactory } from '../../src/tasks.ts';
import type { Coroutine } from '../../src/types.ts';

/** One way to run a scenario. */
export interface Flavour {
  /** `lazy/runSync`, `eager/run`, ... (part of the test title). */
  name: string;
  /** Whether new tasks start eagerly (eagerTaskFactory). */
  eager: boolean;
  /** `runSync` (synchronous driver) or `run` (async driver), both on the virtual clock. */
  driver: 'runSync' | 'run';
}

/** Every flavour, in the order tests are registered. */
export const FLAVOURS: readonly Flavour[] = [
  { name: 'lazy/runSync', eager: false, driver: 'runSync' },
  { name: 'eager/runSync', eager: true, driver: 'runSync' },
  { name: 'lazy/run', eager: false, driver: 'run' },
  { name: 'eager/run', eager: true, driver: 'run' },
];

/** Runs `main(flavour)` on a fresh loop of that flavour; resolves with its result. */
export async function runIn<T>(flavour: Flavour, main: (flavour: Flavour) => Coroutine<T>): Promise<T> {
  function* wrapped(): Coroutine<T> {
    if (flavour.eager) getRunningLoop().setTaskFactory(eagerTaskFactory);
    return yield* main(flavour);
  }
  if (flavour.driver === 'runSync') return runSync(wrapped);
  return run(wrapped, { clock: 'virtual' });
}

/**
 * Registers `title [flavour]` for every flavour (or those `only` keeps). The scenario gets the
 * flavour so it can state the one place where eager and lazy differ.
 */
export function flavours(
  title: string,
  main: (flavour: Flavour) => Coroutine<void>,
  only: (flavour: Flavour) => boolean = () => true,
): void {
  for (const flavour of FLAVOURS) {
    if (!only(flavour)) continue;
    test(`${title} [${flavour.name}]`, () => runIn(flavour, main));
  }
}

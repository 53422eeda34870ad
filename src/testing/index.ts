/**
 * yieldio/testing: a loop whose time moves only when told, and helpers for test runners
 * (node:test, vitest, or any runner that awaits a Promise). No `node:` import: runs anywhere.
 * Every name is listed here on purpose.
 * @module
 */
export { TestLoop } from './test-loop.ts';
export type { TestLoopOptions } from './test-loop.ts';
export { asyncTest } from './async-test.ts';
export type { AsyncTestOptions } from './async-test.ts';
export { fixture, useFixture } from './fixture.ts';
export type { Fixture, FixtureBody } from './fixture.ts';

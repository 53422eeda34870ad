/**
 * Tiny snapshot helper for the tour and example tests: compares text with a reviewed file under
 * test/snapshots/. `UPDATE_SNAPSHOTS=1` writes the files instead (review the diff before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'snapshots');

export function matchSnapshot(actual: string, name: string): void {
  const path = join(dir, name);
  if (process.env['UPDATE_SNAPSHOTS'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual.endsWith('\n') ? actual : actual + '\n');
    return;
  }
  assert.ok(existsSync(path), `missing snapshot ${name}: run with UPDATE_SNAPSHOTS=1 and review it`);
  assert.equal(actual.endsWith('\n') ? actual : actual + '\n', readFileSync(path, 'utf8'));
}

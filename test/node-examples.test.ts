import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const transcript = [
  'client: send "hello"',
  'server: received "hello"',
  'client: got "HELLO"',
  'client: send "yieldio streams"',
  'server: received "yieldio streams"',
  'client: got "YIELDIO STREAMS"',
  'client: send "goodbye"',
  'server: received "goodbye"',
  'client: got "GOODBYE"',
  'server: client sent EOF, closing',
  'client: server closed the connection (0 more bytes)',
  'server: closed',
];

describe('examples/echo-server.ts (yieldio/node streams over loopback)', () => {
  test('imported: main() prints the same transcript every time', async () => {
    const { main } = await import('../examples/echo-server.ts');
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]): void => {
      lines.push(args.map(String).join(' '));
    };
    try {
      await main();
    } finally {
      console.log = log;
    }
    assert.deepEqual(lines, transcript);
  });

  test('run as a script: the transcript on stdout, exit status 0 (nothing left open keeps Node alive)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'examples/echo-server.ts'], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, transcript.join('\n') + '\n');
  });
});

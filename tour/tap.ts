/**
 * The tour's testing chapters run a real test file with `node --test --test-reporter=tap`; this
 * turns the TAP into the tree of suites and tests with ✔ / ✖ and no durations, so the chapter's
 * output reads the same on every run. TAP reports a test when it ends, children first.
 */

interface TapNode {
  name: string;
  ok: boolean;
  skipped: boolean;
  children: TapNode[];
  error?: string;
}

/** The test tree of a TAP stream, one line per test, and a last line with the counts. */
export function summarizeTap(tap: string): string {
  const pending: TapNode[][] = [[]];
  let passed = 0;
  let failed = 0;
  let lastFailed: TapNode | undefined;
  let errorBlock = false; // `error: |-`: the message is on the next line
  for (const line of tap.split('\n')) {
    const m = /^( *)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (m === null) {
      if (lastFailed === undefined || lastFailed.error !== undefined) continue;
      if (errorBlock && line.trim() !== '') {
        lastFailed.error = line.trim();
        errorBlock = false;
      }
      const error = /^\s+error: (.*)$/.exec(line);
      if (error === null) continue;
      const value = (error[1] ?? '').trim();
      if (/^[|>][-+]?$/.test(value)) errorBlock = true;
      else lastFailed.error = value.replace(/^'(.*)'$/, '$1');
      continue;
    }
    const nesting = Math.floor((m[1] as string).length / 4);
    const children = pending[nesting + 1] ?? [];
    pending[nesting + 1] = [];
    const node: TapNode = { name: m[3] as string, ok: m[2] === 'ok', skipped: m[4] !== undefined, children };
    lastFailed = node.ok ? undefined : node;
    errorBlock = false;
    if (children.length === 0) {
      if (node.ok) passed++;
      else failed++;
    }
    (pending[nesting] ??= []).push(node);
  }
  const lines: string[] = [];
  const print = (node: TapNode, depth: number): void => {
    const mark = node.skipped ? '-' : node.ok ? '✔' : '✖';
    const error = node.error !== undefined && node.error !== '' && node.children.length === 0 ? `: ${node.error}` : '';
    lines.push(`${'  '.repeat(depth)}${mark} ${node.name}${error}`);
    for (const child of node.children) print(child, depth + 1);
  };
  for (const node of pending[0] ?? []) print(node, 0);
  lines.push(`tests: ${passed} passed, ${failed} failed`);
  return lines.join('\n');
}

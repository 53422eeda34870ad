/**
 * House rules no compiler checks (style.md §6.8, §7.13):
 * - nothing under src/ outside src/node/ imports a `node:` module (the core runs in any runtime);
 * - no `.only(` in tests;
 * - every `export function|class|const` in src/ (not tests, not internal/) has a JSDoc block above it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems: string[] = [];

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

for (const file of walk(join(root, 'src'))) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const isTest = /\.test(-d)?\.ts$/.test(rel);
  const isNode = rel.startsWith('src/node/');
  if (!isNode && !isTest && /from\s+['"]node:|import\(\s*['"]node:|require\(\s*['"]node:/.test(text)) {
    problems.push(`${rel}: imports a node: module; only src/node/ may (the yieldio entry must run in browsers, Deno and Bun)`);
  }
  if (isTest && /\b(it|test|describe)\.only\(/.test(text)) problems.push(`${rel}: focused test (.only) hides the rest of the suite`);
  if (!isTest && !rel.startsWith('src/internal/')) {
    const lines = text.split('\n');
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      const m = /^export (?:async )?(?:function\*?|class|const|let) (\w+)/.exec(line);
      if (m) {
        // Overloads: the JSDoc sits on the first signature only (valibot's rule).
        if (seen.has(m[1] as string)) return;
        seen.add(m[1] as string);
        let j = i - 1;
        while (j >= 0 && /^\s*(@|\/\/)/.test(lines[j] ?? '')) j--;
        if (!(lines[j] ?? '').trim().endsWith('*/')) problems.push(`${rel}:${i + 1}: export without JSDoc: ${line.trim().slice(0, 80)}`);
      }
    });
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\nlint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');

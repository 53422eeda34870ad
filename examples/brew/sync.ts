// Seed §9: the brew sequence, synchronous. Three generators composed with yield*.
// Run: node --import tsx examples/brew/sync.ts
// Prints exactly the article's list(brew()):
// ["✓ malt", "✓ hops", "✓ water", 3, 2, 1, "🍺 Beer ready!"]

export function* qualityCheck(): Generator<string> {
  for (const ingredient of ['malt', 'hops', 'water']) {
    yield `✓ ${ingredient}`;
  }
}

export function* fermentation(days: number): Generator<number> {
  for (let d = days; d > 0; d--) yield d;
}

export function* brew(): Generator<string | number> {
  yield* qualityCheck();
  yield* fermentation(3);
  yield '🍺 Beer ready!';
}

/** Python's list repr, as the article prints it. */
function pyList(values: (string | number)[]): string {
  return `[${values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ')}]`;
}

export function main(): void {
  console.log(pyList([...brew()]));
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) main();

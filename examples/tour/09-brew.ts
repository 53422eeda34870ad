// §9 Real composition: the brew sequence. Three independent generators
// composed with yield*.

function* qualityCheck(): Generator<string> {
  for (const ingredient of ['malt', 'hops', 'water']) {
    yield `✓ ${ingredient}`;
  }
}

function* fermentation(days: number): Generator<number> {
  for (let d = days; d > 0; d--) yield d;
}

export function* brew(): Generator<string | number> {
  yield* qualityCheck();
  yield* fermentation(3);
  yield '🍺 Beer ready!';
}

/** Python's list repr, as the article prints it. */
export function pyList(values: (string | number)[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v)));
  return `[${shown.join(', ')}]`;
}

export function main(): void {
  console.log(pyList([...brew()]));
}

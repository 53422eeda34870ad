// Prints the time (ms) of `await import(specifier)` in this fresh process, as one JSON line.
// Plain JavaScript run without tsx, so no loader hook is in the measured import.
// bench/run.ts runs it several times per entry (yieldio's built files, and the peers).
const specifier = process.argv[2];
const start = performance.now();
await import(specifier);
console.log(JSON.stringify({ ms: performance.now() - start }));

// The recipe for calling a TypeScript module with toThread under tsx: worker threads do not get
// the main thread's module hooks (`node --import tsx`) on Node 20, so the worker imports this
// plain .mjs file, which loads the .ts module with tsx's tsImport and re-exports what it needs.
import { tsImport } from 'tsx/esm/api';

const primes = await tsImport('./primes.ts', import.meta.url);

export const { primesBelow, checkedLimit } = primes;

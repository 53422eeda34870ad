/**
 * The explicit-resource-management globals yieldio's declarations use, declared structurally so
 * a project whose `lib` lacks `esnext.disposable` (e.g. `["ES2022", "DOM"]`) still compiles
 * them with `skipLibCheck: false`. Identical to TypeScript's lib and @types/node, so they merge.
 * The build references this file from each declaration that needs it.
 */
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
    readonly dispose: unique symbol;
  }
  interface Disposable {
    [Symbol.dispose](): void;
  }
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>;
  }
}
export {};

/**
 * What the yieldio lint rules ask of the TypeScript checker: is this type a yieldio coroutine (a
 * generator that suspends on the loop), an async generator, or any awaitable (`yield*`-able).
 * Recognised structurally by the yield type, `UseYieldStarNotYield` (types.ts), so a type from any
 * copy or version of yieldio is recognised, and nothing is imported from yieldio at lint time.
 * @module
 * @internal
 */
import ts from 'typescript';

// The yield type's names: UseYieldStarNotYield now; Suspend in releases before it was renamed.
const SUSPEND_NAMES = new Set(['UseYieldStarNotYield', 'Suspend']);

function parts(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

/** True if `type` (or a member of its union) is yieldio's suspension type. */
function isSuspend(type: ts.Type): boolean {
  return parts(type).some((t) => {
    const name = t.aliasSymbol?.getName() ?? t.getSymbol()?.getName();
    return name !== undefined && SUSPEND_NAMES.has(name);
  });
}

/** The yield type of a `Generator<Y, R, N>` reference, or undefined for anything else. */
function generatorYield(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  const ref = type as ts.TypeReference;
  const name = ref.target?.getSymbol()?.getName() ?? type.getSymbol()?.getName();
  if (name !== 'Generator' || ref.target === undefined) return undefined;
  return checker.getTypeArguments(ref)[0];
}

/** A coroutine: a generator object whose yield type includes the suspension type. */
export function isCoroutineType(checker: ts.TypeChecker, type: ts.Type): boolean {
  return parts(type).some((t) => {
    const y = generatorYield(checker, t);
    return y !== undefined && isSuspend(y);
  });
}

/** An async generator of yieldio (`AsyncGen`): creating one and dropping it does nothing. */
export function isAsyncGenType(type: ts.Type): boolean {
  return parts(type).some((t) => t.getSymbol()?.getName() === 'AsyncGen' && t.getProperty('anext') !== undefined);
}

/** Anything `yield*` awaits: a coroutine, or an object whose `[Symbol.iterator]()` returns one (Future, Task, …). */
export function isAwaitableType(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (isCoroutineType(checker, type)) return true;
  return parts(type).some((t) => {
    const iterator = t.getProperties().find((p) => p.getName() === '__@iterator' || String(p.escapedName).startsWith('__@iterator@'));
    const declaration = iterator?.valueDeclaration ?? iterator?.declarations?.[0];
    if (iterator === undefined || declaration === undefined) return false;
    const methodType = checker.getTypeOfSymbolAtLocation(iterator, declaration);
    return methodType.getCallSignatures().some((s) => isCoroutineType(checker, s.getReturnType()));
  });
}

/** True if every call signature of `type` returns a coroutine or an AsyncGen. */
export function returnsCoroutine(checker: ts.TypeChecker, type: ts.Type): boolean {
  const signatures = type.getCallSignatures();
  return signatures.length > 0 && signatures.every((s) => {
    const r = s.getReturnType();
    return isCoroutineType(checker, r) || isAsyncGenType(r);
  });
}

/** True if a callback of `type` has its result ignored: every call signature returns void (or undefined). */
export function ignoresResult(type: ts.Type): boolean {
  const signatures = parts(type).flatMap((t) => t.getCallSignatures());
  return signatures.length > 0 && signatures.every((s) => (s.getReturnType().getFlags() & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) !== 0);
}

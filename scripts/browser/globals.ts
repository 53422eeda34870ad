/**
 * Injected (esbuild `inject`) into the browser bundle of the core tests for the Node globals the
 * tests themselves use as free names: `setImmediate` and `process.on/off('unhandledRejection')`.
 * Only free references in test code are rewritten: yieldio's own `host.setImmediate` lookup is a
 * property access, so the library still takes its browser path (setTimeout) as it would for users.
 */

const channel = new MessageChannel();
const queue: (() => void)[] = [];
channel.port1.onmessage = () => {
  queue.shift()?.();
};

/** `setImmediate(cb)`: a macrotask after pending ones, by MessageChannel as browsers have no setImmediate. */
function setImmediateShim(cb: (...args: unknown[]) => void, ...args: unknown[]): number {
  queue.push(() => cb(...args));
  channel.port2.postMessage(null);
  return queue.length;
}

type RejectionListener = (reason: unknown, promise: Promise<unknown>) => void;
const listeners = new Map<RejectionListener, (event: PromiseRejectionEvent) => void>();

/** The slice of `process` the tests use: unhandled rejections are the browser's `unhandledrejection` event. */
const processShim = {
  on(event: string, listener: RejectionListener): void {
    if (event !== 'unhandledRejection') throw new Error(`process.on('${event}'): the browser shim only knows 'unhandledRejection'`);
    const wrapped = (e: PromiseRejectionEvent): void => listener(e.reason, e.promise);
    listeners.set(listener, wrapped);
    globalThis.addEventListener('unhandledrejection', wrapped);
  },
  off(event: string, listener: RejectionListener): void {
    const wrapped = listeners.get(listener);
    if (event !== 'unhandledRejection' || wrapped === undefined) return;
    listeners.delete(listener);
    globalThis.removeEventListener('unhandledrejection', wrapped);
  },
};

export { setImmediateShim as setImmediate, processShim as process };

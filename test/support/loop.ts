/**
 * Helpers to drive a bare EventLoop in unit tests without a coroutine: run every ready callback,
 * jumping the virtual clock to each timer, the way `runSync` does (Trio MockClock's autojump).
 */
import { EventLoop } from '../../src/base-events.ts';
import type { ExceptionContext } from '../../src/base-events.ts';

/** A fresh loop on the virtual clock. */
export function virtualLoop(): EventLoop {
  return new EventLoop({ clock: 'virtual' });
}

/** Runs until nothing is ready; with `jump`, keeps going by jumping time to each timer. */
export function runAll(loop: EventLoop, jump = true): void {
  for (;;) {
    loop._runStretch(false);
    if (!jump) return;
    const next = loop._nextDeadline();
    if (next === null || next === Infinity) return;
    if (next > loop._virtualNow) loop._virtualNow = next;
  }
}

/** Installs an exception handler that records every context; returns the list. */
export function recordErrors(loop: EventLoop): ExceptionContext[] {
  const seen: ExceptionContext[] = [];
  loop.setExceptionHandler((_loop, context) => {
    seen.push(context);
  });
  return seen;
}

/** Runs `fn` with console.error captured; returns what was printed. */
export function captureConsoleError(fn: () => void): string[] {
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  };
  try {
    fn();
  } finally {
    console.error = original;
  }
  return printed;
}

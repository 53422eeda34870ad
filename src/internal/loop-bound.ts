/**
 * The base of every synchronization primitive and queue: bound to the loop of its first wait.
 * @asyncio asyncio.mixins._LoopBoundMixin
 * @module
 */
import { RuntimeError } from '../exceptions.ts';
import { getRunningLoop } from '../events.ts';
import type { EventLoop } from '../base-events.ts';

/**
 * A primitive can be built outside a running loop (at module level, in a constructor); it binds
 * to the running loop the first time it has to wait, and refuses any other loop afterwards.
 * Fields: `_loop`: null until the first wait, then the loop for good.
 */
export class LoopBound {
  _loop: EventLoop | null;

  constructor() {
    this._loop = null;
  }

  /** The running loop, binding this object to it on first use. */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    else if (loop !== this._loop) {
      throw new RuntimeError(
        `${String(this)} is bound to a different event loop. A lock, event or queue belongs to the loop that first waited on it: create a new one for each run().`,
      );
    }
    return loop;
  }
}

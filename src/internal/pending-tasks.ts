/**
 * The children of a TaskGroup that are not done yet, in creation order.
 * asyncio uses a set; here an array with a live count: adding is a push, a finished child is
 * only counted out (its slot is reclaimed when finished ones are over half the array), so a
 * group of 100,000 tasks does no hashing. Iteration skips the finished ones.
 * @module
 */

/** What a member must offer: whether it is done. */
interface Doneable {
  done(): boolean;
}

/** Pending children, in creation order; `size` counts those whose `finished()` was not called. */
export class PendingTasks<T extends Doneable> {
  private items: T[] = [];
  private live = 0;
  private finishedSinceCompact = 0;

  get size(): number {
    return this.live;
  }

  add(item: T): void {
    this.items.push(item);
    this.live++;
  }

  /** `item` (a member, now done) no longer counts; compacts when finished members dominate. */
  finished(_item: T): void {
    this.live--;
    this.finishedSinceCompact++;
    if (this.finishedSinceCompact > 32 && this.finishedSinceCompact * 2 > this.items.length) {
      this.items = this.items.filter((t) => !t.done());
      this.finishedSinceCompact = 0;
    }
  }

  /** The members not done, in creation order (a snapshot: safe to cancel while iterating). */
  *[Symbol.iterator](): Generator<T, void, undefined> {
    for (const item of this.items.slice()) if (!item.done()) yield item;
  }
}

/**
 * A binary min-heap with a caller-given order: the timer heap and PriorityQueue's storage.
 * Stable order for equal keys is the caller's job (timers add a sequence number).
 * @module
 */

/** A binary min-heap over an array; `less(a, b)` says a comes before b. */
export class BinaryHeap<T> {
  readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get length(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  // push and pop are exception-safe: every `less` call happens before the array changes, so a
  // comparison that throws (PriorityQueue items Python could not order) leaves the heap intact.

  push(item: T): void {
    const items = this.items;
    const n = items.length;
    let i = n;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(item, items[parent] as T)) break;
      i = parent;
    }
    // Comparisons done: shift the ancestors between n and i down one level.
    items.push(item);
    let j = n;
    while (j > i) {
      const parent = (j - 1) >> 1;
      items[j] = items[parent] as T;
      j = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0] as T;
    if (n === 1) {
      items.pop();
      return top;
    }
    const last = items[n - 1] as T;
    const m = n - 1; // the size after the pop; `last` sinks from the root within [0, m)
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= m) break;
      const right = left + 1;
      let child = left;
      if (right < m && this.less(items[right] as T, items[left] as T)) child = right;
      if (!this.less(items[child] as T, last)) break;
      i = child;
    }
    // Comparisons done: move the path from i up to the root one level up, carrying `last` down.
    items.pop();
    let carry = last;
    while (i > 0) {
      const held = items[i] as T;
      items[i] = carry;
      carry = held;
      i = (i - 1) >> 1;
    }
    items[0] = carry;
    return top;
  }

  /** Keeps only the items for which keep(item) is true, then restores the heap in O(n). */
  filterInPlace(keep: (item: T) => boolean): void {
    const items = this.items;
    let j = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      if (keep(item)) items[j++] = item;
    }
    items.length = j;
    for (let i = (j >> 1) - 1; i >= 0; i--) this.siftDown(i, items[i] as T);
  }

  private siftDown(start: number, item: T): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.less(items[right] as T, items[left] as T)) child = right;
      const c = items[child] as T;
      if (!this.less(c, item)) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}

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

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (n > 1) this.siftDown(0, last);
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

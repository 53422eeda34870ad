/**
 * A ring-buffer deque: O(1) push/shift at both ends, for the ready queue, waiter lists and FIFO
 * queues. `Array.prototype.shift` is O(n) on large arrays; this never moves elements except to grow.
 * @module
 */

/** A double-ended queue on a power-of-two ring buffer. Slots freed by shift are set to undefined. */
export class Deque<T> {
  private buffer: (T | undefined)[];
  private head: number; // index of the first element
  private size: number; // number of elements
  private mask: number; // buffer.length - 1, buffer.length is a power of two

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.buffer = new Array<T | undefined>(capacity).fill(undefined);
    this.head = 0;
    this.size = 0;
    this.mask = capacity - 1;
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.buffer.length) this.grow();
    this.buffer[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  unshift(item: T): void {
    if (this.size === this.buffer.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.buffer[this.head] = item;
    this.size++;
  }

  /** Removes and returns the first element; undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.buffer[this.head];
    this.buffer[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return item;
  }

  /** Removes and returns the last element; undefined when empty. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    this.size--;
    const index = (this.head + this.size) & this.mask;
    const item = this.buffer[index];
    this.buffer[index] = undefined;
    return item;
  }

  peekFirst(): T | undefined {
    return this.size === 0 ? undefined : this.buffer[this.head];
  }

  peekLast(): T | undefined {
    return this.size === 0 ? undefined : this.buffer[(this.head + this.size - 1) & this.mask];
  }

  /** The element at position i from the front (0-based); undefined out of range. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.size ? undefined : this.buffer[(this.head + i) & this.mask];
  }

  /**
   * Removes the first element identical to item; returns whether one was removed. The search is
   * O(i); the elements on the shorter side of i move, so removing the first or last is O(1)
   * (a woken lock waiter removes itself from the front of its waiter list).
   */
  remove(item: T): boolean {
    const buffer = this.buffer;
    const mask = this.mask;
    const head = this.head;
    const size = this.size;
    for (let i = 0; i < size; i++) {
      if (buffer[(head + i) & mask] !== item) continue;
      if (i < size >> 1) {
        for (let j = i; j > 0; j--) buffer[(head + j) & mask] = buffer[(head + j - 1) & mask];
        buffer[head] = undefined;
        this.head = (head + 1) & mask;
      } else {
        for (let j = i; j < size - 1; j++) buffer[(head + j) & mask] = buffer[(head + j + 1) & mask];
        buffer[(head + size - 1) & mask] = undefined;
      }
      this.size = size - 1;
      return true;
    }
    return false;
  }

  clear(): void {
    this.buffer.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  *[Symbol.iterator](): Generator<T, void, undefined> {
    for (let i = 0; i < this.size; i++) yield this.buffer[(this.head + i) & this.mask] as T;
  }

  toArray(): T[] {
    return Array.from(this);
  }

  private grow(): void {
    const old = this.buffer;
    const capacity = old.length * 2;
    const next = new Array<T | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & this.mask];
    this.buffer = next;
    this.head = 0;
    this.mask = capacity - 1;
  }
}

// §1 The iterator protocol: what `for...of` really does.
// Python's __iter__/__next__ are JavaScript's [Symbol.iterator]()/next();
// instead of raising StopIteration, next() returns { done: true }.

class VerboseIterable implements Iterable<number> {
  [Symbol.iterator](): Iterator<number> {
    console.log('  [Symbol.iterator] called');
    return new VerboseIterator();
  }
}

class VerboseIterator implements Iterator<number> {
  n = 0;
  next(): IteratorResult<number> {
    if (this.n >= 3) {
      console.log('  next → { done: true }   (Python: raise StopIteration)');
      return { done: true, value: undefined };
    }
    this.n += 1;
    console.log(`  next → returning ${this.n}`);
    return { done: false, value: this.n };
  }
}

export function main(): void {
  for (const x of new VerboseIterable()) {
    console.log(`    body: x=${x}`);
  }
  // The same loop, desugared:
  const it = [1, 2, 3][Symbol.iterator]();
  for (;;) {
    const step = it.next();
    if (step.done) break;
    console.log(`desugared: x=${step.value}`);
  }
}

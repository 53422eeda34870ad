// §3 Inside the generator: frame and state.
// JavaScript hides the frame (there is no gi_frame or
// inspect.getgeneratorstate), so this small helper watches the calls and
// reports Python's four states.

type GenState = 'GEN_CREATED' | 'GEN_RUNNING' | 'GEN_SUSPENDED' | 'GEN_CLOSED';

type Tracked<T, R> = { gen: Generator<T, R, unknown>; state(): GenState };

function tracked<T, R>(gen: Generator<T, R, unknown>): Tracked<T, R> {
  let state: GenState = 'GEN_CREATED';
  const step = (resume: () => IteratorResult<T, R>): IteratorResult<T, R> => {
    const before = state;
    state = 'GEN_RUNNING';
    try {
      const result = resume();
      state = result.done ? 'GEN_CLOSED' : 'GEN_SUSPENDED';
      return result;
    } catch (error) {
      state = before === 'GEN_RUNNING' ? before : 'GEN_CLOSED';
      throw error;
    }
  };
  const wrapper = Object.assign(Object.create(gen) as Generator<T, R, unknown>, {
    next: (value?: unknown) => step(() => gen.next(value)),
    throw: (error: unknown) => step(() => gen.throw(error)),
    return: (value: R) => step(() => gen.return(value)),
  });
  return { gen: wrapper, state: () => state };
}

export function main(): void {
  let probe: { state(): GenState } | null = null;
  function* inspectable(): Generator<number> {
    let x = 42;
    console.log('  inside the body, state is', probe?.state());
    yield x;
    x += 1;
    yield x;
  }
  const t = tracked(inspectable());
  probe = t;
  console.log('created:  ', t.state());
  console.log('next():   ', t.gen.next().value, t.state());
  console.log('next():   ', t.gen.next().value, t.state());
  console.log('next():   ', t.gen.next().done, t.state());

  // A generator cannot be resumed while it is running (PEP 255).
  function* reentrant(): Generator<unknown> {
    yield self.next();
  }
  const self = reentrant();
  try {
    self.next();
  } catch (error) {
    const { name, message } = error as Error;
    console.log(`${name}: ${message}`);
    console.log('  (Python: ValueError: generator already executing)');
  }
}

# contextvars, complete (issue #16 §5): Context as a read-only mapping, reset errors that name the
# token, the run-time checks; inside a task, a copy of main's context. Reprs carry addresses in
# Python, so only their start is printed.
import asyncio
import contextvars

log = print
v = contextvars.ContextVar('x', default=1)
w = contextvars.ContextVar('y')


async def main():
    v.set(3)
    w.set('b')
    ctx = contextvars.copy_context()
    log(f'len {len(ctx)} get {ctx.get(v)} has {w in ctx}')
    # A HAMT's order is unspecified: sort by name.
    log(f'keys {sorted(k.name for k in ctx.keys() if k in (v, w))}')
    log(f'values {[ctx[k] for k in sorted(ctx, key=lambda k: k.name) if k in (v, w)]}')
    log(f'items {sorted((k.name, val) for k, val in ctx.items() if k in (v, w))}')
    t = v.set(4)
    log(f'token repr starts {repr(t).split(" at ")[0]}')
    v.reset(t)
    log(f'used token repr starts {repr(t).split(" var=")[0]}')
    try:
        v.reset(t)
    except RuntimeError as e:
        log(f'reset twice: {str(e).endswith("has already been used once")}')
    try:
        ctx.get(1)
    except TypeError as e:
        log(f'get(1): {e}')
    try:
        contextvars.ContextVar(1)
    except TypeError as e:
        log(f'non-string name: {str(e).startswith("context variable name must be a str")}')
    try:
        v.name = 'z'
    except AttributeError:
        log(f'name read-only: {v.name}')


asyncio.run(main())
log(f'outside: {v.get()} {w.get("unset")}')

"""A virtual clock for the Python side of the differential pairs (test/differential.test.ts).

yieldio's side runs on a virtual clock; CPython's ran on the real one, so a loaded machine made
Python wake late and the traces differ by a rounding step. This loop jumps time instead of waiting
when nothing can arrive from outside: no file descriptor but the loop's own self-pipe is
registered and no executor job is running. With a socket or a thread in play it waits for real.
Equal deadlines fire in scheduling order, as yieldio's timer heap does (asyncio leaves ties open,
which only a virtual clock makes exact).
"""
import asyncio
import heapq
import itertools
import selectors


class _Timer(asyncio.TimerHandle):
    __slots__ = ('_seq',)

    def __lt__(self, other):
        return (self._when, self._seq) < (other._when, other._seq)

    def __le__(self, other):
        return (self._when, self._seq) <= (other._when, other._seq)


class _VirtualSelector(selectors.DefaultSelector):
    def __init__(self):
        super().__init__()
        self.loop = None

    def select(self, timeout=None):
        loop = self.loop
        events = super().select(0)
        if events or timeout == 0 or loop is None:
            return events
        outside = len(self.get_map()) > 1 or loop._executor_busy()
        if timeout is None or outside:
            return super().select(timeout)
        loop._vt += timeout
        return []


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        selector = _VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        self._vt = 0.0
        self._seqs = itertools.count()
        self._jobs = 0

    def time(self):
        return self._vt

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        timer = _Timer(when, callback, args, self, context)
        timer._seq = next(self._seqs)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def run_in_executor(self, executor, func, *args):
        fut = super().run_in_executor(executor, func, *args)
        self._jobs += 1

        def done(_):
            self._jobs -= 1

        fut.add_done_callback(done)
        return fut

    def _executor_busy(self):
        return self._jobs > 0


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return VirtualClockLoop()


def install():
    asyncio.set_event_loop_policy(_Policy())

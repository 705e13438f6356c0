"""Python's cyclic garbage collector, paused while a PDF renders.

A render leaves tens of thousands of objects in reference cycles (WeasyPrint's boxes, styles
and layouts point at each other), so refcounting never frees them. With the collector
running, making them sets off dozens of collections of the young generations and, about
every other render, a full one that walks every object in the process: in a worker with the
app loaded, some 220,000 objects that have nothing to do with the render. Paused, the render
makes no collection at all, and one collection of the youngest generation afterwards (where
everything the render made still is) frees its cycles in a single pass.

Process-wide, as the collector is: other threads go uncollected for the length of a render,
which only delays their collections. Overlapping renders pause it once and the last one to
finish resumes it, and only if it was running before the first.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_renders = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    global _renders, _was_enabled
    with _lock:
        if _renders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _renders += 1
    try:
        yield
    finally:
        with _lock:
            _renders -= 1
            resume = _renders == 0 and _was_enabled
            if resume:
                gc.enable()
        if resume:
            # Counted in the render's time, where it belongs, rather than left to whichever
            # allocation comes next.
            gc.collect(0)

"""watched(): a watchdog thread that stops a template render past its memory or time budget.   [process]

The sandbox's own checks (sandbox.py) run when a template calls back into it: a loop step, a call,
a filter. A filter that works for a long time on its own (`urlize` on megabytes, `batch` filling
huge rows) or a comprehension of large strings never calls back in between, so those checks come
too late. This watchdog looks from outside, every INTERVAL seconds, at

- the memory of the process (resident set size) above what it was when the render began, and
- the CPU time of the rendering thread (so a busy machine does not fail a cron job's render),

and raises TemplateMemoryError or TemplateTimeError *inside* the rendering thread when either is
past its budget (PyThreadState_SetAsyncExc, CPython's documented C API for exactly this). The
exception surfaces at the template's next bytecode, as any SecurityError of the sandbox does, and
templating.py turns it into a one-line TemplateError naming the file and line.

The stop comes at most INTERVAL after the memory budget is passed, and GRACE + INTERVAL after the
time budget (the sandbox's own check is the first to stop a render at its time limit); memory is
stopped STOP_BELOW under the stated cap, so the peak stays under it even for a template allocating
quickly.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from jinja2.sandbox import SecurityError

INTERVAL = 0.01  # seconds between looks
STOP_BELOW = 160_000_000  # bytes: a render is stopped this far under its memory cap (C code overshoots)


MEMORY_LIMIT = 256_000_000  # bytes above the process's own when the render began
TIME_LIMIT = 10.0  # seconds of the rendering thread's CPU time
# The sandbox's own check stops a render at its time limit whenever the template calls back in; the
# watchdog steps in GRACE later, so the two never race (an asynchronous raise landing while the
# sandbox's error unwinds surfaced in a garbage-collector callback as an unraisable exception).
GRACE = 0.1


class TemplateMemoryError(SecurityError):
    """A render used more memory than its budget."""


class TemplateTimeError(SecurityError):
    """A render ran longer than its budget."""


def _raised_as(base: type[SecurityError], message: str) -> type[SecurityError]:
    """A subclass of `base` whose instances, made with no arguments (as an asynchronous raise makes
    them), carry `message`."""

    def init(self, *args: object) -> None:
        base.__init__(self, *(args or (message,)))  # type: ignore[arg-type]

    return type(base.__name__, (base,), {"__init__": init})


@dataclass(eq=False)
class _Watch:
    thread: int
    cpu: Callable[[], float]
    cpu_limit: float
    rss_limit: int
    on_memory: type[SecurityError]
    on_time: type[SecurityError]
    fired: float = 0.0  # when the exception was last raised into the thread (time.monotonic())
    done: bool = False
    stop: type[SecurityError] | None = field(default=None)


_lock = threading.Condition()
_active: list[_Watch] = []
_thread: threading.Thread | None = None


@contextlib.contextmanager
def watched(seconds: float = TIME_LIMIT, memory: int = MEMORY_LIMIT) -> Iterator[None]:
    """Stop the render in this block when it passes `seconds` of CPU time or `memory` bytes of new memory."""
    global _thread
    cpu = _thread_cpu_clock()
    watch = _Watch(
        threading.get_ident(),
        cpu,
        cpu() + seconds + max(GRACE, 0.1 * seconds),
        resident_bytes() + memory - STOP_BELOW,
        _raised_as(TemplateMemoryError, f"the template used more than {memory // 1_000_000} MB of memory"),
        _raised_as(TemplateTimeError, f"the template ran longer than {seconds:g} seconds"),
    )
    with _lock:
        _active.append(watch)
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_look, name="template-watchdog", daemon=True)
            _thread.start()
        _lock.notify()
    try:
        yield
    finally:
        with _lock:
            watch.done = True
            _active.remove(watch)
            if watch.fired:
                _raise_in(watch.thread, None)  # one raised but not yet delivered must not surface later


def resident_bytes() -> int:
    """The process's resident set size now (Linux: /proc/self/statm; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _thread_cpu_clock() -> Callable[[], float]:
    """A clock of this thread's CPU time that other threads can read; wall time where there is none."""
    try:
        clock = time.pthread_getcpuclockid(threading.get_ident())
        time.clock_gettime(clock)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock)


def _look() -> None:
    while True:
        with _lock:
            while not _active:
                _lock.wait()
            rss = resident_bytes()
            now = time.monotonic()
            for watch in _active:
                if watch.done:
                    continue
                if rss > watch.rss_limit:
                    watch.stop = watch.on_memory
                elif _cpu(watch) > watch.cpu_limit:
                    watch.stop = watch.on_time
                # Raised again if a broad `except` inside a filter swallowed it.
                if watch.stop is not None and now - watch.fired > 0.2:
                    watch.fired = now
                    _raise_in(watch.thread, watch.stop)
        time.sleep(INTERVAL)


def _cpu(watch: _Watch) -> float:
    try:
        return watch.cpu()
    except OSError:  # the thread ended between the check and now
        return 0.0


def _raise_in(thread: int, error: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(error) if error else None)

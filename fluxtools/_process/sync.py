"""Run the async core from sync code: one event loop per thread, or a worker thread inside a running loop."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import threading
import weakref
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class _ThreadLoop:
    """A thread's event loop for sync calls, closed when the thread ends (or at exit)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        if not self.loop.is_closed():
            self.loop.close()


_thread_loops = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """One event loop per thread for sync calls: no per-call loop and signal handler set-up."""
    holder = getattr(_thread_loops, "holder", None)
    if holder is None or holder.loop.is_closed():
        holder = _thread_loops.holder = _ThreadLoop()
    return holder.loop


@atexit.register
def _close_main_loop() -> None:
    holder = getattr(_thread_loops, "holder", None)
    if holder is not None and not holder.loop.is_closed():
        holder.loop.close()


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running loop (Jupyter).

    Exceptions propagate as raised: nothing of this function's own checks is chained to them.
    """
    if not _in_running_loop():
        return _thread_loop().run_until_complete(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class LoopSemaphore:
    """A process limit of `size`, one semaphore per event loop (sync calls run on per-thread loops)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def __call__(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._by_loop.get(loop)
        if semaphore is None:
            semaphore = self._by_loop[loop] = asyncio.Semaphore(self.size)
        return semaphore

"""Run the async core from sync code: one event loop per thread, or a worker thread inside a running loop."""

from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import threading
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


class ProcessLimit:
    """At most `size` processes at once, across every thread and event loop that uses it.

    An `asyncio.Semaphore` belongs to one event loop, while sync calls run on one loop per thread:
    this limit is shared by all of them. A waiter is woken on its own loop, first come first served.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._lock = threading.Lock()
        self._waiting: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = collections.deque()

    async def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiting.append((loop, waiter))
        try:
            await waiter
        except BaseException:
            with self._lock:
                queued = (loop, waiter) in self._waiting
                if queued:
                    self._waiting.remove((loop, waiter))
            if not queued and waiter.done() and not waiter.cancelled():
                self.release()  # the slot came as the wait was given up: pass it on
            raise

    def release(self) -> None:
        with self._lock:
            while self._waiting:
                loop, waiter = self._waiting.popleft()
                try:
                    loop.call_soon_threadsafe(self._hand_over, waiter)
                except RuntimeError:  # its loop is closed: nobody waits there any more
                    continue
                return
            self._free += 1

    def _hand_over(self, waiter: asyncio.Future[None]) -> None:
        if waiter.done():  # given up meanwhile: the slot goes to the next one
            self.release()
        else:
            waiter.set_result(None)

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()

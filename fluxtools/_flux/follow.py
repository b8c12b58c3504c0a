"""Follow a Flux object until its controller has handled a request: by watch, or by polling.

With `verdict_watch` (on by default), `kubectl get <resource> <name> -n <ns> --watch -o json`
streams each version of the object as the API server sends it, so the verdict
is taken the moment the controller writes it. When the watch cannot decide (it
fails, the runner cannot run it, or it ends early) polling takes over until
the deadline, as it does without `verdict_watch`.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fluxtools._flux import verdict
from fluxtools._flux.kinds import FluxKind
from fluxtools._process.call import Call

Obj = dict[str, Any]
MAX_PENDING = 8 << 20
"""Most text held while one object version is incomplete."""


class Documents:
    """Feed it stdout chunks; it calls `on_document(obj)` for each complete JSON object in the stream.

    A document starts with `{` or `[`; a line starting otherwise that is no JSON value is skipped.
    """

    def __init__(self, on_document: Callable[[Obj], None]) -> None:
        self.on_document = on_document
        self.reset()

    def reset(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._json = json.JSONDecoder()
        self._buffer = ""
        self.count = 0

    def feed(self, chunk: bytes) -> None:
        self._buffer += self._decoder.decode(chunk)
        pos = 0
        while True:
            while pos < len(self._buffer) and self._buffer[pos] in " \t\r\n":
                pos += 1
            try:
                document, pos = self._json.raw_decode(self._buffer, pos)
            except json.JSONDecodeError:
                if self._buffer.startswith(("{", "["), pos):
                    break  # incomplete: wait for more
                newline = self._buffer.find("\n", pos)
                if newline < 0:
                    break  # a line not complete yet
                pos = newline + 1  # a line of text, no document: skipped, not waited on
                continue
            self.count += 1
            if isinstance(document, dict):
                self.on_document(document)
        self._buffer = self._buffer[pos:]
        if len(self._buffer) > MAX_PENDING:
            self._buffer = ""


async def watched(
    call: Call,
    argv: list[str],
    handled: Callable[[Obj], bool],
    *,
    deadline: float,
    early: asyncio.Future[Any] | None = None,
    early_verdict: Callable[[], verdict.Verdict | None] | None = None,
) -> verdict.Verdict | None:
    """The verdict from the watch's object versions; None when the watch could not decide."""
    remaining = deadline - call.runner.monotonic()
    if remaining <= 0:
        return None
    decided: asyncio.Future[verdict.Verdict] = asyncio.get_running_loop().create_future()
    last: Obj = {}

    def on_document(obj: Obj) -> None:
        nonlocal last
        last = obj
        outcome = verdict.judge(obj) if not decided.done() and handled(obj) else None
        if outcome is not None:
            decided.set_result(verdict.Verdict(outcome, obj))

    stream = asyncio.ensure_future(call.stream(argv, timeout=remaining, sink=Documents(on_document)))
    waiting: set[asyncio.Future[Any]] = {decided, stream, *([early] if early is not None else [])}
    try:
        while True:
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if decided.done():
                return decided.result()
            if early is not None and early in done:
                waiting.discard(early)
                judged = early_verdict() if early_verdict is not None else None
                if judged is not None:
                    return judged
            if stream in done:
                try:
                    result = stream.result()
                except Exception:  # noqa: BLE001 - a watch that cannot run leaves the verdict to polling
                    return None
                return verdict.Verdict(verdict.TIMED_OUT, last) if result.timed_out and last else None
    finally:
        if not stream.done():
            stream.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await stream  # also retrieves the failure of a watch that lost to the CLI's verdict
        if not decided.done():
            decided.cancel()


async def until_handled(
    call: Call,
    kind: FluxKind,
    name: str,
    namespace: str,
    fetch: Callable[[], Awaitable[Obj]],
    handled: Callable[[Obj], bool],
    *,
    deadline: float,
    early: asyncio.Future[Any] | None = None,
    early_verdict: Callable[[], verdict.Verdict | None] | None = None,
) -> verdict.Verdict:
    """The watch's verdict when `verdict_watch` is set and it decides; else polling's."""
    if call.config.verdict_watch:
        argv = call.cli.kubectl("get", kind.resource, name, "-n", namespace, "--watch", "-o", "json")
        judged = await watched(call, argv, handled, deadline=deadline, early=early, early_verdict=early_verdict)
        if judged is not None:
            return judged
    stop_early = None
    if early is not None and early_verdict is not None:

        async def stop_early() -> verdict.Verdict | None:
            return early_verdict() if early.done() else None

    return await verdict.watch(
        fetch,
        handled,
        sleep=call.runner.sleep,
        clock=call.runner.monotonic,
        deadline=deadline,
        interval=call.config.poll_interval_secs,
        stop_early=stop_early,
    )

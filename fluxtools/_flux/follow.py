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

from fluxtools._errors import FluxError
from fluxtools._flux import verdict
from fluxtools._flux.kinds import FluxKind
from fluxtools._process.call import Call

Obj = dict[str, Any]
MAX_PENDING = 8 << 20
"""Most text held while one object version is incomplete."""
REREAD_SECS = 15.0
"""While the watch waits, the object is read again this often (in real time: a replay never needs it)."""


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


async def watch_until_handled(
    call: Call,
    argv: list[str],
    handled: Callable[[Obj], bool],
    *,
    deadline: float,
    early: Early | None = None,
    pickup: verdict.Pickup | None = None,
    controller: str = "the controller",
    reread: Callable[[], Awaitable[Obj]] | None = None,
) -> verdict.Verdict | None:
    """The verdict from the watch's object versions; None when the watch could not decide.

    `early` (verdicts found beside the object) decides when it comes first; `pickup` ends the watch when no
    controller picks the request up. A watch can miss a version: on the lab, the status a controller wrote
    within milliseconds of the request was never streamed. So every `REREAD_SECS` the object is also read
    with `reread`, and what it says counts as a version the watch printed.
    """
    remaining = deadline - call.runner.monotonic()
    if remaining <= 0:
        return None
    decided: asyncio.Future[verdict.Verdict] = asyncio.get_running_loop().create_future()
    requested: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    last: Obj = {}

    def on_document(obj: Obj) -> None:
        nonlocal last
        last = obj
        outcome = verdict.judge(obj) if not decided.done() and handled(obj) else None
        if outcome is not None:
            decided.set_result(verdict.Verdict(outcome, obj))
        elif pickup is not None:
            pickup.see(obj)
            if pickup.waiting() is not None and not requested.done():
                requested.set_result(None)  # the request is written: its pickup time runs from now

    async def reread_now_and_then() -> None:
        while reread is not None:
            await asyncio.sleep(REREAD_SECS)
            with contextlib.suppress(FluxError):  # a failed read leaves the verdict to the watch
                on_document(await reread())

    stream = asyncio.ensure_future(call.stream(argv, timeout=remaining, sink=Documents(on_document)))
    rereads = asyncio.ensure_future(reread_now_and_then())
    beside = early.futures() if early is not None else set()
    timer: asyncio.Future[None] | None = None
    try:
        while True:
            left = pickup.waiting() if pickup is not None else None
            if left is not None and timer is None:  # the runner's clock: a replay does not wait in real time
                timer = asyncio.ensure_future(call.runner.sleep(left))
            waiting = {decided, stream, *beside, *([requested] if not requested.done() else [])}
            waiting |= {timer} if timer is not None and not timer.done() else set()
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if timer is not None and timer.done():
                timer = None
            if decided.done():
                return decided.result()
            if pickup is not None and pickup.overdue():
                unhandled = await pickup.decide(last, controller)
                if unhandled is not None:
                    return unhandled
                if decided.done():
                    return decided.result()
            if early is not None and beside & done:
                beside -= done
                judged = early.verdict()
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
        for future in (decided, requested, timer, rereads):
            if future is not None and not future.done():
                future.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await rereads  # a read that failed otherwise than FluxError is dropped with the watch


async def until_handled(
    call: Call,
    kind: FluxKind,
    name: str,
    namespace: str,
    fetch: Callable[[], Awaitable[Obj]],
    handled: Callable[[Obj], bool],
    *,
    deadline: float,
    early: Early | None = None,
    pickup: verdict.Pickup | None = None,
) -> verdict.Verdict:
    """The watch's verdict when `verdict_watch` is set and it decides; else polling's."""
    if call.config.verdict_watch:
        argv = call.cli.kubectl("get", kind.resource, name, "-n", namespace, "--watch", "-o", "json")
        judged = await watch_until_handled(
            call,
            argv,
            handled,
            deadline=deadline,
            early=early,
            pickup=pickup,
            controller=kind.controller,
            reread=fetch,
        )
        if judged is not None:
            return judged
    stop_early = None
    if early is not None:

        async def stop_early() -> verdict.Verdict | None:
            return early.verdict()

    return await verdict.poll_until_handled(
        fetch,
        handled,
        sleep=call.runner.sleep,
        clock=call.runner.monotonic,
        deadline=deadline,
        interval=call.config.poll_interval_secs,
        stop_early=stop_early,
        pickup=pickup,
        controller=kind.controller,
    )


async def source_failure(
    call: Call, argv: list[str], since: str | None, *, after: str | None = None, deadline: float
) -> verdict.Verdict:
    """The failure of the source `flux reconcile --with-source` reconciles first, seen by watching it (`argv`):
    the CLI waits out its timeout on a source that keeps retrying, but the source's controller has written
    its failure long before.

    A source failed when a request newer than `since` (the object's own last request; without one, newer
    than the source's first version seen, or written after `after`, the resourceVersion of the object read
    before the request) has been handled and left it not Ready. Raises `LookupError` when the watch ends
    without seeing that.
    """
    remaining = deadline - call.runner.monotonic()
    if remaining <= 0:
        raise LookupError("no time left to watch the source")
    decided: asyncio.Future[verdict.Verdict] = asyncio.get_running_loop().create_future()
    first: list[str | None] = []

    def on_document(obj: Obj) -> None:
        requested = verdict.requested_at(obj)
        if not first:
            first.append(requested)
        if decided.done() or requested is None:
            return
        fresh = 0 <= _version_text(after) < _version(obj)
        newer = verdict.later(requested, since) if since else (requested != first[0] or fresh)
        handled_at = (obj.get("status") or {}).get("lastHandledReconcileAt")
        if newer and handled_at == requested and verdict.judge(obj) == verdict.FAILED:
            decided.set_result(verdict.Verdict(verdict.FAILED, obj, handled=False))

    stream = asyncio.ensure_future(call.stream(argv, timeout=remaining, sink=Documents(on_document)))
    try:
        await asyncio.wait({decided, stream}, return_when=asyncio.FIRST_COMPLETED)
        if decided.done():
            return decided.result()
        stream.result()
        raise LookupError("the watch of the source ended undecided")
    finally:
        if not stream.done():
            stream.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await stream
        if not decided.done():
            decided.cancel()


def _version(obj: Obj) -> int:
    return _version_text((obj.get("metadata") or {}).get("resourceVersion"))


def _version_text(text: str | None) -> int:
    """A resourceVersion as the number it is on etcd-backed servers; -1 when it is not one (never fresher)."""
    return int(text) if text and text.isdigit() else -1


class Early:
    """Verdicts found beside the object's own: what the finished CLI says (`from_cli`; None leaves the verdict
    to the object) and, first when it comes first, the failure of a source it reconciles first."""

    def __init__(
        self,
        cli: asyncio.Future[Any],
        from_cli: Callable[[Any], verdict.Verdict | None],
        sources: list[asyncio.Future[verdict.Verdict]] | None = None,
    ) -> None:
        self.cli, self.from_cli, self.sources = cli, from_cli, list(sources or [])

    def futures(self) -> set[asyncio.Future[Any]]:
        """What may still bring a verdict."""
        return {future for future in (self.cli, *self.sources) if not future.done()}

    def verdict(self) -> verdict.Verdict | None:
        for source in self.sources:
            if source.done() and not source.cancelled() and source.exception() is None:
                return source.result()
        return self.from_cli(self.cli.result()) if self.cli.done() else None

    async def close(self) -> None:
        for future in (*self.sources, self.cli):
            if not future.done():
                future.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await future  # also retrieves the failure of one that ended first (a source watch with no answer)

"""`CassetteRunner`: records or replays CLI interactions around any Runner."""

from __future__ import annotations

import asyncio
import difflib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fluxtools._process.runners import CommandResult, Runner, StdoutSink, delivered
from fluxtools.cassettes.format import Cassette, Interaction
from fluxtools.cassettes.redact import Redactor

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


CANCEL_WAIT = 5.0
"""Longest real-time wait, in seconds, for the cancel that stopped a recorded streamed command."""


class CassetteMiss(AssertionError):
    """A replayed command has no recorded interaction."""


class CassetteNotCancelled(CassetteMiss):
    """A streamed command its caller cancelled in the recording was not cancelled in the replay."""


class CassetteRunner:
    """Wraps a Runner; the executor never knows whether it records or replays.

    Modes follow vcrpy and pytest-recording: `none` replays only and never runs
    a process; `once` records only when the cassette does not exist yet;
    `new_episodes` replays what matches and records the rest; `all` records
    everything again and keeps the recorded interactions it did not run (a
    re-recorded interaction takes its old one's place, so replay plays the
    fresh one); `rewrite` starts the cassette anew. Replaying keeps a virtual
    clock so waits cost no time.

    A streamed command its caller cancels (a watch) is recorded with what it
    streamed until the cancel was requested. Replayed to a caller that streams
    it, it streams the same and runs on until cancelled again; when nothing
    cancels it within `cancel_wait` seconds of real time (or the caller's
    timeout, when shorter) the replay has left the recording:
    `CassetteNotCancelled` is raised, and again by every later command.
    """

    def __init__(
        self,
        cassette: Cassette,
        inner: Runner | None = None,
        *,
        mode: str = "none",
        redactor: Redactor | None = None,
        allow_repeats: bool = False,
        key: Callable[[list[str]], list[str]] | None = None,
        header: dict[str, Any] | None = None,
        cancel_wait: float = CANCEL_WAIT,
    ) -> None:
        if mode not in RECORD_MODES:
            raise ValueError(f"record mode must be one of {', '.join(RECORD_MODES)}, not {mode!r}")
        self.cassette = cassette
        self.inner = inner
        self.redactor = redactor or Redactor()
        self.allow_repeats = allow_repeats
        self.key = key or (lambda argv: argv)
        self.mode = mode
        self.recorded: list[Interaction] = list(cassette.interactions)
        if mode == "rewrite" or (mode == "once" and not cassette.exists):
            self.recorded = []
        self.replaying = mode == "none" or (mode == "once" and cassette.exists)
        self.new: list[Interaction] = []
        self.played: set[int] = set()
        self.cancel_wait = cancel_wait
        self.diverged: CassetteNotCancelled | None = None
        self._clock = 0.0
        if header:
            self.cassette.header.update(header)
        if not self.replaying and inner is None:
            raise ValueError(f"record mode {mode!r} needs an inner runner to record from")

    # Runner protocol --------------------------------------------------------
    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        if self.diverged is not None:
            raise CassetteNotCancelled(f"An earlier command left the recording: {self.diverged}")
        wanted = self.redactor.argv(argv)
        stdin_key = self.redactor.text(stdin) if stdin is not None else None
        if self.mode != "all" and self.mode != "rewrite":
            found = self._find(wanted, stdin_key, repeat=self.allow_repeats)
            if found is not None:
                return await self._replay(found, list(argv), timeout, on_stdout)
        if self.replaying:
            raise CassetteMiss(self._miss_message(wanted))
        return await self._record(argv, wanted, stdin_key, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)

    async def sleep(self, seconds: float) -> None:
        if self.replaying:
            self._clock += seconds
            await asyncio.sleep(0)
        else:
            assert self.inner is not None
            await self.inner.sleep(seconds)

    def monotonic(self) -> float:
        if self.replaying:
            return self._clock
        assert self.inner is not None
        return self.inner.monotonic()

    # matching ---------------------------------------------------------------
    def _find(self, wanted: list[str], stdin: str | None, *, repeat: bool) -> int | None:
        """The first unplayed recording of the command; with `repeat`, else the last one played."""
        key = self.key(wanted)
        last = None
        for index, interaction in enumerate(self.recorded):
            if self.key(interaction.argv) == key and interaction.stdin == stdin:
                if index not in self.played:
                    return index
                last = index
        return last if repeat else None

    async def _replay(self, index: int, argv: list[str], timeout: float, on_stdout: StdoutSink | None) -> CommandResult:
        self.played.add(index)
        interaction = self.recorded[index]
        self._clock += interaction.elapsed
        result = CommandResult(
            argv=argv,
            exit_code=interaction.exit_code,
            stdout=interaction.stdout,
            stderr=interaction.stderr,
            duration=interaction.duration,
            timed_out=interaction.timed_out,
            stdin=interaction.stdin,
        )
        delivered(result, on_stdout)
        if on_stdout is not None and interaction.cancelled:
            await self._until_cancelled(interaction, timeout)
        return result

    async def _until_cancelled(self, interaction: Interaction, timeout: float) -> None:
        """A recorded streamed command ran until its caller cancelled it: so does its replay, within a bound."""
        waited = max(0.0, min(timeout, self.cancel_wait))
        await asyncio.sleep(waited)
        self.diverged = CassetteNotCancelled(
            f"`{' '.join(interaction.argv)}` was cancelled by its caller in the recording "
            f"{self.cassette.path}, and nothing cancelled it in this replay within {waited:g} s: "
            "the code under test no longer stops it where it did when recorded"
        )
        raise self.diverged

    def _miss_message(self, wanted: list[str]) -> str:
        shown = " ".join(self.key(wanted))
        if not self.recorded:
            return f"No recorded interaction for `{shown}`: cassette {self.cassette.path} is empty or missing"
        candidates = [" ".join(self.key(item.argv)) for item in self.recorded]
        nearest = max(candidates, key=lambda text: difflib.SequenceMatcher(None, text, shown).ratio())
        diff = "\n".join(difflib.unified_diff([nearest], [shown], "recorded (nearest)", "requested", lineterm=""))
        used = sum(1 for i, c in enumerate(candidates) if c == shown and i in self.played)
        note = f" ({used} matching interaction(s) already played)" if used else ""
        return (
            f"No unplayed recorded interaction for `{shown}` in {self.cassette.path}{note}.\n"
            f"Nearest recorded argv and the difference:\n{diff}"
        )

    # recording --------------------------------------------------------------
    async def _record(
        self,
        argv: Sequence[str],
        wanted: list[str],
        stdin_key: str | None,
        *,
        timeout: float,
        env: Mapping[str, str] | None,
        stdin: str | None,
        on_stdout: StdoutSink | None,
    ) -> CommandResult:
        assert self.inner is not None
        started = time.monotonic()
        streamed: list[bytes] = []
        cut = CancelCut()

        def tee(chunk: bytes) -> None:
            if cut.reached():  # the caller has asked to stop: what comes now is no part of its answer
                return
            streamed.append(chunk)
            assert on_stdout is not None
            on_stdout(chunk)

        running = asyncio.ensure_future(
            self.inner.run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=tee if on_stdout else None)
        )
        try:
            result = await asyncio.shield(running)  # a cancel reaches this frame first, so it marks the cut
        except asyncio.CancelledError:
            cut.close()
            try:
                await stopped(running)
            finally:
                kept = self._text(streamed) if on_stdout else ""
                self._keep(Interaction(wanted, -9, kept, "", stdin_key, time.monotonic() - started, cancelled=True))
            raise
        stdout = self._text(streamed) if on_stdout else self.redactor.text(result.stdout)
        self._keep(
            Interaction(
                wanted,
                result.exit_code,
                stdout,
                self.redactor.text(result.stderr),
                stdin_key,
                result.duration,
                result.timed_out,
            )
        )
        return result

    def _text(self, streamed: list[bytes]) -> str:
        return self.redactor.text(b"".join(streamed).decode("utf-8", "replace"))

    def _keep(self, interaction: Interaction) -> None:
        self.new.append(interaction)
        # In `all` mode a command recorded again takes the place of its first recording not yet recorded again.
        index = self._find(interaction.argv, interaction.stdin, repeat=False) if self.mode == "all" else None
        if index is None:
            self.recorded.append(interaction)
            index = len(self.recorded) - 1
        else:
            self.recorded[index] = interaction
        self.played.add(index)

    def save(self) -> bool:
        """Write the cassette when anything was recorded; True when written."""
        if not self.new:
            return False
        self.cassette.interactions = self.recorded
        self.cassette.save()
        return True


class CancelCut:
    """When the task recording a command was asked to stop.

    Where asyncio counts cancel requests (3.11+) that is the request itself, so
    output read in the same loop turn, after the caller has stopped listening,
    is not kept; elsewhere it is when the cancel reaches the recorder.
    """

    def __init__(self) -> None:
        self.task = asyncio.current_task()
        self.closed = False
        self.before = self._requests()

    def _requests(self) -> int:
        count = getattr(self.task, "cancelling", None)
        return count() if count is not None else 0

    def close(self) -> None:
        self.closed = True

    def reached(self) -> bool:
        return self.closed or self._requests() > self.before


async def stopped(running: asyncio.Future[Any]) -> None:
    """Cancel `running` and wait until it has stopped (the inner runner kills and reaps its process)."""
    running.cancel()
    await asyncio.wait({running})
    if not running.cancelled():
        running.exception()  # retrieved: an error while stopping is no news to a cancelled caller

"""`CassetteRunner`: records or replays CLI interactions around any Runner."""

from __future__ import annotations

import asyncio
import difflib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fluxtools._process.runners import CommandResult, Runner, StdoutSink
from fluxtools.cassettes.format import Cassette, Interaction
from fluxtools.cassettes.redact import Redactor

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


class CassetteMiss(AssertionError):
    """A replayed command has no recorded interaction."""


class CassetteRunner:
    """Wraps a Runner; the executor never knows whether it records or replays.

    Modes follow vcrpy and pytest-recording: `none` replays only and never runs
    a process; `once` records only when the cassette does not exist yet;
    `new_episodes` replays what matches and records the rest; `all` records
    everything again and keeps the recorded interactions it did not run (a
    re-recorded interaction takes its old one's place, so replay plays the
    fresh one); `rewrite` starts the cassette anew. Replaying keeps a virtual
    clock so waits cost no time.
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
        wanted = self.redactor.argv(argv)
        stdin_key = self.redactor.text(stdin) if stdin is not None else None
        if self.mode != "all" and self.mode != "rewrite":
            found = self._find(wanted, stdin_key)
            if found is not None:
                return self._replay(found, list(argv), on_stdout)
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
    def _find(self, wanted: list[str], stdin: str | None) -> int | None:
        key = self.key(wanted)
        last = None
        for index, interaction in enumerate(self.recorded):
            if self.key(interaction.argv) == key and interaction.stdin == stdin:
                if index not in self.played:
                    return index
                last = index
        return last if self.allow_repeats else None

    def _replay(self, index: int, argv: list[str], on_stdout: StdoutSink | None) -> CommandResult:
        self.played.add(index)
        interaction = self.recorded[index]
        if not interaction.cancelled:  # a cancelled command ran beside others: its time is theirs
            self._clock += interaction.duration
        if on_stdout is not None:
            on_stdout(interaction.stdout.encode())
        return CommandResult(
            argv=argv,
            exit_code=interaction.exit_code,
            stdout="" if on_stdout is not None else interaction.stdout,
            stderr=interaction.stderr,
            duration=interaction.duration,
            timed_out=interaction.timed_out,
            stdin=interaction.stdin,
        )

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

        def tee(chunk: bytes) -> None:
            streamed.append(chunk)
            assert on_stdout is not None
            on_stdout(chunk)

        try:
            result = await self.inner.run(
                argv, timeout=timeout, env=env, stdin=stdin, on_stdout=tee if on_stdout else None
            )
        except asyncio.CancelledError:
            self._keep(Interaction(wanted, -9, "", "", stdin_key, time.monotonic() - started, cancelled=True))
            raise
        self._keep(
            Interaction(
                wanted,
                result.exit_code,
                self.redactor.text(b"".join(streamed).decode("utf-8", "replace") if on_stdout else result.stdout),
                self.redactor.text(result.stderr),
                stdin_key,
                result.duration,
                result.timed_out,
            )
        )
        return result

    def _keep(self, interaction: Interaction) -> None:
        self.new.append(interaction)
        index = self._stale(interaction) if self.mode == "all" else None
        if index is None:
            self.recorded.append(interaction)
            index = len(self.recorded) - 1
        else:
            self.recorded[index] = interaction
        self.played.add(index)

    def _stale(self, interaction: Interaction) -> int | None:
        """In `all` mode: the first earlier recording of the same command not yet recorded again."""
        key = self.key(interaction.argv)
        for index, old in enumerate(self.recorded):
            if index not in self.played and self.key(old.argv) == key and old.stdin == interaction.stdin:
                return index
        return None

    def save(self) -> bool:
        """Write the cassette when anything was recorded; True when written."""
        if not self.new:
            return False
        self.cassette.interactions = self.recorded
        self.cassette.save()
        return True

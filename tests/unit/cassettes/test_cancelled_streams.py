"""A streamed command its caller cancels (a watch) is recorded with what it streamed, and replayed as it ran.

The inner runner and its output are synthetic.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from fluxtools.cassettes import Cassette, CassetteNotCancelled, CassetteRunner, Interaction, Redactor
from fluxtools.testing import ScriptedRunner

WATCH = ["kubectl", "get", "kustomizations.kustomize.toolkit.fluxcd.io", "apps", "--watch", "-o", "json"]
CLI = ["flux", "reconcile", "kustomization", "apps"]
FIRST = b'{"url": "http://127.0.0.1:28418/repo.git", "path": "/lab/state/apps"}\n'
SECOND = b'{"status": "handled"}\n'
LATE = b'{"status": "after the cancel"}\n'


class Streamer(ScriptedRunner):
    """Synthetic: a watch streams `chunks` then stays open; once cancelled it prints `late` before it stops.
    Other commands sleep `wait` s (real time) and answer `0, "done", ""`."""

    def __init__(self, chunks=(FIRST, SECOND), late=(), wait=0.0) -> None:
        super().__init__(lambda argv: (0, "done", ""))
        self.chunks, self.late, self.wait = list(chunks), list(late), wait
        self.sink = None

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None):
        if "--watch" not in argv:
            await asyncio.sleep(self.wait)
            return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)
        self.sink = on_stdout
        try:
            for chunk in self.chunks:
                on_stdout(chunk)
                await asyncio.sleep(0)
            await asyncio.sleep(timeout)
            raise AssertionError("the synthetic watch was never cancelled")
        except asyncio.CancelledError:
            for chunk in self.late:
                on_stdout(chunk)
            raise


def recorder(tmp_path, inner) -> CassetteRunner:
    redactor = Redactor(paths={"/lab/state": "<LAB>"})
    return CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), inner, mode="once", redactor=redactor)


def replayer(tmp_path, **kwargs) -> CassetteRunner:
    return CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none", **kwargs)


async def cancelled_after(runner, argv, seconds, sink=None, between=None):
    """Run `argv`, cancel it after `seconds` (real time); `between` runs right after the cancel request."""
    task = asyncio.ensure_future(runner.run(argv, timeout=60, on_stdout=sink))
    await asyncio.sleep(seconds)
    assert not task.done()
    task.cancel()
    if between is not None:
        between()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_a_cancelled_watch_keeps_what_it_streamed_redacted_and_marked_cancelled(tmp_path):
    got: list[bytes] = []
    runner = recorder(tmp_path, Streamer())
    asyncio.run(cancelled_after(runner, WATCH, 0.05, got.append))
    assert got == [FIRST, SECOND]  # the caller saw the stream as it came
    assert runner.save()
    text = (tmp_path / "c.cli.yaml").read_text()
    assert "28418" not in text and "/lab/state" not in text and "cancelled: true" in text
    (kept,) = Cassette.load(tmp_path / "c.cli.yaml").interactions
    assert kept.cancelled and kept.exit_code == -9
    assert kept.stdout == ('{"url": "http://127.0.0.1:PORT/repo.git", "path": "<LAB>/apps"}\n{"status": "handled"}\n')


def test_what_streams_once_the_cancel_is_requested_is_not_kept(tmp_path):
    got: list[bytes] = []
    runner = recorder(tmp_path, Streamer(late=[LATE]))
    asyncio.run(cancelled_after(runner, WATCH, 0.05, got.append))
    runner.save()
    (kept,) = Cassette.load(tmp_path / "c.cli.yaml").interactions
    assert "after the cancel" not in kept.stdout and LATE not in got
    assert "handled" in kept.stdout


@pytest.mark.skipif(not hasattr(asyncio.Task, "cancelling"), reason="asyncio counts cancel requests from 3.11")
def test_the_cut_is_the_cancel_request_itself(tmp_path):
    """Output read in the same loop turn as the cancel request, before the task wakes, is not kept either."""
    got: list[bytes] = []
    inner = Streamer()
    runner = recorder(tmp_path, inner)
    asyncio.run(cancelled_after(runner, WATCH, 0.05, got.append, between=lambda: inner.sink(LATE)))
    runner.save()
    (kept,) = Cassette.load(tmp_path / "c.cli.yaml").interactions
    assert "after the cancel" not in kept.stdout and LATE not in got


def test_a_cancelled_command_that_did_not_stream_keeps_nothing(tmp_path):
    runner = recorder(tmp_path, Streamer(wait=5))
    asyncio.run(cancelled_after(runner, CLI, 0.05))
    runner.save()
    (kept,) = Cassette.load(tmp_path / "c.cli.yaml").interactions
    assert kept.cancelled and kept.stdout == "" and kept.exit_code == -9


def test_the_cassette_file_holds_a_cancelled_commands_output():
    interaction = Interaction(WATCH, -9, '{"a": 1}\n{"a": 2}\n', duration=1.5, cancelled=True)
    data = interaction.to_dict()
    assert data["stdout"] == '{"a": 1}\n{"a": 2}\n' and data["cancelled"] is True
    assert Interaction.from_dict(data) == interaction


def record_watch(tmp_path, **streamer) -> None:
    runner = recorder(tmp_path, Streamer(**streamer))
    asyncio.run(cancelled_after(runner, WATCH, 0.05, lambda chunk: None))
    runner.save()


def test_a_replayed_watch_streams_what_was_recorded_and_runs_until_cancelled(tmp_path):
    record_watch(tmp_path)
    runner = replayer(tmp_path)
    got: list[bytes] = []

    async def scenario() -> None:
        task = asyncio.ensure_future(runner.run(WATCH, timeout=60, on_stdout=got.append))
        for _ in range(20):
            await asyncio.sleep(0.005)
        assert not task.done()  # it did not return early: the recorded watch ran until it was cancelled
        assert b"".join(got).decode() == Cassette.load(tmp_path / "c.cli.yaml").interactions[0].stdout
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert runner.monotonic() == 0  # a cancelled command's time belonged to the commands beside it


def test_a_replayed_watch_nobody_cancels_fails_clearly(tmp_path):
    record_watch(tmp_path)
    runner = replayer(tmp_path, cancel_wait=0.1)
    started = time.monotonic()
    with pytest.raises(CassetteNotCancelled, match="cancelled by its caller") as info:
        asyncio.run(runner.run(WATCH, timeout=60, on_stdout=lambda chunk: None))
    assert 0.1 <= time.monotonic() - started < 2
    assert "nothing cancelled it" in str(info.value) and "--watch" in str(info.value)
    with pytest.raises(CassetteNotCancelled, match="cancelled by its caller"):  # every later command says so too
        asyncio.run(runner.run(CLI, timeout=60))


def test_the_wait_for_a_cancel_ends_at_the_callers_timeout_when_that_is_sooner(tmp_path):
    record_watch(tmp_path)
    runner = replayer(tmp_path, cancel_wait=30)
    started = time.monotonic()
    with pytest.raises(CassetteNotCancelled):
        asyncio.run(runner.run(WATCH, timeout=0.05, on_stdout=lambda chunk: None))
    assert time.monotonic() - started < 2


def test_a_cancelled_command_without_a_sink_replays_at_once_as_before(tmp_path):
    """Recordings of the reconcile CLI cancelled beside polling replay at once with exit -9."""
    runner = recorder(tmp_path, Streamer(wait=5))
    asyncio.run(cancelled_after(runner, CLI, 0.05))
    runner.save()
    record_watch(tmp_path / "w")
    for path, argv in ((tmp_path, CLI), (tmp_path / "w", WATCH)):
        result = asyncio.run(asyncio.wait_for(replayer(path).run(argv, timeout=60), 1))
        assert result.exit_code == -9
    assert "handled" in result.stdout  # a watch replayed without a sink answers with what it streamed

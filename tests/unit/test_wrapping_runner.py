"""`WrappingRunner`: a runner around another keeps the inner runner's commands and clock."""

import pytest

from fluxtools import NotInstalled, Runner, WrappingRunner
from fluxtools.testing import MissingBinaries, ScriptedRunner


async def test_commands_and_waits_go_to_the_inner_runner():
    inner = ScriptedRunner(lambda argv: (0, "out", ""))
    wrapper = WrappingRunner(inner)
    streamed: list[bytes] = []

    result = await wrapper.run(["kubectl", "get", "ks"], timeout=5, stdin="in", on_stdout=streamed.append)
    await wrapper.sleep(30)

    assert isinstance(wrapper, Runner)
    assert inner.calls == [["kubectl", "get", "ks"]]
    assert (result.exit_code, result.stdout, streamed) == (0, "", [b"out"])
    assert inner.clock == 30 and wrapper.monotonic() == 30  # the inner runner's virtual clock, not real time


async def test_a_subclass_changes_run_and_keeps_the_inner_clock():
    inner = ScriptedRunner()
    wrapper = MissingBinaries(inner, {"kubectl"})

    with pytest.raises(NotInstalled):
        await wrapper.run(["/usr/bin/kubectl", "version"], timeout=5)
    await wrapper.run(["flux", "version"], timeout=5)
    await wrapper.sleep(2.5)

    assert inner.calls == [["flux", "version"]]
    assert wrapper.monotonic() == inner.monotonic() == 2.5

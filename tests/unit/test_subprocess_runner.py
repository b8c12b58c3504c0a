"""SubprocessRunner against real child processes: timeouts, caps, decoding, missing binaries."""

import os
import sys
import time

import pytest

from fluxtools._errors import NotInstalled
from fluxtools._process.runners import SubprocessRunner

PY = sys.executable


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); read its state.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


async def test_hung_child_and_grandchild_are_killed_at_timeout(tmp_path):
    pids = tmp_path / "pids"
    script = (
        "import os, subprocess, sys, time\n"
        f"child = subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(300)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(300)\n"
    )
    started = time.monotonic()
    result = await SubprocessRunner().run([PY, "-c", script], timeout=1.5)
    elapsed = time.monotonic() - started
    assert result.timed_out and not result.ok
    assert elapsed < 6
    leader, grandchild = (int(pid) for pid in pids.read_text().split())
    time.sleep(0.2)
    assert not alive(leader)
    assert not alive(grandchild)


async def test_output_is_capped_with_a_visible_marker():
    runner = SubprocessRunner(output_cap=64 * 1024)
    result = await runner.run([PY, "-c", "import sys; sys.stdout.write('x' * 5_000_000)"], timeout=30)
    assert result.ok
    assert result.stdout_truncated
    assert result.stdout.startswith("x" * 1000)
    assert "output truncated by fluxtools: 4934464 more bytes" in result.stdout
    assert len(result.stdout) < 64 * 1024 + 200


async def test_non_utf8_output_is_decoded_with_replacement():
    result = await SubprocessRunner().run(
        [PY, "-c", "import sys; sys.stdout.buffer.write(b'ok \\xff\\xfe end')"], timeout=10
    )
    assert result.stdout == "ok \ufffd\ufffd end"


async def test_exit_code_and_stderr():
    result = await SubprocessRunner().run([PY, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"], timeout=10)
    assert result.exit_code == 3 and result.stderr == "boom" and not result.timed_out


async def test_missing_binary_is_not_installed():
    with pytest.raises(NotInstalled) as info:
        await SubprocessRunner().run(["/nonexistent/flux", "get"], timeout=5)
    assert info.value.message.startswith("flux command not found. Install Flux CLI")


async def test_stdin_is_passed():
    result = await SubprocessRunner().run(
        [PY, "-c", "import sys; print(sys.stdin.read().upper())"], timeout=10, stdin="hi"
    )
    assert result.stdout.strip() == "HI"


@pytest.mark.parametrize(
    ("content", "mode", "reason"),
    [("echo no interpreter line\n", 0o755, "Exec format error"), ("#!/bin/sh\necho\n", 0o644, "not executable")],
)
async def test_a_configured_binary_that_cannot_be_run_is_not_installed(tmp_path, content, mode, reason):
    """A file at kubectl_path that is no program (a script without `#!`, a file without x) is a typed error."""
    binary = tmp_path / "kubectl"
    binary.write_text(content)
    binary.chmod(mode)
    with pytest.raises(NotInstalled) as raised:
        await SubprocessRunner().run([str(binary), "version"], timeout=5)
    assert reason in raised.value.hint and str(binary) in raised.value.hint

"""Shared pieces of the MCP tests: the server command, ports, and the spec table's view of the tools."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fluxtools import ALL_SPECS

ROOT = Path(__file__).resolve().parents[2]
VERDICTS = {"succeeded", "failed", "suspended", "timed_out"}


def server_argv(*options: str) -> list[str]:
    return [sys.executable, "-m", "fluxtools.cli", "mcp", *options]


SERVER_SETTINGS = ("KUBECONFIG", "FLUX_NAMESPACE", "FLUXTOOLS_CLUSTER", "FLUXTOOLS_MCP_TOKEN")


def server_env(**extra: str) -> dict[str, str]:
    """The test's environment without settings that would change the server's configuration, plus `extra`."""
    env = dict(os.environ)
    for name in SERVER_SETTINGS:
        env.pop(name, None)
    return {**env, **extra}


def spec_table(read_only: bool = False) -> dict[str, dict[str, Any]]:
    """name → (description, schema, flags) as the spec table has them."""
    return {
        spec.name: {
            "description": spec.description,
            "schema": spec.json_schema(),
            "read_only": not spec.mutating,
            "idempotent": spec.idempotent if spec.mutating else None,  # MCP: meaningful only when not read-only
        }
        for spec in ALL_SPECS
        if not (read_only and spec.mutating)
    }


def listed(tools: list[Any]) -> dict[str, dict[str, Any]]:
    """The same view of an SDK `tools/list` result."""
    return {
        tool.name: {
            "description": tool.description,
            "schema": tool.input_schema,
            "read_only": tool.annotations.read_only_hint,
            "idempotent": tool.annotations.idempotent_hint,
        }
        for tool in tools
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@contextlib.contextmanager
def http_server(*options: str, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`fluxtools mcp --http` on a free loopback port; stopped (and reaped) on exit."""
    port = free_port()
    with log.open("wb") as errors:
        process = subprocess.Popen(
            server_argv("--http", "--host", "127.0.0.1", "--port", str(port), *options),
            stdin=subprocess.DEVNULL,
            stdout=errors,
            stderr=errors,
            env=server_env(**(env or {})),
            cwd=ROOT,
        )
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

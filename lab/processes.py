"""The lab's processes: each in its own process group, recorded in `pids.json`, stopped and verified."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from .layout import BIN, HERE, STATE, state

BASE_ENV = dict(os.environ)
BASE_ENV.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "GOTOOLCHAIN": "local"})
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    BASE_ENV.pop(_proxy, None)

Record = dict[str, Any]
PIDS: dict[str, Record] = {}  # processes started by this command, by name


def log(msg: str) -> None:
    print(f"[lab {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def die(msg: str, code: int = 1) -> NoReturn:
    log("ERROR: " + msg)
    sys.exit(code)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
        return data[data.rindex(")") + 2 :].split()
    except (OSError, ValueError):
        return None


def proc_start_time(pid: int) -> str | None:
    fields = _stat_fields(pid)
    if not fields or len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def alive(rec: Record) -> bool:
    started = proc_start_time(rec["pid"])
    return started is not None and started == rec.get("start")


def ours(pid: int) -> bool:
    """Guard against PID reuse: only processes started from the lab's binaries, scripts or state are signalled."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().decode("utf-8", "replace")
    except OSError:
        return False
    return any(str(x) in cmd for x in (BIN, HERE, STATE))


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        try:
            if fields and int(fields[2]) == pgid and fields[0] not in ("Z", "X") and ours(int(entry)):
                members.append(int(entry))
        except (ValueError, IndexError):
            pass
    return members


def load_pids() -> dict[str, Record]:
    try:
        return json.loads(state("pids.json").read_text())
    except (OSError, ValueError):
        return {}


def save_pids(pids: dict[str, Record]) -> None:
    tmp = state("pids.json.tmp")
    tmp.write_text(json.dumps(pids, indent=2))
    tmp.replace(state("pids.json"))


def spawn(name: str, cmd: list[str], env: dict[str, str] | None = None, cri_log: Any = None) -> subprocess.Popen:
    """Start a process in its own session/process group and record it."""
    out = open(state("logs", f"{name}.out"), "ab")  # noqa: SIM115 (the child keeps it)
    if cri_log:
        cmd = [sys.executable, str(HERE / "crilog.py"), str(cri_log), "--", *cmd]
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**BASE_ENV, **(env or {})},
        cwd=str(STATE),
        start_new_session=True,
    )
    time.sleep(0.05)
    PIDS[name] = {"pid": proc.pid, "start": proc_start_time(proc.pid), "cmd": cmd[:4]}
    save_pids(PIDS)
    return proc


def pid_exists(pid: int) -> bool:
    """True while /proc/<pid> exists at all (zombies included, as pgrep sees them)."""
    return os.path.exists(f"/proc/{pid}")


def _term_tier(pids: dict[str, Record], names: list[str], grace: float) -> None:
    groups = [pids[n]["pid"] for n in names]
    for n in names:
        if alive(pids[n]):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pids[n]["pid"], signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and any(group_members(g) for g in groups):
        time.sleep(0.1)
    for n, g in zip(names, groups, strict=False):
        if group_members(g):
            log(f"{n} still up {grace:.0f}s after SIGTERM; sending SIGKILL")
        for member in group_members(g):
            with contextlib.suppress(ProcessLookupError):
                os.kill(member, signal.SIGKILL)


def stop_all(pids: dict[str, Record], verbose: bool = True, grace: float = 5.0) -> bool:
    """Stop every recorded process group in tiers (clients, then API servers, then etcd):
    SIGTERM, SIGKILL after `grace` seconds; then verify nothing is left."""
    names = list(pids)[::-1]
    groups = [pids[n]["pid"] for n in names]
    core = ("kube-apiserver", "kube-apiserver-noflux", "etcd")
    clients = [n for n in names if n not in core]
    tiers = [clients, [n for n in names if n in core[:2]], [n for n in names if n == "etcd"]]
    for tier in tiers:
        if tier:
            _term_tier(pids, tier, grace)
    deadline = time.time() + 10  # let the parent/init reap them, so pgrep sees nothing
    while time.time() < deadline and (any(group_members(g) for g in groups) or any(pid_exists(g) for g in groups)):
        time.sleep(0.2)
    ok = True
    for n in names:
        rest = group_members(pids[n]["pid"])
        if rest:
            ok = False
            log(f"still running: {n} pgid={pids[n]['pid']} members={rest}")
    if verbose:
        print("checked PIDs (process groups): " + " ".join(str(x) for x in sorted(groups)))
        lingering = [g for g in groups if pid_exists(g)]
        if lingering:
            print("note: not yet reaped (zombie) PIDs: " + " ".join(map(str, lingering)))
    return ok


def wait_for(
    what: str, ready: Callable[[], bool], timeout: float = 120, interval: float = 0.5, proc_names: Iterable[str] = ()
) -> None:
    """Poll `ready` until true; fail early when a process it depends on exited."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if ready():
            log(f"{what} ready ({time.time() - t0:.1f}s)")
            return
        for n in proc_names:
            if n in PIDS and not alive(PIDS[n]):
                die(f"{n} exited while waiting for {what}; see {state('logs', n + '.out')}")
        time.sleep(interval)
    die(f"timed out after {timeout}s waiting for {what}")

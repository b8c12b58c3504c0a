#!/usr/bin/env python3
"""Run a command and append its stdout/stderr to a file in CRI log format.

Usage: crilog.py LOGFILE -- CMD [ARGS...]

Each line becomes `<RFC3339Nano UTC> <stream> F <line>`, which kwok's
ClusterLogs serves as the container log of the fake controller pod, so
`flux logs` reads the controller's real output through the API server.
The child's exit status is propagated; SIGTERM/SIGINT are forwarded.
"""

import contextlib
import datetime
import signal
import subprocess
import sys
import threading


def stamp() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def pump(stream, name, out, lock):
    for raw in iter(stream.readline, b""):
        line = raw.rstrip(b"\r\n").decode("utf-8", "replace")
        with lock:
            out.write(f"{stamp()} {name} F {line}\n")
            out.flush()


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    logfile, cmd = sys.argv[1], sys.argv[3:]
    out = open(logfile, "a", encoding="utf-8")  # noqa: SIM115 (open for the child's lifetime)
    lock = threading.Lock()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def forward(sig, _frame):
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(sig)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    threads = [
        threading.Thread(target=pump, args=(child.stdout, "stdout", out, lock), daemon=True),
        threading.Thread(target=pump, args=(child.stderr, "stderr", out, lock), daemon=True),
    ]
    for t in threads:
        t.start()
    rc = child.wait()
    for t in threads:
        t.join(timeout=2)
    return rc


if __name__ == "__main__":
    sys.exit(main())

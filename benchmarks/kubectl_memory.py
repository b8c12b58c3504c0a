"""Memory of concurrent kubectl processes waiting on a remote API server: what a fleet call's process
limit (`fleet_max_concurrency`) costs.

    python benchmarks/kubectl_memory.py [--counts 1 64 128] [--delay 10] [--kubectl PATH]

A local HTTP server (127.0.0.1, no TLS, no credentials) answers every request after `--delay` seconds
with the demo cluster's recorded list of every Flux object (the diagnosis's object read). `count`
processes `kubectl get --raw <list path>` run at once; once every one has sent its request, each one's
memory is read from /proc/<pid>/smaps_rollup: RSS (what `ps` and max-RSS show: the binary's shared
pages counted in every process), PSS (shared pages divided among the processes sharing them) and USS
(pages only that process has). The sum of PSS is what the processes take together. Afterwards, the
largest RSS any of them reached (rusage), which includes handling the answer, and the CPU time each took.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fluxtools._flux.kinds import ALL_KINDS, KUSTOMIZATION, resources  # noqa: E402
from fluxtools.demo import demo_runner  # noqa: E402
from lab.info import lab_info  # noqa: E402


def recorded_list() -> bytes:
    import asyncio

    argv = ["kubectl", "get", resources(ALL_KINDS), "-A", "-o", "json"]
    return asyncio.run(demo_runner().run(argv, timeout=30)).stdout.encode()


class Waiting(ThreadingHTTPServer):
    request_queue_size = 1024
    arrived = 0
    """Requests received so far."""


def serve(body: bytes, delay: float) -> Waiting:
    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            server.arrived += 1
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = Waiting(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def kubeconfig(port: int) -> str:
    text = (
        "apiVersion: v1\nkind: Config\ncurrent-context: local\n"
        f"clusters:\n- name: local\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\n"
        "contexts:\n- name: local\n  context: {cluster: local, user: nobody}\n"
        "users:\n- name: nobody\n  user: {}\n"
    )
    handle, path = tempfile.mkstemp(prefix="kubectl-memory-", suffix=".yaml")
    os.write(handle, text.encode())
    os.close(handle)
    return path


def memory_kb(pid: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "uss": fields["Private_Clean"] + fields["Private_Dirty"],
    }


def measure(server: Waiting, kubectl: str, config: str, count: int, delay: float) -> dict[str, float]:
    path = "/apis/" + KUSTOMIZATION.group + "/v1/" + KUSTOMIZATION.plural
    argv = [kubectl, "--kubeconfig", config, "--request-timeout", f"{delay + 30:g}s", "get", "--raw", path]
    server.arrived = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = [subprocess.Popen(argv, stdout=subprocess.DEVNULL) for _ in range(count)]
    while server.arrived < count:  # every process has sent its request and waits for the answer
        time.sleep(0.05)
    samples = [memory_kb(process.pid) for process in processes]
    for process in processes:
        assert process.wait() == 0, "kubectl failed"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / count
    each = {key: statistics.median(sample[key] for sample in samples) / 1024 for key in ("rss", "pss", "uss")}
    return {**each, "total_pss": sum(sample["pss"] for sample in samples) / 1024, "cpu_ms": cpu * 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 64, 128])
    parser.add_argument("--delay", type=float, default=10.0)
    info = lab_info() or {}
    parser.add_argument("--kubectl", default=info.get("kubectl") or shutil.which("kubectl"))
    args = parser.parse_args()
    version = subprocess.run([args.kubectl, "version", "--client"], capture_output=True, text=True).stdout
    server = serve(recorded_list(), args.delay)
    config = kubeconfig(server.server_address[1])
    try:
        print(f"{args.kubectl}: {version.splitlines()[0]}; the answer is {len(recorded_list()):,} bytes")
        print("| processes at once | RSS each (median) | PSS each | USS each | all of them (sum of PSS) | CPU each |")
        print("|---|---|---|---|---|---|")
        for count in args.counts:
            m = measure(server, args.kubectl, config, count, args.delay)
            print(
                f"| {count} | {m['rss']:.1f} MB | {m['pss']:.1f} MB | {m['uss']:.1f} MB | {m['total_pss']:,.0f} MB | "
                f"{m['cpu_ms']:.0f} ms |"
            )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest RSS of any kubectl run (after its answer): {peak:.1f} MB")
    finally:
        server.shutdown()
        os.unlink(config)


if __name__ == "__main__":
    main()

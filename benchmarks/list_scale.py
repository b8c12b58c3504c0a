"""Listing 1,000 and 5,000 Kustomizations: fluxtools vs `flux get ks -A` vs kubectl vs one raw API LIST.

    python benchmarks/list_scale.py [--counts 1000 5000] [--runs 7]

Seeds suspended Kustomizations (nothing for the controller to do) in namespace `bench` of the running
lab, measures each reader interleaved, prints a Markdown table, and removes the namespace afterwards.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml
from common import lab_or_exit, lab_tools, median_ms, size

RESOURCE = "kustomizations.kustomize.toolkit.fluxcd.io"
OBJECT = """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: bench-{i:05d}, namespace: bench}}
spec:
  suspend: true
  interval: 60m
  path: ./apps
  prune: false
  sourceRef: {{kind: GitRepository, name: flux-system, namespace: flux-system}}
"""


def kubectl(info: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    argv = [info["kubectl"], "--kubeconfig", info["kubeconfig"], "--context", "lab", *args]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, check=True)


def seed(info: dict, upto: int, have: int) -> None:
    if have == 0:
        kubectl(info, "wait", "--for=delete", "namespace/bench", "--timeout=600s")  # a previous run's clean-up
        kubectl(info, "create", "namespace", "bench")
    for start in range(have, upto, 500):
        docs = "---\n".join(OBJECT.format(i=i) for i in range(start, min(upto, start + 500)))
        kubectl(info, "apply", "--server-side", "-f", "-", stdin=docs)


def client_files(info: dict, folder: str) -> list[str]:
    """curl flags for the admin client certificate of the lab kubeconfig (written to a private temp dir)."""
    config = yaml.safe_load(Path(info["kubeconfig"]).read_text())
    context = next(c["context"] for c in config["contexts"] if c["name"] == "lab")
    cluster = next(c["cluster"] for c in config["clusters"] if c["name"] == context["cluster"])
    user = next(u["user"] for u in config["users"] if u["name"] == context["user"])
    files = {}
    for key, source in (("ca", cluster), ("cert", user), ("key", user)):
        field = {"ca": "certificate-authority", "cert": "client-certificate", "key": "client-key"}[key]
        path = Path(folder) / key
        if source.get(f"{field}-data"):
            path.write_bytes(base64.b64decode(source[f"{field}-data"]))
        else:
            path.write_bytes(Path(source[field]).read_bytes())
        path.chmod(0o600)
        files[key] = str(path)
    # compact JSON, as a client asks for it (the API server pretty-prints for curl's user agent otherwise)
    url = f"{cluster['server']}/apis/kustomize.toolkit.fluxcd.io/v1/{RESOURCE.split('.')[0]}?pretty=false"
    return ["curl", "-sf", "--cacert", files["ca"], "--cert", files["cert"], "--key", files["key"], url]


def run_ms(argv: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, check=True)
    return (time.perf_counter() - started), len(result.stdout)


def peak_memory(info: dict) -> str:
    code = textwrap.dedent(
        f"""
        import resource, sys, tracemalloc
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from common import lab_tools
        tracemalloc.start()
        tools = lab_tools({info!r})
        envelope = tools.call("flux_kustomization_list", {{}})
        assert envelope["success"]
        current, peak = tracemalloc.get_traced_memory()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{{rss:.0f}} MiB max RSS, {{peak / 2**20:.1f}} MiB peak Python allocations")
        """
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    info = lab_or_exit()
    tools = lab_tools(info)
    flux = [info["flux"], "--kubeconfig", info["kubeconfig"], "--context", "lab", "get", "kustomizations", "-A"]
    kube = [info["kubectl"], "--kubeconfig", info["kubeconfig"], "--context", "lab", "get", RESOURCE, "-A"]
    kube += ["-o", "json"]
    have = 0
    rows = []
    with tempfile.TemporaryDirectory() as private:
        os.chmod(private, 0o700)
        curl = client_files(info, private)
        try:
            for count in options.counts:
                seed(info, count, have)
                have = count
                samples: dict[str, list[float]] = {"fluxtools": [], "flux": [], "kubectl": [], "raw": []}
                for _ in range(options.runs):
                    started = time.perf_counter()
                    envelope = tools.call("flux_kustomization_list", {})
                    samples["fluxtools"].append(time.perf_counter() - started)
                    elapsed, table_bytes = run_ms(flux)
                    samples["flux"].append(elapsed)
                    samples["kubectl"].append(run_ms(kube)[0])
                    elapsed, raw_bytes = run_ms(curl)
                    samples["raw"].append(elapsed)
                total = envelope["data"]["total"]
                medians = {name: median_ms(values) for name, values in samples.items()}
                rows.append((count, total, medians, size(envelope), table_bytes, raw_bytes, envelope["data"]["counts"]))
            memory = peak_memory(info)
        finally:
            if have:
                kubectl(info, "delete", "namespace", "bench", "--wait=false")
    print(
        "| objects in cluster | fluxtools list | `flux get ks -A` | `kubectl get -o json` | raw API LIST (curl) "
        "| fluxtools ÷ flux (goal ≤ 0.8×) | fluxtools ÷ raw (goal ≤ 1.3×) | response bytes: fluxtools / flux table "
        "(goal ≤ 16 KB) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for count, total, m, ours, table, raw, counts in rows:
        print(
            f"| {total} ({count} generated) | {m['fluxtools']:.0f} ms | {m['flux']:.0f} ms | {m['kubectl']:.0f} ms "
            f"| {m['raw']:.0f} ms | {m['fluxtools'] / m['flux']:.2f}× | {m['fluxtools'] / m['raw']:.2f}× "
            f"| {ours} / {table} (raw JSON {raw}); counts {counts} |"
        )
    print(f"\nPeak memory, {options.counts[-1]}-object list in a fresh Python process: {memory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The scale scenario: generated namespaces of Kustomizations added to (and removed from) the running lab.

`--objects N` splits N like the reference load of 1,650: 1,500 suspended, 100 failing with one shared
cause (a path that is not in the source) and 50 blocked on those through `dependsOn`, spread round-robin
over `--namespaces` namespaces `scale-01..`. The scenario's own objects stay as they are.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from . import description
from .kube import apply_objs, delete_namespaces, get_json, ready_cond
from .lifecycle import locked, running_state
from .processes import die, log
from .scenario import RESOURCE, ks, namespace

LABEL = "fluxtools.lab/scale"
REFERENCE = {"suspended": 1500, "failing": 100, "blocked": 50}
MISSING_PATH = "./not-in-source"
FINALIZER = "finalizers.fluxcd.io"
KUSTOMIZATIONS = RESOURCE["Kustomization"]


def split(objects: int) -> dict[str, int]:
    """N objects in the reference proportions; at least one failing and one blocked once N >= 3."""
    total = sum(REFERENCE.values())
    failing = max(1, round(objects * REFERENCE["failing"] / total)) if objects >= 3 else 0
    blocked = max(1, round(objects * REFERENCE["blocked"] / total)) if objects >= 3 else 0
    return {"suspended": objects - failing - blocked, "failing": failing, "blocked": blocked}


def generate(counts: dict[str, int], namespaces: int) -> tuple[list[str], list[dict[str, Any]]]:
    """(namespace names, Kustomizations) for the given counts."""
    names = [f"scale-{i:02d}" for i in range(1, namespaces + 1)]
    labels = {LABEL: "true"}

    def place(i: int) -> str:
        return names[i % len(names)]

    objs = []
    for i in range(counts["suspended"]):
        objs.append(ks(f"idle-{i:04d}", place(i), "./apps", suspend=True))
    for i in range(counts["failing"]):
        objs.append(ks(f"bad-{i:03d}", place(i), MISSING_PATH))
    for i in range(counts["blocked"]):
        target = i % max(1, counts["failing"])
        dep = {"name": f"bad-{target:03d}", "namespace": place(target)}
        objs.append(ks(f"blocked-{i:03d}", place(i), "./apps", dependsOn=[dep]))
    for obj in objs:
        obj["metadata"]["labels"] = labels
    return names, objs


def unsettled(counts: dict[str, int]) -> int:
    """How many generated objects the controllers have not handled yet."""
    items = (get_json(KUSTOMIZATIONS, "-A", "-l", f"{LABEL}=true") or {"items": []})["items"]
    done = {"suspended": 0, "failing": 0, "blocked": 0}
    for obj in items:
        name = obj["metadata"]["name"]
        cond = ready_cond(obj) or {}
        if name.startswith("idle-") and FINALIZER in obj["metadata"].get("finalizers", []):
            done["suspended"] += 1
        elif name.startswith("bad-") and cond.get("reason") == "ArtifactFailed":
            done["failing"] += 1
        elif name.startswith("blocked-") and cond.get("reason") == "DependencyNotReady":
            done["blocked"] += 1
    return sum(counts.values()) - sum(done.values())


def add(counts: dict[str, int], namespaces: int, timeout: float) -> dict[str, Any]:
    names, objs = generate(counts, namespaces)
    t0 = time.time()
    apply_objs([{**namespace(n), "metadata": {"name": n, "labels": {LABEL: "true"}}} for n in names], "scale-ns")
    for start in range(0, len(objs), 500):
        apply_objs(objs[start : start + 500], f"scale-{start // 500:02d}")
    applied = time.time() - t0
    log(f"applied {len(objs)} Kustomizations in {len(names)} namespaces in {applied:.1f}s")
    left = unsettled(counts)
    while left and time.time() - t0 < timeout:
        time.sleep(2)
        left = unsettled(counts)
    settled = time.time() - t0
    if left:
        log(f"{left} generated objects not settled after {settled:.0f}s")
    else:
        log(f"controllers settled {len(objs)} generated objects {settled:.1f}s after the first apply")
    return {
        "namespaces": names,
        **counts,
        "missing_path": MISSING_PATH,
        "apply_seconds": round(applied, 1),
        "settle_seconds": round(settled, 1),
        "settled": not left,
    }


def remove(timeout: float) -> float:
    t0 = time.time()
    delete_namespaces(f"{LABEL}=true", timeout)
    log(f"removed the generated namespaces in {time.time() - t0:.1f}s")
    return time.time() - t0


def command(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="labctl.py scale", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--objects", type=int, help="generated Kustomizations to add (reference: 1650)")
    group.add_argument("--remove", action="store_true", help="delete every generated namespace")
    parser.add_argument("--namespaces", type=int, default=3, help="generated namespaces (default 3)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the controllers")
    opts = parser.parse_args(args)
    with locked():
        ok, _ = running_state()
        if not ok:
            die("the lab is not running: python3 lab/labctl.py start")
        info = description.read()
        if opts.remove or info.get("scale"):
            remove(opts.timeout)
            info.pop("scale", None)
            description.write(info)
        if opts.remove:
            return 0
        if not 1 <= opts.objects <= 20000 or not 1 <= opts.namespaces <= 99:
            die("--objects takes 1..20000 and --namespaces 1..99")
        result = add(split(opts.objects), min(opts.namespaces, opts.objects), opts.timeout)
        description.write({**info, "scale": result})
    print(" ".join(f"{k}={v}" for k, v in result.items()))
    return 0 if result["settled"] else 3

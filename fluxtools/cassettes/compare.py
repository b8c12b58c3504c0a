"""Compare two recordings modulo what changes between runs: `python -m fluxtools.cassettes.compare [--structure] A B`.

Timestamps, commit and digest hashes, UIDs, resource versions, durations and
generated pod names are folded to placeholders; argv and exit codes must match.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

from fluxtools.cassettes.format import Cassette

VOLATILE = (
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"), "<TIME>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \w+"), "<TIME>"),
    (re.compile(r"(sha1|sha256|sha384|sha512):[0-9a-f]{7,128}"), r"\1:<HASH>"),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<HASH>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<UID>"),
    (re.compile(r'"(resourceVersion|generation|observedGeneration)": ?"?\d+"?'), r'"\1": <N>'),
    (re.compile(r"\b\d+(\.\d+)?(ms|µs|s|m)\b"), "<DUR>"),
    (re.compile(r"\b([a-z0-9-]+-[0-9a-f]{8,10}-[a-z0-9]{5})\b"), "<POD>"),
    (re.compile(r'"(size|lastHandledReconcileAt|count|ts)": ?[^,}\n]+'), r'"\1": <V>'),
    (re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ ", re.M), "<KLOG> "),
    (re.compile(r"\.[0-9a-f]{16}\b"), ".<EVENT>"),
)


def normalize(text: str) -> str:
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def differences(old: Cassette, new: Cassette, content: bool = True) -> list[str]:
    """Human-readable differences; empty when the recordings agree modulo volatile fields.

    With `content=False` only the structure is compared: order, argv, stdin and exit codes.
    """
    problems: list[str] = []
    if len(old.interactions) != len(new.interactions):
        problems.append(f"interaction count {len(old.interactions)} != {len(new.interactions)}")
    for index, (a, b) in enumerate(zip(old.interactions, new.interactions, strict=False)):
        where = f"#{index} `{' '.join(a.argv)}`"
        if a.argv != b.argv:
            problems.append(f"{where}: argv differs: {' '.join(b.argv)}")
            continue
        if (a.exit_code < 0) != (b.exit_code < 0) or (a.exit_code >= 0 and a.exit_code != b.exit_code):
            problems.append(f"{where}: exit code {a.exit_code} != {b.exit_code}")
        if a.stdin != b.stdin:
            problems.append(f"{where}: stdin differs")
        for stream in ("stdout", "stderr") if content else ():
            left, right = normalize(getattr(a, stream)), normalize(getattr(b, stream))
            if left != right:
                diff = difflib.unified_diff(left.splitlines(), right.splitlines(), lineterm="", n=0)
                problems.append(f"{where}: {stream} differs:\n" + "\n".join(list(diff)[2:12]))
    return problems


def main(argv: list[str]) -> int:
    content = "--structure" not in argv
    argv = [arg for arg in argv if arg != "--structure"]
    if len(argv) != 2:
        print("usage: python -m fluxtools.cassettes.compare [--structure] OLD NEW (files or dirs)", file=sys.stderr)
        return 2
    old_root, new_root = Path(argv[0]), Path(argv[1])
    pairs = (
        [(old_root, new_root)]
        if old_root.is_file()
        else [(p, new_root / p.relative_to(old_root)) for p in sorted(old_root.rglob("*.cli.yaml"))]
    )
    total = 0
    for old, new in pairs:
        found = differences(Cassette.load(old), Cassette.load(new), content) if new.exists() else ["missing in NEW"]
        total += len(found)
        for problem in found:
            print(f"{old.name}: {problem}")
    what = "in structure (order, argv, stdin, exit codes)" if not content else "modulo volatile fields"
    interactions = sum(len(Cassette.load(old).interactions) for old, _ in pairs)
    print(f"{len(pairs)} cassette(s), {interactions} interactions compared: {total} difference(s) {what}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write the spec fields of every Flux kind, read from the CRDs the lab ships, to tests/data/flux_spec_fields.json.

    python3 scripts/flux_spec_fields.py [CRD_DIR]   # default: the lab build's crds/ directory

The failure catalogue's advice may only name fields that exist on the kind it advises about; the unit tests
check it against this file, and a lab test checks this file against the lab's CRDs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "flux_spec_fields.json"


def lab_crds() -> Path:
    sys.path.insert(0, str(ROOT))
    from lab.layout import BUILD  # noqa: PLC0415 - the lab package only when reading the lab's own CRDs

    return BUILD / "crds"


def paths(schema: dict[str, Any], prefix: str) -> list[str]:
    """Dotted paths of every property under `schema` (array items share their array's path)."""
    found = []
    while schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = schema["items"]
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}"
        found.append(path)
        found += paths(sub, path)
    return found


def storage_schema(crd: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    version = next(v for v in crd["spec"]["versions"] if v.get("storage"))
    return version["name"], version["schema"]["openAPIV3Schema"]


def fields(crd_dir: Path) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    for path in sorted(crd_dir.glob("*/*.yaml")):
        crd = yaml.safe_load(path.read_text())
        version, schema = storage_schema(crd)
        kind = crd["spec"]["names"]["kind"]
        spec = (schema.get("properties") or {}).get("spec") or {}
        kinds[kind] = {
            "controller": path.parent.name,
            "version": version,
            "spec": sorted(set(paths(spec, "spec"))),
        }
    return kinds


def main(argv: list[str]) -> int:
    crd_dir = Path(argv[1]) if len(argv) > 1 else lab_crds()
    kinds = fields(crd_dir)
    if not kinds:
        print(f"no CRDs under {crd_dir}/<controller>/*.yaml", file=sys.stderr)
        return 1
    document = {
        "provenance": "CRDs of the controllers the lab pins (lab/versions.json), storage version of each kind",
        "kinds": kinds,
    }
    OUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"{len(kinds)} kinds written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The cassette file: YAML with a provenance header and CLI interactions (`*.cli.yaml`)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FORMAT_VERSION = 1
SUFFIX = ".cli.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe parser when PyYAML has it: the same documents, ten times faster or more."""


@dataclass
class Interaction:
    argv: list[str]
    exit_code: int
    stdout: str = ""
    stderr: str = ""
    stdin: str | None = None
    duration: float = 0.0
    timed_out: bool = False
    cancelled: bool = False

    @property
    def elapsed(self) -> float:
        """What replaying it adds to a virtual clock: a cancelled command ran beside others, its time is theirs."""
        return 0.0 if self.cancelled else self.duration

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "argv": self.argv,
            "stdin": self.stdin,
            "exit_code": self.exit_code,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration": round(self.duration, 3),
        }
        if self.timed_out:
            data["timed_out"] = True
        if self.cancelled:
            data["cancelled"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Interaction:
        return cls(
            argv=[str(part) for part in data["argv"]],
            exit_code=int(data["exit_code"]),
            stdout=data.get("stdout") or "",
            stderr=data.get("stderr") or "",
            stdin=data.get("stdin"),
            duration=float(data.get("duration") or 0.0),
            timed_out=bool(data.get("timed_out", False)),
            cancelled=bool(data.get("cancelled", False)),
        )


@dataclass
class Cassette:
    path: Path
    header: dict[str, Any] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Cassette:
        file = Path(path)
        if not file.exists():
            return cls(file)
        document = yaml.load(file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        if document.get("version") != FORMAT_VERSION:
            raise ValueError(f"{file}: unsupported cassette version {document.get('version')!r}")
        return cls(
            file,
            dict(document.get("recorded_with") or {}),
            [Interaction.from_dict(item) for item in document.get("interactions") or []],
        )

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def save(self) -> None:
        document = {
            "version": FORMAT_VERSION,
            "recorded_with": self.header,
            "interactions": [interaction.to_dict() for interaction in self.interactions],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(document, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=100)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, 0o644)  # recordings are shipped and shared: they hold nothing secret
        os.replace(temp, self.path)


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so recorded output reads like the terminal."""


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    plain_lines = all(line == line.rstrip() for line in data.split("\n"))
    if "\n" in data and not any(ch in data for ch in "\t\r") and plain_lines:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_LiteralDumper.add_representer(str, _str_presenter)

"""Shared set-up for the benchmarks: a FluxTools on the running lab, timing helpers."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fluxtools import FluxConfig, FluxTools, SubprocessRunner

sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # the repository root, for the `lab` package
from lab.info import lab_info, lab_settings  # noqa: E402


def lab_or_exit() -> dict[str, Any]:
    info = lab_info()
    if info is None:
        print("start the lab first: python3 lab/labctl.py start", file=sys.stderr)
        sys.exit(2)
    return info


def lab_tools(info: dict[str, Any], **settings: Any) -> FluxTools:
    config = FluxConfig(**{**lab_settings(info), **settings})
    return FluxTools(config, runner=SubprocessRunner())


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def size(envelope: Any) -> int:
    """Bytes the model would read: the envelope as compact JSON."""
    return len(json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode())

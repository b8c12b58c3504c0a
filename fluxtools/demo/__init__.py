"""The embedded demo cluster: recordings of the lab scenario, replayed, with mutations applied in memory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fluxtools._errors import NotRecorded
from fluxtools.demo.recording import load_recording
from fluxtools.demo.runner import DemoRunner

DEMO_CASSETTE = "cluster.cli.yaml"
FLEET_COMMAND = "fluxtools diagnose --cluster demo --all-contexts"
DEMO_NOTE = (
    "This is the demo cluster: it replays recordings of the lab scenario (real Flux controllers) and applies "
    "suspend, resume and reconcile to them in memory, for this session only. Nothing runs against a cluster."
)


def demo_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(DEMO_CASSETTE)))


def demo_runner() -> DemoRunner:
    """A fresh demo cluster: its own state over the shared recording."""
    return DemoRunner(load_recording(demo_path()))


def fleet_hint() -> str:
    """The demo report's pointer to the fleet the demo recorded; empty when it recorded one context only."""
    names = load_recording(demo_path()).contexts.names
    if len(names) < 2:
        return ""
    from fluxtools._report import _wrap

    said = f"The demo also recorded the lab's kubeconfig as a fleet of {len(names)} contexts: {', '.join(names)}."
    return "\n".join(["", "TRY THE FLEET", *_wrap(said, "  "), f"  {FLEET_COMMAND}", ""])


__all__ = [
    "DEMO_CASSETTE",
    "DEMO_NOTE",
    "FLEET_COMMAND",
    "DemoRunner",
    "NotRecorded",
    "demo_path",
    "demo_runner",
    "fleet_hint",
]

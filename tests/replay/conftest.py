"""Lab-backed tests: each runs on its cassette (default) and, marked `live`, against the running lab.

`pytest` replays cassettes and never starts a process; `pytest -m live` runs the same tests against the
lab (`python3 lab/labctl.py start`); `pytest tests/replay --record-mode=rewrite` re-records from the lab.
"""

from __future__ import annotations

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._process.runners import SubprocessRunner
from fluxtools.cassettes import Redactor
from lab.info import lab_info, provenance, redaction_paths

REPLAY_KUBECONFIG = "/lab/kubeconfig"  # any path: kubeconfig paths are redacted in cassettes


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "lab_tools" in metafunc.fixturenames:
        metafunc.parametrize("tier", ["replay", pytest.param("live", marks=pytest.mark.live)])


@pytest.fixture(scope="session")
def lab() -> dict | None:
    return lab_info()


@pytest.fixture
def needs_lab(request, tier, lab, flux_record_mode):
    """The lab is required live and when recording; replay needs nothing."""
    if (tier == "live" or flux_record_mode != "none") and lab is None:
        pytest.fail("the lab is not running: start it with `python3 lab/labctl.py start`")
    return lab


@pytest.fixture
def flux_redactor(lab) -> Redactor:
    return Redactor(paths=redaction_paths(lab) if lab else {})


@pytest.fixture
def flux_recording_header(request, lab, flux_record_mode) -> dict:
    """The header of a new recording; the lab's binaries are asked for their versions only when recording."""
    import datetime as dt

    from fluxtools.cassettes import RECORDER_VERSION

    header = {
        "recorder": RECORDER_VERSION,
        "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "command": " ".join(["pytest", *request.config.invocation_params.args]),
    }
    return {**header, **provenance(lab)} if lab and flux_record_mode != "none" else header


@pytest.fixture
def lab_tools(request, tier, needs_lab, flux_record_mode):
    """Factory: `lab_tools(context="lab", **config)` → FluxTools on the cassette or the live lab."""
    live_or_recording = tier == "live" or flux_record_mode != "none"
    runner = SubprocessRunner() if tier == "live" else request.getfixturevalue("flux_cassette")

    def make(context: str = "lab", kubeconfig: str | None = None, **config) -> FluxTools:
        if live_or_recording:
            lab = needs_lab
            config = {"flux_path": lab["flux"], "kubectl_path": lab["kubectl"], **config}
            kubeconfig = lab.get(kubeconfig, kubeconfig) if kubeconfig else lab["kubeconfig"]
        else:
            kubeconfig = kubeconfig or REPLAY_KUBECONFIG
        settings = {"kubeconfig": kubeconfig, "context": context, "cache_ttl_secs": 0, **config}
        return FluxTools(FluxConfig(**settings), runner=runner)

    return make

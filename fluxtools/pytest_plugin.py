"""pytest plugin: record and replay flux/kubectl transcripts in your own tests.

Use the `flux_cassette` fixture as the runner of a `FluxTools`:

    def test_rca(flux_cassette):
        tools = FluxTools(FluxConfig(), runner=flux_cassette)
        assert tools.call("flux_kustomization_list")["success"]

Cassettes live in `cassettes/<test module>/<test name>.cli.yaml` next to the
test (pytest-recording's convention). `--record-mode` (shared with
pytest-recording when it is installed) picks none/once/new_episodes/all/rewrite;
`none`, the default, never starts a process. Nothing is saved when the test fails.
The `flux_cassette` marker names another cassette or allows repeated playback:
`@pytest.mark.flux_cassette("shared-name", allow_repeats=True)`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fluxtools._process.runners import SubprocessRunner
from fluxtools.cassettes import RECORD_MODES, RECORDER_VERSION, SUFFIX, Cassette, CassetteRunner, Redactor


def pytest_addoption(parser: pytest.Parser) -> None:
    if importlib.util.find_spec("pytest_recording") is not None:
        return  # pytest-recording registers --record-mode: one option serves both
    group = parser.getgroup("recording")
    with contextlib.suppress(ValueError):
        group.addoption(
            "--record-mode",
            action="store",
            default=None,
            choices=RECORD_MODES,
            help='Record mode for cassettes. Default to "none".',
        )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "flux_cassette(name=None, allow_repeats=False): cassette name and playback options for fluxtools"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_PASSED] = report.passed


_PASSED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def flux_record_mode(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--record-mode") or "none"


@pytest.fixture(scope="module")
def flux_cassette_dir(request: pytest.FixtureRequest) -> Path:
    module = Path(str(request.node.fspath))
    return module.parent / "cassettes" / module.stem


@pytest.fixture
def flux_cassette_name(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("flux_cassette")
    if marker is not None and marker.args:
        return str(marker.args[0])
    name = request.node.name
    if request.cls is not None:
        name = f"{request.cls.__name__}.{name}"
    return "".join(ch if ch.isalnum() or ch in "._-[]" else "_" for ch in name)


@pytest.fixture
def flux_redactor() -> Redactor:
    """Override to add machine paths (kubeconfig, state dirs) to redact."""
    return Redactor()


@pytest.fixture
def flux_recording_header(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Provenance written into new cassettes; override to add cluster and CLI versions."""
    return {
        "recorder": RECORDER_VERSION,
        "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "command": " ".join(["pytest", *request.config.invocation_params.args]),
    }


@pytest.fixture
def flux_cassette(
    request: pytest.FixtureRequest,
    flux_record_mode: str,
    flux_cassette_dir: Path,
    flux_cassette_name: str,
    flux_redactor: Redactor,
    flux_recording_header: dict[str, Any],
) -> Iterator[CassetteRunner]:
    marker = request.node.get_closest_marker("flux_cassette")
    allow_repeats = bool(marker.kwargs.get("allow_repeats", False)) if marker else False
    path = flux_cassette_dir / f"{flux_cassette_name}{SUFFIX}"
    runner = CassetteRunner(
        Cassette.load(path),
        SubprocessRunner(),
        mode=flux_record_mode,
        redactor=flux_redactor,
        allow_repeats=allow_repeats,
        header=flux_recording_header if flux_record_mode != "none" else None,
    )
    yield runner
    if request.node.stash.get(_PASSED, False):
        runner.save()

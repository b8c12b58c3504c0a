"""Every call ends in an envelope; sync calls raise cleanly and leave no event loop open."""

from __future__ import annotations

import gc
import json
import threading
import warnings

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools._process.sync import run_sync
from fluxtools.testing import ScriptedRunner


class Exploding(ScriptedRunner):
    async def run(self, argv, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("runner broke while holding password=hunter2-synthetic")


def test_an_unexpected_exception_is_an_internal_error_envelope_masked():
    envelope = FluxTools(FluxConfig(), runner=Exploding()).call("flux_kustomization_get", {"name": "apps"})
    assert envelope["success"] is False and envelope["error_type"] == "InternalError"
    assert "RuntimeError" in envelope["error"] and "hunter2-synthetic" not in json.dumps(envelope)
    assert "Traceback" not in json.dumps(envelope)


def test_a_mutation_failing_unexpectedly_is_an_envelope_too():
    envelope = FluxTools(FluxConfig(), runner=Exploding()).call("flux_suspend", {"kind": "kustomization", "name": "x"})
    assert envelope["error_type"] == "InternalError"


@pytest.mark.parametrize("item", [[], "text", 7, {"metadata": "not a mapping"}, {"status": {"conditions": "x"}}])
def test_a_malformed_list_item_never_escapes_the_envelope(item):
    """Synthetic: list answers whose items are not Flux objects."""
    body = json.dumps({"kind": "List", "items": [item]})
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, body, "")))
    envelope = flux.call("flux_kustomization_list", {})
    assert isinstance(envelope, dict) and "success" in envelope


def test_sync_exceptions_are_not_chained_to_the_loop_probe():
    async def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError) as raised:
        run_sync(fails())
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_a_thread_that_made_sync_calls_leaves_no_unclosed_loop():
    flux = FluxTools(FluxConfig(), runner=ScriptedRunner(lambda argv: (0, '{"items": []}', "")))
    worker = threading.Thread(target=lambda: flux.call("flux_kustomization_list", {}))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        worker.start()
        worker.join()
        gc.collect()
    assert not [w for w in seen if issubclass(w.category, ResourceWarning)]

"""What a read parsed is freed as soon as nothing uses it, by reference counting alone.

Parsed objects caught in a reference cycle wait for the cycle collector; in a fleet call that is
a full collection of a heap holding every cluster's reads, tens of milliseconds of CPU.
"""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Iterator

import pytest

from fluxtools import FluxTools
from fluxtools._process.call import Collected
from fluxtools._process.liststream import ItemStream
from fluxtools.specs.reads import Summaries

LIST = json.dumps({"apiVersion": "v1", "kind": "List", "items": [{"kind": "Kustomization", "n": i} for i in range(5)]})


@pytest.fixture
def no_cycle_collection() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "make", [Collected, lambda: Summaries(lambda obj: {"n": obj["n"]}), lambda: ItemStream(lambda item: None)]
)
def test_an_item_stream_is_freed_without_the_cycle_collector(no_cycle_collection, make):
    stream = make()
    stream.feed(LIST.encode())
    stream.close()
    gone = weakref.ref(stream)
    del stream
    assert gone() is None


def test_a_diagnosis_leaves_no_parsed_object_to_the_cycle_collector(no_cycle_collection):
    envelope = FluxTools(cluster="demo", cache_ttl_secs=0).call("flux_diagnose", {})
    assert envelope["success"]
    del envelope
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        parsed = [o for o in gc.garbage if isinstance(o, dict) and ("apiVersion" in o or "level" in o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert parsed == []

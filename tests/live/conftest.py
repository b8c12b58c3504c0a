"""Tests that need the running lab and cannot be replayed (process control, timing, load)."""

import pytest

from fluxtools import FluxConfig
from lab.info import lab_info, lab_settings


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/live/" in str(item.fspath):
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def lab():
    info = lab_info()
    if info is None:
        pytest.fail("the lab is not running: start it with `python3 lab/labctl.py start`")
    return info


@pytest.fixture
def lab_config(lab):
    def make(context="lab", **settings):
        return FluxConfig(**{**lab_settings(lab, context), **settings})

    return make

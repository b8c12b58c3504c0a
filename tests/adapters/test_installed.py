"""The adapters and their test extras are installed (`make dev-install`): otherwise this fails, never skips."""

from tests.adapters.conftest import MISSING


def test_adapters_are_installed() -> None:
    assert not MISSING, f"missing {', '.join(MISSING)}: run `make dev-install`"

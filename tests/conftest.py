"""Assertion details for the checks shared by several test modules."""

import pytest

pytest.register_assert_rewrite("tests.lab_fleet")

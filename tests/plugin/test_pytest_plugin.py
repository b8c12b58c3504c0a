"""The pytest11 plugin, exercised with pytester: fixture, marker, record modes, save only on success."""

import textwrap

import pytest

pytest_plugins = ["pytester"]

TEST_FILE = textwrap.dedent(
    """
    import sys
    import pytest
    from fluxtools.runners import CommandResult

    async def test_echo(flux_cassette):
        result = await flux_cassette.run([sys.executable, "-c", "print('hello')"], timeout=10)
        assert result.stdout.strip() == "hello"

    @pytest.mark.flux_cassette("shared", allow_repeats=True)
    async def test_named(flux_cassette):
        for _ in range(2):
            result = await flux_cassette.run([sys.executable, "-c", "print('again')"], timeout=10)
            assert result.stdout.strip() == "again"

    async def test_failing(flux_cassette):
        await flux_cassette.run([sys.executable, "-c", "print('x')"], timeout=10)
        assert False
    """
)


@pytest.fixture
def suite(pytester):
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_cassette_user=TEST_FILE)
    return pytester


def cassettes(pytester):
    folder = pytester.path / "cassettes" / "test_cassette_user"
    return sorted(path.name for path in folder.glob("*.cli.yaml")) if folder.exists() else []


def test_none_mode_never_runs_a_process_and_fails_clearly(suite):
    result = suite.runpytest("-k", "echo")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*No recorded interaction*cassette*test_echo.cli.yaml*"])
    assert cassettes(suite) == []


def test_once_records_and_then_replays(suite):
    suite.runpytest("--record-mode=once").assert_outcomes(passed=2, failed=1)
    assert cassettes(suite) == ["shared.cli.yaml", "test_echo.cli.yaml"]  # nothing saved for the failing test
    text = (suite.path / "cassettes" / "test_cassette_user" / "test_echo.cli.yaml").read_text()
    assert "recorder: fluxtools-cassettes/1" in text and "--record-mode=once" in text
    suite.runpytest("-k", "echo or named").assert_outcomes(passed=2)


def test_record_mode_option_is_shared_with_pytest_recording(suite):
    result = suite.runpytest("--help")
    assert result.stdout.str().count("--record-mode") == 1

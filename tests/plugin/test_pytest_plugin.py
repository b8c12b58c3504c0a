"""The pytest11 plugin, exercised with pytester: fixture, marker, record modes, save only on success."""

import textwrap

import pytest

pytest_plugins = ["pytester"]

TEST_FILE = textwrap.dedent(
    """
    import sys
    import pytest
    from fluxtools._process.runners import CommandResult

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


GROWING = textwrap.dedent(
    """
    import os
    import sys

    async def test_word(flux_cassette):
        word = os.environ["FLUX_TEST_WORD"]
        result = await flux_cassette.run([sys.executable, "-c", f"print({word!r})"], timeout=10)
        assert result.stdout.strip() == word
    """
)


def recorded_words(pytester):
    text = (pytester.path / "cassettes" / "test_growing" / "test_word.cli.yaml").read_text()
    return [word for word in ("first", "second", "third") if f"print('{word}')" in text]


def test_all_keeps_earlier_interactions_and_rewrite_starts_anew(pytester, monkeypatch):
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_growing=GROWING)
    monkeypatch.setenv("FLUX_TEST_WORD", "first")
    pytester.runpytest("--record-mode=once").assert_outcomes(passed=1)
    monkeypatch.setenv("FLUX_TEST_WORD", "second")
    pytester.runpytest("--record-mode=all").assert_outcomes(passed=1)
    assert recorded_words(pytester) == ["first", "second"]
    monkeypatch.setenv("FLUX_TEST_WORD", "first")
    pytester.runpytest().assert_outcomes(passed=1)  # `none` replays what `all` kept
    monkeypatch.setenv("FLUX_TEST_WORD", "third")
    pytester.runpytest("--record-mode=rewrite").assert_outcomes(passed=1)
    assert recorded_words(pytester) == ["third"]

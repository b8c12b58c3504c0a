"""Record and replay through CassetteRunner with a scripted inner runner (synthetic transcripts)."""

import asyncio

import pytest

from fluxtools import FluxConfig, FluxTools
from fluxtools.cassettes import Cassette, CassetteMiss, CassetteRunner, Redactor
from fluxtools.testing import ScriptedRunner

LIST = '{"items": []}'


def recording(tmp_path, reply=None, mode="once", **kwargs):
    inner = ScriptedRunner(reply or (lambda argv: (0, LIST, "")))
    runner = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), inner, mode=mode, **kwargs)
    return runner, inner


def test_record_then_replay_without_processes(tmp_path):
    runner, inner = recording(tmp_path, header={"recorder": "test"})
    config = FluxConfig(kubeconfig=str(tmp_path / "kubeconfig"), context="lab")
    first = FluxTools(config, runner=runner).call("flux_kustomization_list")
    assert runner.save()
    text = (tmp_path / "c.cli.yaml").read_text()
    assert "<KUBECONFIG>" in text and str(tmp_path) not in text
    replay = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none")
    second = FluxTools(config, runner=replay).call("flux_kustomization_list")
    assert first == second
    assert len(inner.calls) == 1


def test_miss_in_none_mode_names_the_nearest_interaction(tmp_path):
    runner, _ = recording(tmp_path)
    FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list", {"namespace": "apps"})
    runner.save()
    replay = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none")
    with pytest.raises(CassetteMiss) as info:
        asyncio.run(
            replay.run(["kubectl", "get", "--raw", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"], timeout=1)
        )
    message = str(info.value)
    assert "Nearest recorded argv" in message
    assert "/namespaces/apps/kustomizations" in message and "/v1/kustomizations" in message


def test_each_interaction_plays_once_unless_repeats_allowed(tmp_path):
    runner, _ = recording(tmp_path)
    asyncio.run(runner.run(["kubectl", "version"], timeout=1))
    runner.save()
    strict = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none")
    asyncio.run(strict.run(["kubectl", "version"], timeout=1))
    with pytest.raises(CassetteMiss, match="already played"):
        asyncio.run(strict.run(["kubectl", "version"], timeout=1))
    lenient = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none", allow_repeats=True)
    for _ in range(3):
        assert asyncio.run(lenient.run(["kubectl", "version"], timeout=1)).exit_code == 0


def test_new_episodes_appends_only_misses(tmp_path):
    runner, inner = recording(tmp_path)
    asyncio.run(runner.run(["kubectl", "a"], timeout=1))
    runner.save()
    again, inner2 = recording(tmp_path, mode="new_episodes")
    asyncio.run(again.run(["kubectl", "a"], timeout=1))
    asyncio.run(again.run(["kubectl", "b"], timeout=1))
    again.save()
    assert inner2.calls == [["kubectl", "b"]]
    assert [i.argv for i in Cassette.load(tmp_path / "c.cli.yaml").interactions] == [["kubectl", "a"], ["kubectl", "b"]]


def test_rewrite_replaces_everything(tmp_path):
    runner, _ = recording(tmp_path)
    asyncio.run(runner.run(["kubectl", "a"], timeout=1))
    runner.save()
    again, inner = recording(tmp_path, mode="rewrite")
    asyncio.run(again.run(["kubectl", "a"], timeout=1))
    again.save()
    assert inner.calls == [["kubectl", "a"]]
    assert len(Cassette.load(tmp_path / "c.cli.yaml").interactions) == 1


def test_all_records_everything_again_and_keeps_the_rest(tmp_path):
    """vcrpy's `all`: never replays, records every run, and drops nothing recorded before."""
    runner, _ = recording(tmp_path, reply=lambda argv: (0, f"old {argv[1]}", ""))
    for word in ("a", "b", "a"):
        asyncio.run(runner.run(["kubectl", word], timeout=1))
    runner.save()
    again, inner = recording(tmp_path, mode="all", reply=lambda argv: (0, f"new {argv[1]}", ""))
    for word in ("a", "c"):
        assert asyncio.run(again.run(["kubectl", word], timeout=1)).stdout == f"new {word}"
    assert again.save()
    assert inner.calls == [["kubectl", "a"], ["kubectl", "c"]]
    kept = [(i.argv[1], i.stdout) for i in Cassette.load(tmp_path / "c.cli.yaml").interactions]
    # a re-recorded interaction takes the place of the one it re-records, so replay plays the fresh one
    assert kept == [("a", "new a"), ("b", "old b"), ("a", "old a"), ("c", "new c")]
    replay = CassetteRunner(Cassette.load(tmp_path / "c.cli.yaml"), None, mode="none")
    assert [asyncio.run(replay.run(["kubectl", w], timeout=1)).stdout for w in "aba"] == ["new a", "old b", "old a"]


# Synthetic secrets, assembled at run time so that no secret-shaped literal sits in the repository.
PEM = "-----{} RSA PRIVATE KEY-----"


def test_secrets_and_addresses_are_redacted_when_recording(tmp_path):
    secret_out = (
        "url: https://lab-user:planted-secret-123@127.0.0.1:28418/private.git\n"
        + "client-key-data: "
        + "LS0tLS1CRUdJTi"
        + "BSU0EgUFJJVkFURSBLRVktLS0tLQo=\n"
        + "Authorization: Bearer abcdefghijklmnop\n"
        + PEM.format("BEGIN")
        + "\nMIIEow\n"
        + PEM.format("END")
        + "\n"
    )
    runner, _ = recording(
        tmp_path,
        reply=lambda argv: (0, secret_out, ""),
        redactor=Redactor(paths={"/root/.cache/lab/state": "<LAB>"}),
    )
    asyncio.run(runner.run(["/root/.cache/lab/bin/kubectl", "--token=abcdef123456", "get"], timeout=1))
    runner.save()
    text = (tmp_path / "c.cli.yaml").read_text()
    for leaked in ("planted-secret-123", "LS0tLS1CRUdJTi", "abcdefghijklmnop", "MIIEow", "abcdef123456", "28418"):
        assert leaked not in text
    interaction = Cassette.load(tmp_path / "c.cli.yaml").interactions[0]
    assert interaction.argv == ["kubectl", "--token=***", "get"]


def test_replay_clock_is_virtual(tmp_path):
    runner = CassetteRunner(Cassette(tmp_path / "none.cli.yaml"), None, mode="none")
    asyncio.run(runner.sleep(30))
    assert runner.monotonic() == 30


def test_record_modes_are_checked(tmp_path):
    with pytest.raises(ValueError, match="record mode"):
        CassetteRunner(Cassette(tmp_path / "x.cli.yaml"), None, mode="sometimes")


def test_redaction_hides_lab_ports_but_keeps_kubectls_fallback_address():
    redactor = Redactor()
    assert redactor.text("dial tcp 127.0.0.1:26499: connect") == "dial tcp 127.0.0.1:PORT: connect"
    fallback = "The connection to the server localhost:8080 was refused"
    assert redactor.text(fallback) == fallback

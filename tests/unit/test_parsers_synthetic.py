"""Parsers on named synthetic edge cases (the replay tests cover real recorded output)."""

import json

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux.flux_table import parse_flux_table
from fluxtools._flux.views import helmrelease_detail, helmrelease_summary, kustomization_detail, kustomization_summary
from fluxtools._process.runners import CommandResult
from fluxtools.specs.logs import LogsArgs, parse_logs
from fluxtools.testing import ScriptedRunner

SYNTHETIC_GOLDEN_KS = (
    "NAME\tREVISION           \tSUSPENDED\tREADY\tMESSAGE                               \n"
    "tkfg\t6.3.5@sha1:67e2c98a\tFalse    \tTrue \tApplied revision: 6.3.5@sha1:67e2c98a\t\n"
)
SYNTHETIC_MULTILINE = (
    "NAMESPACE  \tNAME\tREVISION          \tSUSPENDED\tREADY\tMESSAGE                                      \n"
    "flux-system\tapps\tmain@sha1:696f056d\tFalse    \tFalse\tDeployment/apps/web dry-run failed (Invalid)\t\n"
    "           \t    \t                  \t         \t     \tService/apps/web dry-run failed (Invalid)   \t\n"
    "flux-system\tinfra\tmain@sha1:696f056d\tTrue     \tTrue \tApplied revision: main@sha1:696f056d\t\n"
)


def test_flux_table_single_row():
    assert parse_flux_table(SYNTHETIC_GOLDEN_KS) == [
        {
            "name": "tkfg",
            "revision": "6.3.5@sha1:67e2c98a",
            "suspended": "False",
            "ready": "True",
            "message": "Applied revision: 6.3.5@sha1:67e2c98a",
        }
    ]


def test_flux_table_continuation_lines_join_the_message():
    rows = parse_flux_table(SYNTHETIC_MULTILINE)
    assert len(rows) == 2
    assert rows[0]["message"] == (
        "Deployment/apps/web dry-run failed (Invalid)\nService/apps/web dry-run failed (Invalid)"
    )
    assert rows[1]["name"] == "infra" and rows[1]["suspended"] == "True"


def test_flux_table_empty():
    assert parse_flux_table("") == []


def test_object_without_status():
    obj = {"metadata": {"name": "new", "namespace": "apps"}, "spec": {"path": "./x"}}
    summary = kustomization_summary(obj)
    assert summary["ready"] == "False"
    assert summary["status"] == "waiting to be reconciled"
    assert summary["revision"] == ""
    detail = kustomization_detail(obj)
    assert detail["conditions"] == [] and detail["ready"] is False
    assert helmrelease_summary(obj)["revision"] is None
    assert helmrelease_detail(obj)["helm_chart"] is None


def test_multiline_condition_message_is_kept():
    obj = {
        "metadata": {"name": "a", "namespace": "b"},
        "status": {"conditions": [{"type": "Ready", "status": "False", "message": "line one\nline two"}]},
    }
    assert kustomization_detail(obj)["status"] == "line one\nline two"


def test_empty_list_response():
    runner = ScriptedRunner(lambda argv: (0, json.dumps({"apiVersion": "v1", "items": [], "kind": "List"}), ""))
    data = FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list")["data"]
    assert data == {"kustomizations": [], "total": 0, "counts": {}, "matched": 0}


def test_non_json_output_is_a_clear_failure():
    runner = ScriptedRunner(lambda argv: (0, "not json", ""))
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_kustomization_list")
    assert envelope["error_type"] == "CommandFailed" and "not JSON" in envelope["error"]


def test_fallback_to_flux_table_when_kubectl_is_missing():
    from fluxtools._errors import NotInstalled

    def reply(argv):
        if argv[0] == "kubectl":
            raise NotInstalled("kubectl")
        return (0, SYNTHETIC_MULTILINE, "")

    data = FluxTools(FluxConfig(), runner=ScriptedRunner(reply)).call("flux_kustomization_list")["data"]
    assert data["total"] == 2 and data["counts"] == {"failed": 1, "suspended": 1}
    assert "reduced" in data["notes"][0]
    assert data["kustomizations"][0]["status"].endswith("Service/apps/web dry-run failed (Invalid)")


def test_flux_table_fallback_counts_ready_and_progressing_rows_by_their_state():
    from fluxtools._errors import NotInstalled

    table = (
        "NAMESPACE  \tNAME\tREVISION          \tSUSPENDED\tREADY  \tMESSAGE\n"
        "flux-system\tapps\tmain@sha1:696f056d\tFalse    \tTrue   \tApplied revision: main@sha1:696f056d\n"
        "flux-system\tslow\tmain@sha1:696f056d\tFalse    \tUnknown\tReconciliation in progress\n"
    )

    def reply(argv):
        if argv[0] == "kubectl":
            raise NotInstalled("kubectl")
        return (0, table, "")

    data = FluxTools(FluxConfig(), runner=ScriptedRunner(reply)).call("flux_kustomization_list")["data"]
    assert data["counts"] == {"progressing": 1, "ready": 1}


SYNTHETIC_LOG = "\n".join(
    [
        json.dumps({"level": "info", "ts": "2026-01-01T00:00:00.000Z", "msg": "starting manager"}),
        json.dumps(
            {
                "level": "error",
                "ts": "2026-01-01T00:00:01.000Z",
                "msg": "Reconciler error",
                "controllerKind": "Kustomization",
                "name": "broken",
                "namespace": "flux-system",
                "error": "kustomize build failed",
            }
        ),
        json.dumps(
            {
                "level": "info",
                "ts": "2026-01-01T00:00:02.000Z",
                "msg": "Reconciliation finished",
                "controllerKind": "Kustomization",
                "name": "apps",
                "namespace": "flux-system",
            }
        ),
        "plain text line",
    ]
)


def logs(**args):
    """The parse of resolved arguments: the pipeline has filled in the configured namespace."""
    result = CommandResult(argv=[], exit_code=0, stdout=SYNTHETIC_LOG)
    return parse_logs(result, LogsArgs(namespace=FluxConfig().namespace, **args))


def test_logs_are_formatted_like_flux_logs():
    data = logs()
    assert data["controller"] == "kustomize-controller" and data["namespace"] == "flux-system"
    assert data["logs"].splitlines() == [
        "2026-01-01T00:00:00.000Z info  - starting manager",
        "2026-01-01T00:00:01.000Z error Kustomization/broken.flux-system - Reconciler error kustomize build failed",
        "2026-01-01T00:00:02.000Z info Kustomization/apps.flux-system - Reconciliation finished",
        "plain text line",
    ]


def test_logs_level_and_object_filters():
    assert logs(level="error")["lines"] == 1
    assert logs(resource_kind="Kustomization", name="apps")["logs"].endswith("Reconciliation finished")
    assert logs(resource_kind="HelmRelease")["lines"] == 0


def test_item_stream_parses_across_arbitrary_chunk_boundaries():
    from fluxtools._process.liststream import ItemStream

    document = json.dumps(
        {
            "apiVersion": "v1",
            "items": [{"metadata": {"name": f"n{i}"}, "s": "x, ] {" * i} for i in range(50)],
            "kind": "List",
            "metadata": {"resourceVersion": "1"},
        }
    ).encode()
    for step in (1, 7, 64, len(document)):
        seen = []
        stream = ItemStream(seen.append)
        for start in range(0, len(document), step):
            stream.feed(document[start : start + step])
        stream.close()
        assert [item["metadata"]["name"] for item in seen] == [f"n{i}" for i in range(50)]


def test_item_stream_reports_a_truncated_list():
    import pytest

    from fluxtools._errors import CommandFailed
    from fluxtools._process.liststream import ItemStream

    stream = ItemStream(lambda item: None)
    stream.feed(b'{"items": [{"a": 1}, {"b": ')
    with pytest.raises(CommandFailed, match="incomplete"):
        stream.close()

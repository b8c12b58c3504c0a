"""flux_values on synthetic objects: the controllers' rules of merging, the sources named, and a
value planted in a Secret never in the answer, an error, the audit log or a cassette."""

import base64
import json

from fluxtools import FluxConfig, FluxTools
from fluxtools._flux import resolved
from fluxtools.cassettes import Cassette, CassetteRunner
from fluxtools.testing import ScriptedRunner

PLANTED = "synthetic-planted-licence-9f3a"


def b64(text):
    return base64.b64encode(text.encode()).decode()


def configmap(name, data):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "apps"}, "data": data}


def secret(name, data):
    meta = {"name": name, "namespace": "apps"}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "data": {k: b64(v) for k, v in data.items()}}


def release(values_from, values=None):
    spec = {"chart": {"spec": {"chart": "c"}}, "valuesFrom": values_from, **({"values": values} if values else {})}
    meta = {"name": "web", "namespace": "apps", "generation": 1}
    return {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": meta, "spec": spec}


def kustomization(post_build):
    meta = {"name": "site", "namespace": "apps", "generation": 1}
    spec = {"path": "./site", **({"postBuild": post_build} if post_build is not None else {})}
    return {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": meta, "spec": spec}


def by_key(resources):
    return {(item["kind"], item["metadata"]["name"]): item for item in resources}


def entries(resolution, key="path"):
    return {entry[key]: (entry["value"], entry["from"]) for entry in resolution.entries}


def test_values_merge_in_order_maps_key_by_key_inline_last():
    obj = release(
        [{"kind": "ConfigMap", "name": "base"}, {"kind": "ConfigMap", "name": "over", "valuesKey": "more.yaml"}],
        values={"image": {"tag": "inline"}},
    )
    resources = by_key(
        [
            configmap("base", {"values.yaml": "image:\n  repo: r\n  tag: base\nports: [1, 2]\nlimits: {cpu: 1}\n"}),
            configmap("over", {"more.yaml": "ports: [3]\nlimits: flat\n"}),
        ]
    )
    found = entries(resolved.resolve_values(obj, resources))
    assert found == {
        "image.repo": ("r", "ConfigMap/base"),
        "image.tag": ("inline", "spec.values"),
        "limits": ("flat", "ConfigMap/over"),  # anything but a map replaces
        "ports": ([3], "ConfigMap/over"),  # lists are replaced whole, as helm does
    }


def test_secret_values_keep_their_paths_and_never_their_values():
    obj = release(
        [
            {"kind": "Secret", "name": "creds"},
            {"kind": "Secret", "name": "creds", "valuesKey": "url", "targetPath": "upstream.url"},
        ]
    )
    resources = by_key([secret("creds", {"values.yaml": f"feature:\n  licence: {PLANTED}\n", "url": PLANTED})])
    resolution = resolved.resolve_values(obj, resources)
    assert entries(resolution) == {
        "feature.licence": ("***", "Secret/creds"),
        "upstream.url": ("***", "Secret/creds"),
    }
    assert PLANTED not in json.dumps(resolution.entries)


def test_target_path_values_are_typed_as_set_types_them():
    refs = [
        {"kind": "ConfigMap", "name": "cm", "valuesKey": key, "targetPath": f"a.{key}"}
        for key in ("n", "b", "q", "s", "z")
    ]
    refs.append({"kind": "ConfigMap", "name": "cm", "valuesKey": "s", "targetPath": "dotted\\.key"})
    resources = by_key([configmap("cm", {"n": "3", "b": "true", "q": '"007"', "s": "text", "z": "012"})])
    found = entries(resolved.resolve_values(release(refs), resources))
    assert {path: value for path, (value, _) in found.items()} == {
        "a.n": 3,
        "a.b": True,
        "a.q": "007",
        "a.s": "text",
        "a.z": "012",
        "dotted\\.key": "text",
    }


def test_missing_references_are_noted_optional_ones_skipped():
    obj = release(
        [
            {"kind": "ConfigMap", "name": "gone"},
            {"kind": "ConfigMap", "name": "maybe", "optional": True},
            {"kind": "ConfigMap", "name": "cm", "valuesKey": "nokey"},
        ]
    )
    notes = resolved.resolve_values(obj, by_key([configmap("cm", {"values.yaml": "a: 1\n"})])).notes
    assert notes == [
        "valuesFrom[0] ConfigMap/gone key values.yaml: does not exist; helm-controller fails the release on it",
        "valuesFrom[1] ConfigMap/maybe key values.yaml: optional and does not exist, skipped",
        "valuesFrom[2] ConfigMap/cm key nokey: has no such key; helm-controller fails the release on it",
    ]


def test_a_secret_whose_data_does_not_decode_is_noted_not_guessed():
    masked = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "data": {"values.yaml": "***"}}
    resolution = resolved.resolve_values(release([{"kind": "Secret", "name": "creds"}]), by_key([masked]))
    assert resolution.entries == []
    assert resolution.notes == [
        "valuesFrom[0] Secret/creds key values.yaml: merged but not shown (its data could not be read as text)"
    ]


def test_a_value_under_a_secret_looking_key_is_masked_whatever_its_source():
    obj = release([{"kind": "ConfigMap", "name": "cm"}], values={"db": {"password": "inline-pass"}})
    resources = by_key([configmap("cm", {"values.yaml": "api:\n  token: cm-token\n"})])
    assert entries(resolved.resolve_values(obj, resources)) == {
        "api.token": ("***", "ConfigMap/cm"),
        "db.password": ("***", "spec.values"),
    }


def test_vars_later_sources_win_substitute_last_newlines_removed():
    post_build = {
        "substitute": {"region": "inline"},
        "substituteFrom": [
            {"kind": "ConfigMap", "name": "first"},
            {"kind": "Secret", "name": "keys"},
            {"kind": "ConfigMap", "name": "absent", "optional": True},
        ],
    }
    resources = by_key(
        [
            configmap("first", {"domain": "a.example\n", "region": "cm", "licence_id": "shown"}),
            secret("keys", {"licence_id": PLANTED}),
        ]
    )
    resolution = resolved.resolve_vars(kustomization(post_build), resources)
    assert entries(resolution, "name") == {
        "domain": ("a.example", "ConfigMap/first"),
        "licence_id": ("***", "Secret/keys"),
        "region": ("inline", "spec.postBuild.substitute"),
    }
    assert resolution.notes == []


def test_vars_without_post_build_say_so():
    assert resolved.resolve_vars(kustomization(None), {}).notes == [
        "no post-build substitutions (spec.postBuild is not set)"
    ]


def scripted(obj, resources):
    listing = json.dumps({"apiVersion": "v1", "kind": "List", "items": resources}, indent=4)

    def reply(argv):
        if any(part.startswith(("configmap/", "secret/")) for part in argv):
            return (0, listing, "")
        return (0, json.dumps(obj), "")

    return ScriptedRunner(reply)


VALUES_FROM = [{"kind": "ConfigMap", "name": "cm"}, {"kind": "Secret", "name": "creds"}]
RESOURCES = [
    configmap("cm", {"values.yaml": "replicas: 2\n"}),
    secret("creds", {"values.yaml": f"licence: {PLANTED}\n"}),
]


def test_values_through_the_pipeline_read_the_references_once_and_mask(tmp_path):
    audit = tmp_path / "audit.jsonl"
    runner = scripted(release(VALUES_FROM), RESOURCES)
    flux = FluxTools(FluxConfig(audit_log=str(audit)), runner=runner)
    envelope = flux.call("flux_values", {"kind": "hr", "name": "apps/web"})
    assert envelope["success"], envelope
    assert envelope["data"]["values"] == [
        {"path": "licence", "value": "***", "from": "Secret/creds"},
        {"path": "replicas", "value": 2, "from": "ConfigMap/cm"},
    ]
    reads = [argv for argv in runner.calls if "configmap/cm" in argv]
    assert len(reads) == 1 and "secret/creds" in reads[0] and "--ignore-not-found" in reads[0]
    assert PLANTED not in json.dumps(envelope)
    assert not audit.exists()  # the audit log records mutations only: a read writes nothing there


def test_without_references_only_the_object_is_read():
    runner = scripted(release([], values={"a": 1}), [])
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_values", {"kind": "helmrelease", "name": "web"})
    assert envelope["data"]["values"] == [{"path": "a", "value": 1, "from": "spec.values"}]
    assert len(runner.calls) == 1


def test_an_unknown_kind_is_refused_before_anything_runs():
    runner = scripted(release([]), [])
    envelope = FluxTools(FluxConfig(), runner=runner).call("flux_values", {"kind": "gitrepository", "name": "web"})
    assert envelope["error_type"] == "InvalidInput" and "'kind'" in envelope["error"]
    assert runner.calls == []


def test_a_reference_read_that_fails_keeps_the_answer_and_shows_no_secret():
    stderr = f'Error from server (Forbidden): secrets "creds" is forbidden: licence: {PLANTED}'

    def reply(argv):
        if "secret/creds" in argv:
            return (1, "", stderr)
        return (0, json.dumps(release(VALUES_FROM)), "")

    envelope = FluxTools(FluxConfig(), runner=ScriptedRunner(reply)).call(
        "flux_values", {"kind": "helmrelease", "name": "web", "namespace": "apps"}
    )
    assert envelope["success"] and envelope["data"]["values"] == []
    assert "could not be read" in envelope["data"]["notes"][0]
    assert PLANTED not in json.dumps(envelope)


def test_the_budget_cuts_the_values_list_from_the_end():
    values = {f"key{index:03d}": "x" * 40 for index in range(200)}
    runner = scripted(release([], values=values), [])
    envelope = FluxTools(FluxConfig(), runner=runner).call(
        "flux_values", {"kind": "helmrelease", "name": "web", "namespace": "apps", "max_bytes": 4096}
    )
    data = envelope["data"]
    assert data["truncated"] is True and 0 < len(data["values"]) < 200
    assert data["omitted"] == 200 - len(data["values"]) and data["values"][0]["path"] == "key000"
    assert len(json.dumps(envelope)) <= 4096 + 512


def test_vars_recorded_to_a_cassette_holds_no_planted_value(tmp_path):
    post_build = {"substituteFrom": [{"kind": "Secret", "name": "keys"}]}
    cassette = tmp_path / "vars.cli.yaml"
    runner = CassetteRunner(
        Cassette.load(cassette),
        scripted(kustomization(post_build), [secret("keys", {"licence_id": PLANTED})]),
        mode="once",
    )
    envelope = FluxTools(FluxConfig(), runner=runner).call(
        "flux_values", {"kind": "kustomization", "name": "site", "namespace": "apps"}
    )
    assert envelope["data"]["vars"] == [{"name": "licence_id", "value": "***", "from": "Secret/keys"}]
    assert runner.save()
    assert PLANTED not in cassette.read_text() and b64(PLANTED) not in cassette.read_text()
    replay = CassetteRunner(Cassette.load(cassette), None, mode="none")
    again = FluxTools(FluxConfig(), runner=replay).call(
        "flux_values", {"kind": "kustomization", "name": "site", "namespace": "apps"}
    )
    assert again["data"]["vars"] == envelope["data"]["vars"]  # the masked recording replays the same answer

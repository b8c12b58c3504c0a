"""Masking rules against a synthetic corpus of token formats, secret-looking keys and near misses."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fluxtools import _masking as masking
from fluxtools._masking import MASK, is_secret_key, mask_text, mask_value
from tests.unit.secret_corpus import NOT_SECRETS, SECRETS


@pytest.mark.parametrize(("fmt", "text", "secret"), SECRETS, ids=[row[0] for row in SECRETS])
def test_each_format_is_masked(fmt, text, secret):
    assert secret in text  # the sample really carries it
    masked = mask_text(text)
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_near_misses_stay_visible(text):
    assert mask_text(text) == text


@pytest.mark.parametrize(("fmt", "text", "secret"), SECRETS, ids=[row[0] for row in SECRETS])
def test_every_sample_trips_the_fast_path_trigger(fmt, text, secret):
    assert masking.TRIGGER.search(text), f"{fmt}: the fast path would return this text untouched"


def test_every_rule_has_a_sample_that_trips_the_trigger():
    """A rule added without a corpus sample, or one the trigger does not cover, fails here."""
    for rule in masking.RULES:
        samples = [text for _, text, _ in SECRETS if rule.pattern.search(text)]
        assert samples, f"rule {rule.name!r} has no sample in the corpus"
        assert all(masking.TRIGGER.search(text) for text in samples), rule.name


@pytest.mark.parametrize("text", NOT_SECRETS + [text for _, text, _ in SECRETS])
def test_the_fast_path_never_changes_the_answer(text):
    assert mask_text(text) == masking.mask_untriggered(text)


def test_text_without_any_trigger_is_returned_as_is():
    text = "Reconciliation finished in 2s, next run in 10m"
    assert not masking.TRIGGER.search(text)
    assert mask_text(text) is text


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "PASSWORD",
        "passwd",
        "passphrase",
        "token",
        "bearerToken",
        "accessToken",
        "secret",
        "clientSecret",
        "client_secret",
        "apiKey",
        "api_key",
        "api-key",
        "accessKey",
        "accessKeyID",
        "secretKey",
        "aws_secret_access_key",
        "privateKey",
        "client-key-data",
        "credentials",
        "auth",
        ".dockerconfigjson",
        "GITHUB_TOKEN",
        "accountKey",  # the Azure keys of a Flux Bucket's secret
        "sasKey",
    ],
)
def test_secret_looking_keys(key):
    assert is_secret_key(key)
    assert mask_value({"outer": [{key: "s3cr3t-value"}]}) == {"outer": [{key: MASK}]}


@pytest.mark.parametrize(
    "key",
    [
        "secretRef",
        "secretName",
        "passwordSecretRef",
        "secretKeyRef",
        "tokenSecretRef",
        "valuesKey",
        "key",
        "name",
        "tokenExpired",
        "passwordFile",
        "author",
        "insecure",
        "keyId",
        "secrets",
    ],
)
def test_keys_that_name_or_point_at_secrets_stay_visible(key):
    assert not is_secret_key(key)
    assert mask_value({key: "repo-auth"}) == {key: "repo-auth"}


def test_mapping_values_at_any_depth():
    value = {
        "spec": {
            "values": {"db": {"Password": "hunter22", "port": 5432, "pin": 1234}},
            "auth": {"clientSecret": "Zz9", "token": 98765, "enabled": True, "apiKey": ""},
        },
        "list": [[{"privateKey": "k1"}], {"bearerToken": "t1"}],
    }
    masked = mask_value(value)
    assert masked["spec"]["values"]["db"] == {"Password": MASK, "port": 5432, "pin": 1234}
    # numbers under secret keys go; booleans and empty strings carry nothing secret and stay
    assert masked["spec"]["auth"] == {"clientSecret": MASK, "token": MASK, "enabled": True, "apiKey": ""}
    assert masked["list"] == [[{"privateKey": MASK}], {"bearerToken": MASK}]


def test_secret_names_and_references_stay_visible():
    value = {
        "spec": {"secretRef": {"name": "repo-auth"}, "decryption": {"provider": "sops", "secretRef": {"name": "sops"}}},
        "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
        "password": {"secretKeyRef": {"name": "db", "key": "password"}},
    }
    assert mask_value(value) == value


def test_string_data_anywhere_and_secret_data_lose_their_values():
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "repo-auth"},
        "data": {"username": "bGFi", "ca.crt": "LS0t"},
        "stringData": {"username": "lab", "config": {"nested": "x"}},
    }
    masked = mask_value(secret)
    assert masked["data"] == {"username": MASK, "ca.crt": MASK}
    assert masked["stringData"] == {"username": MASK, "config": MASK}
    assert masked["metadata"] == {"name": "repo-auth"}
    loose = mask_value({"template": {"stringData": {"url": "https://example.com"}}})
    assert loose == {"template": {"stringData": {"url": MASK}}}
    config_map = {"kind": "ConfigMap", "data": {"username": "lab"}}
    assert mask_value(config_map) == config_map


def test_a_secret_serialized_inside_text_loses_its_data():
    """kubectl's last-applied annotation and recorded stdout hold whole objects as JSON text."""
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "data": {"ca.crt": "c2VjcmV0LWNh"}})
    masked = mask_value({"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": applied}}})
    assert "c2VjcmV0LWNh" not in json.dumps(masked)
    listing = json.dumps({"kind": "List", "items": [json.loads(applied)]}, indent=4)
    assert "c2VjcmV0LWNh" not in mask_text(listing)
    string_data = "apiVersion: v1\nkind: Secret\nstringData:\n  ca.crt: c2VjcmV0LWNh\n"
    assert "c2VjcmV0LWNh" not in mask_text(string_data)
    unrelated = json.dumps({"kind": "Kustomization", "data": {"x": "y"}}, indent=4)
    assert mask_text(unrelated) == unrelated


def test_masking_is_idempotent():
    for _, text, _ in SECRETS:
        once = mask_text(text)
        assert mask_text(once) == once


def test_masking_stays_linear_on_long_key_like_runs():
    """Key-like words with no separator once made the keyed rule quadratic (minutes for 320 kB)."""
    import time

    for text in ("--tokenx" * 40000, "tokentokentoken" * 20000, "key: v " * 40000, "a." * 150000):
        started = time.perf_counter()
        mask_text(text)
        assert time.perf_counter() - started < 5, text[:16]


TRIGGER_PIECES = st.sampled_from(
    ["pass", "PASS", "Token", "key", "KEY", "\u212aey", "pa\u017fs", "auth", "gh", "p_", "gLpAt-", "-----Begin"]
    + ["eyJ", "EYJ", "x", "@", "_", " ", "\u0131", "\u0130", "é", "discord", "hooks.SLACK", "akia", "xox"]
)
"""Trigger words in several cases, with the non-ASCII letters case-ignoring matching equates with ASCII ones."""


@given(st.lists(TRIGGER_PIECES, max_size=8).map("".join))
def test_the_trigger_test_is_the_case_ignoring_pattern(text):
    """ASCII text is tested in lower case; any text must give what the case-ignoring pattern gives."""
    assert masking.triggered(text) == bool(masking.TRIGGER.search(text))


@pytest.mark.parametrize("text", NOT_SECRETS + [text for _, text, _ in SECRETS])
def test_the_trigger_test_agrees_with_the_pattern_on_the_corpus(text):
    assert masking.triggered(text) == bool(masking.TRIGGER.search(text))


def test_an_azure_storage_connection_string_loses_its_account_key():
    """Synthetic: the storage account key of a connection string, as an Azure error may quote it."""
    key = "abcDEF123" + "xyz789QRS" + "=="
    text = f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={key};EndpointSuffix=core.windows.net"
    masked = mask_text(text)
    assert key not in masked and "AccountName=acct" in masked and "EndpointSuffix=core.windows.net" in masked

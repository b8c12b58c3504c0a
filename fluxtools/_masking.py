"""Mask secrets in anything fluxtools hands out: results, errors, hints, logs, audit, cassettes.

One rule set: `mask_text` for text and `mask_value` for JSON-like structures (every string
inside goes through `mask_text`). Cassette redaction and the audit log call these; nothing
else decides what a secret looks like. Names of secrets (`secretRef: {name: repo-auth}`)
stay visible: they are evidence, not credentials.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

MASK = "***"
SECRET_KINDS = {"Secret"}

# A key is secret-looking when, lower-cased without separators, it is one of these names or ends
# with one of these words. `secretRef`, `secretName`, `passwordFile`, `valuesKey` do not.
_SECRET_KEY_NAMES = frozenset({"auth"})
_SECRET_KEY_ENDINGS = (
    "password",
    "passwd",
    "passphrase",
    "token",
    "secret",
    "apikey",
    "accesskey",
    "accesskeyid",
    "secretkey",
    "accountkey",
    "saskey",
    "privatekey",
    "tlskey",
    "clientkeydata",
    "certificatedata",
    "authoritydata",
    "credential",
    "credentials",
    "dockerconfigjson",
)
# Word stems every secret-looking key contains: a cheap prefilter for the keyed text rules.
_KEY_STEM = r"(?:pass|token|secret|key|credential|auth|dockerconfig|certificate)"


# `key: value`, `"key": "value"`, `KEY=value` whose key has a secret stem; `_keyed` decides. A bare word ending in
# `:` is no value but the next link of an error chain (`getting credentials: exec: executable aws failed`).
_BARE_VALUE = r"[^\s,;&{}\[\]\"'<>]+"
_SECRET_KEY = re.compile(
    r"(?i)(?<![\w.-])([\"']?)(?=[\w.-]*?" + _KEY_STEM + r")(?P<key>[\w.-]+)\1(?P<sep>[ \t]*[:=][ \t]*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|(?!" + _BARE_VALUE + r":(?:\s|$))" + _BARE_VALUE + ")"
)
# In a sentence (`Error loading SSO Token: Token for my-sso does not exist`) the word after `key:` is prose: a word
# follows the key's word, and the "value" is a plain word followed by more words.
_WORD_BEFORE = re.compile(r"[A-Za-z][ \t]+$")
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]*")
_WORD_AFTER = re.compile(r"[ \t]+[A-Za-z]")


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """True for mapping keys, YAML/JSON keys, env names and flags whose value is a secret."""
    name = re.sub(r"[^a-z0-9]", "", key.lower())
    return name in _SECRET_KEY_NAMES or name.endswith(_SECRET_KEY_ENDINGS)


def flag_value_is_secret(flag: str, value: str) -> bool:
    """In an argv, is `value` the secret argument of `flag` (`--token VALUE`)?"""
    return flag.startswith("--") and "=" not in flag and not value.startswith("-") and is_secret_key(flag)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replace: str | Callable[[re.Match[str]], str]


def _keyed(match: re.Match[str]) -> str:
    """`key: value` / `key=value` with a secret-looking key: the value goes, quoted where YAML needs it."""
    value = match["value"]
    inner = value.strip("\"'")
    head = match[0][: match.start("value") - match.start()]
    if not is_secret_key(match["key"]):
        return head + _SECRET_KEY.sub(_keyed, value)  # `error: 'password=x'`: the value may hold a pair
    if not inner or MASK in inner or inner in ("null", "true", "false") or _in_a_sentence(match):
        return match[0]
    quote = value[0] if value[0] in "\"'" else ('"' if ":" in match["sep"] else "")
    return head + quote + MASK + quote


def _in_a_sentence(match: re.Match[str]) -> bool:
    """`the SSO Token: Token for …`: an unquoted key and value among the words of a sentence, not a pair."""
    text = match.string
    return (
        ":" in match["sep"]
        and not match[1]
        and _PLAIN_WORD.fullmatch(match["value"]) is not None
        and _WORD_BEFORE.search(text, 0, match.start()) is not None
        and _WORD_AFTER.match(text, match.end()) is not None
    )


def _flag(match: re.Match[str]) -> str:
    return match[1] + MASK if flag_value_is_secret(match["flag"], match["value"]) else match[0]


def _basic(match: re.Match[str]) -> str:
    """`Basic <base64 of user:password>`; prose such as "Basic authentication" does not decode."""
    try:
        decoded = base64.b64decode(match["value"], validate=True)
    except (binascii.Error, ValueError):
        return match[0]
    return match[1] + MASK if b":" in decoded else match[0]


RULES: tuple[Rule, ...] = (
    Rule(
        "pem-block",
        re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?-----END [A-Z0-9 ]+-----", re.S),
        "-----BEGIN REDACTED-----" + MASK + "-----END REDACTED-----",
    ),
    # a private key cut off by a size limit: everything after its header goes
    Rule(
        "pem-truncated", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*", re.S), "-----BEGIN REDACTED-----" + MASK
    ),
    Rule(
        "url-userinfo",
        re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://)[^/\s:@\"'<>]+:[^/\s@\"'<>]+@"),
        r"\1" + MASK + "@",
    ),
    # a token as the whole userinfo of an http(s) URL; short users (`git@`, `user@`) are not secrets
    Rule("url-token", re.compile(r"(?i)\b(https?://)[A-Za-z0-9_.~%-]{20,}@"), r"\1" + MASK + "@"),
    Rule("slack-webhook", re.compile(r"(?i)(hooks\.slack\.com/(?:services|workflows|triggers)/)[\w/-]+"), r"\1" + MASK),
    Rule("discord-webhook", re.compile(r"(?i)(discord(?:app)?\.com/api/webhooks/\d+/)[\w-]+"), r"\1" + MASK),
    Rule("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_\w{20,255})\b"), MASK),
    Rule("gitlab-token", re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|soat|cbt)-[\w-]{20,}"), MASK),
    Rule("aws-key-id", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), MASK),
    Rule("slack-token", re.compile(r"\bxox[abprse]-[A-Za-z0-9-]{10,}"), MASK),
    Rule("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), MASK),
    Rule("age-identity", re.compile(r"AGE-SECRET-KEY-1[0-9A-Z]{20,}"), MASK),
    Rule("vault-token", re.compile(r"\bhv[sbr]\.[A-Za-z0-9_-]{24,}"), MASK),
    # OpenAI/Anthropic-style keys; Kubernetes names are lower case, these keys never are
    Rule("sk-key", re.compile(r"\bsk-(?=[\w-]*[A-Z])[\w-]{32,}"), MASK),
    Rule("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), MASK),
    Rule("pypi-token", re.compile(r"\bpypi-AgE[\w-]{40,}"), MASK),
    Rule("google-api-key", re.compile(r"\bAIza[\w-]{35}"), MASK),
    Rule("docker-pat", re.compile(r"\bdckr_pat_[\w-]{20,}"), MASK),
    Rule("sas-signature", re.compile(r"(?i)([?&]sig=)[^&\s\"'<>]+"), r"\1" + MASK),
    Rule("cookie-header", re.compile(r"(?i)(\b(?:set-)?cookie[ \t]*:[ \t]*)[^\s\"'][^\r\n\"']*"), r"\1" + MASK),
    Rule(
        "authorization-header",
        re.compile(
            r"(?i)(\bauthorization[\"']?[ \t]*[:=][ \t]*[\"']?(?:(?:bearer|basic|token|digest|negotiate)[ \t]+)?)"
            r"[^\s\"',;]{8,}"
        ),
        r"\1" + MASK,
    ),
    Rule("bearer", re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1" + MASK),
    Rule("basic", re.compile(r"(?i)\b(basic[ \t]+)(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![\w+/=])"), _basic),
    Rule(
        "secret-flag",
        re.compile(r"(?i)(?<![\w-])((?P<flag>--(?=[\w-]*?" + _KEY_STEM + r")[\w-]+) )(?P<value>[^\s-]\S*)"),
        _flag,
    ),
    Rule("secret-key", _SECRET_KEY, _keyed),
)

# Every rule above needs one of these (in any case); text without any is returned untouched, fast.
_TRIGGER_WORDS = (
    r"@|-----begin|bearer|basic|pass|token|secret|key|credential|auth|dockerconfig|certificate|eyj"
    r"|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat|cbt)-|akia|asia|xox|hooks\.slack|discord"
    r"|hv[sbr]\.|sk-|npm_|pypi-|aiza|dckr_pat_|sig=|cookie"
)
TRIGGER = re.compile("(?i)" + _TRIGGER_WORDS)
_TRIGGER_IN_LOWER_CASE = re.compile(_TRIGGER_WORDS)
"""TRIGGER for lower-cased ASCII text: the same test there, many times faster than ignoring case."""
_DOCUMENT_HINT = re.compile(r"stringData|\bkind\"?:\s*\"?Secret\b")


def apply_rules(text: str) -> str:
    """Every text rule, in order."""
    for rule in RULES:
        text = rule.pattern.sub(rule.replace, text)
    return text


def mask_untriggered(text: str) -> str:
    """`mask_text` without its fast path: JSON, or YAML holding a Secret, as a structure; else the rules."""
    structured = _mask_document(text)
    return structured if structured is not None else apply_rules(text)


def triggered(text: str) -> bool:
    """Whether any rule could match `text` (TRIGGER finds one of its words)."""
    if text.isascii():
        return _TRIGGER_IN_LOWER_CASE.search(text.lower()) is not None
    return TRIGGER.search(text) is not None


def mask_text(text: str) -> str:
    """Replace every secret-looking span in `text`; text no rule can match comes back as it is."""
    if not text or not triggered(text):
        return text
    return mask_untriggered(text)


def mask_value(value: Any) -> Any:
    """Mask secrets in any JSON-like structure: secret-looking keys at any depth, Secret data, stringData."""
    return _mask(value, secret=False)


def _mask(value: Any, secret: bool) -> Any:
    if isinstance(value, str):
        return MASK if secret and value else mask_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return MASK if secret else value
    if isinstance(value, list | tuple):
        return [_mask(item, secret) for item in value]
    if isinstance(value, dict):
        whole = value.get("kind") in SECRET_KINDS
        return {
            key: _hidden(item)
            if key == "stringData" or (whole and key == "data")
            else _mask(item, _secret_below(str(key), secret))
            for key, item in value.items()
        }
    return value


def _secret_below(key: str, secret: bool) -> bool:
    """Everything under a secret-looking key is secret, whatever its shape (`token: {value: …}`), except the
    references in it (`password: {secretKeyRef: {name: db, key: password}}`), which name where a secret lives."""
    if is_reference_key(key):
        return False
    return secret or is_secret_key(key)


@functools.lru_cache(maxsize=1024)
def is_reference_key(key: str) -> bool:
    """`secretRef`, `secretKeyRef`, `passwordSecretRef`: a key whose value names an object, not a secret."""
    return re.sub(r"[^a-z0-9]", "", key.lower()).endswith("ref")


def _hidden(item: Any) -> Any:
    """A Secret's data: which keys it has is evidence, their values are not shown."""
    if isinstance(item, dict):
        return {key: MASK for key in item}
    return MASK if item else item


def _mask_document(text: str) -> str | None:
    """JSON, or YAML holding a Secret, masked as a structure and re-serialized only if that changed it.

    Structure keeps JSON valid (a rule would put quotes inside a JSON string) and finds Secret data
    whose keys say nothing. None when the text is not such a document.
    """
    body, tail = text.rstrip(), text[len(text.rstrip()) :]
    try:
        if body.lstrip()[:1] in ("{", "["):
            documents = [json.loads(body)]
        elif _DOCUMENT_HINT.search(body):
            documents = list(yaml.safe_load_all(body))
        else:
            return None
    except (ValueError, yaml.YAMLError):
        return None
    if not documents or not all(isinstance(doc, dict | list) or doc is None for doc in documents):
        return None
    masked = [mask_value(doc) for doc in documents]
    if masked == documents:
        return text
    if body.lstrip()[:1] not in ("{", "["):
        return yaml.safe_dump_all(masked, sort_keys=False, allow_unicode=True).rstrip() + tail
    indent = re.search(r"\n( +)\S", body)
    separators = (",", ": ") if indent else (", ", ": ") if '": ' in body else (",", ":")
    dumped = json.dumps(masked[0], indent=len(indent[1]) if indent else None, separators=separators, ensure_ascii=False)
    return dumped + tail

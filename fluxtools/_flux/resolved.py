"""What a HelmRelease's values and a Kustomization's post-build variables resolve to, with where each comes from.

The rules are the controllers' (as `flux debug helmrelease --show-values` and `flux debug kustomization
--show-vars` apply them): `valuesFrom` in order, each ConfigMap or Secret key read as YAML and merged into the
result (maps merge key by key; anything else replaces), or set at its `targetPath`; a missing optional
reference skipped; `spec.values` merged last. Variables: every key of each `substituteFrom` ConfigMap or Secret
in order, then `substitute`, newlines removed. Unlike flux, no value from a Secret is ever shown: it is `***`
with its path or name kept; a value under a secret-looking key is `***` too, wherever it comes from.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

import yaml

from fluxtools._masking import MASK, is_secret_key

Obj = dict[str, Any]
DEFAULT_VALUES_KEY = "values.yaml"
INLINE_VALUES = "spec.values"
INLINE_VARS = "spec.postBuild.substitute"
SECRET = "Secret"


@dataclass(frozen=True)
class Leaf:
    """One value at its place in the merged tree, and the source that put it there."""

    value: Any
    origin: str


@dataclass(frozen=True)
class Reference:
    """One `valuesFrom` or `substituteFrom` entry."""

    kind: str
    name: str
    key: str
    target_path: str
    optional: bool

    @property
    def origin(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def secret(self) -> bool:
        return self.kind == SECRET


def references(entries: list[Obj] | None, *, values_key: bool) -> list[Reference]:
    """The references of `spec.valuesFrom` (values_key) or `spec.postBuild.substituteFrom`."""
    found = []
    for entry in entries or []:
        key = (entry.get("valuesKey") or DEFAULT_VALUES_KEY) if values_key else ""
        found.append(
            Reference(
                str(entry.get("kind", "")),
                str(entry.get("name", "")),
                key,
                str(entry.get("targetPath") or ""),
                bool(entry.get("optional")),
            )
        )
    return found


def helmrelease_references(obj: Obj) -> list[Reference]:
    return references((obj.get("spec") or {}).get("valuesFrom"), values_key=True)


def kustomization_references(obj: Obj) -> list[Reference]:
    return references(((obj.get("spec") or {}).get("postBuild") or {}).get("substituteFrom"), values_key=False)


def data_of(resource: Obj | None) -> dict[str, str] | None:
    """A ConfigMap's data (not its binaryData, which the controllers do not read); a Secret's data decoded,
    a value that does not decode (a masked recording) None. None when there is no resource."""
    if resource is None:
        return None
    if resource.get("kind") != SECRET:
        return dict(resource.get("data") or {})
    decoded: dict[str, Any] = {}
    for key, value in (resource.get("data") or {}).items():
        try:
            decoded[key] = base64.b64decode(str(value), validate=True).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            decoded[key] = None
    return decoded


def tagged(value: Any, origin: str) -> Any:
    """A values tree with every non-map value a Leaf of `origin`."""
    if isinstance(value, dict):
        return {str(key): tagged(item, origin) for key, item in value.items()}
    return Leaf(value, origin)


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of value maps: maps merge key by key; any other value replaces what was there."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def path_parts(path: str) -> list[str] | None:
    """A `targetPath` as keys (`a.b\\.c` → `a`, `b.c`); None for a path with list indexes, which is not
    resolved here."""
    if "[" in path:
        return None
    parts = re.split(r"(?<!\\)\.", path)
    return [part.replace("\\.", ".") for part in parts] if all(parts) else None


def typed(text: str) -> Any:
    """The value `--set` makes of text, as helm's strvals types it: quoted text stays text without its quotes;
    true, false, null and integers become those."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
        return int(text)
    return text


def place(tree: dict[str, Any], parts: list[str], leaf: Leaf) -> dict[str, Any]:
    """`tree` with `leaf` set at the path `parts` (maps made on the way, a value in the way replaced)."""
    head, rest = parts[0], parts[1:]
    if not rest:
        return {**tree, head: leaf}
    below = tree.get(head)
    return {**tree, head: place(below if isinstance(below, dict) else {}, rest, leaf)}


@dataclass
class Resolution:
    """What resolving found: the entries (path or name, value, source) and what could not be resolved."""

    entries: list[Obj]
    notes: list[str]


def resolve_values(obj: Obj, resources: dict[tuple[str, str], Obj]) -> Resolution:
    """A HelmRelease's values, from `resources` ((kind, name) → the ConfigMap or Secret read)."""
    tree: dict[str, Any] = {}
    notes: list[str] = []
    for index, ref in enumerate(helmrelease_references(obj)):
        where = f"valuesFrom[{index}] {ref.origin} key {ref.key}"
        data = data_of(resources.get((ref.kind, ref.name)))
        if data is None or ref.key not in data:
            missing = "does not exist" if data is None else "has no such key"
            if not ref.optional:
                notes.append(f"{where}: {missing}; helm-controller fails the release on it")
            elif data is None:
                notes.append(f"{where}: optional and {missing}, skipped")
            continue
        text = data[ref.key]
        if ref.target_path:
            parts = path_parts(ref.target_path)
            if parts is None:
                notes.append(f"{where}: targetPath {ref.target_path} not resolved here (list index)")
                continue
            value = MASK if ref.secret else typed(text or "")
            tree = place(tree, parts, Leaf(value, ref.origin))
            continue
        if text is None:
            notes.append(f"{where}: merged but not shown (its data could not be read as text)")
            continue
        try:
            loaded = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            notes.append(f"{where}: not YAML; helm-controller fails the release on it")
            continue
        if not isinstance(loaded, dict):
            notes.append(f"{where}: not a YAML map; helm-controller fails the release on it")
            continue
        tree = merge(tree, tagged(loaded, ref.origin))
    inline = (obj.get("spec") or {}).get("values") or {}
    tree = merge(tree, tagged(inline, INLINE_VALUES))
    return Resolution(
        [value_entry(path, leaf) for path, leaf in sorted(leaves(tree, ()), key=lambda item: item[0])], notes
    )


def leaves(tree: dict[str, Any], prefix: tuple[str, ...]) -> list[tuple[tuple[str, ...], Leaf]]:
    found: list[tuple[tuple[str, ...], Leaf]] = []
    for key, value in tree.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value:
            found.extend(leaves(value, path))
        else:
            found.append((path, value if isinstance(value, Leaf) else Leaf(value, "")))
    return found


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(part.replace(".", "\\.") for part in path)


def shown(value: Any, secret: bool, key: str) -> Any:
    """The value as it may be shown: `***` when it came from a Secret or sits under a secret-looking key."""
    if (secret or is_secret_key(key)) and value not in (None, "", {}, []):
        return MASK
    return value


def value_entry(path: tuple[str, ...], leaf: Leaf) -> Obj:
    secret = leaf.origin.startswith(SECRET + "/")
    return {"path": dotted(path), "value": shown(leaf.value, secret, path[-1]), "from": leaf.origin}


def resolve_vars(obj: Obj, resources: dict[tuple[str, str], Obj]) -> Resolution:
    """A Kustomization's post-build variables, from `resources` ((kind, name) → the ConfigMap or Secret read)."""
    found: dict[str, Leaf] = {}
    notes: list[str] = []
    for index, ref in enumerate(kustomization_references(obj)):
        resource = resources.get((ref.kind, ref.name))
        if resource is None:
            if not ref.optional:
                notes.append(f"substituteFrom[{index}] {ref.origin}: does not exist; kustomize-controller fails on it")
            continue
        keys = resource.get("data") or {}
        for name, value in keys.items():
            found[name] = Leaf(MASK if ref.secret else str(value).replace("\n", ""), ref.origin)
    post_build = (obj.get("spec") or {}).get("postBuild")
    if post_build is None:
        notes.append("no post-build substitutions (spec.postBuild is not set)")
    for name, value in ((post_build or {}).get("substitute") or {}).items():
        found[name] = Leaf(str(value).replace("\n", ""), INLINE_VARS)
    entries = [
        {"name": name, "value": shown(leaf.value, leaf.origin.startswith(SECRET + "/"), name), "from": leaf.origin}
        for name, leaf in sorted(found.items())
    ]
    return Resolution(entries, notes)

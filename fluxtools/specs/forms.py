"""The forms arguments are written in, understood before validation: each becomes its canonical value.

Kinds in any case and in the flux CLI's words (`Kustomization`, `ks`, `hr`, `source git`, `git`,
`helm`, `chart`, `image policy`, ...); a name given as `namespace/name`, `Kind/name` or
`Kind/namespace/name` when it agrees with the tool and with any kind and namespace given;
natural words for states, severities, levels and event types, in any case. A form that is not
one unambiguous canonical value is left as given, so validation refuses it naming what is
allowed; forms that contradict each other are refused here, naming the conflict. Validation
and policy then see only canonical values.

Every tool's arguments pass through `understood` (a validator of `ToolArgs`), whichever front
end validates them first.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from fluxtools._flux.kinds import HELMRELEASE, KNOWN_KINDS, KUSTOMIZATION, FluxKind
from fluxtools._validation import NAME_PATTERN, NAMESPACE_PATTERN

CONFLICT = "conflicting_forms"
"""The pydantic error type of contradicting forms; its context names the argument."""

KIND_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9]{0,62}")
"""How the kind part of an id looks (`Kustomization`, `ks`, `deployment`)."""

CLI_ALIASES: dict[str, FluxKind] = {"ks": KUSTOMIZATION, "hr": HELMRELEASE}
"""The flux CLI's command aliases (`flux get ks`, `flux reconcile hr`)."""

SYNONYMS: dict[str, tuple[str, ...]] = {
    "failed": ("failed", "not_ready"),
    "failing": ("failed", "not_ready"),
    "failure": ("failed", "not_ready"),
    "not ready": ("not_ready",),
    "notready": ("not_ready",),
    "unready": ("not_ready",),
    "unhealthy": ("not_ready",),
    "healthy": ("ready",),
    "suspend": ("suspended",),
    "warnings": ("Warning",),
}
"""Natural words for a canonical value, in order of preference: the first one the argument allows is taken."""


def word(value: str) -> str:
    """The comparable form of a word: lower case, `-` and `_` as spaces, single spaces."""
    return " ".join(value.lower().replace("-", " ").replace("_", " ").split())


def _kind_words() -> dict[str, FluxKind]:
    """Every way the flux CLI and the API write each kind, as comparable words."""
    found: dict[str, FluxKind] = {}

    def add(text: str, kind: FluxKind) -> None:
        key = word(text)
        if found.setdefault(key, kind) is not kind:
            raise ValueError(f"'{text}' would mean both {found[key].kind} and {kind.kind}")

    for kind in KNOWN_KINDS:
        for text in (kind.kind, kind.plural, " ".join(kind.cli_noun)):
            add(text, kind)
        if len(kind.cli_noun) == 2:  # `source git`: also `sources git` and the noun alone (`git`)
            group, noun = kind.cli_noun
            add(f"{group}s {noun}", kind)
            add(noun, kind)
    for alias, kind in CLI_ALIASES.items():
        add(alias, kind)
    return found


KIND_WORDS: dict[str, FluxKind] = _kind_words()


def kind_of(value: str) -> FluxKind | None:
    """The Flux kind a word names (`ks`, `HelmRelease`, `source git`, `oci`), or None."""
    return KIND_WORDS.get(word(value))


def canonical(value: str, choices: tuple[str, ...]) -> str | None:
    """The one allowed value `value` stands for, or None.

    Exact, then in any case, then a natural word, then a controller's short name
    (`helm` for helm-controller), then a Flux kind in any of its words (or, among
    controllers, the controller of that kind).
    """
    if value in choices:
        return value
    text = word(value)
    by_word = {word(choice): choice for choice in choices}
    if text in by_word:
        return by_word[text]
    for candidate in SYNONYMS.get(text, ()):
        if candidate in choices:
            return candidate
    if f"{text} controller" in by_word:
        return by_word[f"{text} controller"]
    kind = KIND_WORDS.get(text)
    if kind is None:
        return None
    for choice in choices:
        if KIND_WORDS.get(word(choice)) is kind:
            return choice
    return kind.controller if kind.controller in choices else None


@dataclass(frozen=True)
class Naming:
    """What a tool's `name` argument names: where its kind and namespace are said."""

    kind_field: str | None = "kind"
    """The argument giving the named object's kind (None: the tool has one kind, `kind`)."""
    kind: FluxKind | None = None
    """The one kind every name of the tool names, for tools without a kind argument."""
    namespace_field: str | None = "namespace"
    """The argument giving the named object's namespace (None: the tool takes none)."""
    resource_first: bool = False
    """`x/name` is `resource/name` (as `flux trace` takes it) rather than `namespace/name`."""
    controller_field: str | None = None
    """An argument naming a controller; a Flux kind there names that kind's controller and objects."""


def conflict(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(CONFLICT, "{conflict}", {"conflict": message, "field": field})


def shown(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:77] + "...")


def literal_values(annotation: Any) -> tuple[str, ...]:
    """The string values of a `Literal` annotation, through `Annotated` and `| None`."""
    origin = get_origin(annotation)
    if origin is Literal:
        return tuple(value for value in get_args(annotation) if isinstance(value, str))
    if origin is Annotated:
        return literal_values(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return tuple(value for arg in get_args(annotation) for value in literal_values(arg))
    return ()


@cache
def choices_of(model: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Argument → its allowed string values, for every argument that has a fixed set."""
    found = {name: literal_values(field.annotation) for name, field in model.model_fields.items()}
    return {name: values for name, values in found.items() if values}


def understood(model: type[BaseModel], naming: Naming, data: Any) -> Any:
    """`data` with every form the model understands replaced by its canonical value."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    choices = choices_of(model)
    if naming.controller_field:
        _controller(data, naming, choices)
    for name, allowed in choices.items():
        value = data.get(name)
        if isinstance(value, str):
            data[name] = canonical(value, allowed) or value
    if "kind" in model.model_fields and "kind" not in choices and isinstance(data.get("kind"), str):
        data["kind"] = data["kind"].strip().lower()  # a Kubernetes resource word (`Deployment`)
    if isinstance(data.get("name"), str) and "/" in data["name"]:
        _name(data, naming, choices)
    return data


def _controller(data: dict[str, Any], naming: Naming, choices: dict[str, tuple[str, ...]]) -> None:
    """A Flux kind given for a controller (`flux logs --kind Kustomization`): its controller, and its objects."""
    field = naming.controller_field or ""
    value = data.get(field)
    controllers = {word(choice) for choice in choices.get(field, ())}
    if not isinstance(value, str) or word(value) in controllers or f"{word(value)} controller" in controllers:
        return
    kind = kind_of(value)
    if kind is None:
        return
    data[field] = kind.controller
    objects = naming.kind_field
    if objects is None:
        return
    given = data.get(objects)
    if given is not None and (not isinstance(given, str) or kind_of(given) is not kind):
        raise conflict(objects, f"{shown(str(given))} disagrees with {field} {shown(value)} (a {kind.kind})")
    data[objects] = canonical(kind.kind, choices.get(objects, ())) or kind.kind


def _name(data: dict[str, Any], naming: Naming, choices: dict[str, tuple[str, ...]]) -> None:
    """`namespace/name`, `Kind/name` or `Kind/namespace/name` in `name`, spread over the arguments."""
    text: str = data["name"]
    parts = text.split("/")
    if len(parts) == 3:
        kind_text, namespace, name = parts
    elif len(parts) == 2 and naming.resource_first:
        (kind_text, name), namespace = parts, None
    elif len(parts) == 2:
        first, name = parts
        is_namespace, kind = bool(NAMESPACE_PATTERN.fullmatch(first)), kind_of(first)
        if is_namespace and kind is not None:
            raise conflict(
                "name",
                f"{shown(text)} could be the object {shown(name)} in namespace {shown(first)} or the "
                f"{kind.kind} {shown(name)}; give the name alone, with namespace (and kind) as their own arguments",
            )
        if not is_namespace and kind is None:
            return  # not a form we know: validation refuses it
        kind_text, namespace = (None, first) if is_namespace else (first, None)
    else:
        return
    if (
        not NAME_PATTERN.fullmatch(name)
        or (kind_text is not None and not KIND_TEXT.fullmatch(kind_text))
        or (namespace is not None and not NAMESPACE_PATTERN.fullmatch(namespace))
    ):
        return  # not an id of valid parts: validation refuses the name as given
    if kind_text is not None:
        _agree_kind(data, naming, choices, kind_text, text)
    if namespace is not None:
        _agree_namespace(data, naming, namespace, text)
    data["name"] = name


def _agree_kind(
    data: dict[str, Any], naming: Naming, choices: dict[str, tuple[str, ...]], kind_text: str, text: str
) -> None:
    if naming.kind is not None:
        kind = kind_of(kind_text)
        if kind is not naming.kind:
            named = f"a {kind.kind}" if kind else f"kind {shown(kind_text)}"
            raise conflict("name", f"{shown(text)} names {named}; this tool takes a {naming.kind.kind}")
        return
    field = naming.kind_field
    if field is None:
        raise conflict("name", f"{shown(text)} gives a kind; this tool takes a name alone")
    allowed = choices.get(field)
    kind = canonical(kind_text, allowed) if allowed else kind_text.strip().lower()
    if kind is None:
        raise conflict(
            "name", f"{shown(text)} names kind {shown(kind_text)}; {field} allows only: {', '.join(allowed or ())}"
        )
    given = data.get(field)
    if given is not None and given != kind and not (given == "source" and is_source(kind)):
        raise conflict(field, f"{shown(str(given))} disagrees with name {shown(text)} (kind {shown(kind)})")
    data[field] = kind


def is_source(value: str) -> bool:
    """A source kind (which `kind: source` stands for)."""
    kind = kind_of(value)
    return kind is not None and kind.cli_noun[0] == "source"


def _agree_namespace(data: dict[str, Any], naming: Naming, namespace: str, text: str) -> None:
    field = naming.namespace_field
    if field is None:
        raise conflict("name", f"{shown(text)} gives a namespace; this tool filters by name alone")
    given = data.get(field)
    if given is not None and given != namespace:
        raise conflict(field, f"{shown(str(given))} disagrees with name {shown(text)} (namespace {shown(namespace)})")
    data[field] = namespace

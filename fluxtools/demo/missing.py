"""Names that do not exist, answered as the cluster answered a missing name.

The recorder asks for objects named `does-not-exist` with each command shape
that names an object (`kubectl get`, `flux tree|export|trace`). For any other
name the scenario does not have, the answer is that recording with the name
substituted — derived from a recording, not written here. The namespace may
differ from the recorded one only when the recorded answer does not mention it.
"""

from __future__ import annotations

from fluxtools._flux.kinds import BY_CLI_NOUN, KNOWN_KINDS
from fluxtools.demo.recording import MISSING_NAME, Answer, Key, Recording

KIND_OF_RESOURCE = {kind.resource: kind.kind for kind in KNOWN_KINDS}
Named = tuple[str, str, str]
"""(kind in lower case, namespace, name)."""


def named_object(key: Key) -> Named | None:
    """The object a command names, for the shapes the tools use; None for any other command."""
    if len(key) == 8 and key[:2] == ("kubectl", "get") and key[4] == "-n" and key[6:] == ("-o", "json"):
        resource, name = key[2], key[3]
        if not resource.startswith("-") and not name.startswith("-"):
            return KIND_OF_RESOURCE.get(resource, resource).lower(), key[5], name
    if len(key) == 8 and key[:3] == ("flux", "tree", "ks") and key[4] == "-n" and key[6:] == ("-o", "json"):
        return "kustomization", key[5], key[3]
    if len(key) == 6 and key[:2] == ("flux", "trace") and key[4] == "-n":
        return key[2].lower(), key[5], key[3]
    if len(key) >= 6 and key[:2] == ("flux", "export") and key[-2] == "-n" and key[-3] != "--all":
        kind = BY_CLI_NOUN.get(" ".join(key[2:-3]))
        if kind is not None:
            return kind.key, key[-1], key[-3]
    return None


def _kind_matches(word: str, kind: str) -> bool:
    """A kind word as flux and kubectl accept it: the kind or its plural."""
    return word in (kind, kind + "s", kind + "es")


def known(recording: Recording, named: Named) -> bool:
    """Whether the scenario has this object (a Flux object read in the baseline, or one a tree shows)."""
    word, namespace, name = named
    for identity in (*recording.objects, *recording.managed):
        kind, _, rest = identity.partition("/")
        if rest == f"{namespace}/{name}" and _kind_matches(word, kind.lower()):
            return True
    return False


def not_found(recording: Recording, key: Key) -> Answer | None:
    """The recorded answer for a missing name of the same command shape and kind, with this name."""
    wanted = named_object(key)
    if wanted is None or known(recording, wanted):
        return None
    for position in recording.baseline:
        template = recording.keys[position]
        if MISSING_NAME not in template or len(template) != len(key):
            continue
        recorded = named_object(template)
        item = recording.interactions[position]
        if recorded is None or recorded[0] != wanted[0] or item.exit_code == 0:
            continue
        if recorded[1] != wanted[1] and (recorded[1] in item.stderr or recorded[1] in item.stdout):
            continue
        substitutions = {MISSING_NAME: wanted[2], recorded[1]: wanted[1]}
        if all(mine == substitutions.get(theirs, theirs) for mine, theirs in zip(key, template, strict=True)):
            name = wanted[2]
            stdout, stderr = item.stdout.replace(MISSING_NAME, name), item.stderr.replace(MISSING_NAME, name)
            return Answer(position, item.exit_code, stdout, stderr)
    return None

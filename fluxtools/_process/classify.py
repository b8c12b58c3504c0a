"""Map a failed flux/kubectl command to a typed `FluxError`, by who said the text.

Client failures (kubeconfig, connection, TLS, RBAC, API discovery, missing CRDs) are recognised only in the
clients' own words: kubectl's stderr, client-go's klog lines, and flux's own `✗` lines. While flux reports on
an object (a reconcile, any line after `◎ waiting for …`, `… reconciliation failed: …`) a `✗` line can carry the
controller's message, which may say anything ("no such file or directory", "connection refused", "forbidden");
there only the exact shapes of the CLI's own API requests count, and everything else is the controller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fluxtools._errors import (
    ClusterUnreachable,
    CommandFailed,
    FluxError,
    FluxNotInitialized,
    InvalidKubeconfig,
    NotFound,
    PermissionDenied,
    Transient,
)
from fluxtools._flux.kinds import ALL_KINDS
from fluxtools._process.runners import CommandResult

STDERR_LIMIT = 2000
FAILURE_MARK = "✗"
WAITING_MARK = "◎"
FLUX_MARKS = ("►", "✔", "◎", "⚠", "✚", FAILURE_MARK)
KLOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] ")
KLOG_ERR = re.compile(r'err="((?:[^"\\]|\\.)*)"')
REPORTS_ON_OBJECT = re.compile(r"^\w+ (?:[\w.-]+ )?reconciliation failed: ")

_I = re.IGNORECASE
FLUX_RESOURCE = r"[\w-]+\.[\w.-]*fluxcd\.io"
API_REQUEST = r'(?:get|head|post|put|patch|delete) "https?://[^"/\s]+/(?:api|apis|version|openapi)(?:[/?][^"]*)?": '
# Prefixes flux and client-go put before an API request's error; stripped before the exact shapes are tried.
CLIENT_WRAPPER = re.compile(
    r"^(?:failed to get server groups|failed to get API group resources|couldn't get current server API group list"
    r"|unable to retrieve the complete list of server APIs: [\w.-]+/\w+|client rate limiter Wait returned an error"
    r"|kubernetes client initialization failed|kubernetes configuration load failed): ",
    _I,
)
RETRYABLE = re.compile(
    r"refused|connection reset|handshake timeout|i/o timeout|broken pipe|unexpected eof|: eof$|deadline exceeded", _I
)
OTHER_MISSING = re.compile(rf'(?P<resource>{FLUX_RESOURCE}) "(?P<name>[^"]+)" not found$', _I)
BY_RESOURCE = {kind.resource: kind for kind in ALL_KINDS}
CLI_DEADLINE = re.compile(
    rf"(?:context deadline exceeded|timed out waiting for the condition|rate: Wait\(n=\d+\) would exceed context "
    rf"deadline|{API_REQUEST}.*context deadline exceeded.*)$",
    _I,
)


@dataclass(frozen=True)
class Target:
    """What a command was about, for messages in the specification's words."""

    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    verb: str = "read"

    def object_text(self) -> str:
        if self.kind and self.name:
            return f"{self.kind.lower()}/{self.name}"
        if self.kind:
            scope = f" in namespace '{self.namespace}'" if self.namespace else " in all namespaces"
            return f"{self.kind.lower()}s{scope}"
        return "this resource"


@dataclass(frozen=True)
class Statement:
    """One thing a client said on stderr."""

    text: str
    exact: bool = False  # said while reporting on an object: only whole API-request shapes count
    log: bool = False  # a client-go log line: evidence, shown only when nothing else was said


@dataclass(frozen=True)
class Rule:
    """A client failure: its form anywhere in the client's own words, and its exact form on an echoed line."""

    name: str
    anywhere: re.Pattern[str]
    exact: re.Pattern[str] | None


RULES = (
    Rule(
        "kubeconfig",
        re.compile(
            r"error loading config file|invalid configuration|no configuration has been provided|context was not found"
            r' for specified context|error in configuration|context "[^"]*" does not exist|^(?:error: )?stat \S+: no '
            r"such file or directory|kubernetes configuration load failed|\blocalhost:8080\b",
            _I,
        ),
        re.compile(
            r'invalid configuration|error loading config file "|no configuration has been provided|context was not'
            r' found for specified context|context "[^"]*" does not exist$|stat \S+: no such file or directory$',
            _I,
        ),
    ),
    Rule(
        "unreachable",
        re.compile(
            API_REQUEST + r"|unable to connect to the server|the connection to the server .+ was refused|dial tcp|"
            r"connection refused|connection reset|tls handshake timeout|i/o timeout|broken pipe|unexpected eof|"
            r"no such host|network is unreachable|no route to host|x509: ",
            _I,
        ),
        re.compile(API_REQUEST, _I),
    ),
    Rule(
        "credentials",
        re.compile(r"provide credentials|unauthorized|must be logged in", _I),
        re.compile(r"the server has asked for the client to provide credentials|unauthorized$", _I),
    ),
    Rule("forbidden", re.compile(r"forbidden", _I), re.compile(FLUX_RESOURCE + r'(?: "[^"]*")? is forbidden: ', _I)),
    Rule(
        "no-flux",
        re.compile(
            r"no matches for|could not find the requested resource|doesn't have a resource type|"
            r"unable to retrieve the complete list of server apis",
            _I,
        ),
        re.compile(
            r'no matches for kind "\w+" in version "[\w.]*fluxcd\.io/|no matches for [\w.]*fluxcd\.io/|'
            r"the server could not find the requested resource|unable to retrieve the complete list of server APIs:"
            r" [\w.]*fluxcd\.io/",
            _I,
        ),
    ),
    Rule(
        "transient",
        re.compile(
            r"too many requests|\((?:429|500|502|503|504)\)|internalerror|serviceunavailable|service unavailable|"
            r"etcdserver: (?:leader changed|request timed out)|currently unable to handle the request|"
            r"the object has been modified",
            _I,
        ),
        re.compile(
            r"etcdserver: |the server is currently unable to handle the request|the server has received too many "
            rf"requests|operation cannot be fulfilled on {FLUX_RESOURCE}|internal error occurred: |the server was "
            r"unable to return a response",
            _I,
        ),
    ),
)


def _clipped(text: str) -> str:
    """At most `STDERR_LIMIT` characters."""
    return text if len(text) <= STDERR_LIMIT else text[: STDERR_LIMIT - 3] + "..."


def trimmed_stderr(result: CommandResult) -> str:
    """The command's error text without client-go log lines, at most `STDERR_LIMIT` characters."""
    lines = [line for line in result.stderr.splitlines() if not KLOG_LINE.match(line)]
    return _clipped("\n".join(lines).strip() or result.stdout.strip())


def _is_kubectl(result: CommandResult) -> bool:
    binary = result.argv[0].rsplit("/", 1)[-1] if result.argv else ""
    if "kubectl" in binary or "flux" in binary:
        return "kubectl" in binary
    return not any(line.startswith(FLUX_MARKS) for line in result.stderr.splitlines())


def _klog_text(line: str) -> str:
    found = KLOG_ERR.search(line)
    text = found.group(1) if found else KLOG_LINE.sub("", line)
    return text.replace('\\"', '"').strip()


def statements(result: CommandResult) -> list[Statement]:
    """What the client itself said, plain lines first, its log lines last."""
    said: list[Statement] = []
    logged: list[Statement] = []
    kubectl = _is_kubectl(result)
    reporting = not kubectl and "reconcile" in result.argv
    seen_failure = False
    for raw in result.stderr.splitlines():
        line = raw.strip()
        if not line:
            continue
        if KLOG_LINE.match(line):
            logged.append(Statement(_klog_text(line), log=True))
        elif kubectl:
            said.append(Statement(line))
        elif line.startswith(WAITING_MARK):
            reporting = True
        elif line.startswith(FAILURE_MARK):
            text = line[len(FAILURE_MARK) :].strip()
            said.append(Statement(text, exact=reporting or bool(REPORTS_ON_OBJECT.match(text))))
            seen_failure = True
        elif not line.startswith(FLUX_MARKS) and not seen_failure:  # later plain lines continue a `✗` message
            said.append(Statement(line, exact=reporting))
    return said + logged


def _candidates(text: str) -> Iterator[str]:
    """The text, then what is left after each client-go/flux wrapper in front of an API request's error."""
    yield text
    while (wrapper := CLIENT_WRAPPER.match(text)) is not None:
        text = text[wrapper.end() :]
        yield text


def _names_missing(text: str, name: str) -> bool:
    """API not-found texts name the object: `"x" not found`, `'x' not found`, `x not found`."""
    return any(f"{quote}{name}{quote} not found" in text for quote in ('"', "'", ""))


def _matches(rule: Rule, statement: Statement) -> bool:
    if not statement.exact:
        return rule.anywhere.search(statement.text) is not None
    return rule.exact is not None and any(rule.exact.match(text) for text in _candidates(statement.text))


def _missing(statement: Statement, name: str) -> bool:
    if not statement.exact:
        return _names_missing(statement.text, name)
    exact = re.compile(rf'{FLUX_RESOURCE} "{re.escape(name)}" not found$', _I)
    return any(exact.match(text) for text in _candidates(statement.text))


def _detail(decisive: Statement, said: list[Statement]) -> str:
    """One clean line: the decisive statement, or the client's last plain line when a log line decided."""
    plain = [statement for statement in said if not statement.log]
    line = plain[-1].text if decisive.log and plain else decisive.text
    return _clipped(line)


def _error(rule: str, detail: str, decisive: Statement, target: Target, kubeconfig: str) -> FluxError:
    denied = f"Insufficient permissions to {target.verb} {target.object_text()}"
    if rule == "kubeconfig":
        return InvalidKubeconfig(kubeconfig, detail)
    if rule == "unreachable":
        return ClusterUnreachable(kubeconfig, detail, retryable=RETRYABLE.search(decisive.text) is not None)
    if rule == "credentials":
        return PermissionDenied(denied, hint=f"The API server rejected the credentials: {detail}")
    if rule == "forbidden":
        return PermissionDenied(denied, hint=detail)
    if rule == "no-flux":
        return FluxNotInitialized(detail)
    return Transient(f"Temporary API server failure: {detail}")


def client_error(result: CommandResult, target: Target, kubeconfig: str) -> FluxError | None:
    """The client failure a command's stderr states in the client's own words; None when it states none."""
    said = statements(result)
    for rule in RULES:
        for statement in said:
            if _matches(rule, statement):
                return _error(rule.name, _detail(statement, said), statement, target, kubeconfig)
    if target.kind and target.name:
        name = target.name
        if any(not statement.log and _missing(statement, name) for statement in said):
            return NotFound(target.kind, name, target.namespace or "")
    return _other_flux_object_missing(said, target)


def _other_flux_object_missing(said: list[Statement], target: Target) -> FluxError | None:
    """flux's own Get of a related Flux object (the source of `--with-source`) found nothing."""
    for statement in said:
        for text in _candidates(statement.text):
            found = OTHER_MISSING.match(text)
            kind = found and BY_RESOURCE.get(found["resource"].lower())
            if found and kind:
                hint = f"flux could not find the {kind.kind} it needs for {target.object_text()}."
                return NotFound(kind.kind, found["name"], target.namespace or "", hint=hint)
    return None


def classify(result: CommandResult, target: Target, kubeconfig: str) -> FluxError:
    """The error a failed command stands for; `CommandFailed` when the client stated no failure of its own."""
    found = client_error(result, target, kubeconfig)
    if found is not None:
        return found
    detail = trimmed_stderr(result)
    return CommandFailed(f"Command failed (exit {result.exit_code}): {detail or 'no output'}")


def cli_deadline(result: CommandResult) -> bool:
    """flux gave up at its own `--timeout` (not a controller message that mentions a deadline)."""
    for statement in statements(result):
        if not statement.log and any(CLI_DEADLINE.match(text) for text in _candidates(statement.text)):
            return True
    return False

"""Map a failed flux/kubectl command to a typed `FluxError` by the form of what the client said, never its words.

First the output is parsed into statements (`statements`): kubectl's lines, flux's `✗` lines and the plain lines
around them, and client-go's klog lines (`[IWEF]MMDD hh:mm:ss.uuuuuu pid file:line] …`), which are set aside as
evidence used only when the client said nothing else. Then each statement is read by its form (`reading`), anchored
at its start after the clients' own wrappers: kubectl's `Error from server (Reason): …` by its Reason, `error: You
must be logged in to the server (…)` as rejected credentials, `Unable to connect to the server: …` and flux's API
request errors (`Get "https://…/api…": …`) by what the transport said (`getting credentials: …` is the kubeconfig's
credential plugin failing), `Internal error occurred: failed calling webhook …` as the server's admission refusing.
Object names stand inside quotes or in fixed places of a form, so a name such as `forbidden-zone` decides nothing.

While flux reports on an object (a reconcile, any line after `◎ waiting for …`, `… reconciliation failed: …`) a
`✗` line can carry the controller's message, which may say anything; there only the forms of the CLI's own API
requests count (`Statement.echo`), and everything else is the controller's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from fluxtools._errors import (
    AdmissionRefused,
    AuthenticationFailed,
    ClusterUnreachable,
    CommandFailed,
    FluxError,
    FluxNotInitialized,
    InvalidKubeconfig,
    NotFound,
    PermissionDenied,
    Transient,
)
from fluxtools._flux.kinds import ANY_BY_KIND, BY_RESOURCE
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
RESOURCE = r"[\w-]+(?:\.[\w.-]+)?"

# Prefixes flux, kubectl and client-go put before the error they pass on; stripped before the forms are tried.
CLIENT_WRAPPER = re.compile(
    r"^(?:failed to get server groups|failed to get API group resources|couldn't get current server API group list"
    r"|couldn't get resource list for [\w.-]+/\w+|unable to retrieve the complete list of server APIs: [\w.-]+/\w+"
    r"|client rate limiter Wait returned an error|kubernetes client initialization failed|Kubernetes API call failed"
    r"|failed patching objects|failed (?:suspending|resuming) \w+ \S+ in \S+ namespace|failed to find \w+"
    r"|failed to trace \w+/\S+ in namespace \S*|x): ",  # `x: ` is how flux trace wraps its lookup's error
    _I,
)
RETRYABLE = re.compile(
    r"refused|connection reset|handshake timeout|i/o timeout|broken pipe|unexpected eof|: eof$|deadline exceeded", _I
)
CLI_DEADLINE = re.compile(
    r"(?:context deadline exceeded|timed out waiting for the condition|rate: Wait\(n=\d+\) would exceed context "
    r'deadline|(?:get|head|post|put|patch|delete) "https?://[^"/\s]+/(?:api|apis)[/?][^"]*": .*context deadline '
    r"exceeded.*)$",
    _I,
)

# --- the forms ----------------------------------------------------------------------------------------------------
STATUS = re.compile(r"^(?:error: )?error from server(?: \((?P<reason>\w+)\))?: (?P<message>.+)$", _I)
LOGGED_IN = re.compile(r"^error: you must be logged in to the server(?: \((?P<message>.*)\))?$", _I)
UNABLE_TO_CONNECT = re.compile(r"^unable to connect to the server: (?P<cause>.+)$", _I)
REFUSED = re.compile(r"^the connection to the server (?P<host>\S+) was refused\b", _I)
API_REQUEST = re.compile(
    r'^(?:get|head|post|put|patch|delete) "(?P<url>https?://[^"/\s]+/(?:api|apis|version|openapi)(?:[/?][^"]*)?)": '
    r"(?P<cause>.+)$",
    _I,
)
GETTING_CREDENTIALS = re.compile(r"^getting credentials: (?P<why>.+)$", _I)
NO_SERVER = re.compile(r"^https?://localhost:8080(?:/|$)|^localhost:8080$", _I)
KUBECONFIG = re.compile(
    r'^(?:error: )?(?:invalid configuration: |error loading config file "|error in configuration: |no configuration '
    r'has been provided|context was not found for specified context|context "[^"]*" does not exist$|stat \S+: no '
    r"such file or directory$|kubernetes configuration load failed: )",
    _I,
)
CREDENTIALS_REJECTED = re.compile(r"^(?:the server has asked for the client to provide credentials|unauthorized)$", _I)
RBAC = re.compile(rf'^(?P<resource>{RESOURCE})(?: "[^"]*")? is forbidden: User "[^"]*" cannot ', _I)
OTHER_FORBIDDEN = re.compile(rf'^(?P<resource>{RESOURCE})(?: "[^"]*")? is forbidden: (?P<why>.+)$', _I)
WEBHOOK_FAILED = re.compile(
    r'^(?:internal error occurred: )?failed calling webhook "(?P<hook>[^"]+)"(?:: (?P<cause>.+)|; .*)$', _I
)
WEBHOOK_DENIED = re.compile(r'^admission webhook "(?P<hook>[^"]+)" denied the request', _I)
NO_FLUX = re.compile(
    r'^(?:(?:error: )?the server doesn\'t have a resource type "|no matches for |the server could not find the '
    r"requested resource)",
    _I,
)
NO_FLUX_ECHO = re.compile(
    r'^(?:no matches for kind "\w+" in version "[\w.]*fluxcd\.io/|no matches for [\w.]*fluxcd\.io/|the server could '
    r"not find the requested resource)",
    _I,
)
TRANSIENT = re.compile(
    r"^(?:etcdserver: |the server is currently unable to handle the request|the server has received too many "
    rf"requests|operation cannot be fulfilled on {RESOURCE} \"[^\"]*\": the object has been modified|internal error "
    r"occurred: |the server was unable to return a response)",
    _I,
)
MISSING = re.compile(rf'^(?P<resource>{RESOURCE}) "(?P<name>[^"]+)" not found(?: in namespace "[^"]*")?$', _I)
FLUX_MISSING = re.compile(
    r"^(?P<kind>[A-Z]\w+) (?:object '(?P<quoted>[^']+)'|(?P<name>\S+)) not found in \S+ namespace$"
)
TRANSIENT_REASONS = {"TooManyRequests", "ServiceUnavailable", "Timeout", "ServerTimeout", "Conflict", "InternalError"}


class Cause(Enum):
    KUBECONFIG = "kubeconfig"
    UNREACHABLE = "unreachable"
    PLUGIN = "credential plugin failed"
    REJECTED = "credentials rejected"
    FORBIDDEN = "forbidden"
    ADMISSION = "admission refused"
    NO_FLUX = "no flux"
    MISSING = "missing"
    TRANSIENT = "transient"


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
            known = ANY_BY_KIND.get(self.kind)
            return f"{known.plural if known else self.kind.lower() + 's'}{scope}"
        return "this resource"


@dataclass(frozen=True)
class Statement:
    """One thing a client said on stderr."""

    text: str
    echo: bool = False  # said while flux reports on an object: only the forms of its own API requests count
    log: bool = False  # a client-go log line: evidence, used only when nothing else was said
    failure: bool = False  # one of flux's own `✗` lines


@dataclass(frozen=True)
class Reading:
    """What one statement says failed, and the text that says it."""

    cause: Cause
    detail: str
    retryable: bool = False
    webhook: str | None = None  # the admission webhook the API server could not call
    missing: tuple[str, str] | None = None  # (resource or Kind, name) of an object the server did not find


def _clipped(text: str) -> str:
    """At most `STDERR_LIMIT` characters."""
    return text if len(text) <= STDERR_LIMIT else text[: STDERR_LIMIT - 3] + "..."


def trimmed_stderr(result: CommandResult) -> str:
    """The command's error text without client-go log lines, at most `STDERR_LIMIT` characters."""
    lines = [line for line in result.stderr.splitlines() if not KLOG_LINE.match(line)]
    return _clipped("\n".join(lines).strip() or result.stdout.strip())


# --- statements: the one reader of the clients' output lines --------------------------------------------------------
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
            said.append(Statement(text, echo=reporting or bool(REPORTS_ON_OBJECT.match(text)), failure=True))
            seen_failure = True
        elif not line.startswith(FLUX_MARKS) and not seen_failure:  # later plain lines continue a `✗` message
            said.append(Statement(line, echo=reporting))
    return said + logged


def failures(result: CommandResult) -> list[str]:
    """The text of each `✗` line flux printed (its own failures, or a controller's message it passes on)."""
    return [statement.text for statement in statements(result) if statement.failure]


# --- reading one statement by its form ------------------------------------------------------------------------------
def _candidates(text: str) -> Iterator[str]:
    """The text, then what is left after each wrapper in front of the error it passes on."""
    yield text
    while (wrapper := CLIENT_WRAPPER.match(text)) is not None:
        text = text[wrapper.end() :]
        yield text


def _transport(cause: str, detail: str, where: str) -> Reading:
    """An API request that got no answer: the credential plugin failed, no server was named, or the network."""
    plugin = GETTING_CREDENTIALS.match(cause)
    if plugin:
        return Reading(Cause.PLUGIN, plugin["why"])
    if NO_SERVER.match(where):
        return Reading(Cause.KUBECONFIG, detail)
    return Reading(Cause.UNREACHABLE, detail, retryable=RETRYABLE.search(cause) is not None)


def _is_flux(resource: str) -> bool:
    return re.fullmatch(FLUX_RESOURCE, resource, _I) is not None


def _status(reason: str | None, message: str, detail: str) -> Reading | None:
    """kubectl's `Error from server (Reason): message`: the admission forms of the message, else its Reason."""
    found = _form(message, echo=False)
    if found is not None and found.cause in (Cause.ADMISSION, Cause.MISSING, Cause.NO_FLUX):
        return Reading(found.cause, detail, webhook=found.webhook, missing=found.missing)
    if reason == "NotFound":
        return None
    if reason == "Forbidden":
        return Reading(Cause.FORBIDDEN, detail)
    if reason == "Unauthorized":
        return Reading(Cause.REJECTED, detail)
    if reason in TRANSIENT_REASONS:
        return Reading(Cause.TRANSIENT, detail, retryable=True)
    return Reading(found.cause, detail, found.retryable) if found is not None and reason is None else None


def _form(text: str, echo: bool) -> Reading | None:
    """What `text` says failed when it has one of the clients' forms; `echo`: only the forms of API requests."""
    if not echo:
        status = STATUS.match(text)
        if status:
            return _status(status["reason"], status["message"], text)
        if LOGGED_IN.match(text):
            return Reading(Cause.REJECTED, text)
        unable = UNABLE_TO_CONNECT.match(text)
        if unable:
            return _transport(unable["cause"], text, "")
        refused = REFUSED.match(text)
        if refused:
            return _transport("connection refused", text, refused["host"])
        plugin = GETTING_CREDENTIALS.match(text)
        if plugin:
            return Reading(Cause.PLUGIN, plugin["why"])
    request = API_REQUEST.match(text)
    if request:
        return _transport(request["cause"], text, request["url"])
    if KUBECONFIG.match(text):
        return Reading(Cause.KUBECONFIG, text)
    if CREDENTIALS_REJECTED.match(text):
        return Reading(Cause.REJECTED, text)
    unanswered = WEBHOOK_FAILED.match(text)
    if unanswered:
        return Reading(Cause.ADMISSION, text, webhook=unanswered["hook"])
    if WEBHOOK_DENIED.match(text):
        return Reading(Cause.ADMISSION, text)
    rbac = RBAC.match(text)
    if rbac and (not echo or _is_flux(rbac["resource"])):
        return Reading(Cause.FORBIDDEN, text)
    other = OTHER_FORBIDDEN.match(text)
    if other and (not echo or _is_flux(other["resource"])):
        return Reading(Cause.ADMISSION, text)
    if (NO_FLUX_ECHO if echo else NO_FLUX).match(text):
        return Reading(Cause.NO_FLUX, text)
    if TRANSIENT.match(text):
        return Reading(Cause.TRANSIENT, text, retryable=True)
    missing = MISSING.match(text)
    if missing and (not echo or _is_flux(missing["resource"])):
        return Reading(Cause.MISSING, text, missing=(missing["resource"], missing["name"]))
    flux_missing = None if echo else FLUX_MISSING.match(text)
    if flux_missing:
        name = flux_missing["quoted"] or flux_missing["name"]
        return Reading(Cause.MISSING, text, missing=(flux_missing["kind"], name))
    return None


def reading(statement: Statement) -> Reading | None:
    """What one statement says failed, by its form (after the clients' wrappers); None when it has no such form."""
    for text in _candidates(statement.text):
        found = _form(text, statement.echo)
        if found is not None:
            return found
    return None


# --- from the readings to the error -----------------------------------------------------------------------------
def _decisive(said: list[Statement]) -> tuple[Statement, Reading] | None:
    """The first statement with a form; the log lines only when the client said nothing else."""
    plain = [statement for statement in said if not statement.log]
    for statement in plain or said:
        found = reading(statement)
        if found is not None:
            return statement, found
    return None


def _plugin_message(said: list[Statement]) -> str:
    """What the credential plugin wrote on stderr: the plain lines that have no form, each once."""
    lines: list[str] = []
    for statement in said:
        if not statement.log and not statement.failure and reading(statement) is None and statement.text not in lines:
            lines.append(statement.text)
    return _clipped(" ".join(lines))


def _not_found(missing: tuple[str, str], target: Target) -> NotFound | None:
    """The object the server did not find: the target, or a Flux object flux needs for it."""
    what, name = missing
    kind = BY_RESOURCE.get(what.lower()) or ANY_BY_KIND.get(what)
    namespace = target.namespace or ""
    if target.kind and name == target.name and (kind is None or kind.kind == target.kind):
        return NotFound(target.kind, name, namespace)
    if kind is None:
        return None
    if kind.kind == target.kind or not target.kind:
        return NotFound(kind.kind, name, namespace)
    hint = f"flux could not find the {kind.kind} it needs for {target.object_text()}."
    return NotFound(kind.kind, name, namespace, hint=hint)


def _error(found: Reading, detail: str, target: Target, said: list[Statement], kubeconfig: str) -> FluxError | None:
    cause = found.cause
    if cause is Cause.KUBECONFIG:
        return InvalidKubeconfig(kubeconfig, detail)
    if cause is Cause.UNREACHABLE:
        return ClusterUnreachable(kubeconfig, detail, retryable=found.retryable)
    if cause is Cause.PLUGIN:
        return AuthenticationFailed.plugin_failed(kubeconfig, found.detail, _plugin_message(said))
    if cause is Cause.REJECTED:
        return AuthenticationFailed.rejected(kubeconfig, detail)
    if cause is Cause.FORBIDDEN:
        return PermissionDenied(f"Insufficient permissions to {target.verb} {target.object_text()}", hint=detail)
    if cause is Cause.ADMISSION:
        return AdmissionRefused(target.verb, target.object_text(), detail, unanswered=found.webhook)
    if cause is Cause.NO_FLUX:
        return FluxNotInitialized(detail)
    if cause is Cause.MISSING and found.missing is not None:
        return _not_found(found.missing, target)
    if cause is Cause.TRANSIENT:
        return Transient(f"Temporary API server failure: {detail}")
    return None


def _detail(decisive: Statement, said: list[Statement]) -> str:
    """One clean line: the decisive statement, or the client's last plain line when a log line decided."""
    plain = [statement for statement in said if not statement.log]
    line = plain[-1].text if decisive.log and plain else decisive.text
    return _clipped(line)


def client_error(result: CommandResult, target: Target, kubeconfig: str) -> FluxError | None:
    """The client failure a command's stderr states in one of the clients' forms; None when it states none."""
    said = statements(result)
    decisive = _decisive(said)
    if decisive is None:
        return None
    statement, found = decisive
    return _error(found, _detail(statement, said), target, said, kubeconfig)


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

"""`flux_check`: is the cluster ready for Flux, and is the Flux installation healthy?

It runs `flux check [--pre]` and reads its progress lines (all on stderr).
Without the flux CLI it checks the same things with kubectl: the server
version, the Flux CRDs and the controller Deployments. Flux v1 (flux daemon,
helm-operator) is recognized and reported as unsupported.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from fluxtools._errors import CommandFailed, NotInstalled, Timeout
from fluxtools._flux.kinds import FLUX_V1_GROUPS
from fluxtools._process.call import Call
from fluxtools._process.classify import Target
from fluxtools._process.runners import CommandResult
from fluxtools._validation import Namespace
from fluxtools.specs.base import Operation, ReadArgs, ToolSpec, configured_namespace

PART_OF = "app.kubernetes.io/part-of=flux"
VERSION_LABEL = "app.kubernetes.io/version"
BOOTSTRAP_LABELS = ("kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace")
GITREPOSITORY_CRD = "gitrepositories.source.toolkit.fluxcd.io"
MIN_KUBERNETES = (1, 33)
"""The oldest Kubernetes the flux CLI this was written against (v2.9) accepts."""
SYMBOLS = {"►": "action", "✔": "success", "✗": "failure", "⚠️": "warning", "⚠": "warning", "◎": "waiting"}
NEW_CLI = "new CLI version is available"
V1_IMAGE = re.compile(r"(^|/)fluxcd/(flux|helm-operator)(:|@|$)")
DEPLOYMENT_IMAGES = (
    'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\t"}'
    '{.spec.template.spec.containers[*].image}{"\\n"}{end}'
)
"""One line per Deployment: `namespace/name<TAB>image image ...`."""
DEGRADED_NOTE = (
    "The flux CLI is not installed: checked with kubectl instead (Kubernetes version, Flux CRDs and controller "
    "Deployments in the namespace)."
)
V1_PROBLEM = (
    "Flux v1 detected ({found}). Flux v1 is end-of-life and not supported by fluxtools or the flux v2 CLI; "
    "migrate to Flux v2."
)


class CheckArgs(ReadArgs):
    pre: bool = Field(False, description="Only the prerequisites")
    namespace: Namespace | None = configured_namespace("Namespace the Flux controllers run in")


def check_target(args: CheckArgs, call: Call) -> Target:
    return Target("Flux installation", None, args.namespace, "check")


def check_argv(call: Call, args: CheckArgs) -> list[str]:
    namespace = args.namespace
    flux_timeout = max(5, int(call.timeout) - 5)  # flux waits for controllers up to --timeout: answer before us
    return call.cli.flux("check", *(["--pre"] if args.pre else []), "-n", namespace, f"--timeout={flux_timeout}s")


def empty_report(args: CheckArgs, source: str) -> dict[str, Any]:
    return {
        "passed": False,
        "pre": args.pre,
        "checked_with": source,
        "kubernetes_version": None,
        "distribution": None,
        "bootstrapped": None,
        "controllers": [],
        "crds": [],
        "problems": [],
        "warnings": [],
    }


def split_symbol(line: str) -> tuple[str | None, str]:
    for symbol, meaning in SYMBOLS.items():
        if line.startswith(symbol):
            return meaning, line[len(symbol) :].strip()
    return None, line.strip()


def parse_check(result: CommandResult, args: CheckArgs) -> dict[str, Any]:
    """The report `flux check` prints, section by section (`► checking <section>`)."""
    report = empty_report(args, "flux check")
    section = ""
    for line in (result.stderr + "\n" + result.stdout).splitlines():
        meaning, message = split_symbol(line)
        if meaning == "action" and message.startswith("checking "):
            section = message.removeprefix("checking ")
            continue
        if meaning is None or not message:
            continue
        if section == "controllers" and meaning == "action":
            if report["controllers"]:
                report["controllers"][-1]["images"].append(message)
            continue
        if meaning == "failure" and message in ("check failed",):
            continue
        if meaning == "warning" or (meaning == "failure" and NEW_CLI in message):
            report["warnings"].append(message)
        elif meaning == "failure":
            report["problems"].append(message)
        _record(report, section, meaning, message)
    report["passed"] = result.exit_code == 0 and not report["problems"]
    return report


def _record(report: dict[str, Any], section: str, meaning: str, message: str) -> None:
    version = re.match(r"Kubernetes (?:version )?v?(\d+\.\d+\.\S+)", message)
    if version and report["kubernetes_version"] is None:
        report["kubernetes_version"] = version.group(1)
    elif message.startswith("distribution: "):
        report["distribution"] = message.removeprefix("distribution: ")
    elif message.startswith("bootstrapped: "):
        report["bootstrapped"] = message.removeprefix("bootstrapped: ") == "true"
    elif section == "controllers" and meaning in ("success", "failure") and ": " in message:
        name, _, state = message.partition(": ")
        report["controllers"].append({"name": name, "ready": meaning == "success", "status": state, "images": []})
    elif section == "crds" and meaning == "success" and "/" in message:
        name, _, version_text = message.rpartition("/")
        report["crds"].append({"name": name, "version": version_text})


# kubectl-based check ---------------------------------------------------------------------------


def _version_tuple(version: str) -> tuple[int, int]:
    match = re.match(r"v?(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def deployment_state(deployment: dict[str, Any]) -> tuple[bool, str]:
    """Whether a Deployment is rolled out and available, as kstatus judges it (simplified)."""
    meta, spec, st = deployment.get("metadata") or {}, deployment.get("spec") or {}, deployment.get("status") or {}
    wanted = spec.get("replicas", 1)
    if st.get("observedGeneration", 0) < meta.get("generation", 0):
        return False, "deployment not ready (rollout not observed yet)"
    for key in ("updatedReplicas", "readyReplicas", "availableReplicas"):
        if st.get(key, 0) < wanted:
            return False, f"deployment not ready ({key} {st.get(key, 0)}/{wanted})"
    return True, "deployment ready"


def crd_report(crd: dict[str, Any]) -> dict[str, str]:
    stored = (crd.get("status") or {}).get("storedVersions") or []
    return {"name": (crd.get("metadata") or {}).get("name", ""), "version": stored[-1] if stored else ""}


def distribution(crds: list[dict[str, Any]]) -> tuple[str | None, bool | None]:
    for crd in crds:
        meta = crd.get("metadata") or {}
        if meta.get("name") == GITREPOSITORY_CRD:
            labels = meta.get("labels") or {}
            version = labels.get(VERSION_LABEL, "")
            part_of = labels.get("app.kubernetes.io/part-of")
            return (f"{part_of}-{version}" if part_of else version) or None, any(
                label in labels for label in BOOTSTRAP_LABELS
            )
    return None, None


def _items(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        raise CommandFailed("kubectl returned JSON that is not an object")
    return [item for item in document.get("items") or [] if isinstance(item, dict)]


async def kubectl_check(call: Call, args: CheckArgs) -> dict[str, Any]:
    report = empty_report(args, "kubectl")
    target = check_target(args, call)
    version = await call.kubectl_json(["version", "-o", "json"], target)
    server = (version.get("serverVersion") or {}) if isinstance(version, dict) else {}
    git_version = server.get("gitVersion", "")
    report["kubernetes_version"] = git_version.lstrip("v") or None
    if git_version and _version_tuple(git_version) < MIN_KUBERNETES:
        minimum = ".".join(map(str, MIN_KUBERNETES))
        report["warnings"].append(f"Kubernetes {git_version} is older than {minimum}, the minimum of Flux v2.9")
    if not args.pre:
        namespace = args.namespace
        crds = _items(await call.kubectl_json(["get", "crd", "-l", PART_OF, "-o", "json"], target))
        deployments = _items(
            await call.kubectl_json(["get", "deploy", "-n", namespace, "-l", PART_OF, "-o", "json"], target)
        )
        report["distribution"], report["bootstrapped"] = distribution(crds)
        if GITREPOSITORY_CRD not in {crd_report(crd)["name"] for crd in crds}:
            report["problems"].append(f'customresourcedefinitions "{GITREPOSITORY_CRD}" not found')
        for deployment in deployments:
            ready, state = deployment_state(deployment)
            containers = ((deployment.get("spec") or {}).get("template") or {}).get("spec", {}).get("containers", [])
            report["controllers"].append(
                {
                    "name": (deployment.get("metadata") or {}).get("name", ""),
                    "ready": ready,
                    "status": state,
                    "images": [container.get("image", "") for container in containers],
                }
            )
            if not ready:
                report["problems"].append(f"{report['controllers'][-1]['name']}: {state}")
        if not deployments:
            report["problems"].append(
                f"no controllers found in the '{namespace}' namespace with the label selector '{PART_OF}'"
            )
        report["crds"] = [crd_report(crd) for crd in crds]
        if not crds:
            report["problems"].append(f"no crds found with the label selector '{PART_OF}'")
    report["passed"] = not report["problems"]
    report["notes"] = [DEGRADED_NOTE]
    return report


# Flux v1 ---------------------------------------------------------------------------------------

V1_TARGET = Target("Flux v1 installation", None, None, "check")


async def flux_v1(call: Call) -> list[str]:
    """What shows Flux v1 is installed: its CRDs, or Deployments running its images (best effort)."""
    found: list[str] = []
    crds = (await call.outcome(call.cli.kubectl("get", "crd", "-o", "name"), V1_TARGET, retry=False)).result
    if crds.exit_code == 0:
        for line in crds.stdout.split():
            name = line.rsplit("/", 1)[-1]
            if name.endswith(tuple("." + group for group in FLUX_V1_GROUPS)):
                found.append(f"CRD {name}")
    argv = call.cli.kubectl("get", "deploy", "-A", "-o", DEPLOYMENT_IMAGES)
    deployments = (await call.outcome(argv, V1_TARGET, retry=False)).result
    if deployments.exit_code == 0:
        for line in deployments.stdout.splitlines():
            where, _, image_list = line.partition("\t")
            matched = [image for image in image_list.split() if V1_IMAGE.search(image)]
            if matched:
                found.append(f"Deployment {where} running {', '.join(matched)}")
    return found


# workflow --------------------------------------------------------------------------------------


async def check(call: Call, args: CheckArgs) -> dict[str, Any]:
    try:
        done = await call.outcome(check_argv(call, args), check_target(args, call), retry=False)
    except NotInstalled as missing:
        if not missing.message.startswith("flux "):
            raise
        report = await kubectl_check(call, args)
    else:
        if isinstance(done.error, Timeout):
            raise done.error
        report = parse_check(done.result, args)
        error = done.error
        if error is not None and not isinstance(error, CommandFailed) and report["kubernetes_version"] is None:
            raise error
    if not args.pre and not report["crds"]:
        found = await flux_v1(call)
        if found:
            report["flux_v1"] = found
            report["passed"] = False
            report["problems"].append(V1_PROBLEM.format(found="; ".join(found)))
    if not report["warnings"]:
        del report["warnings"]
    if call.config.cluster == "demo":
        from fluxtools.demo import DEMO_NOTE

        report["notes"] = [*report.get("notes", []), DEMO_NOTE]
    return report


CHECK = ToolSpec.read(
    name="flux_check",
    description=(
        "Check Kubernetes and the Flux installation: versions, controllers, CRDs and problems found (pre=true: "
        "prerequisites only). Works without the flux CLI."
    ),
    args_model=CheckArgs,
    operation=Operation.GET,
    step=check,
    namespace_field=None,
)

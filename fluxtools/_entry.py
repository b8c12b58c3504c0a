"""`FluxTools`: the one entry every call goes through (the adapters, MCP, the command line, Python code).

validate the arguments against the tool's published schema → one cluster's pipeline, or the fleet when
the validated arguments name contexts → whatever fails becomes the envelope (the one catch-all) → metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fluxtools import specs as table
from fluxtools._approval import ApproverRaised, AskingPerson
from fluxtools._arguments import validate
from fluxtools._config import FluxConfig
from fluxtools._envelope import Envelope, envelope_of, internal_error
from fluxtools._errors import InvalidInput
from fluxtools._metrics import Metrics
from fluxtools._pipeline import ClusterPipeline
from fluxtools._process.runners import Runner, SubprocessRunner
from fluxtools._process.sync import ProcessLimit, run_sync
from fluxtools._published import check_offered, get_spec, specs_for
from fluxtools._telemetry import traced
from fluxtools.fleet import args as fleet_args
from fluxtools.fleet.clusters import Fleet, Progress
from fluxtools.specs import ToolArgs, ToolSpec


class FluxTools:
    """Validated, policy-checked, structured calls of the tools, in the configured cluster or across a fleet.

    The process limit, the reconcile guard and the result cache belong to this object, whichever thread
    or event loop calls it.
    """

    def __init__(self, config: FluxConfig | None = None, *, runner: Runner | None = None, **config_kwargs: Any):
        if config is None:
            config = FluxConfig.load(**config_kwargs)
        elif config_kwargs:
            config = FluxConfig.build({**{k: getattr(config, k) for k in config.model_fields_set}, **config_kwargs})
        self.config = config
        self.metrics = Metrics()
        runner = runner if runner is not None else default_runner(config)
        self._cluster = ClusterPipeline(config, runner, ProcessLimit(config.max_concurrency))
        self._fleet: Fleet | None = None

    @property
    def runner(self) -> Runner:
        """What runs this object's commands (a replaced runner is used by the calls that follow)."""
        return self._cluster.runner

    @runner.setter
    def runner(self, runner: Runner) -> None:
        self._cluster.runner = runner
        self._fleet = None

    def specs(self) -> list[ToolSpec]:
        """The tools this configuration offers, as the faces publish them."""
        return specs_for(read_only=self.config.read_only, toolsets=self.config.toolsets)

    def validate(self, spec: ToolSpec, args: Mapping[str, Any] | None) -> ToolArgs:
        """`args` validated against the published `spec`; InvalidInput otherwise."""
        try:
            return validate(spec, args)
        except InvalidInput as error:
            raise fleet_args.refused(spec, error) from None

    @traced
    async def acall(
        self,
        name: str,
        args: Mapping[str, Any] | None = None,
        *,
        approver_raises: bool = True,
        progress: Progress | None = None,
    ) -> Envelope:
        """Run one tool; always returns the envelope, whatever fails inside (traced and counted).

        The approver's own exception is raised to the caller (a LangGraph interrupt), or with
        `approver_raises=False` (a front end with nothing above it) is an InternalError envelope.
        `progress` is told of each cluster of a fleet call as it answers.
        """
        try:
            envelope = await envelope_of(name, self._answer(name, args, progress))
        except ApproverRaised as raised:
            if approver_raises or isinstance(raised.original, AskingPerson):  # the person answers a later request
                raise raised.original from None
            envelope = internal_error(name, raised.original)
        return envelope

    async def _answer(self, name: str, args: Mapping[str, Any] | None, progress: Progress | None) -> Envelope:
        spec = get_spec(name)
        check_offered(name, self.config)
        parsed = self.validate(spec, args)
        tool = table.REGISTRY[name]  # the tool as one cluster's pipeline runs it
        if fleet_args.requested(parsed):
            return await self.fleet().answer(tool, parsed, progress)
        return await self._cluster.answer(tool, fleet_args.one_cluster(tool, parsed))

    def fleet(self) -> Fleet:
        """The clusters this object's fleet calls reach (kept across calls, with their caches and guards)."""
        if self._fleet is None:
            self._fleet = Fleet(self.config, self.runner)
        return self._fleet

    def call(self, name: str, args: Mapping[str, Any] | None = None, **options: Any) -> Envelope:
        """Sync wrapper of `acall`."""
        return run_sync(self.acall(name, args, **options))

    def metrics_snapshot(self) -> dict[str, Any]:
        """Reconcile counts and rates, suspended count, log error rate, calls and errors."""
        return self.metrics.snapshot()


def default_runner(config: FluxConfig) -> Runner:
    if config.cluster == "demo":
        from fluxtools.demo import demo_runner

        return demo_runner()
    return SubprocessRunner(output_cap=config.output_cap_bytes)

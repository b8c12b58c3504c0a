"""`FluxTools`: the one executor every adapter calls.

validate arguments → policy → run the spec (argv lists only, through a Runner)
→ envelope. Async at the core, with sync wrappers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import weakref
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from .config import FluxConfig
from .context import ToolContext
from .errors import FluxError, InvalidInput, PolicyDenied
from .runners import Runner, SubprocessRunner
from .specs import ToolArgs, ToolSpec, get_spec, specs_for

T = TypeVar("T")


def invalid_input(spec: ToolSpec, exc: ValidationError) -> InvalidInput:
    """One clear InvalidInput naming the field, what was wrong and what is allowed."""
    problems = []
    fields = []
    allowed = ", ".join(spec.args_model.model_fields)
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "arguments"
        fields.append(field)
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown parameter '{field}' (allowed: {allowed})")
        elif err["type"] == "missing":
            problems.append(f"'{field}' is required")
        else:
            message = err["msg"].removeprefix("Value error, ")
            problems.append(f"'{field}' {message}" if message[:1].islower() else f"'{field}': {message}")
    return InvalidInput(
        f"Invalid arguments for {spec.name}: " + "; ".join(problems),
        hint=f"Parameters of {spec.name}: {allowed}",
        field=fields[0] if fields else None,
    )


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FluxTools:
    """Validated, policy-checked, structured calls of the tools in the spec table."""

    def __init__(self, config: FluxConfig | None = None, *, runner: Runner | None = None, **config_kwargs: Any):
        self.config = config if config is not None else FluxConfig.load(**config_kwargs)
        self.runner = runner if runner is not None else default_runner(self.config)
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def specs(self) -> list[ToolSpec]:
        """The tools this configuration offers."""
        return specs_for(read_only=self.config.read_only)

    def _limiter(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = asyncio.Semaphore(self.config.max_concurrency)
        return limiter

    def validate(self, spec: ToolSpec, args: Mapping[str, Any] | None) -> ToolArgs:
        if args is not None and not isinstance(args, Mapping):
            raise InvalidInput(f"Arguments for {spec.name} must be a JSON object", field="arguments")
        try:
            return spec.args_model.model_validate(dict(args or {}))
        except ValidationError as exc:
            raise invalid_input(spec, exc) from None

    def check_policy(self, spec: ToolSpec, args: ToolArgs) -> None:
        if spec.mutating and self.config.read_only:
            raise PolicyDenied(
                f"{spec.name} changes the cluster and fluxtools is in read-only mode",
                hint="Use the read tools, or turn read_only off in the configuration.",
            )

    async def acall(self, name: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run one tool; always returns the envelope, never raises a FluxError."""
        try:
            spec = get_spec(name)
            parsed = self.validate(spec, args)
            self.check_policy(spec, parsed)
            timeout = getattr(parsed, "timeout_secs", None) or self.config.timeout_for(spec.default_timeout)
            ctx = ToolContext(self.config, self.runner, self._limiter(), timeout=timeout, idempotent=spec.idempotent)
            data = await spec.execute(ctx, parsed)
        except FluxError as error:
            return error.to_envelope()
        envelope: dict[str, Any] = {"success": True, "data": data}
        if ctx.attempts > 1:
            envelope["attempts"] = ctx.attempts
        return envelope

    def call(self, name: str, args: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Sync wrapper of `acall`."""
        return run_sync(self.acall(name, args))


def default_runner(config: FluxConfig) -> Runner:
    if config.cluster == "demo":
        from .demo import demo_runner

        return demo_runner()
    return SubprocessRunner(output_cap=config.output_cap_bytes)

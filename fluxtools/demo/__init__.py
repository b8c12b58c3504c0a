"""The embedded demo cluster: a broad recording of the lab scenario, replayed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..cassettes import Cassette, CassetteMiss, CassetteRunner, without_connection_flags
from ..errors import NotRecorded
from ..runners import CommandResult

DEMO_CASSETTE = "cluster.cli.yaml"


def demo_path() -> Path:
    return Path(str(resources.files(__package__).joinpath(DEMO_CASSETTE)))


class DemoRunner(CassetteRunner):
    """Replays the demo recording; any configuration's connection flags match it."""

    async def run(self, argv, *, timeout, env=None, stdin=None, on_stdout=None) -> CommandResult:  # type: ignore[override]
        try:
            return await super().run(argv, timeout=timeout, env=env, stdin=stdin, on_stdout=on_stdout)
        except CassetteMiss:
            wanted = " ".join(without_connection_flags(self.redactor.argv(argv)))
            raise NotRecorded(
                f"The demo cluster has no recording for `{wanted}`",
                hint=self.recorded_hint(),
            ) from None

    def recorded_hint(self, shown: int = 12) -> str:
        available = self.available()
        more = f"; and {len(available) - shown} more" if len(available) > shown else ""
        return "Recorded on the demo cluster: " + "; ".join(available[:shown]) + more

    def available(self) -> list[str]:
        seen: dict[str, None] = {}
        for interaction in self.recorded:
            seen.setdefault(" ".join(without_connection_flags(interaction.argv)), None)
        return list(seen)


def demo_runner() -> DemoRunner:
    return DemoRunner(Cassette.load(demo_path()), mode="none", allow_repeats=True, key=without_connection_flags)

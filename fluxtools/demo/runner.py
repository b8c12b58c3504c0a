"""`DemoRunner`: answers commands from the demo recording, as the lab cluster answered them.

In order, a command is answered by:
1. a mutation's own recording (`flux suspend|resume|reconcile` and the tool's
   reads while it runs), chosen by whether the object is suspended now (the
   runs recorded from that state take turns);
2. a read recorded in the state a mutation left the object in;
3. the same read of the scenario as it started (the baseline);
4. a baseline read it only narrows (tail, since, namespace, field selector);
5. the same read recorded at any other point;
6. the recorded NotFound of a missing name, for a name the scenario lacks;
otherwise `NotRecorded`, naming the nearest recorded command. Every
`kubectl get` answer shows the objects as the mutations left them. The state
belongs to one runner (one `FluxTools`, and the clusters of its fleet calls);
the recording is shared, read only.

A command in another recorded context (the fleet around the default one) is
answered only by the same command recorded in that context, showing the
mutations when the context reaches the same cluster; a context the demo did
not record is `NotRecorded`, naming those it did.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
from collections.abc import Mapping, Sequence

from fluxtools._errors import NotRecorded
from fluxtools._process.runners import CommandResult, StdoutSink, VirtualClock, delivered
from fluxtools.demo.missing import not_found
from fluxtools.demo.narrow import derive
from fluxtools.demo.recording import Answer, Key, Mutation, Recording, in_context, shown
from fluxtools.demo.state import DemoState
from fluxtools.diagnosis.text import readable


class DemoRunner(VirtualClock):
    """The Runner of `cluster="demo"`: replays, never runs a process; waits cost virtual time only."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.state = DemoState(recording)
        self.turns: dict[Key, int] = {}

    async def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        on_stdout: StdoutSink | None = None,
    ) -> CommandResult:
        key = self.recording.key(argv)
        answer = self.answer(key)
        item = self.recording.interactions[answer.source]
        self.clock += item.elapsed
        result = CommandResult(
            argv=list(argv),
            exit_code=answer.exit_code,
            stdout=readable(answer.stdout),  # the recording's placeholders as every report writes them
            stderr=readable(answer.stderr),
            duration=item.duration,
            timed_out=item.timed_out,
            stdin=stdin,
        )
        return delivered(result, on_stdout)

    def beside(self) -> DemoRunner:
        """The same demo cluster (recording, state, turns) on a clock of its own from now on: a cluster of a
        fleet call, whose commands ran beside the other clusters' rather than after them."""
        return copy.copy(self)

    # matching --------------------------------------------------------------------------------
    def answer(self, key: Key) -> Answer:
        context, command = in_context(key)
        if context is not None:
            return self._in_context(context, command, key)
        recording, state = self.recording, self.state
        mutations = recording.by_command.get(key)
        if mutations:
            return self._mutate(key, mutations)
        position = state.during_mutation(key)
        if position is not None:  # the mutation's own recording, as it ran
            return recording.answer(position)
        position = state.state_read(key)
        if position is None:
            position = recording.first(key, recording.baseline)
        if position is not None:
            return self._recorded(key, position)
        derived = derive(recording, key)
        if derived is not None:
            return dataclasses.replace(derived, stdout=state.apply(key, derived.stdout))
        position = recording.first(key)
        if position is not None:
            return self._recorded(key, position)
        missing = not_found(recording, key)
        if missing is not None:
            return missing
        raise NotRecorded(f"The demo cluster has no recording for `{shown(key)}`", hint=self.nearest_hint(key))

    def _in_context(self, context: str, command: Key, key: Key) -> Answer:
        contexts = self.recording.contexts
        if context not in contexts.clusters:
            raise contexts.unrecorded([context])
        position = self.recording.first(key)
        if position is None:
            raise NotRecorded(
                f"The demo cluster has no recording for `{shown(key)}`",
                hint=f"Context {context} was recorded for fleet reads; the demo's other calls run in "
                f"'{contexts.default}'. " + self.nearest_hint(key),
            )
        item = self.recording.interactions[position]
        stdout = item.stdout
        if item.exit_code == 0 and contexts.same_cluster(context):
            stdout = self.state.apply(command, stdout)
        return Answer(position, item.exit_code, stdout, item.stderr)

    def _recorded(self, key: Key, position: int) -> Answer:
        item = self.recording.interactions[position]
        stdout = self.state.apply(key, item.stdout) if item.exit_code == 0 else item.stdout
        return Answer(position, item.exit_code, stdout, item.stderr)

    def _mutate(self, key: Key, mutations: list[Mutation]) -> Answer:
        suspended = self.state.suspended(mutations[0].object)
        candidates = [mutation for mutation in mutations if mutation.suspended_before == suspended]
        if not candidates:
            state = "suspended" if suspended else "not suspended"
            raise NotRecorded(
                f"The demo cluster has no recording of `{shown(key)}` while {mutations[0].object} is {state}",
                hint=f"Recorded: {mutations[0].call} (when it was {'not ' if suspended else ''}suspended).",
            )
        # Recorded runs take turns: each carries its own request time, so a repeated reconcile is handled anew.
        chosen = candidates[self.turns.get(key, 0) % len(candidates)]
        self.turns[key] = self.turns.get(key, 0) + 1
        self.state.start(chosen)
        position = self.recording.first(key, chosen.span)
        assert position is not None
        return self._recorded(key, position)

    def nearest_hint(self, key: Key) -> str:
        return f"Nearest recorded command: `{shown(self.nearest(key))}`. The demo replays recordings of the lab."

    def nearest(self, key: Key) -> Key:
        """The recorded command sharing the longest argv prefix, then the most similar text."""
        wanted = shown(key)

        def score(candidate: Key) -> tuple[int, float]:
            prefix = 0
            for mine, theirs in zip(key, candidate, strict=False):
                if mine != theirs:
                    break
                prefix += 1
            return prefix, difflib.SequenceMatcher(None, shown(candidate), wanted).quick_ratio()

        return max(self.recording.distinct(), key=score)

"""What latency alone sets for a fleet call: commands through a limited number of slots, simulated."""

from __future__ import annotations

import heapq
import random
import statistics


def latency_alone(commands: int, slots: int, latency: float, jitter: float = 0.3, trials: int = 2000) -> float:
    """The median time `commands` take through `slots` at once, in the order asked, each answered after
    `latency` ± `jitter` and no CPU spent at all: the floor under a fleet call's wall time."""
    ends = []
    for _ in range(trials):
        free = [0.0] * min(slots, commands)
        end = 0.0
        for _ in range(commands):
            done = heapq.heappop(free) + latency * random.uniform(1 - jitter, 1 + jitter)
            heapq.heappush(free, done)
            end = max(end, done)
        ends.append(end)
    return statistics.median(ends)

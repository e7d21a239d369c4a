"""A discrete-event simulation of nested routing, to check the pooled approximation.

Contacts of tier j arrive as Poisson streams and need exponential handling (mean aht[j]);
an agent of tier k may take contacts of tiers <= k. An arriving contact goes to the lowest
free agent who may take it (keeping higher tiers free for harder work); a freed agent takes
the waiting contact of the highest tier they may serve, first come first served within it.
"""

from __future__ import annotations

import heapq
import random
from collections import deque


def simulate(
    rates_per_s: list[float],
    aht_seconds: list[float],
    agents: list[int],
    target_seconds: float,
    hours: float,
    seed: int = 0,
    warmup_hours: float = 2.0,
) -> list[float]:
    """Per contact tier: the share answered within `target_seconds`, over `hours` after a
    warm-up."""
    rng = random.Random(seed)
    tiers = len(rates_per_s)
    free = list(agents)  # free agents per tier
    waiting: list[deque[float]] = [deque() for _ in range(tiers)]  # arrival times
    events: list[tuple[float, int, int, int]] = []  # (time, kind, tier, seq): 0 arrival, 1 done
    seq = 0
    for j, rate in enumerate(rates_per_s):
        if rate > 0:
            heapq.heappush(events, (rng.expovariate(rate), 0, j, seq))
            seq += 1
    start, end = warmup_hours * 3600, (warmup_hours + hours) * 3600
    within = [0] * tiers
    arrived = [0] * tiers

    def answer(j: int, arrival: float, now: float, agent_tier: int) -> None:
        nonlocal seq
        if arrival >= start:
            within[j] += now - arrival <= target_seconds
        heapq.heappush(events, (now + rng.expovariate(1 / aht_seconds[j]), 1, agent_tier, seq))
        seq += 1

    while events:
        now, kind, tier, _ = heapq.heappop(events)
        if now > end:
            break
        if kind == 0:  # an arrival of a contact of `tier`
            if now >= start:
                arrived[tier] += 1
            heapq.heappush(events, (now + rng.expovariate(rates_per_s[tier]), 0, tier, seq))
            seq += 1
            agent = next((k for k in range(tier, tiers) if free[k]), None)
            if agent is None:
                waiting[tier].append(now)
            else:
                free[agent] -= 1
                answer(tier, now, now, agent)
        else:  # an agent of `tier` is free: the highest waiting contact it may take
            j = next((j for j in range(tier, -1, -1) if waiting[j]), None)
            if j is None:
                free[tier] += 1
            else:
                answer(j, waiting[j].popleft(), now, tier)
    return [w / a if a else 1.0 for w, a in zip(within, arrived, strict=True)]

"""The pooled approximation of nested tiers against a discrete-event simulation of nested
routing (tests/nested_queue.py), with the team staffed by pooled requirements.

Measured here (400 simulated hours, two seeds, 30 s target, AHT 300/480/720 s): the lowest
level's SL>=t within 0.03 of the simulation, the interval's service level within 0.06 (the
approximation is optimistic: it lets the pool of tier t and higher serve only the contacts
of tiers t and higher, while greedy routing also spends higher tiers on lower contacts).
"""

from __future__ import annotations

import pytest

from rostering.demand import pooled
from rostering.domain import ForecastRow
from rostering.staffing import ServiceTargets, level_service, staff_interval
from tests.nested_queue import simulate

TARGETS = ServiceTargets(answer_within_seconds=30, service_level=0.8)
AHT = [300, 480, 720]


def staffed(contacts: list[int]) -> tuple[list[int], list[float]]:
    """Agents per tier from pooled requirements, and the approximation's SL>=t."""
    pools = [
        pooled([ForecastRow(interval=0, tier=str(j), contacts=contacts[j], aht_seconds=AHT[j])
                for j in range(k, len(AHT))])
        for k in range(len(AHT))
    ]  # fmt: skip
    needs = [staff_interval(n, 3600, aht, TARGETS).agents for n, aht in pools]
    agents, above = [0] * len(AHT), 0
    for k in reversed(range(len(AHT))):
        agents[k], above = max(0, needs[k] - above), max(above, needs[k])
    approx = [
        level_service(n, aht, sum(agents[k:]), 3600, TARGETS).service_level
        for k, (n, aht) in enumerate(pools)
    ]
    return agents, approx


@pytest.mark.parametrize("contacts", [[6, 2, 1], [20, 8, 2], [60, 25, 6], [150, 60, 15]])
def test_pooled_service_levels_agree_with_a_simulation_of_nested_routing(
    contacts: list[int],
) -> None:
    agents, approx = staffed(contacts)
    runs = [simulate([c / 3600 for c in contacts], AHT, agents, 30, 400, seed) for seed in (1, 2)]
    simulated = [sum(run[j] for run in runs) / len(runs) for j in range(len(AHT))]
    assert approx[0] == pytest.approx(simulated[0], abs=0.03)
    total = sum(contacts)
    interval_sim = sum(c * sl for c, sl in zip(contacts, simulated, strict=True)) / total
    interval_approx = sum(c * sl for c, sl in zip(contacts, approx, strict=True)) / total
    assert interval_approx == pytest.approx(interval_sim, abs=0.06)
    assert interval_approx >= interval_sim - 0.01  # optimistic, never the other way

"""How fast the staffing math is, from a quiet hour to a very large contact center.

    python -m benchmarks.staffing_bench

Prints, per volume, the agents found and the best-of-5 wall time of `staff_interval` for
Erlang C and for Erlang A (600 s patience); 80 % within 20 s, AHT 300 s, one hour.
"""

from __future__ import annotations

import os
import platform
import time

from rostering.staffing import ServiceTargets, staff_interval

VOLUMES = (0, 10, 100, 1_000, 10_000, 50_000)


def best_of(runs: int, volume: float, targets: ServiceTargets) -> tuple[int, float]:
    best = float("inf")
    agents = 0
    for _ in range(runs):
        start = time.perf_counter()
        agents = staff_interval(volume, 3600, 300, targets).agents
        best = min(best, time.perf_counter() - start)
    return agents, best


def main() -> None:
    print(f"# {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}")
    print("| contacts/hour | Erlangs | Erlang C agents | time | Erlang A agents | time |")
    print("|---:|---:|---:|---:|---:|---:|")
    c = ServiceTargets(answer_within_seconds=20, service_level=0.8)
    a = ServiceTargets(answer_within_seconds=20, service_level=0.8, patience_seconds=600)
    for volume in VOLUMES:
        nc, tc = best_of(5, volume, c)
        na, ta = best_of(5, volume, a)
        print(f"| {volume:,} | {volume * 300 / 3600:,.0f} | {nc:,} | {tc * 1000:.2f} ms | "
              f"{na:,} | {ta * 1000:.2f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()

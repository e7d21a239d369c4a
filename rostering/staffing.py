"""Staffing math for contact centers: Erlang B, Erlang C and Erlang A (M/M/n+M).

Pure functions, no I/O, standard library only.

Conventions used throughout the module
--------------------------------------
* ``load`` (offered load, in Erlangs) is ``arrival rate * mean handling time``; for an interval
  it is ``contacts * aht_seconds / interval_seconds``.
* **Service level** is the probability that an arriving contact is *answered* within the
  target time, taken over **all** arriving contacts.  Contacts that find a free agent are
  answered at time 0.  Under Erlang A, contacts that abandon count as *not* answered within
  the target (whenever they abandon), as do contacts answered after the target.
* **ASA** (average speed of answer) is the mean time in queue of **answered** contacts,
  including those answered immediately (wait 0).  Under Erlang C every contact is eventually
  answered, so this is also the mean wait over all arrivals, ``C * AHT / (n - A)``; under
  Erlang A it is ``E[wait; answered] / P(answered)``.  Erlang A therefore tends to Erlang C
  as patience tends to infinity for every reported metric.
* **Occupancy** is served load divided by agents: ``A / n`` for Erlang C and
  ``A * (1 - abandon_rate) / n`` for Erlang A (Little's law: mean number of busy agents).

Numerics
--------
No factorials and no large powers are ever formed.  Erlang B uses the forward recursion
``B(k) = A*B(k-1) / (k + A*B(k-1))``, which is stable for every load; Erlang C is derived from
it as ``C = n*B / (n - A + A*B)`` (a sum of non-negative terms, no cancellation).  The Erlang A
birth-death chain is summed on a running log scale, and the probability that a waiting
contact is answered within the target uses an exact closed form (see :func:`erlang_a`) whose
terms are accumulated in log space, so nothing over- or underflows at thousands of Erlangs.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "TARGET_TOLERANCE",
    "ErlangAResult",
    "IntervalStaffing",
    "ServiceTargets",
    "asa_c",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "required_headcount",
    "service_level_c",
    "staff_interval",
]

#: Slack used when checking targets, always in the direction that *accepts* a staffing
#: level: service level ``>= target - TOL``, occupancy ``<= cap + TOL`` and abandonment
#: ``<= cap + TOL``.  An agent count whose exact metric sits on the boundary (e.g. an
#: occupancy of exactly 0.8 computed as 0.8000000000000002) is never rejected because of
#: rounding, so no spurious extra agent is added; 1e-12 is far below any meaningful
#: difference between consecutive agent counts.
TARGET_TOLERANCE = 1e-12

# Relative size below which the remaining Erlang A queue tail is dropped.
_TAIL_EPS = 1e-18
# Hard cap on the number of queue states visited by one Erlang A evaluation (a guard against
# practically infinite patience combined with an overloaded queue, where the queue mode is
# astronomically large).
_MAX_QUEUE_STATES = 5_000_000


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _finite_nonneg(name: str, value: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _finite_positive(name: str, value: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _agents(value: int) -> int:
    if isinstance(value, bool):
        raise TypeError(f"agents must be an integer, got {value!r}")
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError(f"agents must be an integer, got {value!r}") from None
    if n < 0:
        raise ValueError(f"agents must be >= 0, got {n}")
    return n


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTargets:
    """Targets an interval's staffing must meet.

    Attributes:
        answer_within_seconds: service-level target time T (>= 0).
        service_level: required P(answered within T) over all arriving contacts, in [0, 1].
        max_occupancy: optional cap on served load / agents, in (0, 1].
        shrinkage: share of paid time not available for contacts, 0 <= s < 1.
        patience_seconds: mean (exponential) patience; when set, Erlang A replaces Erlang C.
        max_abandon_rate: optional cap on the share of contacts that abandon, in [0, 1];
            requires ``patience_seconds``.
    """

    answer_within_seconds: float
    service_level: float
    max_occupancy: float | None = None
    shrinkage: float = 0.0
    patience_seconds: float | None = None
    max_abandon_rate: float | None = None

    def __post_init__(self) -> None:
        _finite_nonneg("answer_within_seconds", self.answer_within_seconds)
        if not 0.0 <= self.service_level <= 1.0:
            raise ValueError(f"service_level must be in [0, 1], got {self.service_level!r}")
        if self.max_occupancy is not None and not 0.0 < self.max_occupancy <= 1.0:
            raise ValueError(f"max_occupancy must be in (0, 1], got {self.max_occupancy!r}")
        if not 0.0 <= self.shrinkage < 1.0:
            raise ValueError(f"shrinkage must be in [0, 1), got {self.shrinkage!r}")
        if self.patience_seconds is not None:
            _finite_positive("patience_seconds", self.patience_seconds)
        if self.max_abandon_rate is not None:
            if self.patience_seconds is None:
                raise ValueError("max_abandon_rate requires patience_seconds (Erlang A)")
            if not 0.0 <= self.max_abandon_rate <= 1.0:
                raise ValueError(
                    f"max_abandon_rate must be in [0, 1], got {self.max_abandon_rate!r}"
                )


@dataclass(frozen=True)
class IntervalStaffing:
    """Staffing requirement for one interval.

    Attributes:
        agents: smallest number of agents on the phones meeting every target.
        required: smallest paid headcount M with ``M * (1 - shrinkage) >= agents`` (exact).
        service_level: predicted P(answered within T) over all arrivals, for ``agents``.
        asa_seconds: mean time in queue of answered contacts (see module docstring).
        occupancy: served load / agents (0 when no agents are needed).
        abandon_rate: share of arriving contacts that abandon (0 under Erlang C).
    """

    agents: int
    required: int
    service_level: float
    asa_seconds: float
    occupancy: float
    abandon_rate: float


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state metrics of an M/M/n+M (Erlang A) queue, see :func:`erlang_a`."""

    service_level: float
    asa_seconds: float
    abandon_rate: float
    occupancy: float


# --------------------------------------------------------------------------------------------
# Erlang B / C
# --------------------------------------------------------------------------------------------


class _ErlangBTable:
    """Erlang B values B(0..k, load), extended incrementally on demand."""

    __slots__ = ("load", "values")

    def __init__(self, load: float) -> None:
        self.load = load
        self.values = [1.0]

    def __getitem__(self, n: int) -> float:
        values = self.values
        if n >= len(values):
            a = self.load
            b = values[-1]
            for k in range(len(values), n + 1):
                ab = a * b
                b = ab / (k + ab)
                values.append(b)
        return values[n]


def _erlang_b(n: int, load: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        ab = load * b
        b = ab / (k + ab)
    return b


def _c_from_b(n: int, load: float, b: float) -> float:
    # C = B / (1 - rho (1 - B)) rewritten without cancellation; requires n > load.
    return n * b / ((n - load) + load * b)


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/n/n loss system (Erlang B formula).

    Computed with the stable forward recursion, O(agents) time, no overflow for any load.
    ``erlang_b(0, load) == 1``; with ``load == 0`` and ``agents >= 1`` the result is 0.
    """
    n = _agents(agents)
    a = _finite_nonneg("load", load)
    return _erlang_b(n, a)


def erlang_c(agents: int, load: float) -> float:
    """Probability that an arriving contact has to wait in an M/M/n queue (Erlang C).

    Returns 1.0 when ``load >= agents`` (the queue is unstable and everybody waits).
    """
    n = _agents(agents)
    a = _finite_nonneg("load", load)
    if a >= n:
        return 1.0
    return _c_from_b(n, a, _erlang_b(n, a))


def _sl_c(n: int, load: float, c: float, aht: float, target: float) -> float:
    return 1.0 - c * math.exp(-(n - load) * target / aht)


def service_level_c(agents: int, load: float, aht_seconds: float, target_seconds: float) -> float:
    """Erlang C service level ``1 - C(n, A) * exp(-(n - A) * T / AHT)``.

    Returns 1.0 for zero load and 0.0 when ``load >= agents`` (unstable queue).
    """
    n = _agents(agents)
    a = _finite_nonneg("load", load)
    aht = _finite_positive("aht_seconds", aht_seconds)
    target = _finite_nonneg("target_seconds", target_seconds)
    if a == 0.0:
        return 1.0
    if a >= n:
        return 0.0
    return _sl_c(n, a, _c_from_b(n, a, _erlang_b(n, a)), aht, target)


def asa_c(agents: int, load: float, aht_seconds: float) -> float:
    """Erlang C average speed of answer ``C(n, A) * AHT / (n - A)`` in seconds.

    Mean wait over all arrivals (all are answered under Erlang C).  Returns 0.0 for zero load
    and ``math.inf`` when ``load >= agents``.
    """
    n = _agents(agents)
    a = _finite_nonneg("load", load)
    aht = _finite_positive("aht_seconds", aht_seconds)
    if a == 0.0:
        return 0.0
    if a >= n:
        return math.inf
    return _c_from_b(n, a, _erlang_b(n, a)) * aht / (n - a)


# --------------------------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------------------------


def _erlang_a_core(
    n: int, lam: float, aht: float, patience: float, target: float, b: float
) -> ErlangAResult:
    """Erlang A metrics given ``b = B(n, lam * aht)``; inputs already validated."""
    if lam == 0.0:
        return ErlangAResult(1.0, 0.0, 0.0, 0.0)
    if n == 0:
        # Nobody is ever answered: everybody abandons.
        return ErlangAResult(0.0, math.inf, 1.0, 0.0)
    load = lam * aht
    lower = 1.0 / b - 1.0 if b > 0.0 else math.inf  # sum_{k<n} pi_k / pi_n
    if math.isinf(lower):
        # P(all agents busy) <= B underflows: nobody waits (to double precision).
        return ErlangAResult(1.0, 0.0, 0.0, load / n)

    mu = 1.0 / aht
    theta = 1.0 / patience
    nmu = n * mu
    # Tail weights r_j = pi_{n+j} / pi_n = prod_{i=1..j} lam / (n mu + i theta), kept as
    # w_j = r_j * exp(-scale) with a running log scale (rescaled when they grow large).
    lr = 0.0  # log r_j
    scale = 0.0
    s0 = s1 = s_ans = s_sl = s_asa = 0.0
    # Service-within-T factor: with j contacts ahead, P(answered within T) equals
    # ans_j * (1 - F_j), where ans_j = n mu / (n mu + (j+1) theta) and F_j is the CDF at j of
    # a negative binomial with shape m = n mu / theta + 1 and "failure" probability
    # x = 1 - exp(-theta T) (see erlang_a docstring).  log nb_j is accumulated recursively.
    # a target so small that 1 - exp(-theta T) underflows to 0 is a target of 0
    with_target = target > 0.0 and -math.expm1(-theta * target) > 0.0
    if with_target:
        log_x = math.log(-math.expm1(-theta * target))
        m_minus_1 = nmu / theta
        log_nb = -(nmu + theta) * target  # log nb_0 = m * log(1 - x)
        cdf = math.exp(log_nb)
    else:
        log_x = m_minus_1 = log_nb = cdf = 0.0
    h = 0.0  # H_j = sum_{i=0..j} 1 / (n mu + (i+1) theta) = E[time to answer | tilted]
    j = 0
    while True:
        if lr > scale + 600.0:
            f = math.exp(scale - lr)
            s0 *= f
            s1 *= f
            s_ans *= f
            s_sl *= f
            s_asa *= f
            scale = lr
        w = math.exp(lr - scale)
        rate_next = nmu + (j + 1) * theta
        ans = nmu / rate_next
        h += 1.0 / rate_next
        s0 += w
        s1 += j * w
        wa = w * ans
        s_ans += wa
        s_asa += wa * h
        if with_target:
            if j > 0 and cdf < 1.0:
                log_nb += log_x + math.log((j + m_minus_1) / j)
                cdf += math.exp(log_nb)
            if cdf < 1.0:
                s_sl += wa * (1.0 - cdf)
        q = lam / rate_next  # r_{j+1} / r_j, decreasing in j
        if q < 1.0:
            # Remaining tail: w_i <= w q^(i-j), so sum_{i>j} i w_i <= w q/(1-q) (j + 1/(1-q)).
            one_minus_q = 1.0 - q
            bound = w * q / one_minus_q * (j + 1.0 + 1.0 / one_minus_q)
            if bound <= _TAIL_EPS * s0:
                break
        j += 1
        if j > _MAX_QUEUE_STATES:
            raise ValueError(
                "Erlang A queue too long to evaluate (patience practically infinite for an "
                "overloaded queue); use Erlang C (patience_seconds=None) instead"
            )
        lr += math.log(q)

    low = lower * math.exp(-scale)  # no-wait mass on the same scale as the tail sums
    total = low + s0
    # abandon = theta E[Q] / lambda and P(answered) are complementary; each is taken from the
    # form that is accurate where it matters (a small abandonment rate keeps its relative
    # precision, and occupancy under heavy overload does not suffer from 1 - abandon).
    abandon = min(max(theta * (s1 / total) / lam, 0.0), 1.0)
    answered = low + s_ans  # proportional to P(answered)
    service_level = min(max((low + s_sl) / total, 0.0), 1.0)
    asa = s_asa / answered
    occupancy = min(load * (answered / total) / n, 1.0)
    return ErlangAResult(service_level, asa, abandon, occupancy)


def erlang_a(
    agents: int,
    arrival_rate_per_s: float,
    aht_seconds: float,
    patience_seconds: float,
    target_seconds: float,
) -> ErlangAResult:
    """Exact steady state of the Erlang A (M/M/n+M) queue.

    Poisson arrivals (rate lambda), exponential handling (mean ``aht_seconds``, rate mu) and
    exponential patience (mean ``patience_seconds``, rate theta); FCFS.  The birth-death chain
    on k = contacts in system (death rate ``min(k, n) mu + max(0, k - n) theta``) is always
    stable; it is summed exactly, the tail being truncated once its (geometrically bounded)
    remainder is below 1e-18 of the mass.  By PASTA arrivals see the stationary distribution.

    Metrics (see the module docstring for the definitions):

    * ``abandon_rate = theta * E[queue length] / lambda``;
    * ``service_level``: an arrival finding j contacts ahead in queue reaches an agent after
      ``tau_j = sum_{i=0..j} Exp(n mu + i theta)`` (each stage ends with a service completion
      or an abandonment ahead) and abandons at rate theta, so it is answered within T with
      probability ``E[exp(-theta tau_j); tau_j <= T]``.  Exponential tilting gives
      ``n mu / (n mu + (j+1) theta) * P(tau'_j <= T)`` where ``tau'_j`` has stage rates
      ``theta (m + i)``, ``m = n mu / theta + 1``; ``exp(-theta tau'_j) ~ Beta(m, j + 1)``,
      hence ``P(tau'_j <= T) = P(NB > j)`` for a negative binomial with shape m and
      ``P(failure) = 1 - exp(-theta T)``.  Its terms are accumulated in log space.
    * ``asa_seconds``: mean wait of *answered* contacts, ``E[tau; answered] / P(answered)``
      with ``E[tau_j exp(-theta tau_j)] = n mu / (n mu + (j+1) theta) * sum_i 1/(n mu +
      (i+1) theta)``.  With zero agents nobody is answered and ``math.inf`` is returned.
    * ``occupancy = A * P(answered) / n`` (0 for zero agents), i.e. ``A * (1 - abandon_rate)
      / n``; P(answered) is summed directly, which stays accurate under heavy overload.
    """
    n = _agents(agents)
    lam = _finite_nonneg("arrival_rate_per_s", arrival_rate_per_s)
    aht = _finite_positive("aht_seconds", aht_seconds)
    patience = _finite_positive("patience_seconds", patience_seconds)
    target = _finite_nonneg("target_seconds", target_seconds)
    b = _erlang_b(n, lam * aht) if lam > 0.0 else 0.0
    return _erlang_a_core(n, lam, aht, patience, target, b)


# --------------------------------------------------------------------------------------------
# Interval staffing
# --------------------------------------------------------------------------------------------


def required_headcount(agents: int, shrinkage: float) -> int:
    """Smallest integer M with ``M * (1 - shrinkage) >= agents``, in exact arithmetic.

    The shrinkage is read as the decimal it prints as (``Fraction(repr(shrinkage))``), so
    ``required_headcount(21, 0.3) == 30`` (21 / 0.7 in floating point is 30.000000000000004).
    """
    n = _agents(agents)
    s = float(shrinkage)
    if not 0.0 <= s < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    q = Fraction(n) / (1 - Fraction(repr(s)))
    return -(-q.numerator // q.denominator)


def _smallest_feasible(feasible: Callable[[int], bool], lo: int, guess: int) -> int:
    """Smallest n > lo with ``feasible(n)``, for a predicate monotone in n.

    ``lo`` must be known infeasible and ``guess > lo``.  Gallops away from the guess with
    doubling steps, then bisects: O(log distance) evaluations.
    """
    if feasible(guess):
        hi = guess
        step = 1
        while hi - step > lo:
            cand = hi - step
            if not feasible(cand):
                lo = cand
                break
            hi = cand
            step *= 2
    else:
        lo = guess
        step = 1
        while True:
            cand = lo + step
            if feasible(cand):
                hi = cand
                break
            lo = cand
            step *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    return hi


def staff_interval(
    contacts: float, interval_seconds: float, aht_seconds: float, targets: ServiceTargets
) -> IntervalStaffing:
    """Smallest number of agents meeting every target for one interval.

    ``agents`` is the smallest n with service level ``>= targets.service_level``, occupancy
    ``<= targets.max_occupancy`` (if set) and abandonment ``<= targets.max_abandon_rate`` (if
    set), each compared with :data:`TARGET_TOLERANCE` slack in the accepting direction.
    Erlang C is used unless ``targets.patience_seconds`` is set, in which case Erlang A is;
    Erlang C additionally requires ``agents > load`` (a stable queue).  Any positive volume
    needs at least one agent.  Zero contacts give zero agents and a perfect service level.
    The search starts near the load (Erlang C) or at the Erlang C answer (Erlang A), gallops
    and bisects; Erlang B values are built once, incrementally.
    """
    volume = _finite_nonneg("contacts", contacts)
    interval = _finite_positive("interval_seconds", interval_seconds)
    aht = _finite_positive("aht_seconds", aht_seconds)
    if not isinstance(targets, ServiceTargets):
        raise TypeError("targets must be a ServiceTargets instance")
    if volume == 0.0:
        return IntervalStaffing(0, 0, 1.0, 0.0, 0.0, 0.0)

    lam = volume / interval
    load = volume * aht / interval
    target_t = float(targets.answer_within_seconds)
    sl_min = targets.service_level - TARGET_TOLERANCE
    occ_max = math.inf if targets.max_occupancy is None else targets.max_occupancy
    occ_max += TARGET_TOLERANCE
    table = _ErlangBTable(load)
    stable_lo = math.floor(load)  # every n <= load is unstable under Erlang C

    def feasible_c(n: int) -> bool:
        if n <= load:
            return False
        c = _c_from_b(n, load, table[n])
        return _sl_c(n, load, c, aht, target_t) >= sl_min and load / n <= occ_max

    n_c = _smallest_feasible(feasible_c, stable_lo, stable_lo + 1)

    if targets.patience_seconds is None:
        c = _c_from_b(n_c, load, table[n_c])
        return IntervalStaffing(
            agents=n_c,
            required=required_headcount(n_c, targets.shrinkage),
            service_level=_sl_c(n_c, load, c, aht, target_t),
            asa_seconds=c * aht / (n_c - load),
            occupancy=load / n_c,
            abandon_rate=0.0,
        )

    patience = float(targets.patience_seconds)
    # erlang_a() works from lambda * aht; use the same float so results match it bit for bit.
    load_a = lam * aht
    table_a = table if load_a == load else _ErlangBTable(load_a)
    ab_max = math.inf if targets.max_abandon_rate is None else targets.max_abandon_rate
    ab_max += TARGET_TOLERANCE
    cache: dict[int, ErlangAResult] = {}

    def evaluate_a(n: int) -> ErlangAResult:
        res = cache.get(n)
        if res is None:
            res = cache[n] = _erlang_a_core(n, lam, aht, patience, target_t, table_a[n])
        return res

    def feasible_a(n: int) -> bool:
        if n == 0:
            return False
        res = evaluate_a(n)
        return (
            res.service_level >= sl_min and res.occupancy <= occ_max and res.abandon_rate <= ab_max
        )

    n_a = _smallest_feasible(feasible_a, 0, n_c)
    res = evaluate_a(n_a)
    return IntervalStaffing(
        agents=n_a,
        required=required_headcount(n_a, targets.shrinkage),
        service_level=res.service_level,
        asa_seconds=res.asa_seconds,
        occupancy=res.occupancy,
        abandon_rate=res.abandon_rate,
    )


# --------------------------------------------------------------------------------------------
# The service of a given headcount
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelService:
    """What one tier level's pool gives in one interval (coverage.csv's extra columns)."""

    contacts: float  # pooled: of this tier and higher
    agents: int
    service_level: float
    asa_seconds: float
    abandon_rate: float
    occupancy: float


def agents_on_phones(people: int, shrinkage: float) -> int:
    """floor(people x (1 - shrinkage)), the shrinkage read as the decimal it prints as."""
    return math.floor(people * (1 - Fraction(repr(float(shrinkage)))))


def level_service(
    contacts: float, aht: float, people: int, seconds: float, targets: ServiceTargets
) -> LevelService:
    """Erlang's prediction for `contacts` of mean handling time `aht` in an interval of
    `seconds`, with `people` on duty. Erlang C: no service where agents <= the load."""
    agents = agents_on_phones(people, targets.shrinkage)
    target = targets.answer_within_seconds
    if targets.patience_seconds is not None:
        a = erlang_a(agents, contacts / seconds, aht, targets.patience_seconds, target)
        return LevelService(contacts, agents, a.service_level, a.asa_seconds, a.abandon_rate,
                            a.occupancy)  # fmt: skip
    load = contacts * aht / seconds
    if agents <= load:
        return LevelService(contacts, agents, 0.0, math.inf, 0.0, 1.0)
    sl = service_level_c(agents, load, aht, target)
    return LevelService(contacts, agents, sl, asa_c(agents, load, aht), 0.0, load / agents)


def service_curve(
    contacts: float, aht: float, seconds: float, targets: ServiceTargets
) -> Callable[[int], float]:
    """The service level of one pool as a function of the people on duty: the same floats as
    level_service(contacts, aht, people, seconds, targets).service_level, computed with one
    Erlang B table extended as people are asked for (tables of the service price)."""
    shrinkage, target = targets.shrinkage, targets.answer_within_seconds
    patience = targets.patience_seconds
    rate = contacts / seconds
    load = contacts * aht / seconds if patience is None else rate * aht
    table = _ErlangBTable(load)

    def level(people: int) -> float:
        n = agents_on_phones(people, shrinkage)
        if patience is not None:
            return _erlang_a_core(
                n, rate, aht, patience, target, table[n] if rate > 0 else 0.0
            ).service_level
        if n <= load:
            return 0.0
        return _sl_c(n, load, _c_from_b(n, load, table[n]), aht, target)

    return level

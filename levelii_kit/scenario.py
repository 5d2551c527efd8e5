"""Sides, scenarios and the struct-of-arrays batch (casebook/front_matter/model.md §1).

A :class:`Scenario` is an immutable description of one two-level game: the issues, two :class:`Side` s
(side A, by convention the helper, and side B), the add-on terms, an optional status quo and the Level I
solution concept. A :class:`ScenarioBatch` holds N scenarios of the same structure as arrays with a leading
scenario axis; every array function of the kit takes a batch, and a single scenario is a batch of one.

Axis convention, written once: **(N, G, n, K)** = scenario, candidate deal, constituency, issue; terms use
M and sides use 2. Constituencies are ordered side A first, then side B.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ._text import humanize
from .constituency import Constituency
from .deal import TERM_STATES, Issue, Term
from .rules import RatificationRule
from .solutions import AgendaSetter, NashBargaining, SplitZOPA

__all__ = ["Side", "Scenario", "ScenarioBatch", "as_batch", "label_of"]


@dataclass(frozen=True)
class Side:
    """One side of the Level I table and the constituencies behind it.

    Parameters
    ----------
    name : str
        Identifier.
    constituencies : tuple of Constituency
        Its Level II; one of them is the leader.
    leader : str
        Name of the leader (the Level I negotiator, Putnam's chief negotiator).
    rule : RatificationRule
        How the side ratifies.
    label : str
        Plain-language name.

    Examples
    --------
    >>> s = Side("A", (Constituency("lead", ideal=0.0, tolerance=0.6),), leader="lead")
    >>> s.leader_index
    0
    """

    name: str
    constituencies: tuple[Constituency, ...]
    leader: str
    rule: RatificationRule = field(default_factory=RatificationRule)
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "constituencies", tuple(self.constituencies))
        names = [c.name for c in self.constituencies]
        if not names:
            raise ValueError(f"side {self.name!r} has no constituencies")
        if len(set(names)) != len(names):
            raise ValueError(f"side {self.name!r}: constituency names must be unique")
        if self.leader not in names:
            raise ValueError(f"side {self.name!r}: leader {self.leader!r} is not one of its constituencies")

    @property
    def leader_index(self) -> int:
        """Position of the leader among the side's constituencies."""
        return [c.name for c in self.constituencies].index(self.leader)


@dataclass(frozen=True)
class Scenario:
    """One two-level game (casebook/front_matter/model.md §1).

    Parameters
    ----------
    issues : tuple of Issue
        One or two continuous issues.
    sides : tuple of (Side, Side)
        Side A (the helper, by convention) and side B.
    terms : tuple of Term
        Binary add-on terms.
    status_quo : tuple of float or None
        The status quo :math:`q`; constituencies with ``tolerance=None`` accept exactly the deals they like at
        least as much as :math:`q` (Tsebelis's W(SQ); status-quo mode).
    solution : NashBargaining, SplitZOPA or AgendaSetter
        The Level I solution concept.
    gamma : int
        Loss exponent :math:`\\gamma \\in \\{1, 2\\}` (1: linear loss in issue units).
    confidence : float
        :math:`c`, the level at which win-sets and the ZOPA are drawn.
    min_probability : float
        :math:`c_{min}`: below this best chance of agreement the outcome is :class:`NoDeal`.
    name : str
        A label.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> canonical_scenario().constituency_names
    ('A_leader', 'A_hawk', 'A_dove', 'B_leader', 'B_hawk', 'B_dove')
    """

    issues: tuple[Issue, ...]
    sides: tuple[Side, Side]
    terms: tuple[Term, ...] = ()
    status_quo: tuple[float, ...] | None = None
    solution: NashBargaining | SplitZOPA | AgendaSetter = field(default_factory=NashBargaining)
    gamma: int = 1
    confidence: float = 0.5
    min_probability: float = 0.05
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "sides", tuple(self.sides))
        object.__setattr__(self, "terms", tuple(self.terms))
        if self.status_quo is not None:
            object.__setattr__(self, "status_quo", tuple(float(v) for v in np.atleast_1d(self.status_quo)))
        k = len(self.issues)
        if k not in (1, 2):
            raise ValueError(f"a scenario has 1 or 2 issues, not {k}")
        if len({i.name for i in self.issues}) != k:
            raise ValueError("issue names must be unique")
        if len(self.sides) != 2:
            raise ValueError(f"a scenario has exactly two sides, not {len(self.sides)}")
        if self.sides[0].name == self.sides[1].name:
            raise ValueError("the two sides need different names")
        names = self.constituency_names
        if len(set(names)) != len(names):
            raise ValueError("constituency names must be unique across both sides")
        for c in (c for s in self.sides for c in s.constituencies):
            if len(c.ideal) != k:
                raise ValueError(f"constituency {c.name!r}: ideal has {len(c.ideal)} coordinates, expected {k}")
            if len(c.salience) not in (1, k):
                raise ValueError(f"constituency {c.name!r}: salience has {len(c.salience)} values, expected {k}")
            if c.tolerance is None and self.status_quo is None:
                raise ValueError(f"constituency {c.name!r}: no tolerance and no status quo to derive it from")
        if self.status_quo is not None and len(self.status_quo) != k:
            raise ValueError(f"status_quo has {len(self.status_quo)} values, expected {k}")
        if len({t.name for t in self.terms}) != len(self.terms):
            raise ValueError("term names must be unique")
        for t in self.terms:
            for who in t.values:
                if who not in names:
                    raise ValueError(f"term {t.name!r}: unknown constituency {who!r}")
        if self.gamma not in (1, 2):
            raise ValueError(f"gamma must be 1 or 2 (got {self.gamma!r})")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1) (got {self.confidence!r})")
        if not 0 < self.min_probability <= 1:
            raise ValueError(f"min_probability must be in (0, 1] (got {self.min_probability!r})")
        if not any(c.seated and c.strength > 0 for c in self.sides[0].constituencies) or not any(
            c.seated and c.strength > 0 for c in self.sides[1].constituencies
        ):
            raise ValueError("each side needs at least one seated constituency with positive strength")

    # -- lookups -------------------------------------------------------------------------------
    @property
    def constituency_names(self) -> tuple[str, ...]:
        """Names of all constituencies, side A first."""
        return tuple(c.name for s in self.sides for c in s.constituencies)

    @property
    def constituencies(self) -> tuple[Constituency, ...]:
        """All constituencies, side A first."""
        return tuple(c for s in self.sides for c in s.constituencies)

    def side_index(self, side: str | int) -> int:
        """Index (0 or 1) of a side given by name or index."""
        if isinstance(side, (int, np.integer)) and side in (0, 1):
            return int(side)
        for i, s in enumerate(self.sides):
            if s.name == side:
                return i
        raise KeyError(f"unknown side {side!r}; sides are {[s.name for s in self.sides]}")

    def locate(self, name: str) -> tuple[int, int]:
        """Return ``(side_index, position)`` of a constituency by name."""
        for si, s in enumerate(self.sides):
            for ci, c in enumerate(s.constituencies):
                if c.name == name:
                    return si, ci
        raise KeyError(f"unknown constituency {name!r}")

    def constituency(self, name: str) -> Constituency:
        """Return a constituency by name."""
        si, ci = self.locate(name)
        return self.sides[si].constituencies[ci]

    def term(self, name: str) -> Term:
        """Return a term by name."""
        for t in self.terms:
            if t.name == name:
                return t
        raise KeyError(f"unknown term {name!r}")

    # -- pure updates ----------------------------------------------------------------------------
    def with_constituency(self, name: str, **changes) -> Scenario:
        """Return a copy with one constituency's fields changed."""
        si, ci = self.locate(name)
        side = self.sides[si]
        members = list(side.constituencies)
        members[ci] = replace(members[ci], **changes)
        return self.with_side(si, constituencies=tuple(members))

    def with_side(self, side: str | int, **changes) -> Scenario:
        """Return a copy with one side's fields changed (``rule=...`` or the rule's fields directly)."""
        si = self.side_index(side)
        rule_fields = {k: changes.pop(k) for k in ("quota", "softness", "discretion", "form") if k in changes}
        new_side = self.sides[si]
        if rule_fields:
            new_side = replace(new_side, rule=replace(new_side.rule, **rule_fields))
        if changes:
            new_side = replace(new_side, **changes)
        sides = list(self.sides)
        sides[si] = new_side
        return replace(self, sides=tuple(sides))

    def with_term(self, name: str, **changes) -> Scenario:
        """Return a copy with one term's fields changed."""
        terms = tuple(replace(t, **changes) if t.name == name else t for t in self.terms)
        if terms == self.terms and not any(t.name == name for t in self.terms):
            raise KeyError(f"unknown term {name!r}")
        return replace(self, terms=terms)

    def with_issue(self, name: str, **changes) -> Scenario:
        """Return a copy with one issue's fields changed."""
        if not any(i.name == name for i in self.issues):
            raise KeyError(f"unknown issue {name!r}")
        return replace(self, issues=tuple(replace(i, **changes) if i.name == name else i for i in self.issues))

    def batch(self) -> ScenarioBatch:
        """Return this scenario as a batch of one."""
        return ScenarioBatch.from_scenarios([self])


def _solution_code(solution) -> tuple[str, float]:
    if isinstance(solution, NashBargaining):
        return "nash", solution.alpha
    if isinstance(solution, SplitZOPA):
        return "split", solution.beta
    if isinstance(solution, AgendaSetter):
        return "setter", float(solution.proposer)
    raise TypeError(f"unknown solution concept {solution!r}")


@dataclass(frozen=True, eq=False)
class ScenarioBatch:
    """N scenarios of one structure, as arrays with a leading scenario axis (casebook/front_matter/model.md §1).

    Structure shared by the batch: the constituency names and their sides, the issue ranges, the terms,
    the rule forms, the solution concept's kind, gamma, confidence and min_probability. Everything else
    varies per scenario.

    Attributes
    ----------
    strength, tolerance, noise, threat, blocking, receptivity, payment, efficiency : ndarray, shape (N, n)
    seated : ndarray of bool, shape (N, n)
    ideal, salience : ndarray, shape (N, n, K)
    linked : ndarray of bool, shape (N, K)
    status_quo : ndarray, shape (N, K) (NaN when there is none)
    quota, softness, discretion : ndarray, shape (N, 2)
    term_value : ndarray, shape (N, n, M)
    term_cost : ndarray, shape (N, 2, M)
    term_state : ndarray of int, shape (N, M) (0 unavailable, 1 optional, 2 forced)
    solution_param : ndarray, shape (N,) (alpha, beta or the proposer)

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> b = ScenarioBatch.from_scenarios([canonical_scenario()] * 3)
    >>> b.size, b.strength.shape
    (3, (3, 6))
    """

    names: tuple[str, ...]
    side_of: np.ndarray
    leaders: np.ndarray
    low: np.ndarray
    high: np.ndarray
    issue_names: tuple[str, ...]
    term_names: tuple[str, ...]
    side_names: tuple[str, ...]
    forms: tuple[str, str]
    solution_kind: str
    gamma: int
    confidence: float
    min_probability: float
    strength: np.ndarray
    seated: np.ndarray
    ideal: np.ndarray
    salience: np.ndarray
    tolerance: np.ndarray
    noise: np.ndarray
    threat: np.ndarray
    blocking: np.ndarray
    receptivity: np.ndarray
    payment: np.ndarray
    efficiency: np.ndarray
    linked: np.ndarray
    status_quo: np.ndarray
    quota: np.ndarray
    softness: np.ndarray
    discretion: np.ndarray
    term_value: np.ndarray
    term_cost: np.ndarray
    term_state: np.ndarray
    solution_param: np.ndarray
    labels: tuple[str, ...] = ()
    side_labels: tuple[str, ...] = ()
    issue_labels: tuple[str, ...] = ()
    term_labels: tuple[str, ...] = ()

    _PER_SCENARIO = (
        "strength",
        "seated",
        "ideal",
        "salience",
        "tolerance",
        "noise",
        "threat",
        "blocking",
        "receptivity",
        "payment",
        "efficiency",
        "linked",
        "status_quo",
        "quota",
        "softness",
        "discretion",
        "term_value",
        "term_cost",
        "term_state",
        "solution_param",
    )

    @property
    def size(self) -> int:
        """Number of scenarios N."""
        return int(self.strength.shape[0])

    @property
    def n_issues(self) -> int:
        """Number of issues K."""
        return int(self.low.shape[0])

    @staticmethod
    def _structure(s: Scenario):
        return (
            s.constituency_names,
            tuple(len(x.constituencies) for x in s.sides),
            tuple(x.leader for x in s.sides),
            tuple((i.name, i.low, i.high) for i in s.issues),
            tuple(t.name for t in s.terms),
            tuple(x.name for x in s.sides),
            tuple(x.rule.form for x in s.sides),
            _solution_code(s.solution)[0],
            s.gamma,
            s.confidence,
            s.min_probability,
        )

    @classmethod
    def from_scenarios(cls, scenarios: Sequence[Scenario]) -> ScenarioBatch:
        """Stack scenarios of one structure into a batch.

        Parameters
        ----------
        scenarios : sequence of Scenario
            At least one; all with the same constituencies, issues, terms, rule forms and solution kind.

        Returns
        -------
        ScenarioBatch
        """
        scenarios = list(scenarios)
        if not scenarios:
            raise ValueError("a batch needs at least one scenario")
        first = scenarios[0]
        structure = cls._structure(first)
        for s in scenarios[1:]:
            if cls._structure(s) != structure:
                raise ValueError("scenarios in a batch must share their structure (constituencies, issues, terms)")
        k = len(first.issues)
        cons = [s.constituencies for s in scenarios]
        arr = lambda f: np.array([[f(c) for c in row] for row in cons], dtype=float)  # noqa: E731
        ideal = np.array([[c.ideal for c in row] for row in cons], dtype=float)
        salience = np.array([[c.salience * (k if len(c.salience) == 1 else 1) for c in row] for row in cons])
        linked = np.array([[i.linked for i in s.issues] for s in scenarios], dtype=bool)
        sq = np.array([s.status_quo if s.status_quo is not None else (math.nan,) * k for s in scenarios])
        names = first.constituency_names
        tol = np.array([[math.nan if c.tolerance is None else c.tolerance for c in row] for row in cons])
        m = len(first.terms)
        term_value = np.zeros((len(scenarios), len(names), m))
        term_cost = np.zeros((len(scenarios), 2, m))
        term_state = np.zeros((len(scenarios), m), dtype=np.int8)
        side_names = tuple(x.name for x in first.sides)
        for r, s in enumerate(scenarios):
            for j, t in enumerate(s.terms):
                for who, v in t.values.items():
                    term_value[r, names.index(who), j] = v
                for who, v in t.costs.items():
                    if who in side_names:
                        term_cost[r, side_names.index(who), j] = v
                term_state[r, j] = TERM_STATES.index(t.state)
        side_of = np.array([si for si, x in enumerate(first.sides) for _ in x.constituencies], dtype=np.int64)
        n_a = len(first.sides[0].constituencies)
        leaders = np.array([first.sides[0].leader_index, n_a + first.sides[1].leader_index])
        batch = cls(
            names=names,
            side_of=side_of,
            leaders=leaders,
            low=np.array([i.low for i in first.issues]),
            high=np.array([i.high for i in first.issues]),
            issue_names=tuple(i.name for i in first.issues),
            term_names=tuple(t.name for t in first.terms),
            side_names=side_names,
            forms=tuple(x.rule.form for x in first.sides),
            solution_kind=_solution_code(first.solution)[0],
            gamma=first.gamma,
            confidence=first.confidence,
            min_probability=first.min_probability,
            strength=arr(lambda c: c.strength),
            seated=arr(lambda c: c.seated).astype(bool),
            ideal=ideal,
            salience=salience,
            tolerance=tol,
            noise=arr(lambda c: c.noise),
            threat=arr(lambda c: c.threat),
            blocking=arr(lambda c: c.blocking),
            receptivity=arr(lambda c: c.receptivity),
            payment=arr(lambda c: c.payment),
            efficiency=arr(lambda c: c.efficiency),
            linked=linked,
            status_quo=sq,
            quota=np.array([[x.rule.quota for x in s.sides] for s in scenarios]),
            softness=np.array([[x.rule.softness for x in s.sides] for s in scenarios]),
            discretion=np.array([[x.rule.discretion for x in s.sides] for s in scenarios]),
            term_value=term_value,
            term_cost=term_cost,
            term_state=term_state,
            solution_param=np.array([_solution_code(s.solution)[1] for s in scenarios]),
            labels=tuple(label_of(c) for c in first.constituencies),
            side_labels=tuple(label_of(x) for x in first.sides),
            issue_labels=tuple(label_of(i) for i in first.issues),
            term_labels=tuple(label_of(t) for t in first.terms),
        )
        return batch

    def effective_salience(self) -> np.ndarray:
        """Saliences with unlinked issues zeroed, shape (N, n, K)."""
        return self.salience * self.linked[:, None, :]

    def effective_tolerance(self) -> np.ndarray:
        """Tolerances with status-quo mode resolved: :math:`\\rho_i = D_i(q)` where no tolerance is given."""
        tol = self.tolerance
        missing = np.isnan(tol)
        if not missing.any():
            return tol
        diff = self.status_quo[:, None, :] - self.ideal
        dist = np.sqrt((self.effective_salience() * diff**2).sum(-1))
        return np.where(missing, dist, tol)

    def base_gain(self) -> np.ndarray:
        """The deal-independent part of each constituency's net gain, shape (N, n).

        :math:`\\rho_i^\\gamma + e_i \\pi_i - h_i`: the tolerance (resolved by :meth:`effective_tolerance`) to the
        power :math:`\\gamma`, plus the side payment times its efficiency, minus the perceived threat. A deal's
        net gain subtracts its distance loss and adds its terms' values (``casebook/front_matter/model.md`` §2).
        """
        return self.effective_tolerance() ** self.gamma + self.efficiency * self.payment - self.threat

    def weights(self) -> np.ndarray:
        """Seated strengths, shape (N, n)."""
        return self.strength * self.seated

    def take(self, index) -> ScenarioBatch:
        """Return the sub-batch at ``index`` (an int, slice or index array); a slice gives views, not copies."""
        if isinstance(index, slice):
            return self.replace(**{f: getattr(self, f)[index] for f in self._PER_SCENARIO})
        index = np.atleast_1d(np.arange(self.size)[index])
        return self.replace(**{f: getattr(self, f)[index] for f in self._PER_SCENARIO})

    def repeat(self, count: int) -> ScenarioBatch:
        """Return the batch tiled ``count`` times along the scenario axis."""
        return self.replace(**{f: np.repeat(getattr(self, f), count, axis=0) for f in self._PER_SCENARIO})

    def replace(self, **arrays) -> ScenarioBatch:
        """Return a copy with some per-scenario arrays replaced."""
        unknown = set(arrays) - set(self._PER_SCENARIO)
        if unknown:
            raise KeyError(f"not per-scenario arrays: {sorted(unknown)}")
        return replace(self, **arrays)

    def astype(self, dtype) -> ScenarioBatch:
        """Return a copy with the float arrays cast to ``dtype`` (float32 for large sweeps)."""
        out = {}
        for f in self._PER_SCENARIO:
            a = getattr(self, f)
            out[f] = a.astype(dtype) if a.dtype.kind == "f" else a
        return self.replace(**out)

    @classmethod
    def concatenate(cls, batches: Iterable[ScenarioBatch]) -> ScenarioBatch:
        """Join batches of one structure along the scenario axis."""
        batches = list(batches)
        first = batches[0]
        return first.replace(**{f: np.concatenate([getattr(b, f) for b in batches]) for f in cls._PER_SCENARIO})


def label_of(obj) -> str:
    """What readers see for a constituency, side, issue or term: its label, else its name made readable.

    Parameters
    ----------
    obj : Constituency, Side, Issue or Term

    Returns
    -------
    str

    Examples
    --------
    >>> from levelii_kit import Constituency
    >>> label_of(Constituency("party_conservatives", ideal=(0.0,), tolerance=0.5))
    'Party conservatives'
    """
    return " ".join(str(obj.label).split()) if getattr(obj, "label", "") else humanize(obj.name)


def as_batch(obj) -> ScenarioBatch:
    """Return ``obj`` as a :class:`ScenarioBatch` (a scenario becomes a batch of one).

    Parameters
    ----------
    obj : Scenario, ScenarioBatch or sequence of Scenario

    Returns
    -------
    ScenarioBatch
    """
    if isinstance(obj, ScenarioBatch):
        return obj
    if isinstance(obj, Scenario):
        return ScenarioBatch.from_scenarios([obj])
    return ScenarioBatch.from_scenarios(list(obj))

"""Helping moves as typed, immutable scenario transformations (casebook/front_matter/model.md §6; Sebenius 2013, 2014).

Every intervention is a frozen dataclass with ``apply(scenario) -> scenario`` (a pure function: the input is
never changed), its ``category``, the casebook's ``codes`` (T0-T6, R1-R5: ``casebook/front_matter/model.md`` §6),
the ``actor``
(the side or third party that pays), its ``target`` and its ``cost`` (charged to the actor's leader, in
utility units). Composition is function composition; :func:`apply_all` applies a sequence in order.

The four categories, the casebook's grouping of Sebenius's examples (Sebenius 2013): **process form** (shape
the process to send a useful signal),
**statements** (avoid inflaming, make mollifying ones), **at the table** (constructive actions informed by
their internal conflicts) and **direct action** on their internal situation.

Timing (R3) has no dynamics in this static model: :class:`Timing` chooses which threat and receptivity
apply at the moment chosen (for instance during a party congress).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from .solutions import NashBargaining, SplitZOPA

__all__ = [
    "CATEGORIES",
    "Intervention",
    "INTERVENTIONS",
    "apply_all",
    "SetQuota",
    "SetBlocking",
    "SetDiscretion",
    "Seat",
    "Unseat",
    "Secrecy",
    "Consult",
    "Timing",
    "Mollify",
    "Inflame",
    "Reframe",
    "OfferTerm",
    "LinkIssue",
    "Restraint",
    "Empower",
    "SidePayment",
    "Engage",
]

#: The casebook's four families of helping moves: its grouping of the examples Sebenius (2013, 2014) gives.
CATEGORIES = ("process form", "statements", "at the table", "direct action")


def _finite(name, value, low=-math.inf, high=math.inf, low_open=False):
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    if value < low or value > high or (low_open and value == low):
        bound = f"({low}, {high}]" if low_open else f"[{low}, {high}]"
        raise ValueError(f"{name} must be in {bound} (got {value!r})")


@dataclass(frozen=True)
class Intervention:
    """Base class: a pure ``Scenario -> Scenario`` transformation with its accounting.

    Parameters
    ----------
    actor : str
        The side (or third party) that makes the move and pays for it.
    cost : float
        Cost to the actor's leader, in utility units (>= 0).
    label : str
        Plain-language name.

    Attributes
    ----------
    category : str
        One of :data:`CATEGORIES`.
    codes : tuple of str
        The casebook's shorthand for the kind of help (``casebook/front_matter/model.md`` §6).
    """

    actor: str = ""
    cost: float = 0.0
    label: str = ""

    category: ClassVar[str] = ""
    codes: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self):
        _finite(f"{type(self).__name__}.cost", self.cost, 0.0)
        self._check()

    def _check(self):
        """Validate type-specific fields (subclasses)."""

    @property
    def target(self) -> str:
        """What the move acts on (a constituency, a side, a term or an issue)."""
        for name in ("target", "side", "term", "issue"):
            if name in self.__dataclass_fields__ and name != "target":
                return str(getattr(self, name))
        return ""

    def apply(self, scenario):
        """Return the transformed scenario (never mutates ``scenario``)."""
        raise NotImplementedError

    def __call__(self, scenario):
        return self.apply(scenario)


def apply_all(scenario, interventions: Sequence[Intervention]):
    """Apply interventions in order.

    Parameters
    ----------
    scenario : Scenario
    interventions : sequence of Intervention

    Returns
    -------
    Scenario

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = apply_all(canonical_scenario(), [Empower("A", target="B_dove", factor=2.0)])
    >>> s.constituency("B_dove").strength
    2.0
    """
    for move in interventions:
        scenario = move.apply(scenario)
    return scenario


@dataclass(frozen=True)
class _Targeted(Intervention):
    target: str = ""

    @property
    def target_name(self) -> str:
        return self.target


# ----------------------------------------------------------------------------------------- process form
@dataclass(frozen=True)
class SetQuota(Intervention):
    """Change a side's quota :math:`\\kappa` (e.g. a treaty's two-thirds to an executive agreement).

    Putnam (1988) argues that stricter ratification procedures shrink a side's win-set.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> SetQuota("A", side="B", quota=0.6).apply(canonical_scenario()).sides[1].rule.quota
    0.6
    """

    side: str = ""
    quota: float = 0.5
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("R5", "T1")

    def _check(self):
        _finite("SetQuota.quota", self.quota, 0.0, 1.0, low_open=True)

    def apply(self, scenario):
        """Set the side's quota: :math:`\\kappa_s \\leftarrow` ``quota``."""
        return scenario.with_side(self.side, quota=self.quota)


@dataclass(frozen=True)
class SetBlocking(_Targeted):
    """Grant or withdraw blocking capacity :math:`b_i` (who must sign off; Tsebelis 2002; Mo 1995).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> SetBlocking("A", target="A_hawk", blocking=1.0).apply(canonical_scenario()).constituency("A_hawk").blocking
    1.0
    """

    blocking: float = 1.0
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("R5",)

    def _check(self):
        _finite("SetBlocking.blocking", self.blocking, 0.0, 1.0)

    def apply(self, scenario):
        """Set the target's blocking capacity: :math:`b_i \\leftarrow` ``blocking``."""
        return scenario.with_constituency(self.target, blocking=self.blocking)


@dataclass(frozen=True)
class SetDiscretion(Intervention):
    """Change a leader's discretion :math:`\\delta` (e.g. fast-track authority).

    Putnam (1988) on the chief negotiator's autonomy from Level II; Mo (1994).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> SetDiscretion("A", side="B", discretion=0.5).apply(canonical_scenario()).sides[1].rule.discretion
    0.5
    """

    side: str = ""
    discretion: float = 0.0
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("R5",)

    def _check(self):
        _finite("SetDiscretion.discretion", self.discretion, 0.0, 1.0)

    def apply(self, scenario):
        """Set the side's leader's discretion: :math:`\\delta_s \\leftarrow` ``discretion``."""
        return scenario.with_side(self.side, discretion=self.discretion)


@dataclass(frozen=True)
class Seat(_Targeted):
    """Seat a constituency in its side's ratifying body or at the table (the Two-plus-Four format; T2).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = Unseat("A", target="B_hawk").apply(canonical_scenario())
    >>> Seat("A", target="B_hawk").apply(s).constituency("B_hawk").seated
    True
    """

    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("T2",)

    def apply(self, scenario):
        """Seat the target: it counts in its side's quota again."""
        return scenario.with_constituency(self.target, seated=True)


@dataclass(frozen=True)
class Unseat(_Targeted):
    """Take a constituency out of its side's ratifying body (e.g. a single bundled vote that bypasses it).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> Unseat("A", target="B_hawk").apply(canonical_scenario()).constituency("B_hawk").seated
    False
    """

    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("T2", "R5")

    def apply(self, scenario):
        """Unseat the target: it no longer counts in its side's quota (its veto, if any, is gone too)."""
        return scenario.with_constituency(self.target, seated=False)


@dataclass(frozen=True)
class Secrecy(Intervention):
    """Negotiate out of public view: every threat on ``side`` falls by the share ``level``; noise may grow.

    Leventoğlu and Tarar (2005, American Political Science Review 99(3)): public commitment traps both sides;
    secrecy lowers the audience penalty.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = canonical_scenario().with_constituency("B_hawk", threat=0.2)
    >>> Secrecy("A", side="B", level=0.5).apply(s).constituency("B_hawk").threat
    0.1
    """

    side: str = ""
    level: float = 1.0
    noise_factor: float = 1.0
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("T1", "T2")

    def _check(self):
        _finite("Secrecy.level", self.level, 0.0, 1.0)
        _finite("Secrecy.noise_factor", self.noise_factor, 0.0, 100.0, low_open=True)

    def apply(self, scenario):
        """Scale every threat on ``side`` by :math:`1 - \\text{level}` and every noise by ``noise_factor``."""
        si = scenario.side_index(self.side)
        members = tuple(
            replace(c, threat=c.threat * (1 - self.level), noise=c.noise * self.noise_factor)
            for c in scenario.sides[si].constituencies
        )
        return scenario.with_side(si, constituencies=members)


@dataclass(frozen=True)
class Consult(_Targeted):
    """Learn a constituency's red line: its noise :math:`\\tau_i` is multiplied by ``factor``.

    Putnam (1988) on uncertainty about the other side's win-set.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> Consult("A", target="B_hawk", factor=0.5).apply(canonical_scenario(noise=0.1)).constituency("B_hawk").noise
    0.05
    """

    factor: float = 0.5
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ()

    def _check(self):
        _finite("Consult.factor", self.factor, 0.0, 1.0, low_open=True)

    def apply(self, scenario):
        """Scale the target's noise: :math:`\\tau_i \\leftarrow \\tau_i \\cdot` ``factor``."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(self.target, noise=c.noise * self.factor)


@dataclass(frozen=True)
class Timing(_Targeted):
    """Choose the moment: the threat and receptivity that apply then (R3; static stand-in for timing).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> Timing("A", target="B_hawk", receptivity=0.5).apply(canonical_scenario()).constituency("B_hawk").receptivity
    0.5
    """

    threat: float | None = None
    receptivity: float | None = None
    category: ClassVar[str] = "process form"
    codes: ClassVar[tuple[str, ...]] = ("R3",)

    def _check(self):
        if self.threat is not None:
            _finite("Timing.threat", self.threat, 0.0)
        if self.receptivity is not None:
            _finite("Timing.receptivity", self.receptivity, -1.0, 1.0)

    def apply(self, scenario):
        """Set the target's threat and/or receptivity to the values that apply at the chosen moment."""
        changes = {k: v for k, v in (("threat", self.threat), ("receptivity", self.receptivity)) if v is not None}
        return scenario.with_constituency(self.target, **changes) if changes else scenario


# ------------------------------------------------------------------------------------------- statements
@dataclass(frozen=True)
class Mollify(_Targeted):
    """A mollifying statement: the target's threat falls by ``receptivity * amount`` (floor 0); with negative
    receptivity it rises (backlash; reverberation in Putnam 1988).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = canonical_scenario().with_constituency("B_hawk", threat=0.1)
    >>> Mollify("A", target="B_hawk", amount=0.1).apply(s).constituency("B_hawk").threat
    0.0
    """

    amount: float = 0.0
    category: ClassVar[str] = "statements"
    codes: ClassVar[tuple[str, ...]] = ("T3", "R1")

    def _check(self):
        _finite("Mollify.amount", self.amount, 0.0)

    def apply(self, scenario):
        """Lower the target's threat by receptivity times ``amount`` (never below 0; negative receptivity raises it)."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(self.target, threat=max(0.0, c.threat - c.receptivity * self.amount))


@dataclass(frozen=True)
class Inflame(_Targeted):
    """An inflammatory statement (what not to do): the target's threat rises by ``amount``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> Inflame("A", target="B_hawk", amount=0.2).apply(canonical_scenario()).constituency("B_hawk").threat
    0.2
    """

    amount: float = 0.0
    category: ClassVar[str] = "statements"
    codes: ClassVar[tuple[str, ...]] = ("T3",)

    def _check(self):
        _finite("Inflame.amount", self.amount, 0.0)

    def apply(self, scenario):
        """Raise the target's threat by ``amount``."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(self.target, threat=c.threat + self.amount)


def _move_towards(ideal, toward, distance):
    ideal = np.asarray(ideal, dtype=float)
    gap = np.asarray(toward, dtype=float) - ideal
    norm = float(np.sqrt((gap**2).sum()))
    if norm == 0 or distance == 0:
        return tuple(ideal)
    step = max(-1e9, min(distance, norm))  # never overshoot the point moved towards
    return tuple(float(v) for v in ideal + gap / norm * step)


@dataclass(frozen=True)
class Reframe(_Targeted):
    """Framing and "victory speech" material (T4, T5): the target's ideal moves ``receptivity * shift``
    towards ``toward`` (default: the actor's leader's ideal); negative receptivity moves it away.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> moved = Reframe("A", target="B_hawk", shift=0.1).apply(canonical_scenario())
    >>> [round(v, 6) for v in moved.constituency("B_hawk").ideal]
    [1.05]
    """

    shift: float = 0.0
    toward: tuple[float, ...] | None = None
    category: ClassVar[str] = "statements"
    codes: ClassVar[tuple[str, ...]] = ("T4", "T5")

    def _check(self):
        _finite("Reframe.shift", self.shift, 0.0)
        if self.toward is not None:
            object.__setattr__(self, "toward", tuple(float(v) for v in np.atleast_1d(self.toward)))

    def _point(self, scenario):
        if self.toward is not None:
            return self.toward
        try:
            side = scenario.sides[scenario.side_index(self.actor)]
        except KeyError:
            si, _ = scenario.locate(self.target)
            side = scenario.sides[1 - si]
        return scenario.constituency(side.leader).ideal

    def apply(self, scenario):
        """Move the target's ideal towards the point, by its receptivity times ``shift``."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(
            self.target, ideal=_move_towards(c.ideal, self._point(scenario), c.receptivity * self.shift)
        )


# ----------------------------------------------------------------------------------------- at the table
@dataclass(frozen=True)
class OfferTerm(Intervention):
    """Put an add-on term on the table, or insist on it (T0, T4, T5).

    Terms answering a constituency's concern; Putnam (1988) on side payments and issue linkage.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario, Term
    >>> from dataclasses import replace
    >>> s = replace(canonical_scenario(), terms=(Term("assurances", state="unavailable"),))
    >>> OfferTerm("A", term="assurances", force=True).apply(s).term("assurances").state
    'forced'
    """

    term: str = ""
    force: bool = False
    category: ClassVar[str] = "at the table"
    codes: ClassVar[tuple[str, ...]] = ("T0", "T4", "T5")

    def apply(self, scenario):
        """Make the term available to the Level I negotiators (``optional``), or force it into every deal."""
        return scenario.with_term(self.term, state="forced" if self.force else "optional")


@dataclass(frozen=True)
class LinkIssue(Intervention):
    """Link an issue that was off the table (synergistic linkage; Putnam 1988).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = canonical_scenario().with_issue("x", linked=False)
    >>> LinkIssue("A", issue="x").apply(s).issues[0].linked
    True
    """

    issue: str = ""
    category: ClassVar[str] = "at the table"
    codes: ClassVar[tuple[str, ...]] = ("T0",)

    def apply(self, scenario):
        """Link the issue: it becomes part of the deal the sides negotiate."""
        return scenario.with_issue(self.issue, linked=True)


@dataclass(frozen=True)
class Restraint(Intervention):
    """Do not escalate when the other side postures for home (T6): the other side's threats fall by
    ``receptivity * threat_cut``, and the actor may give up ``claim_cut`` of its bargaining power.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = canonical_scenario().with_constituency("B_hawk", threat=0.1)
    >>> Restraint("A", threat_cut=0.05).apply(s).constituency("B_hawk").threat
    0.05
    """

    threat_cut: float = 0.0
    claim_cut: float = 0.0
    category: ClassVar[str] = "at the table"
    codes: ClassVar[tuple[str, ...]] = ("T6",)

    def _check(self):
        _finite("Restraint.threat_cut", self.threat_cut, 0.0)
        _finite("Restraint.claim_cut", self.claim_cut, 0.0, 0.99)

    def apply(self, scenario):
        """Cut the other side's threats by receptivity times ``threat_cut``, and the actor's claim by ``claim_cut``."""
        si = scenario.side_index(self.actor)
        other = 1 - si
        members = tuple(
            replace(c, threat=max(0.0, c.threat - c.receptivity * self.threat_cut))
            for c in scenario.sides[other].constituencies
        )
        out = scenario.with_side(other, constituencies=members)
        if self.claim_cut:
            sol = out.solution
            if isinstance(sol, NashBargaining):
                alpha = sol.alpha - self.claim_cut if si == 0 else sol.alpha + self.claim_cut
                out = replace(out, solution=NashBargaining(min(max(alpha, 0.01), 0.99)))
            elif isinstance(sol, SplitZOPA):
                beta = sol.beta + self.claim_cut if si == 0 else sol.beta - self.claim_cut
                out = replace(out, solution=SplitZOPA(min(max(beta, 0.0), 1.0)))
        return out


# ---------------------------------------------------------------------------------------- direct action
@dataclass(frozen=True)
class Empower(_Targeted):
    """Strengthen (or weaken) a constituency: strength multiplied by ``factor`` (R2).

    Putnam (1988) on how the balance of preferences among constituents shapes a win-set.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> Empower("A", target="B_dove", factor=1.5).apply(canonical_scenario()).constituency("B_dove").strength
    1.5
    """

    factor: float = 1.0
    category: ClassVar[str] = "direct action"
    codes: ClassVar[tuple[str, ...]] = ("R2",)

    def _check(self):
        _finite("Empower.factor", self.factor, 0.0, 1e6, low_open=True)

    def apply(self, scenario):
        """Scale the target's strength: :math:`w_i \\leftarrow w_i \\cdot` ``factor``."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(self.target, strength=c.strength * self.factor)


@dataclass(frozen=True)
class SidePayment(_Targeted):
    """A side payment reaching a constituency (R4, T0). Its ``cost`` defaults to ``amount``.

    Targeted side payments to marginal constituents are discussed by Putnam (1988).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> move = SidePayment("A", target="B_hawk", amount=0.1)
    >>> move.cost, move.apply(canonical_scenario()).constituency("B_hawk").payment
    (0.1, 0.1)
    """

    amount: float = 0.0
    efficiency: float = 1.0
    category: ClassVar[str] = "direct action"
    codes: ClassVar[tuple[str, ...]] = ("R4", "T0")

    def __post_init__(self):
        if self.cost == 0.0 and self.amount:
            object.__setattr__(self, "cost", float(self.amount))
        super().__post_init__()

    def _check(self):
        _finite("SidePayment.amount", self.amount, 0.0)
        _finite("SidePayment.efficiency", self.efficiency, 0.0, 1e6, low_open=True)

    def apply(self, scenario):
        """Add ``amount`` to the payment reaching the target, at the given efficiency."""
        c = scenario.constituency(self.target)
        return scenario.with_constituency(self.target, payment=c.payment + self.amount, efficiency=self.efficiency)


@dataclass(frozen=True)
class Engage(_Targeted):
    """Engage a constituency directly (R1): a reframing ``shift`` and a ``threat_cut``, both scaled by its
    receptivity (Reframe and Mollify in one move).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> s = canonical_scenario().with_constituency("B_hawk", threat=0.1)
    >>> t = Engage("A", target="B_hawk", shift=0.05, threat_cut=0.1).apply(s).constituency("B_hawk")
    >>> round(t.ideal[0], 6), t.threat
    (1.1, 0.0)
    """

    shift: float = 0.0
    threat_cut: float = 0.0
    category: ClassVar[str] = "direct action"
    codes: ClassVar[tuple[str, ...]] = ("R1",)

    def _check(self):
        _finite("Engage.shift", self.shift, 0.0)
        _finite("Engage.threat_cut", self.threat_cut, 0.0)

    def apply(self, scenario):
        """Reframe the target by ``shift`` and mollify it by ``threat_cut``, each scaled by its receptivity."""
        out = Reframe(self.actor, target=self.target, shift=self.shift).apply(scenario)
        return Mollify(self.actor, target=self.target, amount=self.threat_cut).apply(out)


#: Every intervention type by name (case files use these names).
INTERVENTIONS = {
    cls.__name__: cls
    for cls in (
        SetQuota,
        SetBlocking,
        SetDiscretion,
        Seat,
        Unseat,
        Secrecy,
        Consult,
        Timing,
        Mollify,
        Inflame,
        Reframe,
        OfferTerm,
        LinkIssue,
        Restraint,
        Empower,
        SidePayment,
        Engage,
    )
}

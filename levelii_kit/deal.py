"""The deal space: continuous issues and binary add-on terms (casebook/front_matter/model.md §1).

A deal is :math:`d = (x, z)` with :math:`x \\in X = \\prod_k [\\mathrm{lo}_k, \\mathrm{hi}_k]` (continuous issues,
in each issue's own units, normally [0, 1]) and :math:`z \\in \\{0, 1\\}^M` (add-on terms). A term carries a
value :math:`v_{im}` to every constituency it touches and a cost :math:`c_{sm}` to the leader of every side
that pays for it. Terms are how assurances, face-saving language, ceilings and compensation clauses enter
the model (Putnam 1988 on side payments; Sebenius 2013 on tailoring the deal for the other side's Level II).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Issue", "Term", "TERM_STATES"]

#: A term is not on the table, may be included by the Level I solution, or must be included.
TERM_STATES = ("unavailable", "optional", "forced")


def _frozen_mapping(values) -> Mapping[str, float]:
    return MappingProxyType({str(k): float(v) for k, v in dict(values or {}).items()})


@dataclass(frozen=True)
class Issue:
    """One continuous issue of the Level I negotiation.

    Parameters
    ----------
    name : str
        Identifier.
    label : str
        Plain-language description.
    low, high : float
        The range of possible deals on this issue (``low < high``).
    low_label, high_label : str
        What the two ends mean in words.
    linked : bool
        ``False`` keeps the issue off the table (nobody's utility depends on it) until a
        :class:`~levelii_kit.interventions.LinkIssue` move links it (Putnam's synergistic linkage).

    Examples
    --------
    >>> Issue("terms", low=0.0, high=1.0).width
    1.0
    """

    name: str
    label: str = ""
    low: float = 0.0
    high: float = 1.0
    low_label: str = ""
    high_label: str = ""
    linked: bool = True

    def __post_init__(self):
        if not (math.isfinite(self.low) and math.isfinite(self.high)) or not self.low < self.high:
            raise ValueError(f"issue {self.name!r}: low must be below high (got {self.low}, {self.high})")

    @property
    def width(self) -> float:
        """Length of the issue's range."""
        return float(self.high - self.low)


@dataclass(frozen=True)
class Term:
    """A binary add-on term of a deal (an assurance, a ceiling, a compensation clause, face-saving words).

    Parameters
    ----------
    name : str
        Identifier.
    label : str
        Plain-language description.
    values : mapping of str to float
        Value of the term to each named constituency (others get 0); may be negative.
    costs : mapping of str to float
        Cost to each named side's leader when the term is part of the deal.
    state : {"unavailable", "optional", "forced"}
        Whether the term is on the table, and whether it must be included.

    Examples
    --------
    >>> t = Term("assurances", values={"hawk": 0.1}, costs={"A": 0.0}, state="optional")
    >>> t.values["hawk"]
    0.1
    """

    name: str
    label: str = ""
    values: Mapping[str, float] = field(default_factory=dict)
    costs: Mapping[str, float] = field(default_factory=dict)
    state: str = "optional"

    def __post_init__(self):
        object.__setattr__(self, "values", _frozen_mapping(self.values))
        object.__setattr__(self, "costs", _frozen_mapping(self.costs))
        if self.state not in TERM_STATES:
            raise ValueError(f"term {self.name!r}: state must be one of {TERM_STATES}, not {self.state!r}")
        for key, value in {**self.values, **self.costs}.items():
            if not math.isfinite(value):
                raise ValueError(f"term {self.name!r}: value for {key!r} must be finite")

    def __hash__(self):
        return hash((self.name, self.label, tuple(self.values.items()), tuple(self.costs.items()), self.state))

    def __eq__(self, other):
        if not isinstance(other, Term):
            return NotImplemented
        return (self.name, self.label, dict(self.values), dict(self.costs), self.state) == (
            other.name,
            other.label,
            dict(other.values),
            dict(other.costs),
            other.state,
        )

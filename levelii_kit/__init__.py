"""levelii_kit: a computable model of Level II (behind-the-table) ratification, and the casebook tools.

Level II negotiation (Sebenius 2013) is the art of helping the *other* side overcome its internal
barriers to a deal. The kit models Putnam's (1988) two-level game: constituencies whose support is
logistic in their net gain, sides that ratify by quota, vetoes and leader's discretion, win-sets and the
ZOPA, a Level I outcome (Nash bargaining by default), interventions as pure scenario transformations with
their Sebenius category, the helper's ledger with Shapley attribution, and power indices.

Everything is batch-first numpy: a single scenario is a batch of one.
"""

from .casefile import Case, CaseMove, Fact, Problem, Source, cases_dir, list_cases, load_case
from .constituency import Constituency
from .deal import TERM_STATES, Issue, Term
from .errors import CaseError, LeveliiError
from .examples import canonical_scenario
from .interventions import (
    CATEGORIES,
    INTERVENTIONS,
    Consult,
    Empower,
    Engage,
    Inflame,
    Intervention,
    LinkIssue,
    Mollify,
    OfferTerm,
    Reframe,
    Restraint,
    Seat,
    Secrecy,
    SetBlocking,
    SetDiscretion,
    SetQuota,
    SidePayment,
    Timing,
    Unseat,
    apply_all,
)
from .ledger import Ledger, helper_ledger, shapley_values, subset_scenarios
from .power import power_indices, side_power
from .rules import (
    RULE_PRESETS,
    RatificationRule,
    bloc_layer,
    blocking_layer,
    discretion_layer,
    rule_preset,
    share_layer,
)
from .sampling import MonteCarlo, monte_carlo
from .scenario import Scenario, ScenarioBatch, Side, as_batch
from .solutions import SOLUTIONS, AgendaSetter, Deal, NashBargaining, NoDeal, SplitZOPA
from .solver import Result, solve, solve_batch
from .support import Evaluation, evaluate, joint_probability, net_gain, ratification_probability, support
from .winset import WinSet, naive_zopa, win_set, zopa

__version__ = "0.1.0"

#: Submodules loaded on first use (plotly and ipywidgets are imported only when a figure or widget is needed;
#: the book's modules only when the casebook is built or served).
_LAZY = ("book", "chapter", "exercises", "plots", "predictions", "widgets")


def __getattr__(name: str):
    """Load a submodule of :data:`_LAZY` on first use (PEP 562)."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names and the lazily loaded submodules, for ``dir(lk)`` and tab completion."""
    return sorted(set(__all__) | set(_LAZY))


__all__ = [
    "__version__",
    "AgendaSetter",
    "apply_all",
    "as_batch",
    "bloc_layer",
    "blocking_layer",
    "canonical_scenario",
    "Case",
    "CaseError",
    "CaseMove",
    "cases_dir",
    "CATEGORIES",
    "Constituency",
    "Consult",
    "Deal",
    "discretion_layer",
    "Empower",
    "Engage",
    "evaluate",
    "Evaluation",
    "Fact",
    "helper_ledger",
    "Inflame",
    "Intervention",
    "INTERVENTIONS",
    "Issue",
    "joint_probability",
    "Ledger",
    "LeveliiError",
    "LinkIssue",
    "list_cases",
    "load_case",
    "Mollify",
    "monte_carlo",
    "MonteCarlo",
    "naive_zopa",
    "NashBargaining",
    "net_gain",
    "NoDeal",
    "OfferTerm",
    "power_indices",
    "Problem",
    "ratification_probability",
    "RatificationRule",
    "Reframe",
    "Restraint",
    "Result",
    "rule_preset",
    "RULE_PRESETS",
    "Scenario",
    "ScenarioBatch",
    "Seat",
    "Secrecy",
    "SetBlocking",
    "SetDiscretion",
    "SetQuota",
    "shapley_values",
    "share_layer",
    "Side",
    "side_power",
    "SidePayment",
    "SOLUTIONS",
    "solve",
    "solve_batch",
    "Source",
    "SplitZOPA",
    "subset_scenarios",
    "support",
    "Term",
    "TERM_STATES",
    "Timing",
    "Unseat",
    "win_set",
    "WinSet",
    "zopa",
]

"""Contract tests: every registered intervention runs on its own, is pure, and declares its accounting."""

from dataclasses import FrozenInstanceError, replace

import pytest

import levelii_kit as lk

#: One ready instance per registered type, on the canonical scenario (with what each needs to bite).
EXAMPLES = {
    "SetQuota": lk.SetQuota("A", side="B", quota=0.9),
    "SetBlocking": lk.SetBlocking("A", target="B_hawk", blocking=1.0),
    "SetDiscretion": lk.SetDiscretion("A", side="B", discretion=0.7),
    "Seat": lk.Seat("A", target="B_dove"),
    "Unseat": lk.Unseat("A", target="B_hawk"),
    "Secrecy": lk.Secrecy("A", side="B", level=1.0, noise_factor=1.5),
    "Consult": lk.Consult("A", target="B_hawk", factor=0.5),
    "Timing": lk.Timing("A", target="B_hawk", threat=0.0, receptivity=0.8),
    "Mollify": lk.Mollify("A", target="B_hawk", amount=0.1, cost=0.02),
    "Inflame": lk.Inflame("A", target="B_hawk", amount=0.1),
    "Reframe": lk.Reframe("A", target="B_hawk", shift=0.1),
    "OfferTerm": lk.OfferTerm("A", term="assurance", force=True),
    "LinkIssue": lk.LinkIssue("A", issue="x"),
    "Restraint": lk.Restraint("A", threat_cut=0.1, claim_cut=0.05),
    "Empower": lk.Empower("A", target="B_dove", factor=2.0, cost=0.05),
    "SidePayment": lk.SidePayment("A", target="B_hawk", amount=0.1),
    "Engage": lk.Engage("A", target="B_hawk", shift=0.05, threat_cut=0.1),
}

# how each move should show on the scenario (attribute path, expected value after applying)
DIRECTION = {
    "SetQuota": lambda s: s.sides[1].rule.quota == 0.9,
    "SetBlocking": lambda s: s.constituency("B_hawk").blocking == 1.0,
    "SetDiscretion": lambda s: s.sides[1].rule.discretion == 0.7,
    "Seat": lambda s: s.constituency("B_dove").seated,
    "Unseat": lambda s: not s.constituency("B_hawk").seated,
    "Secrecy": lambda s: s.constituency("B_hawk").threat == 0.0,
    "Consult": lambda s: s.constituency("B_hawk").noise == pytest.approx(0.025),
    "Timing": lambda s: s.constituency("B_hawk").receptivity == 0.8,
    "Mollify": lambda s: s.constituency("B_hawk").threat == pytest.approx(0.0),
    "Inflame": lambda s: s.constituency("B_hawk").threat == pytest.approx(0.2),
    "Reframe": lambda s: s.constituency("B_hawk").ideal[0] == pytest.approx(1.05),
    "OfferTerm": lambda s: s.term("assurance").state == "forced",
    "LinkIssue": lambda s: s.issues[0].linked,
    "Restraint": lambda s: s.constituency("B_hawk").threat == pytest.approx(0.0) and s.solution.alpha == 0.45,
    "Empower": lambda s: s.constituency("B_dove").strength == 2.0,
    "SidePayment": lambda s: s.constituency("B_hawk").payment == 0.1,
    "Engage": lambda s: s.constituency("B_hawk").threat == pytest.approx(0.0),
}


@pytest.fixture
def scenario():
    base = lk.canonical_scenario(noise=0.05).with_constituency("B_hawk", tolerance=0.7, threat=0.1)
    return replace(base, terms=(lk.Term("assurance", values={"B_hawk": 0.1}, costs={"A": 0.01}, state="unavailable"),))


def test_registry_is_complete():
    assert set(EXAMPLES) == set(lk.INTERVENTIONS)
    for cls in lk.INTERVENTIONS.values():
        assert issubclass(cls, lk.Intervention)
        assert cls.__doc__ and "Examples" in cls.__doc__


@pytest.mark.parametrize("name", sorted(lk.INTERVENTIONS))
def test_contract(name, scenario):
    move = EXAMPLES[name]
    cls = lk.INTERVENTIONS[name]
    assert cls.category in lk.CATEGORIES
    assert isinstance(move.codes, tuple)
    assert move.actor == "A" and move.cost >= 0
    before = repr(scenario)
    subject = lk.Unseat("A", target="B_dove").apply(scenario) if name == "Seat" else scenario
    subject = subject.with_issue("x", linked=False) if name == "LinkIssue" else subject
    after = move.apply(subject)
    assert repr(scenario) == before  # pure: the input is unchanged
    assert isinstance(after, lk.Scenario)
    assert DIRECTION[name](after)  # the declared direction holds
    result = lk.solve(after)  # runs on its own, end to end
    assert 0 <= result.probability[0] <= 1
    with pytest.raises(FrozenInstanceError):
        move.cost = 1.0  # immutable
    assert move(subject) == after  # callable == apply
    ledger = lk.helper_ledger(subject, [move])
    assert ledger.cost == pytest.approx(move.cost)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="Mollify.amount"):
        lk.Mollify("A", target="B_hawk", amount=-1)
    with pytest.raises(ValueError, match="SetQuota.quota"):
        lk.SetQuota("A", side="B", quota=1.5)
    with pytest.raises(ValueError, match="cost"):
        lk.Empower("A", target="B_dove", factor=2.0, cost=float("nan"))
    with pytest.raises(KeyError, match="unknown constituency"):
        lk.Empower("A", target="nobody", factor=2.0).apply(lk.canonical_scenario())


def test_side_payment_cost_defaults_to_amount():
    assert lk.SidePayment("A", target="B_hawk", amount=0.3).cost == 0.3
    assert lk.SidePayment("A", target="B_hawk", amount=0.3, cost=0.1).cost == 0.1


def test_mollify_backlash_raises_threat():
    s = lk.canonical_scenario().with_constituency("B_hawk", receptivity=-0.5, threat=0.1)
    assert lk.Mollify("A", target="B_hawk", amount=0.2).apply(s).constituency("B_hawk").threat == pytest.approx(0.2)

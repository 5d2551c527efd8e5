"""Validation of the model's objects (the model's implementation plan, step 1): bad input is refused with a
one-line error
that names the object, the field and what was expected; good input on the boundary is accepted."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import levelii_kit as lk
from levelii_kit._numerics import check_random_state, logistic, scaled_logistic
from levelii_kit.rules import MAX_BLOC_SIZE, bloc_layer, rule_preset

NAN, INF = math.nan, math.inf


# ------------------------------------------------------------------------------------------ Constituency
@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("threat", -0.1, "threat must be finite and >= 0"),
        ("threat", INF, "threat must be finite and >= 0"),
        ("strength", -1.0, "strength must be finite and >= 0"),
        ("strength", NAN, "strength must be finite and >= 0"),
        ("tolerance", -0.01, "tolerance must be None or finite and >= 0"),
        ("tolerance", INF, "tolerance must be None or finite and >= 0"),
        ("noise", -1e-9, "noise must be finite and >= 0"),
        ("noise", NAN, "noise must be finite and >= 0"),
        ("blocking", 1.01, "blocking must be between 0 and 1"),
        ("blocking", -0.01, "blocking must be between 0 and 1"),
        ("blocking", NAN, "blocking must be between 0 and 1"),
        ("receptivity", 1.5, "receptivity must be between -1 and 1"),
        ("receptivity", -1.01, "receptivity must be between -1 and 1"),
        ("payment", -0.1, "payment must be finite and >= 0"),
        ("efficiency", 0.0, "efficiency must be finite and > 0"),
        ("efficiency", -2.0, "efficiency must be finite and > 0"),
        ("efficiency", INF, "efficiency must be finite and > 0"),
        ("ideal", (NAN,), "ideal must be finite"),
        ("ideal", (0.0, INF), "ideal must be finite"),
        ("salience", (-1.0,), "salience must be finite and >= 0"),
        ("salience", (NAN,), "salience must be finite and >= 0"),
    ],
)
def test_constituency_refuses(field, value, expected):
    with pytest.raises(ValueError, match=f"constituency 'c': {expected}") as err:
        lk.Constituency("c", **{field: value})
    assert "\n" not in str(err.value)


def test_constituency_reports_every_problem_at_once():
    with pytest.raises(ValueError) as err:
        lk.Constituency("c", threat=-1.0, strength=-1.0)
    assert "strength must be" in str(err.value) and "threat must be" in str(err.value)
    assert "(got -1.0)" in str(err.value)


def test_constituency_accepts_the_boundaries():
    c = lk.Constituency(
        "c",
        ideal=2,
        strength=0.0,
        tolerance=0.0,
        salience=0,
        noise=0.0,
        threat=0.0,
        blocking=1.0,
        receptivity=-1.0,
        payment=0.0,
        efficiency=1e-9,
    )
    assert c.ideal == (2.0,) and c.salience == (0.0,)
    assert lk.Constituency("c", tolerance=None, blocking=0.0, receptivity=1.0).tolerance is None
    assert lk.Constituency("c", ideal=[0.1, 0.2], salience=[1, 2]).salience == (1.0, 2.0)


# ---------------------------------------------------------------------------------------- RatificationRule
@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"quota": 0.0}, "quota must be in \\(0, 1\\]"),
        ({"quota": 1.0001}, "quota must be in \\(0, 1\\]"),
        ({"quota": NAN}, "quota must be in \\(0, 1\\]"),
        ({"softness": -0.1}, "softness must be >= 0"),
        ({"softness": INF}, "softness must be >= 0"),
        ({"discretion": 1.5}, "discretion must be in \\[0, 1\\]"),
        ({"discretion": -0.5}, "discretion must be in \\[0, 1\\]"),
        ({"discretion": NAN}, "discretion must be in \\[0, 1\\]"),
        ({"form": "majority"}, "form must be one of"),
    ],
)
def test_rule_refuses(kwargs, expected):
    with pytest.raises(ValueError, match=f"ratification rule: {expected}"):
        lk.RatificationRule(**kwargs)


def test_rule_accepts_the_boundaries():
    r = lk.RatificationRule(quota=1.0, softness=0.0, discretion=1.0, form="bloc")
    assert (r.quota, r.discretion, r.form) == (1.0, 1.0, "bloc")
    assert lk.RatificationRule(quota=1e-9, discretion=0.0).quota == 1e-9


def test_rule_presets():
    assert rule_preset("supermajority").quota == pytest.approx(2 / 3)
    ex = rule_preset("executive_agreement", form="bloc")
    assert (ex.quota, ex.discretion, ex.form, ex.softness) == (0.25, 0.8, "bloc", 0.0)
    assert rule_preset("unanimity").quota == 1.0
    with pytest.raises(ValueError, match="unknown rule preset 'dictatorship'"):
        rule_preset("dictatorship")
    with pytest.raises(ValueError, match="quota"):
        rule_preset("simple_majority", quota=2.0)


def test_bloc_rule_size_limit():
    with pytest.raises(ValueError, match=f"exceeds {MAX_BLOC_SIZE}"):
        bloc_layer(np.full(MAX_BLOC_SIZE + 1, 0.5), np.ones(MAX_BLOC_SIZE + 1), 0.5)
    assert float(bloc_layer(np.ones(MAX_BLOC_SIZE), np.ones(MAX_BLOC_SIZE), 1.0)) == 1.0


# --------------------------------------------------------------------------------------- solution concepts
@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.2, 1.2, NAN, INF])
def test_nash_bargaining_refuses(alpha):
    with pytest.raises(ValueError, match="NashBargaining: alpha must be in \\(0, 1\\)"):
        lk.NashBargaining(alpha)


@pytest.mark.parametrize("beta", [-0.01, 1.01, NAN])
def test_split_zopa_refuses(beta):
    with pytest.raises(ValueError, match="SplitZOPA: beta must be in \\[0, 1\\]"):
        lk.SplitZOPA(beta)


@pytest.mark.parametrize("proposer", [2, -1, "A"])
def test_agenda_setter_refuses(proposer):
    with pytest.raises(ValueError, match="AgendaSetter: proposer must be 0 or 1"):
        lk.AgendaSetter(proposer)


def test_solution_boundaries():
    assert lk.NashBargaining(1e-9).alpha == 1e-9 and lk.NashBargaining(1 - 1e-9).alpha == 1 - 1e-9
    assert lk.SplitZOPA(0.0).beta == 0.0 and lk.SplitZOPA(1.0).beta == 1.0
    assert lk.AgendaSetter(0).proposer == 0 and lk.AgendaSetter(1).proposer == 1


# ------------------------------------------------------------------------------------------ Issue, Term
def test_issue_and_term():
    with pytest.raises(ValueError, match="issue 'x': low must be below high"):
        lk.Issue("x", low=1.0, high=1.0)
    with pytest.raises(ValueError, match="issue 'x': low must be below high"):
        lk.Issue("x", low=0.0, high=INF)
    with pytest.raises(ValueError, match="issue 'x': low must be below high"):
        lk.Issue("x", low=NAN, high=1.0)
    assert lk.Issue("x", low=-1.0, high=3.0).width == 4.0
    with pytest.raises(ValueError, match="term 't': state must be one of"):
        lk.Term("t", state="maybe")
    with pytest.raises(ValueError, match="term 't': value for 'A' must be finite"):
        lk.Term("t", costs={"A": NAN})
    with pytest.raises(ValueError, match="term 't': value for 'h' must be finite"):
        lk.Term("t", values={"h": INF})
    t = lk.Term("t", values={"h": -0.2}, costs={"A": 0.1}, state="forced")
    assert t == lk.Term("t", values={"h": -0.2}, costs={"A": 0.1}, state="forced")
    assert t != lk.Term("t", values={"h": -0.2}, costs={"A": 0.2}, state="forced")
    assert t != lk.Term("t", values={"h": -0.2}, costs={"A": 0.1}, state="optional")
    assert t != lk.Term("u", values={"h": -0.2}, costs={"A": 0.1}, state="forced")
    assert t != lk.Term("t", label="x", values={"h": -0.2}, costs={"A": 0.1}, state="forced")
    assert t != lk.Term("t", values={"h": 0.2}, costs={"A": 0.1}, state="forced")
    assert t.__eq__("t") is NotImplemented
    assert hash(t) == hash(lk.Term("t", values={"h": -0.2}, costs={"A": 0.1}, state="forced"))
    assert len({t, lk.Term("t", values={"h": -0.2}, costs={"A": 0.1}, state="forced")}) == 1
    assert hash(t) != hash(lk.Term("u", values={"h": -0.2}, costs={"A": 0.1}, state="forced"))
    assert hash(t) != hash(lk.Term("t", values={"h": 0.3}, costs={"A": 0.1}, state="forced"))


# -------------------------------------------------------------------------------------------------- Side
def test_side():
    c = lk.Constituency("c")
    with pytest.raises(ValueError, match="side 'A' has no constituencies"):
        lk.Side("A", (), leader="c")
    with pytest.raises(ValueError, match="side 'A': constituency names must be unique"):
        lk.Side("A", (c, c), leader="c")
    with pytest.raises(ValueError, match="side 'A': leader 'x' is not one of its constituencies"):
        lk.Side("A", (c,), leader="x")
    s = lk.Side("A", [lk.Constituency("a"), c], leader="c")
    assert s.leader_index == 1 and isinstance(s.constituencies, tuple)


# ---------------------------------------------------------------------------------------------- Scenario
def sides(k=1, **overrides):
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0,) * k),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0,) * k),), leader="b")
    return a, b


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: lk.Scenario((), sides()), "a scenario has 1 or 2 issues, not 0"),
        (
            lambda: lk.Scenario((lk.Issue("x"), lk.Issue("y"), lk.Issue("z")), sides(3)),
            "a scenario has 1 or 2 issues, not 3",
        ),
        (lambda: lk.Scenario((lk.Issue("x"), lk.Issue("x")), sides(2)), "issue names must be unique"),
        (lambda: lk.Scenario((lk.Issue("x"),), sides()[:1]), "a scenario has exactly two sides, not 1"),
        (lambda: lk.Scenario((lk.Issue("x"),), sides() + sides()[:1]), "a scenario has exactly two sides, not 3"),
        (
            lambda: lk.Scenario((lk.Issue("x"),), (sides()[0], replace(sides()[1], name="A"))),
            "the two sides need different names",
        ),
        (
            lambda: lk.Scenario(
                (lk.Issue("x"),),
                (sides()[0], lk.Side("B", (lk.Constituency("a"),), leader="a")),
            ),
            "constituency names must be unique across both sides",
        ),
        (
            lambda: lk.Scenario((lk.Issue("x"), lk.Issue("y")), sides(1)),
            "constituency 'a': ideal has 1 coordinates, expected 2",
        ),
        (
            lambda: lk.Scenario(
                (lk.Issue("x"),),
                (lk.Side("A", (lk.Constituency("a", salience=(1.0, 2.0)),), leader="a"), sides()[1]),
            ),
            "constituency 'a': salience has 2 values, expected 1",
        ),
        (
            lambda: lk.Scenario(
                (lk.Issue("x"),), (lk.Side("A", (lk.Constituency("a", tolerance=None),), leader="a"), sides()[1])
            ),
            "constituency 'a': no tolerance and no status quo to derive it from",
        ),
        (lambda: lk.Scenario((lk.Issue("x"),), sides(), status_quo=(0.1, 0.2)), "status_quo has 2 values, expected 1"),
        (
            lambda: lk.Scenario((lk.Issue("x"),), sides(), terms=(lk.Term("t"), lk.Term("t"))),
            "term names must be unique",
        ),
        (
            lambda: lk.Scenario((lk.Issue("x"),), sides(), terms=(lk.Term("t", values={"z": 1.0}),)),
            "term 't': unknown constituency 'z'",
        ),
        (lambda: lk.Scenario((lk.Issue("x"),), sides(), gamma=3), "gamma must be 1 or 2 (got 3)"),
        (lambda: lk.Scenario((lk.Issue("x"),), sides(), gamma=0), "gamma must be 1 or 2 (got 0)"),
        (lambda: lk.Scenario((lk.Issue("x"),), sides(), confidence=0.0), "confidence must be in (0, 1) (got 0.0)"),
        (lambda: lk.Scenario((lk.Issue("x"),), sides(), confidence=1.0), "confidence must be in (0, 1) (got 1.0)"),
        (
            lambda: lk.Scenario((lk.Issue("x"),), sides(), min_probability=0.0),
            "min_probability must be in (0, 1] (got 0.0)",
        ),
        (
            lambda: lk.Scenario((lk.Issue("x"),), sides(), min_probability=1.5),
            "min_probability must be in (0, 1] (got 1.5)",
        ),
        (
            lambda: lk.Scenario(
                (lk.Issue("x"),), (lk.Side("A", (lk.Constituency("a", strength=0.0),), leader="a"), sides()[1])
            ),
            "each side needs at least one seated constituency with positive strength",
        ),
        (
            lambda: lk.Scenario(
                (lk.Issue("x"),), (sides()[0], lk.Side("B", (lk.Constituency("b", seated=False),), leader="b"))
            ),
            "each side needs at least one seated constituency with positive strength",
        ),
    ],
)
def test_scenario_refuses(build, expected):
    with pytest.raises(ValueError) as err:
        build()
    assert str(err.value) == expected


def test_scenario_accepts_the_boundaries():
    s = lk.Scenario((lk.Issue("x"),), sides(), min_probability=1.0, confidence=0.999, gamma=2, status_quo=0.5)
    assert s.status_quo == (0.5,) and s.gamma == 2
    a = lk.Side("A", (lk.Constituency("a", tolerance=None),), leader="a")
    assert lk.Scenario((lk.Issue("x"),), (a, sides()[1]), status_quo=(0.3,)).batch().effective_tolerance()[0, 0] == 0.3
    # a term may name a side's cost, and a salience with one value applies to both issues
    two = lk.Scenario((lk.Issue("x"), lk.Issue("y")), sides(2), terms=(lk.Term("t", costs={"A": 0.1}),))
    assert two.batch().salience.shape == (1, 2, 2)


def test_scenario_lookups_name_what_is_missing():
    s = lk.canonical_scenario()
    with pytest.raises(KeyError, match="unknown side 'C'"):
        s.side_index("C")
    with pytest.raises(KeyError, match="unknown side 2"):
        s.side_index(2)
    assert s.side_index("B") == 1 and s.side_index(np.int64(1)) == 1 and s.side_index(0) == 0
    with pytest.raises(KeyError, match="unknown constituency 'x'"):
        s.locate("x")
    with pytest.raises(KeyError, match="unknown term 'x'"):
        s.term("x")
    with pytest.raises(KeyError, match="unknown term 'x'"):
        s.with_term("x", state="forced")
    with pytest.raises(KeyError, match="unknown issue 'y'"):
        s.with_issue("y", linked=False)
    assert s.locate("B_dove") == (1, 2)
    t = replace(s, terms=(lk.Term("t", state="unavailable"), lk.Term("u")))
    assert t.with_term("t", state="forced").term("t").state == "forced"
    assert t.with_term("t", state="forced").term("u").state == "optional"
    assert s.with_side("B", quota=0.6, label="bee").sides[1].label == "bee"
    assert s.with_side("B", quota=0.6).sides[1].rule.quota == 0.6
    assert s.with_side(1, rule=lk.RatificationRule(quota=0.7)).sides[1].rule.quota == 0.7


def test_batch_validation():
    s = lk.canonical_scenario()
    with pytest.raises(ValueError, match="at least one scenario"):
        lk.ScenarioBatch.from_scenarios([])
    with pytest.raises(ValueError, match="must share their structure"):
        lk.ScenarioBatch.from_scenarios([s, replace(s, gamma=2)])
    with pytest.raises(ValueError, match="must share their structure"):
        lk.ScenarioBatch.from_scenarios([s, replace(s, solution=lk.SplitZOPA(0.5))])
    with pytest.raises(KeyError, match="not per-scenario arrays"):
        s.batch().replace(names=("a",))
    with pytest.raises(ValueError, match="x must have shape"):
        lk.evaluate(s, np.zeros((1, 3, 2)))
    with pytest.raises(ValueError, match="x must have shape"):
        lk.evaluate(s, np.zeros((2, 3, 1)))
    with pytest.raises(TypeError, match="unknown solution concept"):
        lk.ScenarioBatch.from_scenarios([replace(s, solution="nash")])


def test_region_and_summary_validation():
    s = lk.canonical_scenario()
    with pytest.raises(KeyError, match="unknown side 'C'"):
        lk.win_set(s, "C")
    for c in (0.0, 1.5):
        with pytest.raises(ValueError, match="confidence must be in \\(0, 1\\]"):
            lk.zopa(s, confidence=c)
    assert lk.zopa(s, confidence=1.0).intervals_of() == [(0.4, 0.6)]
    with pytest.raises(ValueError, match="labels: expected 1 labels, got 2"):
        lk.solve(s).summary(labels=["a", "b"])


def test_numerics():
    with pytest.raises(TypeError, match="seed must be None, an int or a numpy.random.Generator, not str"):
        check_random_state("7")
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    assert check_random_state(np.int64(3)).random() == np.random.default_rng(3).random()
    assert isinstance(check_random_state(None), np.random.Generator)
    assert logistic(np.log(3.0)) == pytest.approx(0.75)  # 1 / (1 + 1/3)
    # mixed crisp and smooth scales: the indicator where the scale is 0, the logistic elsewhere
    out = scaled_logistic([-0.1, -1e-10, 0.1, np.log(3.0)], [0.0, 0.0, 0.0, 1.0])
    assert out.tolist() == [0.0, 1.0, 1.0, pytest.approx(0.75)]
    assert scaled_logistic(-2e-9, 0.0) == 0.0
    assert scaled_logistic(-1e-9, 0.0) == 1.0  # exactly on the tolerance: accepted
    assert scaled_logistic([-1e-9, -1e-9], [0.0, 1.0]).tolist() == [1.0, pytest.approx(0.5)]
    assert scaled_logistic([-1, 0, 2], 0.0).dtype == float and logistic(0).dtype == float
    # float64 whatever comes in
    assert logistic(np.float32(1.0)).dtype == np.float64
    assert scaled_logistic(np.float32([0.1]), np.float32([0.05])).dtype == np.float64
    assert scaled_logistic([[1.0], [-1.0]], [0.0, 0.0]).shape == (2, 2)
    assert scaled_logistic(np.log(3.0) * 0.5, 0.5) == pytest.approx(0.75)

"""Golden values: the canonical classroom scenario (casebook/front_matter/model.md §10) and the power-index anchors
(casebook/front_matter/model.md §8)."""

from dataclasses import replace
from fractions import Fraction as F

import numpy as np
import pytest

import levelii_kit as lk


@pytest.fixture
def canonical():
    return lk.canonical_scenario()


def test_case_file_is_the_canonical_scenario(canonical):
    case = lk.load_case("two_level_basics")
    a = lk.solve(case.scenario)
    b = lk.solve(canonical)
    assert a.point.tolist() == b.point.tolist() == [[0.5]]
    np.testing.assert_allclose(lk.support(case.scenario, [[0.3, 0.5, 0.7]]), lk.support(canonical, [[0.3, 0.5, 0.7]]))


def test_acceptable_intervals(canonical):
    expected = {
        "A_leader": (-0.6, 0.6),
        "A_hawk": (-0.75, 0.45),
        "A_dove": (-0.3, 0.9),
        "B_leader": (0.4, 1.6),
        "B_hawk": (0.55, 1.75),
        "B_dove": (0.1, 1.3),
    }
    for name, (lo, hi) in expected.items():
        c = canonical.constituency(name)
        assert c.ideal[0] - c.tolerance == pytest.approx(lo)
        assert c.ideal[0] + c.tolerance == pytest.approx(hi)
        g = lk.net_gain(canonical, [[lo + 1e-9, hi - 1e-9, lo - 1e-6, hi + 1e-6]])[
            0, :, canonical.constituency_names.index(name)
        ]
        assert (g[:2] >= 0).all() and (g[2:] < 0).all()


def test_no_vetoes(canonical):
    assert lk.win_set(canonical, "A").intervals_of() == [(0.0, 0.6)]
    assert lk.win_set(canonical, "B").intervals_of() == [(0.4, 1.0)]
    assert lk.zopa(canonical).intervals_of() == [(0.4, 0.6)]
    r = lk.solve(canonical)
    assert r.outcome() == lk.Deal((0.5,), (), 1.0)
    assert r.expected[0].tolist() == pytest.approx([-0.5, -0.5])
    assert r.disagreement[0].tolist() == pytest.approx([-0.6, -0.6])


def test_hawk_veto_schelling(canonical):
    s = canonical.with_constituency("A_hawk", blocking=1.0)
    assert lk.win_set(s, "A").intervals_of() == [(0.0, pytest.approx(0.45))]
    r = lk.solve(s)
    assert r.point[0, 0] == pytest.approx(0.45, abs=1e-12)
    assert r.expected[0, 0] - lk.solve(canonical).expected[0, 0] == pytest.approx(0.05)


def test_hawk_cliff(canonical):
    s = canonical.with_constituency("A_hawk", blocking=1.0, ideal=(-0.25,))
    assert lk.zopa(s).empty[0]
    out = lk.solve(s).outcome()
    assert isinstance(out, lk.NoDeal) and out.best_probability == 0.0


def test_helper_variant(canonical):
    s = canonical.with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    assert lk.solve(s).point[0, 0] == pytest.approx(0.55)
    s = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    assert isinstance(lk.solve(s).outcome(), lk.NoDeal)
    helped = lk.Mollify("A", target="B_hawk", amount=0.1).apply(s)
    assert lk.zopa(helped).intervals_of() == [(pytest.approx(0.45), pytest.approx(0.5))]
    r = lk.solve(helped)
    assert r.point[0, 0] == pytest.approx(0.5)
    ledger = lk.helper_ledger(s, [lk.Mollify("A", target="B_hawk", amount=0.1)])
    assert ledger.gross == pytest.approx(0.1) and ledger.break_even == pytest.approx(0.1)


def test_quadratic_acceptance_sequence(canonical):
    """casebook/front_matter/model.md §10 [V]: a vetoing hawk's boundary 0.55 -> 0.35 moves the outcome 0.50, 0.50,
    0.45, 0.42, no deal."""
    outcomes = []
    for bound in (0.55, 0.50, 0.45, 0.42, 0.35):
        s = replace(canonical, gamma=2).with_constituency("A_hawk", blocking=1.0, ideal=(bound - 0.6,))
        r = lk.solve(s)
        outcomes.append(round(float(r.point[0, 0]), 6) if r.agreed[0] else None)
    assert outcomes == [0.5, 0.5, 0.45, 0.42, None]


@pytest.mark.parametrize(
    "weights, quota, banzhaf, shapley",
    [
        ((4, 3, 2, 1), 6, [F(5, 12), F(1, 4), F(1, 4), F(1, 12)], [F(5, 12), F(1, 4), F(1, 4), F(1, 12)]),
        ((3, 2, 1), 4, [F(3, 5), F(1, 5), F(1, 5)], [F(2, 3), F(1, 6), F(1, 6)]),
        ((4, 4, 4, 2, 2, 1), 12, [F(5, 21)] * 3 + [F(1, 7)] * 2 + [F(0)], [F(7, 30)] * 3 + [F(3, 20)] * 2 + [F(0)]),
        ((9, 9, 7, 3, 1, 1), 16, [F(1, 3)] * 3 + [F(0)] * 3, [F(1, 3)] * 3 + [F(0)] * 3),
        ((1, 1, 1, 1, 1), 5, [F(1, 5)] * 5, [F(1, 5)] * 5),
    ],
)
def test_power_index_anchors(weights, quota, banzhaf, shapley):
    got = lk.power_indices(weights, quota, exact=True)
    assert got["banzhaf"] == banzhaf
    assert got["shapley_shubik"] == shapley
    floats = lk.power_indices(weights, quota)
    np.testing.assert_allclose(floats["banzhaf"], [float(v) for v in banzhaf], atol=1e-15)


@pytest.mark.parametrize(("payer", "point"), [("A", 0.45), ("B", 0.55)])
def test_a_forced_term_cost_moves_the_nash_point_towards_the_leader_who_pays(payer, point):
    """Canonical scenario, alpha = 0.5, gamma = 1, both leaders' slopes 1 (casebook/front_matter/model.md §10):
    the symmetric Nash point equalises the leaders' surpluses. A forced term costing A's leader c = 0.1 gives
    R - c - x = R - (1 - x), so x = (1 - c) / 2 = 0.45; charged to B's leader instead, x = (1 + c) / 2 = 0.55.
    (The test review's "term costs charged to the other side's leader" would swap the two.)"""
    term = lk.Term("price", costs={payer: 0.1}, state="forced")
    result = lk.solve(replace(lk.canonical_scenario(), terms=(term,)))
    assert result.chance[0] == pytest.approx(1.0)
    assert result.point[0, 0] == pytest.approx(point, abs=1e-6)

"""Solution concepts pinned by hand (the test review, section 4, recommendations 1 to 3 and 7).

Every number below is derived in a comment from the canonical scenario of casebook/front_matter/model.md §10:
one issue on [0, 1], A's leader at 0 and B's at 1, every tolerance 0.6, simple majorities, so that the ZOPA is
[0.4, 0.6], A's leader's surplus over no agreement is s_A(x) = 0.6 - x and B's is s_B(x) = x - 0.4 (linear loss), and
P_AB = 1 on the ZOPA (crisp).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.optimize import brentq
from strategies import wide_scenarios

import levelii_kit as lk


def canonical(**kw):
    return lk.canonical_scenario(**kw)


# ------------------------------------------------------------------------------------------ asymmetric alpha
@pytest.mark.parametrize(
    "alpha, point",
    [
        # max alpha log(0.6 - x) + (1 - alpha) log(x - 0.4): the first-order condition
        # (1 - alpha)(0.6 - x) = alpha (x - 0.4) gives x^N = (1 - alpha) 0.6 + alpha 0.4
        # (casebook/front_matter/model.md §5)
        (0.7, 0.46),  # 0.3 * 0.6 + 0.7 * 0.4
        (0.3, 0.54),  # 0.7 * 0.6 + 0.3 * 0.4
        (0.5, 0.5),
        (0.9, 0.42),  # 0.1 * 0.6 + 0.9 * 0.4
    ],
)
def test_asymmetric_alpha_golden(alpha, point):
    r = lk.solve(canonical(alpha=alpha))
    assert r.agreed[0]
    assert r.point[0, 0] == pytest.approx(point, abs=1e-12)
    # E_s = D_s + P_AB (U_s - D_s), D = -0.6: E_A = -0.6 + (0.6 - x) = -x, E_B = -0.6 + (x - 0.4) = x - 1
    assert r.expected[0].tolist() == pytest.approx([-point, point - 1.0], abs=1e-12)
    assert r.surplus[0].tolist() == pytest.approx([0.6 - point, point - 0.4], abs=1e-12)


@pytest.mark.parametrize("alpha, point", [(0.7, 0.46), (0.3, 0.54)])
def test_asymmetric_alpha_golden_smooth(alpha, point):
    # with a little noise the ratification terms are flat near x^N (every constituency but the hawks is
    # far from its red line), so the smooth solver lands on the same split
    r = lk.solve(canonical(alpha=alpha, noise=0.01))
    assert r.point[0, 0] == pytest.approx(point, abs=2e-3)


def test_alpha_is_a_power_of_side_a_not_b():
    """A larger alpha moves the deal towards A's end (low x) and raises E_A."""
    r = lk.solve(lk.ScenarioBatch.from_scenarios([canonical(alpha=a) for a in (0.2, 0.4, 0.6, 0.8)]))
    assert np.all(np.diff(r.point[:, 0]) < 0)
    assert np.all(np.diff(r.expected[:, 0]) > 0) and np.all(np.diff(r.expected[:, 1]) < 0)


@given(wide_scenarios(crisp=True, kinds=("nash",), terms=False), st.floats(0.1, 0.9), st.floats(0.1, 0.9))
def test_deal_non_increasing_in_alpha_crisp(s, a1, a2):
    """Topkis: the objective alpha (log s_A - log s_B) + ... has decreasing differences in (x, alpha) between the
    leaders' ideals, so d*(alpha) cannot rise with alpha there."""
    lo, hi = sorted((a1, a2))
    assume(hi - lo > 1e-3)
    r = lk.solve([replace(s, solution=lk.NashBargaining(a)) for a in (lo, hi)])
    assume(r.agreed.all())
    ta, tb = s.constituency("A0").ideal[0], s.constituency("B0").ideal[0]
    assume(((r.point[:, 0] >= ta) & (r.point[:, 0] <= tb)).all())
    assert r.point[1, 0] <= r.point[0, 0] + 1e-9


@given(wide_scenarios(crisp=False, kinds=("nash",), terms=False), st.floats(0.1, 0.9), st.floats(0.1, 0.9))
def test_deal_non_increasing_in_alpha_smooth(s, a1, a2):
    lo, hi = sorted((a1, a2))
    assume(hi - lo > 1e-3)
    r = lk.solve([replace(s, solution=lk.NashBargaining(a)) for a in (lo, hi)])
    assume(r.agreed.all())
    ta, tb = s.constituency("A0").ideal[0], s.constituency("B0").ideal[0]
    assume(((r.point[:, 0] >= ta) & (r.point[:, 0] <= tb)).all())
    assert r.point[1, 0] <= r.point[0, 0] + 2e-3  # the smooth solver's grid-and-refinement tolerance


# ------------------------------------------------------------------------------- SplitZOPA, AgendaSetter
@pytest.mark.parametrize(
    "beta, point",
    [(0.0, 0.4), (0.25, 0.45), (0.3, 0.46), (0.5, 0.5), (0.75, 0.55), (1.0, 0.6)],
)
def test_split_zopa_golden(beta, point):
    # d* = z_lo + beta (z_hi - z_lo) = 0.4 + 0.2 beta; beta is B's share (B wants x high)
    r = lk.solve(replace(canonical(), solution=lk.SplitZOPA(beta)))
    assert r.agreed[0] and r.point[0, 0] == pytest.approx(point, abs=1e-12)
    assert r.expected[0].tolist() == pytest.approx([-point, point - 1.0], abs=1e-12)


def test_split_zopa_measures_beta_from_the_side_that_wants_it_low():
    # mirror the canonical scenario (x -> 1 - x): the ZOPA is still [0.4, 0.6] but B now wants x low, so B's
    # share is measured down from the top: d* = z_hi - beta (z_hi - z_lo) = 0.6 - 0.25 * 0.2 = 0.55
    s = canonical()
    mirrored = replace(
        s,
        sides=tuple(
            replace(x, constituencies=tuple(replace(c, ideal=(1.0 - c.ideal[0],)) for c in x.constituencies))
            for x in s.sides
        ),
        solution=lk.SplitZOPA(0.25),
    )
    assert lk.solve(mirrored).point[0, 0] == pytest.approx(0.55, abs=1e-12)


def test_split_zopa_smooth_is_near_the_crisp_split():
    # noise 0.02: the ZOPA at c = 1/2 is [0.4, 0.6] up to the noise, so d* ~ 0.4 + 0.2 beta
    for beta, point in ((0.25, 0.45), (0.3, 0.46)):
        r = lk.solve(replace(canonical(noise=0.02), solution=lk.SplitZOPA(beta)))
        assert r.point[0, 0] == pytest.approx(point, abs=2e-3)


@pytest.mark.parametrize("proposer, point", [(0, 0.4), (1, 0.6)])
def test_agenda_setter_golden(proposer, point):
    # the proposer takes the end of the ZOPA it prefers (Tsebelis 2002): A the low end, B the high end
    r = lk.solve(replace(canonical(), solution=lk.AgendaSetter(proposer)))
    assert r.agreed[0] and r.point[0, 0] == pytest.approx(point, abs=1e-12)
    # A proposing: E_A = -0.4, E_B = -0.6 + (0.4 - 0.4) = -0.6; B proposing: the mirror image
    assert r.expected[0].tolist() == pytest.approx([-point, point - 1.0], abs=1e-12)


def test_agenda_setter_smooth():
    for proposer, point in ((0, 0.4), (1, 0.6)):
        r = lk.solve(replace(canonical(noise=0.01), solution=lk.AgendaSetter(proposer)))
        assert r.point[0, 0] == pytest.approx(point, abs=0.03)
        assert (r.point[0, 0] < 0.5) == (proposer == 0)


def test_agenda_setter_needs_only_the_proposer_to_gain():
    # B's leader is made to accept only x >= 0.4 but to gain nothing there: tolerance 0.6 -> B0's surplus is
    # x - 0.4, zero at 0.4. A proposing needs no surplus for B, so 0.4 qualifies; Nash needs both to gain.
    s = replace(canonical(), solution=lk.AgendaSetter(0))
    r = lk.solve(s)
    assert r.point[0, 0] == pytest.approx(0.4) and r.surplus[0, 1] == pytest.approx(0.0, abs=1e-12)


def test_no_gain_reasons_name_the_concept():
    # A's leader at -0.5 with tolerance 0.9 accepts [-1.4, 0.4]; hawk and dove (2 of 3) carry A up to 0.45, so
    # W_A = [0, 0.45] and the ZOPA is [0.4, 0.45] - where A's leader's surplus 0.9 - (x + 0.5) = 0.4 - x <= 0
    s = canonical().with_constituency("A_leader", ideal=(-0.5,), tolerance=0.9)
    assert lk.zopa(s).intervals_of() == [(pytest.approx(0.4), pytest.approx(0.45))]
    r = lk.solve(s)
    assert not r.agreed[0] and r.best_probability[0] == 1.0
    assert r.reason[0] == "no ratifiable deal leaves both leaders better off than no agreement"
    assert r.expected[0].tolist() == pytest.approx([-0.9, -0.6])  # E = D for no deal
    setter = lk.solve(replace(s, solution=lk.AgendaSetter(0)))
    assert setter.reason[0] == "no ratifiable deal leaves the proposer better off than no agreement"
    # B proposing needs only B to gain (x - 0.4 > 0): it takes the top of the ZOPA
    b = lk.solve(replace(s, solution=lk.AgendaSetter(1)))
    assert b.agreed[0] and b.point[0, 0] == pytest.approx(0.45)


# ------------------------------------------------------------------------------------------ gamma = 2
def test_gamma_two_cardinal_goldens():
    # gamma = 2: g_i = rho^2 - D^2; the acceptable sets are unchanged (D <= rho), so the ZOPA is [0.4, 0.6];
    # D_A = -rho^2 = -0.36; by symmetry d* = 0.5 and U_A(0.5) = -0.25, so E_A = -0.36 + 1 * 0.11 = -0.25
    r = lk.solve(replace(canonical(), gamma=2))
    # gamma = 2 maximises by golden-section search, accurate to about sqrt(machine epsilon)
    assert r.point[0, 0] == pytest.approx(0.5, abs=1e-7)
    assert r.disagreement[0].tolist() == pytest.approx([-0.36, -0.36], abs=1e-12)
    assert r.expected[0].tolist() == pytest.approx([-0.25, -0.25], abs=1e-7)
    assert r.surplus[0].tolist() == pytest.approx([0.11, 0.11], abs=1e-7)


def test_gamma_two_asymmetric_alpha():
    # maximise 0.7 log(0.36 - x^2) + 0.3 log(0.36 - (1 - x)^2); its first-order condition, solved independently
    def foc(x):
        return 0.7 * (-2 * x) / (0.36 - x * x) + 0.3 * 2 * (1 - x) / (0.36 - (1 - x) ** 2)

    x = brentq(foc, 0.41, 0.59)
    r = lk.solve(replace(canonical(alpha=0.7), gamma=2))
    assert r.point[0, 0] == pytest.approx(x, abs=1e-7)
    assert r.expected[0, 0] == pytest.approx(-(x**2), abs=1e-7)  # E_A = -0.36 + (0.36 - x^2)
    assert r.expected[0, 1] == pytest.approx(-((1 - x) ** 2), abs=1e-7)


def test_gamma_two_agenda_setter():
    # A proposes: the ZOPA's low end 0.4; E_A = -0.16, E_B = -0.36 + (0.36 - 0.36) = -0.36
    r = lk.solve(replace(canonical(), gamma=2, solution=lk.AgendaSetter(0)))
    assert r.point[0, 0] == pytest.approx(0.4) and r.expected[0].tolist() == pytest.approx([-0.16, -0.36])


def test_gamma_two_smooth_disagreement_and_expected():
    s = replace(canonical(noise=0.02, softness=0.02), gamma=2)
    r = lk.solve(s)
    assert r.disagreement[0].tolist() == pytest.approx([-0.36, -0.36])
    ev = lk.evaluate(s, r.point[:, None, :])
    expected = r.disagreement[0] + ev.joint[0, 0] * ev.surplus[0, 0]
    np.testing.assert_allclose(r.expected[0], expected, atol=1e-12)
    assert r.point[0, 0] == pytest.approx(0.5, abs=1e-6)


# ----------------------------------------------------------------------------------------- quota ties
def test_quota_tie_is_accepted():
    # A_dove with strength 0: A's weights are (1, 1, 0) and the quota 1/2 needs weight 1 of 2 - a single one of
    # leader and hawk reaches S = kappa exactly. W_A = [-0.6, 0.6] u [-0.75, 0.45] on [0, 1] = [0, 0.6], so the
    # ZOPA stays [0.4, 0.6] and d* = 0.5 (with S > kappa required it would be [0, 0.45] and d* = 0.45)
    s = canonical().with_constituency("A_dove", strength=0.0)
    assert lk.win_set(s, "A").intervals_of() == [(0.0, pytest.approx(0.6))]
    assert lk.solve(s).point[0, 0] == pytest.approx(0.5)
    assert lk.evaluate(s, [[0.55]]).side[0, 0, 0] == 1.0
    # two-thirds with weights (1, 1, 1): 2 of 3 is exactly 2/3
    t = canonical().with_side("A", quota=2 / 3)
    assert lk.evaluate(t, [[0.55]]).side[0, 0, 0] == 1.0
    assert lk.solve(t).point[0, 0] == pytest.approx(0.5)


def test_unanimity_quota_one():
    # quota 1: A needs all three: [-0.3, 0.45] -> W_A = [0, 0.45]; ZOPA [0.4, 0.45]; d* = clip(0.5) = 0.45
    s = canonical().with_side("A", quota=1.0)
    assert lk.solve(s).point[0, 0] == pytest.approx(0.45)
    assert lk.zopa(s).intervals_of() == [(pytest.approx(0.4), pytest.approx(0.45))]


def test_bloc_rule_tie_is_accepted():
    from levelii_kit.rules import bloc_layer

    # weights (1, 1), quota 1/2: one yes vote is exactly half the weight and passes
    assert float(bloc_layer(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 0.5)) == 1.0
    # p = (0.5, 0.5), quota 1: both must vote yes, 0.25 (the docstring's case); quota 1/2: 1 - 0.25 = 0.75
    assert float(bloc_layer(np.array([0.5, 0.5]), np.array([1.0, 1.0]), 0.5)) == pytest.approx(0.75)
    # weights (2, 1, 1), quota 3/4 of 4 = 3: {0,1}, {0,2}, {0,1,2} pass; p = (0.5, 0.5, 0.5) -> 3/8
    assert float(bloc_layer(np.full(3, 0.5), np.array([2.0, 1.0, 1.0]), 0.75)) == pytest.approx(3 / 8)


def test_bloc_rule_side_probability_in_evaluate():
    # the canonical A side in bloc form, crisp supports at x = 0.5: leader 1, hawk 0, dove 1 -> 2 of 3 vote yes
    s = canonical().with_side("A", form="bloc").with_side("B", form="bloc")
    ev = lk.evaluate(s, [[0.5]])
    assert ev.side[0, 0].tolist() == [1.0, 1.0]
    # noise 0.1 on A's hawk only: at x = 0.5 its gain is -0.05, p = 1/(1 + e^0.5); the other two are certain,
    # so 2 of 3 always pass under quota 1/2 -> P_A = 1; under quota 1 P_A = p_hawk
    s1 = s.with_constituency("A_hawk", noise=0.1).with_side("A", quota=1.0)
    p_hawk = 1.0 / (1.0 + math.exp(0.5))
    assert lk.evaluate(s1, [[0.5]]).side[0, 0, 0] == pytest.approx(p_hawk)
    assert lk.solve(s1).agreed[0]

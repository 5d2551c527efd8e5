"""Strictness witnesses for the one-sided properties (the test review, items 2.2 and 4.9).

P-2, P-3, P-4, P-5 and P-10 say that a change "never lowers" or "never raises" a probability; an implementation
in which the change has no effect at all passes them. Each test here is a hand-computed case where the change
must have an effect of a known size. Notation as in casebook/front_matter/model.md §2-§3: L(t) = 1 / (1 + e^-t).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import deal_scenarios

import levelii_kit as lk


def L(t):
    return 1.0 / (1.0 + math.exp(-t))


def side_a(s, x=0.5):
    return float(lk.evaluate(s, [[x]]).side[0, 0, 0])


# -------------------------------------------------------------------------------------------- P-2 strength
def test_p02a_strength_strictly_moves_the_share_rule():
    # canonical side A with softness 0.1 at x = 0.5: supports (leader 1, hawk 0, dove 1), S = 2/3, R = L(5/3)
    s = lk.canonical_scenario().with_side("A", softness=0.1)
    assert side_a(s) == pytest.approx(L((2 / 3 - 0.5) / 0.1))
    # a supporter (p = 1 > S) at strength 2: S = 3/4, R = L(2.5) - strictly higher
    assert side_a(s.with_constituency("A_dove", strength=2.0)) == pytest.approx(L(2.5))
    # an opponent (p = 0 < S) at strength 2: S = 2/4, R = L(0) = 1/2 - strictly lower
    assert side_a(s.with_constituency("A_hawk", strength=2.0)) == pytest.approx(0.5)


def test_p02a_strength_with_a_noisy_supporter():
    # A's hawk with noise 0.1 at x = 0.4: gain 0.45 - 0.4 = 0.05 -> p = L(0.5); dove and leader certain (1):
    # S = (2 + L(0.5)) / 3 with weights 1; the hawk (p < S) at weight 3: S = (2 + 3 L(0.5)) / 5, lower
    s = lk.canonical_scenario().with_side("A", softness=0.05).with_constituency("A_hawk", noise=0.1)
    p = L(0.5)
    assert side_a(s, 0.4) == pytest.approx(L(((2 + p) / 3 - 0.5) / 0.05))
    assert side_a(s.with_constituency("A_hawk", strength=3.0), 0.4) == pytest.approx(L(((2 + 3 * p) / 5 - 0.5) / 0.05))


def test_p02b_crisp_strength_strictly_changes_the_win_set():
    # A's hawk at strength 3 outweighs leader + dove (2 of 5 < 2.5): W_A shrinks from [0, 0.6] to the hawk's
    # [0, 0.45], and d* moves from 0.5 to 0.45
    s = lk.canonical_scenario().with_constituency("A_hawk", strength=3.0)
    assert lk.win_set(s, "A").intervals_of() == [(0.0, pytest.approx(0.45))]
    assert lk.solve(s).point[0, 0] == pytest.approx(0.45)


# --------------------------------------------------------------------------------------------- P-3 support
def noisy_veto():
    """A's hawk vetoes, noise 0.1; at x = 0.5 its gain is 0.6 - 0.65 = -0.05, so P_A = p_hawk = L(-0.5)."""
    return lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, noise=0.1)


@pytest.mark.parametrize("form", ["share", "bloc"])
def test_p03_support_strictly_raises_ratification(form):
    s = noisy_veto().with_side("A", form=form)
    assert side_a(s) == pytest.approx(L(-0.5))
    # each of these adds 0.05 to the hawk's gain -> L(0)
    assert side_a(s.with_constituency("A_hawk", payment=0.05)) == pytest.approx(0.5)
    assert side_a(s.with_constituency("A_hawk", payment=0.025, efficiency=2.0)) == pytest.approx(0.5)
    assert side_a(s.with_constituency("A_hawk", tolerance=0.65)) == pytest.approx(0.5)
    assert side_a(s.with_constituency("A_hawk", ideal=(-0.1,))) == pytest.approx(0.5)
    term = lk.Term("t", values={"A_hawk": 0.05}, state="forced")
    assert side_a(replace(s, terms=(term,))) == pytest.approx(0.5)
    # a threat of 0.05 takes 0.05 off -> L(-1); cutting it restores L(-0.5)
    assert side_a(s.with_constituency("A_hawk", threat=0.05)) == pytest.approx(L(-1.0))


def test_p03_gamma_two_support():
    # gamma = 2: gain 0.36 - 0.65^2 = -0.0625 at x = 0.5 -> L(-0.625); a payment of 0.0625 -> L(0)
    s = replace(noisy_veto(), gamma=2)
    assert side_a(s) == pytest.approx(L(-0.625))
    assert side_a(s.with_constituency("A_hawk", payment=0.0625)) == pytest.approx(0.5)


def test_p03_salience_scales_the_distance():
    # salience 4 doubles the distance: hawk at -0.15 is 2 * 0.65 = 1.3 from x = 0.5, gain 0.6 - 1.3 = -0.7 -> L(-7)
    s = noisy_veto().with_constituency("A_hawk", salience=4.0)
    assert side_a(s) == pytest.approx(L(-7.0))
    assert lk.net_gain(s, [[0.5]])[0, 0, 1] == pytest.approx(-0.7)


def test_p03_discretion_mixes_in_the_leader():
    # delta = 0.4: P_A = 0.4 p_leader + 0.6 R B = 0.4 * 1 + 0.6 * L(-0.5)
    s = noisy_veto().with_side("A", discretion=0.4)
    assert side_a(s) == pytest.approx(0.4 + 0.6 * L(-0.5))
    # at x = 0.7 A's leader (accepts up to 0.6) opposes: 0.4 * 0 + 0.6 * R B, and only the dove supports -> R = 0
    assert side_a(s, 0.7) == 0.0


# ---------------------------------------------------------------------------------------------- P-4 vetoes
def test_p04_blocking_strictly_lowers_ratification():
    # b = 0: the share rule passes (S = (2 + p) / 3 >= 1/2), P_A = 1; b = 1/2: 1 - 0.5 (1 - p); b = 1: p
    s = lk.canonical_scenario().with_constituency("A_hawk", noise=0.1)
    p = L(-0.5)
    got = [side_a(s.with_constituency("A_hawk", blocking=b)) for b in (0.0, 0.5, 1.0)]
    assert got == [pytest.approx(1.0), pytest.approx(1 - 0.5 * (1 - p)), pytest.approx(p)]
    ev = lk.evaluate(s.with_constituency("A_hawk", blocking=0.5), [[0.5]])
    assert ev.blocking[0, 0, 0] == pytest.approx(1 - 0.5 * (1 - p)) and ev.body[0, 0, 0] == 1.0


# ----------------------------------------------------------------------------------------------- P-5 quota
def test_p05_quota_strictly_shrinks():
    s = lk.canonical_scenario()
    assert lk.zopa(s.with_side("B", quota=0.75)).intervals_of() == [(pytest.approx(0.55), pytest.approx(0.6))]
    # smooth: B with softness 0.1 at x = 0.5: S_B = 2/3; quota 0.5 -> L(5/3), quota 0.6 -> L(2/3)
    t = s.with_side("B", softness=0.1)
    assert lk.evaluate(t, [[0.5]]).side[0, 0, 1] == pytest.approx(L(5 / 3))
    assert lk.evaluate(t.with_side("B", quota=0.6), [[0.5]]).side[0, 0, 1] == pytest.approx(L(2 / 3))


# ---------------------------------------------------------------------------------------------- P-10 size
def test_p10_larger_win_set_strictly_more_likely():
    s = lk.canonical_scenario().with_side("B", quota=0.75)
    small, big = lk.zopa(s).size[0], lk.zopa(s.with_side("B", quota=0.5)).size[0]
    assert small == pytest.approx(0.05) and big == pytest.approx(0.2)
    # creating a ZOPA: the helper variant's Mollify takes the best chance of agreement from 0 to 1
    v = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    v = v.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    assert lk.solve(v).best_probability[0] == 0.0
    assert lk.solve(lk.Mollify("A", target="B_hawk", amount=0.1).apply(v)).best_probability[0] == 1.0


def test_p10_smooth_payment_strictly_raises_the_best_chance():
    # A's vetoing hawk (noise 0.05) at -0.3 accepts up to 0.3, B's leader only from 0.4 (noise 0.05): no deal is
    # likely; a payment of 0.1 to B's leader (from 0.3) raises the best chance of agreement
    s = lk.canonical_scenario(noise=0.05).with_constituency("A_hawk", blocking=1.0, ideal=(-0.3,))
    x = np.linspace(0, 1, 1001)[None, :, None]
    before = lk.evaluate(s, x).joint.max()
    after = lk.evaluate(s.with_constituency("B_leader", payment=0.1), x).joint.max()
    assert after > before + 0.05


# ------------------------------------------------------------------------------------ P-9a(ii) and P-12/13
def test_p09a_schelling_gain_is_strict():
    # casebook/front_matter/model.md §10: A's hawk's veto moves d* from 0.5 to 0.45, and A gains exactly 0.05
    s = lk.canonical_scenario()
    gain = lk.solve(s.with_constituency("A_hawk", blocking=1.0)).expected[0, 0] - lk.solve(s).expected[0, 0]
    assert gain == pytest.approx(0.05)


@given(deal_scenarios(crisp=True, kinds=("nash",)), st.floats(0.1, 0.9))
def test_p14_invariances_on_deals(sm, scale):
    """P-14 on scenarios that reach a deal: relabelling, rescaling one side's weights and mirroring the issue."""
    s, _ = sm
    r = lk.solve(s)
    assert r.agreed[0]
    a, b = s.sides
    perm = replace(s, sides=(replace(a, constituencies=a.constituencies[::-1]), b))
    assert lk.solve(perm).point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-9)
    scaled = replace(
        s,
        sides=(a, replace(b, constituencies=tuple(replace(c, strength=c.strength * scale) for c in b.constituencies))),
    )
    assert lk.solve(scaled).point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-9)
    mirrored = replace(
        s,
        sides=tuple(
            replace(x, constituencies=tuple(replace(c, ideal=(1.0 - c.ideal[0],)) for c in x.constituencies))
            for x in s.sides
        ),
    )
    assert lk.solve(mirrored).point[0, 0] == pytest.approx(1.0 - r.point[0, 0], abs=1e-7)
    # swapping the sides with alpha -> 1 - alpha keeps the deal
    swapped = replace(s, sides=(b, a), solution=lk.NashBargaining(1 - s.solution.alpha))
    assert lk.solve(swapped).point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-7)


@given(deal_scenarios(crisp=True, kinds=("nash",)), st.lists(st.integers(0, 20), min_size=2, max_size=3))
def test_p12_shapley_efficiency_on_deals(sm, picks):
    s, _ = sm
    names = s.constituency_names
    makers = [
        lambda n: lk.Empower("A", target=n, factor=1.7),
        lambda n: lk.Mollify("A", target=n, amount=0.1),
        lambda n: lk.Inflame("A", target=n, amount=0.05),
        lambda n: lk.SidePayment("A", target=n, amount=0.1),
        lambda n: lk.SetBlocking("A", target=n, blocking=1.0),
        lambda n: lk.Reframe("A", target=n, shift=0.1),
    ]
    moves = [makers[k % len(makers)](names[k % len(names)]) for k in picks]
    led = lk.helper_ledger(s, moves)
    assert led.shapley["gross"].sum() == pytest.approx(led.gross, abs=1e-9)
    assert led.shapley["probability"].sum() == pytest.approx(led.probability_after - led.probability_before, abs=1e-9)
    assert led.likelihood + led.terms + led.baseline_shift == pytest.approx(led.gross, abs=1e-12)
    # the ledger's numbers are the solved subsets' numbers
    r = led.results
    assert led.gross == pytest.approx(r.expected[-1, 0] - r.expected[0, 0], abs=1e-12)
    assert led.probability_after == pytest.approx(r.chance[-1]) and led.probability_before == pytest.approx(r.chance[0])
    assume(r.agreed[0])
    assert led.probability_before == pytest.approx(r.probability[0])

"""Interventions from non-trivial starting states, and their effect on the outcome (the test review, item 4.4).

The contract tests in test_interventions.py start from receptivity 1 and no payment, where scaling by the
receptivity or adding to a payment cannot be told from ignoring it. Here every starting state is chosen so
that a wrong implementation gives a different number; each expected value is worked out in a comment.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import levelii_kit as lk


@pytest.fixture
def s():
    return lk.canonical_scenario()


def hawk(scenario, name="B_hawk"):
    return scenario.constituency(name)


# ------------------------------------------------------------------------------------------- statements
def test_reframe_with_backlash_moves_the_ideal_away(s):
    # psi = -0.5, shift 0.1 towards A's leader (at 0): the ideal moves -0.05 towards 0, i.e. 1.15 -> 1.2
    t = s.with_constituency("B_hawk", receptivity=-0.5)
    assert hawk(lk.Reframe("A", target="B_hawk", shift=0.1).apply(t)).ideal[0] == pytest.approx(1.2)


def test_reframe_scales_by_receptivity_and_never_overshoots(s):
    t = s.with_constituency("B_hawk", receptivity=0.5)
    assert hawk(lk.Reframe("A", target="B_hawk", shift=0.1).apply(t)).ideal[0] == pytest.approx(1.1)
    # a shift beyond the point moved towards stops there: 1.15 - min(5, 1.15) = 0
    assert hawk(lk.Reframe("A", target="B_hawk", shift=5.0).apply(s)).ideal[0] == pytest.approx(0.0)
    # an explicit point: towards 0.9 by 0.1 -> 1.05
    assert hawk(lk.Reframe("A", target="B_hawk", shift=0.1, toward=0.9).apply(s)).ideal[0] == pytest.approx(1.05)
    # actor B reframing A's hawk moves it towards B's leader (at 1): -0.15 -> -0.05
    assert hawk(lk.Reframe("B", target="A_hawk", shift=0.1).apply(s), "A_hawk").ideal[0] == pytest.approx(-0.05)
    # a third-party actor: towards the leader of the side opposite the target
    assert hawk(lk.Reframe("UN", target="A_hawk", shift=0.1).apply(s), "A_hawk").ideal[0] == pytest.approx(-0.05)
    # already at the point: nothing moves
    at = s.with_constituency("B_hawk", ideal=(0.0,))
    assert hawk(lk.Reframe("A", target="B_hawk", shift=0.1).apply(at)).ideal == (0.0,)


def test_reframe_in_two_issues_moves_along_the_line():
    # from (3, 4) towards (0, 0) by 1: the unit vector is -(0.6, 0.8), so the ideal becomes (2.4, 3.2)
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=1.0),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(3.0, 4.0), tolerance=1.0),), leader="b")
    s2 = lk.Scenario((lk.Issue("x", high=5.0), lk.Issue("y", high=5.0)), (a, b))
    moved = lk.Reframe("A", target="b", shift=1.0).apply(s2).constituency("b").ideal
    assert moved == (pytest.approx(2.4), pytest.approx(3.2))


def test_reframe_changes_the_outcome():
    # helper variant (casebook/front_matter/model.md §10): B's hawk vetoes and accepts
    # x >= 1.15 - 0.6 = 0.55, so d* = 0.55;
    # reframing it by 0.05 towards A gives 1.1 - 0.6 = 0.5, and d* = clip(0.5, [0.5, 0.6]) = 0.5
    base = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    assert lk.solve(base).point[0, 0] == pytest.approx(0.55)
    assert lk.solve(lk.Reframe("A", target="B_hawk", shift=0.05).apply(base)).point[0, 0] == pytest.approx(0.5)


def test_mollify_scales_by_receptivity_and_floors_at_zero(s):
    t = s.with_constituency("B_hawk", receptivity=0.5, threat=0.1)
    assert hawk(lk.Mollify("A", target="B_hawk", amount=0.1).apply(t)).threat == pytest.approx(0.05)  # 0.1 - 0.05
    assert hawk(lk.Mollify("A", target="B_hawk", amount=1.0).apply(t)).threat == 0.0  # 0.1 - 0.5 floored
    # backlash adds: 0.1 + 0.5 * 0.2
    u = s.with_constituency("B_hawk", receptivity=-0.5, threat=0.1)
    assert hawk(lk.Mollify("A", target="B_hawk", amount=0.2).apply(u)).threat == pytest.approx(0.2)


def test_inflame_adds_to_an_existing_threat(s):
    t = s.with_constituency("B_hawk", threat=0.1)
    assert hawk(lk.Inflame("A", target="B_hawk", amount=0.05).apply(t)).threat == pytest.approx(0.15)


def test_inflame_changes_the_outcome():
    # B's vetoing hawk accepts from 1.15 - 0.6 = 0.55 (d* = 0.55); a threat of 0.1 cuts its reach to 0.5, so it
    # accepts only from 0.65, above A's 0.6: the ZOPA is empty and there is no deal
    base = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, threat=0.0)
    assert lk.solve(base).point[0, 0] == pytest.approx(0.55)
    worse = lk.Inflame("A", target="B_hawk", amount=0.1).apply(base)
    r = lk.solve(worse)
    assert not r.agreed[0] and r.best_probability[0] == 0.0


def test_engage_is_reframe_then_mollify_scaled_by_receptivity(s):
    # psi = 0.5: ideal 1.15 - 0.5 * 0.1 = 1.1; threat 0.1 - 0.5 * 0.1 = 0.05
    t = s.with_constituency("B_hawk", receptivity=0.5, threat=0.1)
    out = hawk(lk.Engage("A", target="B_hawk", shift=0.1, threat_cut=0.1).apply(t))
    assert out.ideal[0] == pytest.approx(1.1) and out.threat == pytest.approx(0.05)


# ----------------------------------------------------------------------------------------- process form
def test_secrecy_multiplies_noise_and_cuts_threat_by_a_share():
    t = lk.canonical_scenario(noise=0.05).with_constituency("B_hawk", threat=0.2)
    out = lk.Secrecy("A", side="B", level=0.25, noise_factor=2.0).apply(t)
    assert hawk(out).noise == pytest.approx(0.1)  # 0.05 * 2, on every B constituency
    assert out.constituency("B_dove").noise == pytest.approx(0.1)
    assert hawk(out).threat == pytest.approx(0.15)  # 0.2 * (1 - 0.25)
    assert out.constituency("A_hawk").noise == pytest.approx(0.05)  # the other side is untouched
    quiet = lk.Secrecy("A", side="B", level=0.5, noise_factor=0.5).apply(t)
    assert hawk(quiet).noise == pytest.approx(0.025) and hawk(quiet).threat == pytest.approx(0.1)


def test_consult_multiplies_the_noise():
    t = lk.canonical_scenario(noise=0.08)
    assert hawk(lk.Consult("A", target="B_hawk", factor=0.25).apply(t)).noise == pytest.approx(0.02)


def test_timing_sets_what_it_names_and_nothing_else(s):
    t = s.with_constituency("B_hawk", threat=0.3, receptivity=-0.2)
    out = hawk(lk.Timing("A", target="B_hawk", threat=0.1).apply(t))
    assert out.threat == 0.1 and out.receptivity == -0.2
    out = hawk(lk.Timing("A", target="B_hawk", receptivity=0.4).apply(t))
    assert out.threat == 0.3 and out.receptivity == 0.4
    assert lk.Timing("A", target="B_hawk").apply(t) == t


def test_set_quota_and_discretion_change_the_outcome(s):
    # B quota 0.75: B needs all three of its members, [0.55, 1.3] -> ZOPA [0.55, 0.6], d* = 0.55
    tight = lk.SetQuota("A", side="B", quota=0.75).apply(s)
    assert tight.sides[1].rule.quota == 0.75 and tight.sides[0].rule.quota == 0.5
    assert lk.solve(tight).point[0, 0] == pytest.approx(0.55)
    # full discretion for B's leader: P_B = p_leader, so B ratifies from 0.4 again -> d* = 0.5
    free = lk.SetDiscretion("A", side="B", discretion=1.0).apply(tight)
    assert lk.solve(free).point[0, 0] == pytest.approx(0.5)


def test_set_blocking_partial_blocker():
    # B's hawk as an informal blocker (b = 0.5) with A capped at 0.5 by a vetoing A hawk (ideal -0.1):
    # on [0.4, 0.5] B's hawk opposes, P_B = 1 - 0.5 = 0.5, so the deal 0.5 carries P_AB = 0.5
    base = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    r = lk.solve(lk.SetBlocking("A", target="B_hawk", blocking=0.5).apply(base))
    assert r.point[0, 0] == pytest.approx(0.5) and r.probability[0] == pytest.approx(0.5)
    assert r.expected[0, 0] == pytest.approx(-0.6 + 0.5 * 0.1)  # D_A + P (U_A - D_A)


def test_unseat_changes_the_outcome(s):
    # B quota 0.75 with three members needs all of them: d* = 0.55 (above). Unseating B's hawk leaves leader and
    # dove (weight 2, need 1.5, so both): [0.4, 1.3] -> ZOPA [0.4, 0.6] and d* = 0.5; A gains 0.05
    tight = s.with_side("B", quota=0.75)
    before = lk.solve(tight)
    after = lk.solve(lk.Unseat("A", target="B_hawk").apply(tight))
    assert before.point[0, 0] == pytest.approx(0.55) and after.point[0, 0] == pytest.approx(0.5)
    assert after.expected[0, 0] - before.expected[0, 0] == pytest.approx(0.05)
    # seating it again restores 0.55
    again = lk.Seat("A", target="B_hawk").apply(lk.Unseat("A", target="B_hawk").apply(tight))
    assert lk.solve(again).point[0, 0] == pytest.approx(0.55)


def test_unseated_veto_player_cannot_block(s):
    # a vetoing B hawk accepts only from 0.55 (d* = 0.55); unseated, it neither counts nor blocks: d* = 0.5
    vetoing = s.with_constituency("B_hawk", blocking=1.0)
    assert lk.solve(vetoing).point[0, 0] == pytest.approx(0.55)
    assert lk.solve(lk.Unseat("A", target="B_hawk").apply(vetoing)).point[0, 0] == pytest.approx(0.5)
    assert lk.evaluate(lk.Unseat("A", target="B_hawk").apply(vetoing), [[0.45]]).side[0, 0, 1] == 1.0


# ---------------------------------------------------------------------------------- at the table, direct
def test_side_payment_adds_to_an_existing_payment(s):
    t = s.with_constituency("B_hawk", payment=0.1)
    out = hawk(lk.SidePayment("A", target="B_hawk", amount=0.05, efficiency=2.0).apply(t))
    assert out.payment == pytest.approx(0.15) and out.efficiency == 2.0


def test_side_payment_efficiency_scales_its_effect():
    # B's hawk vetoes from 0.55; a payment of 0.025 at efficiency 2 is worth 0.05: it accepts from 0.5 -> d* = 0.5
    base = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0)
    out = lk.SidePayment("A", target="B_hawk", amount=0.025, efficiency=2.0).apply(base)
    assert lk.solve(out).point[0, 0] == pytest.approx(0.5)
    half = lk.SidePayment("A", target="B_hawk", amount=0.025, efficiency=1.0).apply(base)
    assert lk.solve(half).point[0, 0] == pytest.approx(0.525)


def test_empower_multiplies_an_existing_strength(s):
    t = s.with_constituency("B_dove", strength=1.5)
    assert lk.Empower("A", target="B_dove", factor=2.0).apply(t).constituency("B_dove").strength == pytest.approx(3.0)


def test_empower_changes_the_outcome(s):
    # B quota 0.75 needs all three (d* = 0.55); B's dove at strength 3 (weight 5, need 3.75): leader + dove = 4
    # pass from 0.4 -> ZOPA [0.4, 0.6], d* = 0.5
    tight = s.with_side("B", quota=0.75)
    assert lk.solve(lk.Empower("A", target="B_dove", factor=3.0).apply(tight)).point[0, 0] == pytest.approx(0.5)


def test_restraint_scales_by_receptivity_and_touches_only_the_other_side(s):
    t = s.with_constituency("B_hawk", receptivity=0.5, threat=0.1).with_constituency("A_hawk", threat=0.1)
    out = lk.Restraint("A", threat_cut=0.1).apply(t)
    assert hawk(out).threat == pytest.approx(0.05)  # 0.1 - 0.5 * 0.1
    assert out.constituency("A_hawk").threat == pytest.approx(0.1)
    back = lk.Restraint("B", threat_cut=0.1).apply(t)
    assert back.constituency("A_hawk").threat == pytest.approx(0.0) and hawk(back).threat == pytest.approx(0.1)
    # backlash: receptivity -1 raises the threat
    neg = s.with_constituency("B_hawk", receptivity=-1.0, threat=0.1)
    assert hawk(lk.Restraint("A", threat_cut=0.05).apply(neg)).threat == pytest.approx(0.15)


def test_restraint_claim_cut_moves_the_actor_s_power(s):
    assert lk.Restraint("A", claim_cut=0.2).apply(s).solution.alpha == pytest.approx(0.3)
    assert lk.Restraint("B", claim_cut=0.2).apply(s).solution.alpha == pytest.approx(0.7)
    assert lk.Restraint("A", claim_cut=0.6).apply(s).solution.alpha == pytest.approx(0.01)  # clipped
    assert lk.Restraint("B", claim_cut=0.6).apply(s).solution.alpha == pytest.approx(0.99)
    split = replace(s, solution=lk.SplitZOPA(0.5))
    assert lk.Restraint("A", claim_cut=0.2).apply(split).solution.beta == pytest.approx(0.7)  # B's share grows
    assert lk.Restraint("B", claim_cut=0.2).apply(split).solution.beta == pytest.approx(0.3)
    assert lk.Restraint("A", claim_cut=0.9).apply(split).solution.beta == 1.0
    assert lk.Restraint("B", claim_cut=0.9).apply(split).solution.beta == 0.0
    setter = replace(s, solution=lk.AgendaSetter(1))
    assert lk.Restraint("A", claim_cut=0.2).apply(setter).solution == lk.AgendaSetter(1)
    # the outcome: alpha 0.5 - 0.2 = 0.3 -> x^N = 0.7 * 0.6 + 0.3 * 0.4 = 0.54
    assert lk.solve(lk.Restraint("A", claim_cut=0.2).apply(s)).point[0, 0] == pytest.approx(0.54)


def test_offer_term_optional_or_forced():
    # a term worth 0.05 to B's vetoing hawk (accepts from 0.55 without it, from 0.5 with it) at a cost to A of 0.01
    base = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0)
    term = lk.Term("assurance", values={"B_hawk": 0.05}, costs={"A": 0.01}, state="unavailable")
    s = replace(base, terms=(term,))
    assert lk.solve(s).point[0, 0] == pytest.approx(0.55)
    # optional: with it d* = 0.5, A's surplus 0.1 - 0.01 = 0.09 and B's 0.1, product 0.009; without it d* = 0.55,
    # 0.05 * 0.15 = 0.0075 -> the term is included
    opt = lk.solve(lk.OfferTerm("A", term="assurance").apply(s))
    assert opt.outcome() == lk.Deal((pytest.approx(0.5),), ("assurance",), 1.0)
    assert opt.expected[0, 0] == pytest.approx(-0.6 + 0.09)
    forced = lk.OfferTerm("A", term="assurance", force=True).apply(s)
    assert forced.term("assurance").state == "forced"
    assert lk.solve(forced).terms[0].tolist() == [True]


def test_link_issue_puts_it_back_on_the_table():
    s = lk.canonical_scenario().with_issue("x", linked=False)
    # unlinked, nobody's utility depends on x: every constituency gains its tolerance 0.6 everywhere
    assert lk.net_gain(s, [[0.0, 1.0]])[0].tolist() == [[0.6] * 6, [0.6] * 6]
    linked = lk.LinkIssue("A", issue="x").apply(s)
    assert lk.solve(linked).point[0, 0] == pytest.approx(0.5)


# ------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: lk.SetQuota("A", side="B", quota=0.0), "SetQuota.quota must be in (0.0, 1.0] (got 0.0)"),
        (lambda: lk.SetQuota("A", side="B", quota=1.5), "SetQuota.quota must be in (0.0, 1.0] (got 1.5)"),
        (lambda: lk.SetBlocking("A", target="h", blocking=1.2), "SetBlocking.blocking must be in [0.0, 1.0] (got 1.2)"),
        (lambda: lk.SetDiscretion("A", side="B", discretion=-0.1), "SetDiscretion.discretion must be in [0.0, 1.0]"),
        (lambda: lk.Secrecy("A", side="B", level=2.0), "Secrecy.level must be in [0.0, 1.0] (got 2.0)"),
        (lambda: lk.Secrecy("A", side="B", noise_factor=0.0), "Secrecy.noise_factor must be in (0.0, 100.0]"),
        (lambda: lk.Secrecy("A", side="B", noise_factor=101.0), "Secrecy.noise_factor must be in (0.0, 100.0]"),
        (lambda: lk.Consult("A", target="h", factor=0.0), "Consult.factor must be in (0.0, 1.0] (got 0.0)"),
        (lambda: lk.Consult("A", target="h", factor=1.5), "Consult.factor must be in (0.0, 1.0] (got 1.5)"),
        (lambda: lk.Timing("A", target="h", threat=-0.1), "Timing.threat must be in [0.0, inf] (got -0.1)"),
        (lambda: lk.Timing("A", target="h", receptivity=1.5), "Timing.receptivity must be in [-1.0, 1.0] (got 1.5)"),
        (lambda: lk.Mollify("A", target="h", amount=-1.0), "Mollify.amount must be in [0.0, inf] (got -1.0)"),
        (lambda: lk.Inflame("A", target="h", amount=-0.5), "Inflame.amount must be in [0.0, inf] (got -0.5)"),
        (lambda: lk.Reframe("A", target="h", shift=-0.1), "Reframe.shift must be in [0.0, inf] (got -0.1)"),
        (lambda: lk.Restraint("A", threat_cut=-1.0), "Restraint.threat_cut must be in [0.0, inf] (got -1.0)"),
        (lambda: lk.Restraint("A", claim_cut=0.995), "Restraint.claim_cut must be in [0.0, 0.99] (got 0.995)"),
        (lambda: lk.Empower("A", target="h", factor=0.0), "Empower.factor must be in (0.0, 1000000.0] (got 0.0)"),
        (lambda: lk.Empower("A", target="h", factor=2e6), "Empower.factor must be in (0.0, 1000000.0]"),
        (lambda: lk.SidePayment("A", target="h", amount=-0.1), "SidePayment.amount must be in [0.0, inf]"),
        (lambda: lk.SidePayment("A", target="h", efficiency=0.0), "SidePayment.efficiency must be in (0.0, 1000000.0]"),
        (lambda: lk.Engage("A", target="h", shift=-1.0), "Engage.shift must be in [0.0, inf] (got -1.0)"),
        (lambda: lk.Engage("A", target="h", threat_cut=-1.0), "Engage.threat_cut must be in [0.0, inf] (got -1.0)"),
        (lambda: lk.Mollify("A", target="h", cost=-0.01), "Mollify.cost must be in [0.0, inf] (got -0.01)"),
        (lambda: lk.Mollify("A", target="h", amount=float("inf")), "Mollify.amount must be a finite number (got inf)"),
        (lambda: lk.Mollify("A", target="h", amount=True), "Mollify.amount must be a finite number (got True)"),
        (lambda: lk.Mollify("A", target="h", amount="0.1"), "Mollify.amount must be a finite number (got '0.1')"),
    ],
)
def test_intervention_parameters_are_refused_with_their_range(build, message):
    with pytest.raises(ValueError) as err:
        build()
    assert str(err.value) == message if "(got" in message and message.endswith(")") else message in str(err.value)


def test_intervention_boundaries_are_accepted():
    assert lk.SetQuota("A", side="B", quota=1.0).quota == 1.0
    assert lk.Secrecy("A", side="B", level=0.0, noise_factor=100.0).noise_factor == 100.0
    assert lk.Consult("A", target="h", factor=1.0).factor == 1.0
    assert lk.Restraint("A", claim_cut=0.99).claim_cut == 0.99
    assert lk.Empower("A", target="h", factor=1e6).factor == 1e6
    assert lk.Timing("A", target="h", threat=0.0, receptivity=-1.0).receptivity == -1.0
    assert lk.Mollify("A", target="h", amount=0).amount == 0
    assert lk.Reframe("A", target="h", shift=0.1, toward=0.3).toward == (0.3,)
    assert lk.SidePayment("A", target="h", amount=0.0).cost == 0.0


def test_intervention_target_and_base_class():
    assert lk.Mollify("A", target="B_hawk").target == "B_hawk"
    assert lk.SetQuota("A", side="B").target == "B"
    assert lk.OfferTerm("A", term="t").target == "t"
    assert lk.LinkIssue("A", issue="x").target == "x"
    assert lk.Restraint("A").target == ""
    assert lk.Mollify("A", target="B_hawk").target_name == "B_hawk"
    with pytest.raises(NotImplementedError):
        lk.Intervention("A").apply(lk.canonical_scenario())
    s = lk.canonical_scenario()
    assert lk.Empower("A", target="B_dove", factor=2.0)(s) == lk.Empower("A", target="B_dove", factor=2.0).apply(s)
    assert lk.apply_all(s, []) is s
    both = lk.apply_all(s, [lk.Empower("A", target="B_dove", factor=2.0), lk.Empower("A", target="B_dove", factor=3.0)])
    assert both.constituency("B_dove").strength == 6.0

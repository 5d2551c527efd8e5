"""One named test per property P-1 to P-18 of casebook/front_matter/model.md §9 (hypothesis where the property is
general)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import grid, scenarios

import levelii_kit as lk
from levelii_kit.rules import bloc_layer

X = grid()


def _side_names(s):
    return [x.name for x in s.sides]


def _member_names(s, side):
    return [c.name for c in s.sides[side].constituencies]


# ------------------------------------------------------------------------------------------ basic sanity
@given(scenarios(crisp=False, extreme=True, discretion=True), st.sampled_from(["share", "bloc"]))
def test_p01_ranges(s, form):
    s = s.with_side(0, form=form).with_side(1, form=form)
    ev = lk.evaluate(s, np.linspace(-5, 5, 41)[None, :, None])
    for arr in (ev.support, ev.body, ev.blocking, ev.side, ev.joint):
        assert np.isfinite(arr).all()
        assert (arr >= 0).all() and (arr <= 1).all()
    r = lk.solve(s)
    assert 0 <= r.probability[0] <= 1 and 0 <= r.best_probability[0] <= 1


@given(scenarios(crisp=False, discretion=True), st.data())
def test_p02a_share_rule_monotone_in_strength(s, data):
    side = data.draw(st.integers(0, 1))
    name = data.draw(st.sampled_from(_member_names(s, side)))
    x = data.draw(st.floats(0, 1))
    ev = lk.evaluate(s, [[x]])
    i = s.constituency_names.index(name)
    p_i, share = ev.support[0, 0, i], ev.share[0, 0, side]
    stronger = s.with_constituency(name, strength=s.constituency(name).strength * 2 + 0.1)
    after = lk.evaluate(stronger, [[x]]).side[0, 0, side]
    before = ev.side[0, 0, side]
    if p_i >= share:
        assert after >= before - 1e-12
    else:
        assert after <= before + 1e-12


@given(scenarios(crisp=True), st.data())
def test_p02b_crisp_strength_only_helps_its_own_acceptable_set(s, data):
    side = data.draw(st.integers(0, 1))
    name = data.draw(st.sampled_from(_member_names(s, side)))
    i = s.constituency_names.index(name)
    before = lk.evaluate(s, X)
    after = lk.evaluate(s.with_constituency(name, strength=s.constituency(name).strength * 3), X)
    in_ai = before.gain[0, :, i] >= -1e-9
    w0, w1 = before.side[0, :, side] >= 0.5, after.side[0, :, side] >= 0.5
    assert not (w0 & in_ai & ~w1).any()  # W' n A_i contains W n A_i
    assert not (w1 & ~in_ai & ~w0).any()  # W' \ A_i within W \ A_i


def test_p02c_bloc_rule_counter_example_and_certain_voters():
    # documented counter-example: a likely supporter (p = 0.9 > S = 0.7) gains weight and R falls
    before = bloc_layer(np.array([0.5, 0.9]), np.array([1.0, 1.0]), 0.5)
    after = bloc_layer(np.array([0.5, 0.9]), np.array([1.0, 3.0]), 0.5)
    assert before == pytest.approx(0.95) and after == pytest.approx(0.9)
    # monotone for certain supporters and certain opponents
    rng = np.random.default_rng(0)
    for _ in range(200):
        p = rng.uniform(0, 1, 4)
        w = rng.uniform(0.1, 2, 4)
        q = rng.uniform(0.2, 1.0)
        for certain, direction in ((1.0, 1), (0.0, -1)):
            pp = p.copy()
            pp[0] = certain
            w2 = w.copy()
            w2[0] *= 2.5
            delta = bloc_layer(pp, w2, q) - bloc_layer(pp, w, q)
            assert direction * delta >= -1e-12


@given(scenarios(crisp=False, discretion=True), st.sampled_from(["share", "bloc"]), st.data())
def test_p03_monotone_in_support(s, form, data):
    s = s.with_side(0, form=form).with_side(1, form=form)
    name = data.draw(st.sampled_from(list(s.constituency_names)))
    x = data.draw(st.floats(0, 1))
    before = lk.evaluate(s, [[x]]).side
    c = s.constituency(name)
    for changed in (
        s.with_constituency(name, payment=c.payment + 0.2),
        s.with_constituency(name, threat=max(0.0, c.threat - 0.1)),
        s.with_constituency(name, tolerance=c.tolerance + 0.1),
    ):
        after = lk.evaluate(changed, [[x]]).side
        assert (after >= before - 1e-12).all()


# ------------------------------------------------------------------------------------------ institutions
@given(scenarios(crisp=False, discretion=True), st.data())
def test_p04_vetoes_shrink_win_sets(s, data):
    name = data.draw(st.sampled_from(list(s.constituency_names)))
    side = s.locate(name)[0]
    before = lk.evaluate(s, X).side[..., side]
    after = lk.evaluate(s.with_constituency(name, blocking=1.0), X).side[..., side]
    assert (after <= before + 1e-12).all()


@given(scenarios(crisp=True), st.data())
def test_p04_crisp_veto_intersects_and_absorbs(s, data):
    name = data.draw(st.sampled_from(list(s.constituency_names)))
    side, _ = s.locate(name)
    i = s.constituency_names.index(name)
    ev = lk.evaluate(s, X)
    w = ev.side[0, :, side] >= 0.5
    a_i = ev.gain[0, :, i] >= -1e-9
    veto = s.with_constituency(name, blocking=1.0)
    w_new = lk.evaluate(veto, X).side[0, :, side] >= 0.5
    assert (w_new == (w & a_i)).all()
    if (a_i | ~w).all():  # absorption: A_i contains W
        assert (w_new == w).all()


@given(scenarios(crisp=False, discretion=True), st.floats(0.2, 1.0), st.floats(0.2, 1.0), st.integers(0, 1))
def test_p05_quota_monotone(s, q1, q2, side):
    lo, hi = sorted((q1, q2))
    a = lk.evaluate(s.with_side(side, quota=lo), X).side[..., side]
    b = lk.evaluate(s.with_side(side, quota=hi), X).side[..., side]
    assert (b <= a + 1e-12).all()
    crisp = replace(
        s,
        sides=tuple(
            x.__class__(
                x.name,
                tuple(replace(c, noise=0.0) for c in x.constituencies),
                x.leader,
                replace(x.rule, softness=0.0, discretion=0.0),
            )
            for x in s.sides
        ),
    )
    wa = lk.evaluate(crisp.with_side(side, quota=lo), X).side[0, :, side] >= 0.5
    wb = lk.evaluate(crisp.with_side(side, quota=hi), X).side[0, :, side] >= 0.5
    assert not (wb & ~wa).any()


@given(scenarios(crisp=False), st.integers(0, 1), st.floats(0, 1))
def test_p06_discretion_linear_and_enlarging(s, side, x):
    values = [lk.evaluate(s.with_side(side, discretion=d), [[x]]) for d in (0.0, 0.5, 1.0)]
    p = [v.side[0, 0, side] for v in values]
    assert p[1] == pytest.approx((p[0] + p[2]) / 2, abs=1e-12)
    leader = values[0].support[0, 0, s.constituency_names.index(s.sides[side].leader)]
    assert p[2] == pytest.approx(leader, abs=1e-12)
    if leader >= p[0]:
        assert p[1] >= p[0] - 1e-12


@given(scenarios(crisp=True))
def test_p07_crisp_limit_is_the_classical_win_set(s):
    crisp = lk.evaluate(s, X)
    smooth_s = replace(
        s,
        sides=tuple(
            x.__class__(
                x.name,
                tuple(replace(c, noise=1e-6) for c in x.constituencies),
                x.leader,
                replace(x.rule, softness=1e-6),
            )
            for x in s.sides
        ),
    )
    smooth = lk.evaluate(smooth_s, X)
    away = (np.abs(crisp.gain[0]) > 1e-3).all(-1)
    for side in (0, 1):
        margin = np.abs(crisp.share[0, :, side] - s.sides[side].rule.quota) > 1e-3
        keep = away & margin
        assert np.allclose(smooth.side[0, keep, side], crisp.side[0, keep, side], atol=1e-3)


@given(scenarios(crisp=True, sq_mode=True, veto=False))
def test_p07_status_quo_unanimity_is_tsebelis_w_sq(s):
    q = s.status_quo[0]
    sides = tuple(
        x.__class__(x.name, tuple(replace(c, blocking=1.0) for c in x.constituencies), x.leader, x.rule)
        for x in s.sides
    )
    s = replace(s, sides=sides)
    x = X[0, :, 0]
    for side in (0, 1):
        inside = np.ones_like(x, bool)
        for c in s.sides[side].constituencies:
            t = c.ideal[0]
            inside &= np.abs(x - t) <= abs(q - t) + 1e-9
        got = lk.evaluate(s, X).side[0, :, side] >= 0.5
        assert (got == inside).all()
        assert lk.evaluate(s, [[q]]).side[0, 0, side] == 1.0  # "no change" is always ratifiable


# ---------------------------------------------------------------------------------- agreement, bargaining
@given(scenarios(crisp=True), st.sampled_from(["nash", "split", "setter"]))
def test_p08_empty_zopa_means_no_deal(s, kind):
    solution = {"nash": lk.NashBargaining(0.5), "split": lk.SplitZOPA(0.5), "setter": lk.AgendaSetter(0)}[kind]
    s = replace(s, solution=solution)
    assume(lk.zopa(s).empty[0])
    r = lk.solve(s)
    assert not r.agreed[0]
    assert r.expected[0].tolist() == r.disagreement[0].tolist()
    assert r.reason[0] != ""
    assert isinstance(r.outcome(), lk.NoDeal)


def test_p08_smooth_no_deal_reports_best_probability():
    s = lk.canonical_scenario(noise=0.1).with_constituency("A_hawk", blocking=1.0, ideal=(-0.6,))
    s = replace(s, min_probability=0.5)
    r = lk.solve(s)
    out = r.outcome()
    assert isinstance(out, lk.NoDeal)
    assert 0 < out.best_probability < 0.5


def _tighten(s, bound, below=True):
    """A zero-weight A veto player whose acceptable set is x <= bound (or x >= bound)."""
    c = lk.Constituency(
        "tight", ideal=(bound - 5.0 if below else bound + 5.0,), tolerance=5.0, strength=0.0, blocking=1.0
    )
    a = s.sides[0]
    return replace(s, sides=(replace(a, constituencies=a.constituencies + (c,)), s.sides[1]))


def _interior_deal(s):
    """Solve a crisp scenario with a deal inside a contiguous feasible set: (result, outcome, feasible points)."""
    r0 = lk.solve(s)
    assume(r0.agreed[0])
    xs, contiguous = _feasible(s)
    assume(contiguous and xs.size > 4)
    return r0, r0.point[0, 0], xs


def _feasible(s):
    ev = lk.evaluate(s, X)
    ok = (ev.joint[0] >= 0.5) & (ev.surplus[0] > 0).all(-1)
    xs = X[0, :, 0][ok]
    contiguous = ok.sum() == 0 or np.all(np.diff(np.flatnonzero(ok)) == 1)
    return xs, contiguous


@given(scenarios(crisp=True, veto=True), st.floats(0, 1))
def test_p09a_schelling_crisp(s, u):
    r0, d, xs = _interior_deal(s)
    lo = xs.min()
    assume(d - lo > 0.02)
    # (i) a constraint that does not bind changes nothing
    c = d + u * (1.0 - d)
    assert lk.solve(_tighten(s, c)).point[0, 0] == pytest.approx(d, abs=1e-9)
    # (ii) a binding constraint inside the feasible set: the outcome moves to it, better for A
    #      (opposed leaders: A's leader prefers every lower feasible deal)
    assume(s.constituency(s.sides[0].leader).ideal[0] <= lo)
    c = lo + 0.005 + u * (d - lo - 0.01)
    r = lk.solve(_tighten(s, c))
    assert r.agreed[0] and r.point[0, 0] == pytest.approx(c, abs=1e-9)
    assert r.expected[0, 0] >= r0.expected[0, 0] - 1e-12
    # (iii) too hawkish: no deal, worse for A whenever the deal was worth something to A
    r = lk.solve(_tighten(s, lo - 0.01))
    assert not r.agreed[0]
    if r0.surplus[0, 0] > 0:
        assert r.expected[0, 0] < r0.expected[0, 0]


def test_p09b_smooth_schelling_hump():
    """Iida (1993): with noise, A's expected value rises then falls as A's hawks strengthen."""
    base = replace(lk.canonical_scenario(noise=0.05, softness=0.05), gamma=2)
    base = base.with_constituency("A_hawk", ideal=(-0.3,))
    weights = np.linspace(0, 6, 25)
    batch = lk.ScenarioBatch.from_scenarios([base.with_constituency("A_hawk", strength=w) for w in weights])
    r = lk.solve(batch)
    e = r.expected[:, 0]
    peak = int(np.argmax(e))
    assert 0 < peak < len(weights) - 1, e
    assert e[peak] > e[0] + 1e-4 and e[peak] > e[-1] + 1e-4
    assert r.probability[-1] < r.probability[0]  # the tighter constraint risks no deal
    assert r.point[-1, 0] < r.point[0, 0]  # and moves the deal towards A


@given(scenarios(crisp=True, veto=True), st.floats(0.1, 0.9))
def test_p09c_direction_matters(s, u):
    r0, d, xs = _interior_deal(s)
    hi = xs.max()
    assume(hi - d > 0.02)
    c = d + 0.005 + u * (hi - d - 0.01)
    r = lk.solve(_tighten(s, c, below=False))
    assert r.agreed[0] and r.point[0, 0] == pytest.approx(c, abs=1e-9)
    assert r.expected[0, 0] < r0.expected[0, 0]


def test_p09d_two_sided_constraints():
    base = replace(lk.canonical_scenario(noise=0.05, softness=0.05), gamma=2)
    base = base.with_constituency("A_hawk", ideal=(-0.2,)).with_constituency("B_hawk", ideal=(1.2,))
    batch = lk.ScenarioBatch.from_scenarios(
        [base.with_constituency("A_hawk", strength=w).with_constituency("B_hawk", strength=w) for w in (0.0, 2.0)]
    )
    r = lk.solve(batch)
    assert r.point[:, 0] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert r.probability[1] < r.probability[0]
    assert (r.expected[1] < r.expected[0]).all()
    # crisp: the clip into the narrower ZOPA; crossing bounds mean no deal
    crisp = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, ideal=(-0.13,))  # A up to 0.47
    crisp = crisp.with_constituency("B_hawk", blocking=1.0, ideal=(1.02,))  # B from 0.42
    assert lk.zopa(crisp).intervals_of() == [(pytest.approx(0.42), pytest.approx(0.47))]
    assert lk.solve(crisp).point[0, 0] == pytest.approx(0.47)  # A's bound binds: A gains over 0.5
    crossed = crisp.with_constituency("B_hawk", ideal=(1.1,))  # B from 0.5 > 0.47
    assert not lk.solve(crossed).agreed[0]


@given(scenarios(crisp=True), st.data())
def test_p10_larger_win_set_more_likely(s, data):
    side = data.draw(st.integers(0, 1))
    q = s.sides[side].rule.quota
    bigger = s.with_side(side, quota=max(0.05, q - data.draw(st.floats(0.0, 0.5))))
    z0 = lk.evaluate(s, X).joint[0] >= 0.5
    z1 = lk.evaluate(bigger, X).joint[0] >= 0.5
    assert not (z0 & ~z1).any()
    assert lk.solve(bigger).best_probability[0] >= lk.solve(s).best_probability[0] - 1e-12


@given(scenarios(crisp=False), st.data())
def test_p10_smooth_max_probability_rises(s, data):
    side = data.draw(st.integers(0, 1))
    name = data.draw(st.sampled_from(_member_names(s, side)))
    helped = s.with_constituency(name, payment=0.2)
    assert lk.evaluate(helped, X).joint.max() >= lk.evaluate(s, X).joint.max() - 1e-12
    for c in (0.3, 0.5, 0.8):
        z0 = lk.evaluate(s, X).joint[0] >= c
        z1 = lk.evaluate(helped, X).joint[0] >= c
        assert not (z0 & ~z1).any()


@given(scenarios(crisp=True, sq_mode=True, veto=True), st.data())
def test_p11_helping_pays_in_status_quo_mode(s, data):
    b_members = _member_names(s, 1)[1:]
    assume(b_members)
    name = data.draw(st.sampled_from(b_members))
    r0 = lk.solve(s)
    xs0, _ = _feasible(s)
    helped = lk.SidePayment("A", target=name, amount=data.draw(st.floats(0.01, 0.5))).apply(s)
    xs1, _ = _feasible(helped)
    assume(xs0.size and xs1.size and xs1.max() == xs0.max())  # only B's end of the ZOPA moves
    r1 = lk.solve(helped)
    assert r1.best_probability[0] >= r0.best_probability[0]
    if r0.agreed[0]:
        assert r1.agreed[0] and r1.point[0, 0] <= r0.point[0, 0] + 1e-9
    led = lk.helper_ledger(s, [lk.SidePayment("A", target=name, amount=0.0, cost=0.0)])
    assert led.gross == pytest.approx(0.0)
    assert r1.expected[0, 0] >= r0.expected[0, 0] - 1e-12


def test_p11_counter_example_union_of_intervals():
    """casebook/front_matter/model.md §9, P-11 caveat: when B's win-set is a union of intervals, enlarging it can
    open a component on A's
    unfavourable side of x^N; the Nash product rises while A's terms get worse."""
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0,), tolerance=0.8),), leader="a")
    b = lk.Side(
        "B",
        (
            lk.Constituency("b", ideal=(1.0,), tolerance=0.9),  # accepts [0.1, 1.9]
            lk.Constituency("h1", ideal=(0.2,), tolerance=0.1),  # accepts [0.1, 0.3]
            lk.Constituency("h2", ideal=(0.8,), tolerance=0.1),  # accepts [0.7, 0.9]
        ),
        leader="b",
        rule=lk.RatificationRule(quota=0.6),
    )
    s = lk.Scenario((lk.Issue("x"),), (a, b))
    assert lk.win_set(s, "B").intervals_of() == [
        (pytest.approx(0.1), pytest.approx(0.3)),
        (pytest.approx(0.7), pytest.approx(0.9)),
    ]
    before = lk.solve(s)
    assert before.point[0, 0] == pytest.approx(0.3)  # x^N = 0.45; the component [0.1, 0.3] wins
    helped = lk.SidePayment("A", target="h2", amount=0.2, cost=0.0).apply(s)  # h2 now accepts [0.5, 1.1]
    after = lk.solve(helped)
    assert after.best_probability[0] >= before.best_probability[0]  # helping never lowers the chance
    assert after.point[0, 0] == pytest.approx(0.5)  # but the deal jumps to the new component
    assert after.expected[0, 0] < before.expected[0, 0]  # and A's terms are worse


# --------------------------------------------------------------------------------------- accounting
MOVES = st.sampled_from(
    [
        lambda n: lk.Empower("A", target=n, factor=1.7),
        lambda n: lk.Mollify("A", target=n, amount=0.1),
        lambda n: lk.Inflame("A", target=n, amount=0.05),
        lambda n: lk.SidePayment("A", target=n, amount=0.1),
        lambda n: lk.SetBlocking("A", target=n, blocking=1.0),
        lambda n: lk.Reframe("A", target=n, shift=0.1),
    ]
)


@given(scenarios(crisp=True), st.lists(st.tuples(MOVES, st.integers(0, 10)), min_size=1, max_size=3))
def test_p12_purity_and_shapley(s, specs):
    names = s.constituency_names
    moves = [make(names[k % len(names)]) for make, k in specs]
    frozen = repr(s)
    for mv in moves:
        mv.apply(s)
    assert repr(s) == frozen  # apply never mutates
    ident = lk.Empower("A", target=names[0], factor=1.0)
    assert lk.solve(ident.apply(s)).point.tolist() == lk.solve(s).point.tolist()
    led = lk.helper_ledger(s, moves + [ident])
    for key in ("gross", "probability", "likelihood", "terms"):
        assert led.shapley[key].sum() == pytest.approx(
            {
                "gross": led.gross,
                "probability": led.probability_after - led.probability_before,
                "likelihood": led.likelihood,
                "terms": led.terms,
            }[key],
            abs=1e-9,
        )  # efficiency
    assert led.shapley["gross"][-1] == pytest.approx(0.0, abs=1e-12)  # dummy
    # moves on disjoint fields commute
    a, b = lk.Empower("A", target=names[0], factor=2.0), lk.Mollify("A", target=names[-1], amount=0.1)
    assert a.apply(b.apply(s)) == b.apply(a.apply(s))


@given(scenarios(crisp=False), st.data())
def test_p13_ledger_accounting(s, data):
    names = s.constituency_names
    moves = [
        lk.SidePayment("A", target=data.draw(st.sampled_from(names)), amount=0.1),
        lk.Mollify("A", target=data.draw(st.sampled_from(names)), amount=0.1, cost=0.03),
    ]
    led = lk.helper_ledger(s, moves)
    assert led.net == pytest.approx(led.gross - led.cost)
    assert led.cost == pytest.approx(0.13)
    assert led.likelihood + led.terms + led.baseline_shift == pytest.approx(led.gross, abs=1e-12)
    zero = lk.SidePayment("A", target=names[0], amount=0.0)
    assert zero.apply(s).constituency(names[0]).payment == s.constituency(names[0]).payment
    name = data.draw(st.sampled_from(names))
    backlash = s.with_constituency(name, receptivity=-abs(s.constituency(name).receptivity))
    i = names.index(name)
    before = lk.evaluate(backlash, X).support[0, :, i]
    after = lk.evaluate(lk.Mollify("A", target=name, amount=0.2).apply(backlash), X).support[0, :, i]
    assert (after <= before + 1e-12).all()


# --------------------------------------------------------------------------------------- invariances
@given(scenarios(crisp=True), st.randoms(use_true_random=False), st.floats(0.1, 10), st.floats(-2, 2))
def test_p14_invariances(s, rnd, scale, shift):
    r = lk.solve(s)
    # permuting constituencies within a side (the leader stays the leader)
    sides = []
    for x in s.sides:
        members = list(x.constituencies)
        rnd.shuffle(members)
        sides.append(replace(x, constituencies=tuple(members)))
    perm = lk.solve(replace(s, sides=tuple(sides)))
    assert perm.agreed[0] == r.agreed[0]
    if r.agreed[0]:
        assert perm.point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-9)
    # scaling one side's weights
    scaled = replace(
        s,
        sides=(
            replace(
                s.sides[0],
                constituencies=tuple(replace(c, strength=c.strength * scale) for c in s.sides[0].constituencies),
            ),
            s.sides[1],
        ),
    )
    sc = lk.solve(scaled)
    assert sc.agreed[0] == r.agreed[0]
    if r.agreed[0]:
        assert sc.point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-9)
    # translating ideals and the issue range together
    moved = replace(
        s,
        issues=(lk.Issue("x", low=shift, high=1.0 + shift),),
        sides=tuple(
            replace(x, constituencies=tuple(replace(c, ideal=(c.ideal[0] + shift,)) for c in x.constituencies))
            for x in s.sides
        ),
    )
    mv = lk.solve(moved)
    assert mv.agreed[0] == r.agreed[0]
    if r.agreed[0]:
        assert mv.point[0, 0] == pytest.approx(r.point[0, 0] + shift, abs=1e-9)


@given(scenarios(crisp=True), st.floats(0.1, 0.9))
def test_p14_symmetry(s, alpha):
    s = replace(s, solution=lk.NashBargaining(alpha))
    r = lk.solve(s)
    swapped = replace(s, sides=(s.sides[1], s.sides[0]), solution=lk.NashBargaining(1 - alpha))
    rs = lk.solve(swapped)
    assert rs.agreed[0] == r.agreed[0]
    mirrored = replace(
        s,
        sides=tuple(
            replace(x, constituencies=tuple(replace(c, ideal=(1.0 - c.ideal[0],)) for c in x.constituencies))
            for x in s.sides
        ),
    )
    rm = lk.solve(mirrored)
    assert rm.agreed[0] == r.agreed[0]
    if r.agreed[0]:
        assert rs.point[0, 0] == pytest.approx(r.point[0, 0], abs=1e-9)
        assert rm.point[0, 0] == pytest.approx(1.0 - r.point[0, 0], abs=1e-9)


def test_p14_mirror_image_sides_give_the_midpoint():
    for noise in (0.0, 0.05):
        r = lk.solve(lk.canonical_scenario(noise=noise, softness=noise))
        assert r.point[0, 0] == pytest.approx(0.5, abs=1e-6)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=7), st.floats(0.3, 1.0), st.data())
def test_p15_power_indices(weights, share, data):
    w = np.array(weights, float)
    assume(w.sum() > 0)
    quota = share * w.sum()
    veto = data.draw(st.lists(st.booleans(), min_size=len(w), max_size=len(w)))
    idx = lk.power_indices(w, quota, veto)
    for key in ("banzhaf", "shapley_shubik"):
        v = idx[key]
        if v.sum() > 0:
            assert v.sum() == pytest.approx(1.0)
        assert (v >= 0).all()
        assert (v[w == 0][~np.array(veto)[w == 0]] == 0).all()  # zero-weight non-veto players are dummies
        for i in range(len(w)):
            for j in range(len(w)):
                if w[i] == w[j] and veto[i] == veto[j]:
                    assert v[i] == pytest.approx(v[j])  # symmetric players
                if veto[i] and not veto[j]:
                    assert v[i] >= v[j] - 1e-12  # veto players weigh at least as much


# --------------------------------------------------------------------------------------- numerics
@given(st.lists(scenarios(crisp=False, max_members=3), min_size=2, max_size=4))
def test_p16_batch_consistency(items):
    base = items[0]
    batch_items = [
        replace(
            base,
            sides=tuple(
                replace(
                    x,
                    constituencies=tuple(
                        replace(c, strength=o.constituencies[min(k, len(o.constituencies) - 1)].strength)
                        for k, c in enumerate(x.constituencies)
                    ),
                )
                for x, o in zip(base.sides, it.sides)
            ),
        )
        for it in items
    ]
    batch = lk.ScenarioBatch.from_scenarios(batch_items)
    together = lk.solve(batch)
    for k, item in enumerate(batch_items):
        alone = lk.solve(item)
        assert together.agreed[k] == alone.agreed[0]
        np.testing.assert_allclose(together.probability[k], alone.probability[0], atol=1e-9)
        if alone.agreed[0]:
            np.testing.assert_allclose(together.point[k], alone.point[0], atol=1e-9)


def test_p16_float32_and_seed():
    s = lk.canonical_scenario(noise=0.05, softness=0.05)
    batch = lk.ScenarioBatch.from_scenarios([s.with_constituency("A_hawk", strength=w) for w in np.linspace(0, 3, 16)])
    r64 = lk.solve(batch)
    r32 = lk.solve(batch.astype(np.float32))
    np.testing.assert_allclose(r32.point, r64.point, atol=2e-3)  # documented float32 tolerance
    np.testing.assert_allclose(r32.probability, r64.probability, atol=2e-3)
    spec = {"A_hawk.strength": ("uniform", 0, 3), "B.quota": ("triangular", 0.4, 0.5, 0.7)}
    a = lk.monte_carlo(s, spec, draws=300, seed=11)
    b = lk.monte_carlo(s, spec, draws=300, seed=11)
    c = lk.monte_carlo(s, spec, draws=300, seed=12)
    assert a.summary() == b.summary()
    assert (a.draws["B.quota"] == b.draws["B.quota"]).all() and not (a.draws["B.quota"] == c.draws["B.quota"]).all()


@given(scenarios(crisp=False), st.data())
def test_p17_continuity(s, data):
    s = replace(s, sides=tuple(replace(x, rule=replace(x.rule, softness=max(x.rule.softness, 0.01))) for x in s.sides))
    name = data.draw(st.sampled_from(list(s.constituency_names)))
    field = data.draw(st.sampled_from(["strength", "tolerance", "threat", "ideal"]))
    c = s.constituency(name)
    eps = 1e-7
    value = getattr(c, field)
    nudged = s.with_constituency(name, **{field: (value[0] + eps,) if field == "ideal" else value + eps})
    x = [[data.draw(st.floats(0, 1))]]
    a, b = lk.evaluate(s, x), lk.evaluate(nudged, x)
    assert np.abs(a.side - b.side).max() < 1e-7 / 1e-6  # Lipschitz with a generous constant
    ea = a.surplus * a.joint[..., None]
    eb = b.surplus * b.joint[..., None]
    assert np.abs(ea - eb).max() < 1e-1 * 1e-7 / 1e-6


def test_p18_resolution_convergence():
    crisp = lk.solve(lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0)).point[0, 0]
    for noise in (0.01, 0.003, 0.001):
        r = lk.solve(lk.canonical_scenario(noise=noise).with_constituency("A_hawk", blocking=1.0))
        assert abs(r.point[0, 0] - crisp) < 6 * noise
    # too fine for the grid: the crisp path is used, exactly
    tiny = lk.solve(lk.canonical_scenario(noise=1e-7).with_constituency("A_hawk", blocking=1.0))
    assert tiny.point[0, 0] == pytest.approx(crisp, abs=1e-12)

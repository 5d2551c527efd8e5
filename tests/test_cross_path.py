"""The model's three implementations agree (the test review, items 2.4 and 4.7).

``support.evaluate`` is the reference: it computes support, ratification and surpluses at any deal. The solver
has its own fast arithmetic (``solver._light_1d``), an exact crisp path (``_solve_crisp_1d``), a closed form for
the textbook crisp case (``_solve_textbook_crisp_1d``) and a grid-and-refinement smooth path. Here the solver's
choice is checked against the objective computed from ``evaluate`` at every acceptable-interval endpoint, the
midpoints between them and a fine grid (the crisp model is piecewise constant between endpoints and its
objective concave on each piece, so this set reaches every piece), and the fast paths against each other.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import deal_scenarios, scenarios, wide_scenarios

import levelii_kit as lk
from levelii_kit import solver

GRID = np.linspace(0.0, 1.0, 2001)


def combos(s):
    """Allowed term inclusions of a scenario."""
    out = []
    for z in itertools.product((0.0, 1.0), repeat=len(s.terms)):
        if all(
            not (on and t.state == "unavailable") and not (not on and t.state == "forced") for on, t in zip(z, s.terms)
        ):
            out.append(np.array(z))
    return out


def endpoints(s, z):
    """Ends of every acceptable interval, by hand: radius (rho^g + e pi - h + z.v)^(1/g) / sqrt(sigma)."""
    out = []
    for c in s.constituencies:
        reach = c.tolerance**s.gamma + c.efficiency * c.payment - c.threat
        reach += sum(zm * t.values.get(c.name, 0.0) for zm, t in zip(z, s.terms))
        if reach >= 0 and c.salience[0] > 0:
            r = reach ** (1.0 / s.gamma) / np.sqrt(c.salience[0])
            out += [c.ideal[0] - r, c.ideal[0] + r]
    return out


def candidates(s, z):
    pts = np.clip(np.array(endpoints(s, z) + [0.0, 1.0]), 0.0, 1.0)
    pts = np.unique(pts)
    return np.unique(np.concatenate([pts, (pts[:-1] + pts[1:]) / 2, GRID]))


def objective_weights(s):
    sol = s.solution
    if isinstance(sol, lk.AgendaSetter):
        w = np.array([1.0, 0.0]) if sol.proposer == 0 else np.array([0.0, 1.0])
        return w, w > 0
    return np.array([sol.alpha, 1 - sol.alpha]), np.array([True, True])


def objective(s, x, z, crisp):
    """The solution concept's objective from ``evaluate``: log P_A + log P_B + sum_s w_s log(U_s - D_s),
    -inf where infeasible."""
    w, needs = objective_weights(s)
    ev = lk.evaluate(s, np.asarray(x, float)[None, :, None], np.broadcast_to(z, (1, len(x), len(z))), crisp=crisp)
    surplus = ev.surplus[0]
    ok = (ev.joint[0] >= s.min_probability) & ((surplus > 0) | ~needs).all(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.log(ev.side[0, :, 0]) + np.log(ev.side[0, :, 1])
        for k in (0, 1):
            if w[k] > 0:
                val = val + w[k] * np.log(np.where(surplus[:, k] > 0, surplus[:, k], 1.0))
    return np.where(ok, val, -np.inf)


def best_by_oracle(s, crisp):
    best = -np.inf
    for z in combos(s):
        best = max(best, objective(s, candidates(s, z), z, crisp).max())
    return best


def shifted(s, delta):
    """Every constituency's net gain moved by ``delta`` (a payment for delta > 0, a threat for delta < 0)."""

    def move(c):
        if delta > 0:
            return replace(c, payment=c.payment + delta / c.efficiency)
        return replace(c, threat=c.threat - delta)

    return replace(s, sides=tuple(replace(x, constituencies=tuple(map(move, x.constituencies))) for x in s.sides))


def check_against_oracle(s, crisp, tol):
    """The paths accept a deal on a red line within different round-off tolerances (the gain >= -1e-9, the
    distance <= radius + 1e-12), so the oracle is run on the scenario with every gain 1e-7 lower (what is
    feasible there must be found) and 1e-7 higher (what is infeasible there must not be)."""
    r = lk.solve(s)
    strict = best_by_oracle(shifted(s, -1e-7), crisp)
    loose = best_by_oracle(shifted(s, 1e-7), crisp)
    if np.isfinite(strict):
        assert r.agreed[0]
    if not np.isfinite(loose):
        assert not r.agreed[0]
    if r.agreed[0]:
        got = objective(s, r.point[0], r.terms[0].astype(float), crisp)[0]
        assert np.isfinite(got)  # the chosen deal qualifies
        assert got >= strict - tol  # and nothing on the oracle's set beats it
    check_result_fields(s, r)
    return r


def check_result_fields(s, r):
    """Every field of the Result is what ``evaluate`` says at the chosen deal (casebook/front_matter/model.md §5)."""
    ev = lk.evaluate(s, r.point[:, None, :], r.terms[:, None, :].astype(float))
    np.testing.assert_allclose(r.probability, ev.joint[:, 0], atol=1e-12)
    np.testing.assert_allclose(r.side_probability, ev.side[:, 0], atol=1e-12)
    np.testing.assert_allclose(r.support, ev.support[:, 0], atol=1e-12)
    np.testing.assert_allclose(r.share, ev.share[:, 0], atol=1e-12)
    np.testing.assert_allclose(r.surplus, ev.surplus[:, 0], atol=1e-12)
    b = s.batch()
    leaders = [s.constituency(x.leader) for x in s.sides]
    tol = [
        c.tolerance if c.tolerance is not None else abs(s.status_quo[0] - c.ideal[0]) * c.salience[0] ** 0.5
        for c in leaders
    ]
    np.testing.assert_allclose(r.disagreement[0], [-(t**s.gamma) for t in tol], atol=1e-12)
    expected = r.disagreement[0] + (r.probability[0] * r.surplus[0] if r.agreed[0] else 0.0)
    np.testing.assert_allclose(r.expected[0], expected, atol=1e-12)
    np.testing.assert_allclose(r.chance, np.where(r.agreed, r.probability, 0.0))
    assert ((r.point >= s.issues[0].low) & (r.point <= s.issues[0].high)).all()  # deals lie in the issue range
    assert (r.reason[0] == "") == bool(r.agreed[0])
    assert b.size == r.size


# ------------------------------------------------------------------------------------------ solver vs oracle
@given(wide_scenarios(crisp=True, kinds=("nash", "setter")))
def test_crisp_solver_maximises_the_objective_of_evaluate(s):
    check_against_oracle(s, crisp=True, tol=1e-9)


@given(deal_scenarios(crisp=True, kinds=("nash", "setter")))
def test_crisp_solver_on_deals(sm):
    s, m = sm
    r = check_against_oracle(s, crisp=True, tol=1e-9)
    assert r.agreed[0]
    assert objective(s, r.point[0], r.terms[0].astype(float), True)[0] >= objective(s, [m], np.zeros(0), True)[0] - 1e-9


def check_smooth(s):
    """The smooth path searches a grid of spacing at most tau/2 and refines around the best grid point, keeping
    the best point it evaluated (casebook/front_matter/model.md §9, P-18): it finds a deal exactly when one of its grid
    points qualifies,
    and never does worse than its best grid point. (A finer search can do better where the optimum sits on the
    c_min boundary, which the grid resolves only to a grid step.) Scenarios too fine for any grid are solved on
    the crisp path with the noise set to 0."""
    from levelii_kit import _grid

    r = lk.solve(s)
    size = int(_grid.bucket(_grid.grid_size(s.batch()))[0])
    if size == 0:
        quiet = replace(
            s,
            sides=tuple(
                replace(x, constituencies=tuple(replace(c, noise=0.0) for c in x.constituencies)) for x in s.sides
            ),
        )
        best = max(objective(quiet, candidates(quiet, z), z, False).max() for z in combos(quiet))
        tol = 1e-9
    else:
        grid = np.linspace(0.0, 1.0, size)
        best = max(objective(s, grid, z, False).max() for z in combos(s))
        tol = 1e-12
    assert r.agreed[0] == np.isfinite(best)
    if r.agreed[0]:
        x = r.point[0]
        got = objective(s if size else quiet, x, r.terms[0].astype(float), False)[0]
        assert got >= best - tol
    check_result_fields(s if size else quiet, r)  # the crisp fallback reports the crisp model's numbers
    return r


@given(wide_scenarios(crisp=False, kinds=("nash", "setter"), max_members=3))
def test_smooth_solver_maximises_the_objective_of_evaluate(s):
    check_smooth(s)


@given(deal_scenarios(crisp=False, kinds=("nash", "setter"), max_members=3))
def test_smooth_solver_on_deals(sm):
    s, m = sm
    assert check_smooth(s).agreed[0]


@given(scenarios(crisp=True, sq_mode=True, veto=True))
def test_status_quo_mode_against_oracle(s):
    # in status-quo mode every tolerance is the distance to q
    sq = replace(
        s,
        sides=tuple(
            replace(
                x,
                constituencies=tuple(replace(c, tolerance=abs(s.status_quo[0] - c.ideal[0])) for c in x.constituencies),
            )
            for x in s.sides
        ),
    )
    r0, r1 = lk.solve(s), lk.solve(sq)
    assert r0.agreed[0] == r1.agreed[0]
    if r0.agreed[0]:  # (for no deal the reported point is one of several likeliest deals)
        np.testing.assert_allclose(r0.point, r1.point, atol=1e-12)
    np.testing.assert_allclose(r0.expected, r1.expected, atol=1e-12)
    check_against_oracle(sq, crisp=True, tol=1e-9)
    check_result_fields(s, r0)


# ---------------------------------------------------------------------------------------- SplitZOPA vs zopa
@given(wide_scenarios(crisp=True, kinds=("split",), terms=False))
def test_split_is_the_split_of_the_zopa(s):
    r = lk.solve(s)
    z = lk.zopa(s)
    assert r.agreed[0] == (not z.empty[0])
    if r.agreed[0]:
        parts = z.intervals_of(0)
        lo, hi = parts[0][0], parts[-1][1]
        beta = s.solution.beta
        wants_high = s.constituency("B0").ideal[0] >= s.constituency("A0").ideal[0]
        target = lo + beta * (hi - lo) if wants_high else hi - beta * (hi - lo)
        x = r.point[0, 0]
        if any(a - 1e-12 <= target <= b + 1e-12 for a, b in parts):
            assert x == pytest.approx(target, abs=1e-9)
        else:  # the target falls into a gap: the nearest ZOPA point on the candidate set
            assert any(a - 1e-9 <= x <= b + 1e-9 for a, b in parts)
    check_result_fields(s, r)


@given(deal_scenarios(crisp=True, kinds=("split",)))
def test_split_on_deals(sm):
    s, _ = sm
    r = lk.solve(s)
    assert r.agreed[0] and r.probability[0] == 1.0
    check_result_fields(s, r)


# --------------------------------------------------------------------------------------- fast paths agree
@given(wide_scenarios(crisp=False, max_members=3), st.booleans(), st.data())
def test_light_evaluation_equals_evaluate(s, crisp, data):
    b = s.batch()
    if crisp:
        b = b.replace(noise=np.zeros_like(b.noise), softness=np.zeros_like(b.softness))
    if data.draw(st.booleans()):
        b = b.replace(discretion=np.array([[data.draw(st.floats(0, 1)), data.draw(st.floats(0, 1))]]))
    x = np.array([data.draw(st.lists(st.floats(-0.2, 1.2), min_size=1, max_size=8))])
    z = np.array([[[data.draw(st.sampled_from([0.0, 1.0])) for _ in b.term_names] for _ in range(x.shape[1])]]).reshape(
        1, x.shape[1], len(b.term_names)
    )
    fast = solver._light_1d(b, x, z)
    ref = lk.evaluate(b, x[..., None], z)
    np.testing.assert_allclose(fast.side, ref.side, atol=1e-12)
    np.testing.assert_allclose(fast.joint, ref.joint, atol=1e-12)
    np.testing.assert_allclose(fast.surplus, ref.surplus, atol=1e-12)


@given(wide_scenarios(crisp=True, kinds=("nash", "setter"), terms=False))
def test_textbook_closed_form_equals_the_crisp_path(s):
    b = s.batch()
    assume(solver._is_textbook_crisp(b))
    ev1, x1, _, f1, p1 = solver._solve_textbook_crisp_1d(b)
    ev2, x2, _, f2, p2 = solver._solve_crisp_1d(b)
    assert f1.tolist() == f2.tolist()
    np.testing.assert_allclose(p1, p2)
    if f1[0]:
        o1 = objective(s, x1[0], np.zeros(0), True)[0]
        o2 = objective(s, x2[0], np.zeros(0), True)[0]
        assert o1 == pytest.approx(o2, abs=1e-9)


@given(wide_scenarios(crisp=True, kinds=("nash", "setter")))
def test_crisp_radius_matches_the_net_gain(s):
    from levelii_kit import _grid

    b = s.batch()
    for z in combos(s):
        r, reach = _grid.crisp_radius(b, z[None, :])
        for i, c in enumerate(s.constituencies):
            if np.isnan(r[0, 0, i]):
                assert reach[0, 0, i] < 0
                continue
            ends = np.array([[c.ideal[0] - r[0, 0, i], c.ideal[0] + r[0, 0, i]]])
            g = lk.evaluate(s, ends[..., None], np.broadcast_to(z, (1, 2, len(z)))).gain[0, :, i]
            np.testing.assert_allclose(g, 0.0, atol=1e-9)


# ----------------------------------------------------------------------------------- batches and buckets
@given(wide_scenarios(crisp=False, terms=False, max_members=3), st.lists(st.floats(0, 1), min_size=3, max_size=3))
def test_mixed_batch_equals_single_solves(s, u):
    """A batch mixing crisp rows, smooth rows of different grid sizes, and changed ideals and quotas is solved
    as the rows would be one by one (casebook/front_matter/model.md §9, P-16)."""
    rows = [
        s,
        replace(
            s,
            sides=tuple(
                replace(
                    x,
                    constituencies=tuple(replace(c, noise=0.0) for c in x.constituencies),
                    rule=replace(x.rule, softness=0.0),
                )
                for x in s.sides
            ),
        ),
        s.with_constituency("A0", ideal=(s.constituency("A0").ideal[0] + 0.2 * u[0],)),
        s.with_side("B", quota=0.2 + 0.8 * u[1]),
        s.with_constituency("B0", noise=0.005 + 0.3 * u[2]),
    ]
    together = lk.solve(rows)
    chunked = lk.solve(lk.ScenarioBatch.from_scenarios(rows), chunk=2)
    for k, row in enumerate(rows):
        alone = lk.solve(row)
        for r in (together, chunked):
            assert r.agreed[k] == alone.agreed[0]
            np.testing.assert_allclose(r.probability[k], alone.probability[0], atol=1e-9)
            np.testing.assert_allclose(r.expected[k], alone.expected[0], atol=1e-9)
            np.testing.assert_allclose(r.point[k], alone.point[0], atol=1e-9)
            assert r.reason[k] == alone.reason[0]


def test_a_batch_mixing_noisy_and_noise_free_scenarios_solves_each_as_if_alone():
    """A batch is only a way to solve many scenarios at once: the fast evaluation's branch for a constituency that is
    noisy in some rows and noise-free in others must give each row what it gets alone (the design's batch-first
    rule). The canonical scenario with soft quotas (0.03), noise-free in two rows and noisy (0.1) in the other, where
    the noise changes the chance of agreement."""
    crisp = lk.canonical_scenario(softness=0.03)
    noisy = lk.canonical_scenario(noise=0.1, softness=0.03)
    mixed = lk.solve(lk.ScenarioBatch.from_scenarios([crisp, noisy, crisp]))
    alone_crisp, alone_noisy = lk.solve(crisp), lk.solve(noisy)
    assert abs(alone_crisp.chance[0] - alone_noisy.chance[0]) > 1e-3  # the rows differ
    for row, alone in enumerate((alone_crisp, alone_noisy, alone_crisp)):
        np.testing.assert_allclose(mixed.point[row], alone.point[0], atol=1e-9)
        np.testing.assert_allclose(mixed.chance[row], alone.chance[0], atol=1e-9)
        np.testing.assert_allclose(mixed.side_probability[row], alone.side_probability[0], atol=1e-9)

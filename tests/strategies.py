"""Hypothesis strategies for levelii_kit scenarios (shared by the property tests, as in Axelrod's property.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

import levelii_kit as lk

finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def constituencies(draw, prefix, idx, centre, crisp=True, veto=True, extreme=False, sq_mode=False):
    spread = 0.6
    ideal = draw(st.floats(centre - spread, centre + spread))
    tol_hi = 1e3 if extreme else 0.9
    tolerance = None if sq_mode else draw(st.floats(0.0, tol_hi))
    noise = 0.0 if crisp else draw(st.floats(0.005, 5.0 if extreme else 0.2))
    threat = 0.0 if sq_mode else draw(st.floats(0.0, 1e3 if extreme else 0.2))
    blocking = draw(st.sampled_from([0.0, 1.0]) if crisp else st.floats(0.0, 1.0)) if veto else 0.0
    return lk.Constituency(
        f"{prefix}{idx}",
        ideal=(ideal,),
        tolerance=tolerance,
        strength=draw(st.floats(0.1, 3.0)),
        noise=noise,
        threat=threat,
        blocking=blocking,
        receptivity=draw(st.floats(-1.0, 1.0)),
    )


@st.composite
def scenarios(draw, crisp=True, veto=True, extreme=False, sq_mode=False, max_members=4, discretion=False, form="share"):
    """Random one-issue scenarios; A's leader wants the issue low, B's leader high."""
    sides = []
    for name, centre, leader_ideal in (("A", 0.2, draw(st.floats(-0.3, 0.4))), ("B", 0.8, draw(st.floats(0.6, 1.3)))):
        n = draw(st.integers(1, max_members))
        members = [draw(constituencies(name, i, centre, crisp, veto, extreme, sq_mode)) for i in range(n)]
        members[0] = replace(members[0], ideal=(leader_ideal,), blocking=0.0)
        rule = lk.RatificationRule(
            quota=draw(st.floats(0.2, 1.0)),
            softness=0.0 if crisp else draw(st.floats(0.0, 0.1)),
            discretion=draw(st.floats(0.0, 0.6)) if discretion else 0.0,
            form=form,
        )
        sides.append(lk.Side(name, tuple(members), leader=f"{name}0", rule=rule))
    sq = (draw(st.floats(0.0, 1.0)),) if sq_mode else None
    return lk.Scenario((lk.Issue("x"),), tuple(sides), status_quo=sq)


def grid(points=401):
    """Candidate deals on [0, 1], shape (1, G, 1)."""
    return np.linspace(0.0, 1.0, points)[None, :, None]


# ---------------------------------------------------------------------------------------------------------
# Wider generators (test-review.md section 4, recommendation 8): every dimension of the model varies, quotas
# and weights make ties happen, and deal_scenarios() is built so that a deal exists.

QUOTAS = st.one_of(st.sampled_from([0.5, 2 / 3, 1.0]), st.floats(0.2, 1.0))
WEIGHTS = st.one_of(st.integers(1, 3).map(float), st.floats(0.1, 3.0))
SALIENCE = st.one_of(st.just(1.0), st.floats(0.25, 4.0))
#: a crisp quota or a visible softness (a softness of 1e-300 is a step the smooth solver's grid cannot resolve)
SOFTNESS = st.one_of(st.just(0.0), st.floats(0.01, 0.1))


@st.composite
def solutions(draw, kinds=("nash", "split", "setter")):
    """A solution concept: NashBargaining(alpha), SplitZOPA(beta) or AgendaSetter(proposer)."""
    kind = draw(st.sampled_from(kinds))
    if kind == "nash":
        return lk.NashBargaining(draw(st.floats(0.1, 0.9)))
    if kind == "split":
        return lk.SplitZOPA(draw(st.floats(0.0, 1.0)))
    return lk.AgendaSetter(draw(st.integers(0, 1)))


@st.composite
def wide_scenarios(draw, crisp=True, kinds=("nash", "split", "setter"), terms=True, max_members=4):
    """One-issue scenarios in which alpha, the solution kind, gamma, salience, seating, payments, terms and
    quotas (ties included) vary; A's leader wants the issue low, B's leader high."""
    gamma = draw(st.sampled_from([1, 2]))
    sides = []
    for name, centre, leader_ideal in (("A", 0.2, draw(st.floats(-0.3, 0.4))), ("B", 0.8, draw(st.floats(0.6, 1.3)))):
        n = draw(st.integers(1, max_members))
        members = []
        for i in range(n):
            leader = i == 0
            members.append(
                lk.Constituency(
                    f"{name}{i}",
                    ideal=(leader_ideal if leader else draw(st.floats(centre - 0.6, centre + 0.6)),),
                    strength=draw(WEIGHTS),
                    tolerance=draw(st.floats(0.05, 0.9)),
                    salience=draw(SALIENCE),
                    noise=0.0 if crisp else draw(st.floats(0.01, 0.2)),
                    threat=draw(st.one_of(st.just(0.0), st.floats(0.0, 0.2))),
                    blocking=0.0 if leader else draw(st.sampled_from([0.0, 0.0, 1.0]) if crisp else st.floats(0, 1)),
                    receptivity=draw(st.floats(-1.0, 1.0)),
                    payment=draw(st.one_of(st.just(0.0), st.floats(0.0, 0.3))),
                    efficiency=draw(st.sampled_from([1.0, 0.5, 2.0])),
                    seated=True if leader else draw(st.booleans()),
                )
            )
        rule = lk.RatificationRule(quota=draw(QUOTAS), softness=0.0 if crisp else draw(SOFTNESS))
        sides.append(lk.Side(name, tuple(members), leader=f"{name}0", rule=rule))
    names = [c.name for s in sides for c in s.constituencies]
    term_list = ()
    if terms and draw(st.booleans()):
        values = {n: draw(st.floats(-0.2, 0.3)) for n in names if draw(st.booleans())}
        costs = {side: draw(st.floats(0.0, 0.1)) for side in ("A", "B") if draw(st.booleans())}
        term_list = (lk.Term("t", values=values, costs=costs, state=draw(st.sampled_from(["optional", "forced"]))),)
    return lk.Scenario((lk.Issue("x"),), tuple(sides), terms=term_list, gamma=gamma, solution=draw(solutions(kinds)))


@st.composite
def deal_scenarios(draw, crisp=True, kinds=("nash", "split", "setter"), max_members=4):
    """Scenarios built to have a deal: every constituency (vetoes included) accepts a point m with a margin,
    so m is ratified on both sides (crisp: with certainty) and both leaders gain from it."""
    gamma = draw(st.sampled_from([1, 2]))
    m = draw(st.floats(0.35, 0.65))
    sides = []
    for name, centre, leader_ideal in (("A", 0.2, draw(st.floats(-0.2, 0.3))), ("B", 0.8, draw(st.floats(0.7, 1.2)))):
        n = draw(st.integers(1, max_members))
        members = []
        for i in range(n):
            leader = i == 0
            ideal = leader_ideal if leader else draw(st.floats(centre - 0.5, centre + 0.5))
            salience = draw(SALIENCE)
            threat = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.1)))
            payment = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.1)))
            margin = draw(st.floats(0.02, 0.3))
            noise = 0.0 if crisp else margin / draw(st.floats(5.0, 20.0))
            # g(m) = rho**gamma - D(m)**gamma + payment - threat = margin
            loss = (salience**0.5 * abs(m - ideal)) ** gamma
            tolerance = max(loss - payment + threat + margin, 0.0) ** (1.0 / gamma)
            members.append(
                lk.Constituency(
                    f"{name}{i}",
                    ideal=(ideal,),
                    strength=draw(WEIGHTS),
                    tolerance=tolerance,
                    salience=salience,
                    noise=noise,
                    threat=threat,
                    payment=payment,
                    blocking=0.0 if leader else draw(st.sampled_from([0.0, 1.0]) if crisp else st.floats(0, 1)),
                    receptivity=draw(st.floats(-1.0, 1.0)),
                    seated=True if leader else draw(st.booleans()),
                )
            )
        quota = draw(QUOTAS) if crisp else draw(st.floats(0.2, 0.8))
        rule = lk.RatificationRule(quota=quota, softness=0.0 if crisp else draw(SOFTNESS))
        sides.append(lk.Side(name, tuple(members), leader=f"{name}0", rule=rule))
    s = lk.Scenario((lk.Issue("x"),), tuple(sides), gamma=gamma, solution=draw(solutions(kinds)))
    return s, m

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

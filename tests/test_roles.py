"""Roles and session plans in the case file (teaching.roles, teaching.session): schema, checks and content.

Every malformed role is rejected with a message naming the role (``teaching.roles[3] (b_leader)``), the field
and what was expected; a case without roles or a session still loads; the case files' roles are consistent
with their sides, constituencies and model.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

import levelii_kit as lk
from levelii_kit.casefile import Role, RoleBrief, Session, SessionStep
from levelii_kit.cli import main
from levelii_kit.support import evaluate

CASES = Path(__file__).resolve().parent.parent / "cases"
BASICS = CASES / "two_level_basics" / "case.yaml"
REAL = (
    "crowd_outside",
    "german_unification",
    "cuban_missile_jupiters",
    "panama_canal_treaties",
    "camp_david_knesset",
    "newscorp_dow_jones",
)


@pytest.fixture(scope="module")
def basics():
    return yaml.safe_load(BASICS.read_text())


def write(tmp_path, data):
    folder = tmp_path / "two_level_basics"
    folder.mkdir(exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def problems(path):
    with pytest.raises(lk.CaseError) as info:
        lk.load_case(path)
    lines = str(info.value).splitlines()
    assert all(line.startswith(str(path)) for line in lines), lines
    return lines


def mutate(data, fn):
    data = copy.deepcopy(data)
    fn(data)
    return data


def role(data, i):
    return data["teaching"]["roles"][i]


# In two_level_basics, roles are: 0 a_leader, 1 a_hawk, 2 a_dove, 3 b_leader, 4 b_hawk, 5 b_dove.
BAD = [
    (
        "constituency of no side",
        lambda d: role(d, 3).update(constituency="x"),
        "teaching.roles[3] (b_leader).constituency: unknown constituency 'x' of side B; "
        "expected one of ['B_leader', 'B_hawk', 'B_dove']",
    ),
    (
        "constituency of the other side",
        lambda d: role(d, 4).update(constituency="A_hawk"),
        "teaching.roles[4] (b_hawk).constituency: unknown constituency 'A_hawk' of side B; "
        "expected one of ['B_leader', 'B_hawk', 'B_dove']",
    ),
    (
        "unknown side",
        lambda d: role(d, 1).update(side="C"),
        "teaching.roles[1] (a_hawk).side: unknown side 'C'; expected one of ['A', 'B']",
    ),
    (
        "duplicate id",
        lambda d: role(d, 5).update(id="a_leader"),
        "teaching.roles[5] (a_leader).id: duplicate role id 'a_leader' (first at teaching.roles[0] (a_leader))",
    ),
    (
        "unknown source",
        lambda d: role(d, 2).update(sources=["putnam1988", "nobody2020"]),
        "teaching.roles[2] (a_dove).sources[1]: unknown source id 'nobody2020'; listed sources: ",
    ),
    (
        "no source",
        lambda d: role(d, 2).update(sources=[]),
        "teaching.roles[2] (a_dove).sources: List should have at least 1 item",
    ),
    (
        "reservation out of the issue's range",
        lambda d: role(d, 0).update(reservation=1.2),
        "teaching.roles[0] (a_leader).reservation: must lie within the range of issue 'x', [0.0, 1.0]; got 1.2",
    ),
    (
        "reservation with a value too many",
        lambda d: role(d, 0).update(reservation=[0.5, 0.6]),
        "teaching.roles[0] (a_leader).reservation: expected 1 value(s), one per issue, got 2",
    ),
    (
        "reservation not a number",
        lambda d: role(d, 0).update(reservation="low"),
        "teaching.roles[0] (a_leader).reservation: ",
    ),
    (
        "missing part of the brief",
        lambda d: role(d, 4)["brief"].pop("fears"),
        "teaching.roles[4] (b_hawk).brief.fears: required field is missing",
    ),
    (
        "misspelt part of the brief",
        lambda d: role(d, 4)["brief"].update(concede="anything"),
        "teaching.roles[4] (b_hawk).brief.concede: unknown field",
    ),
    (
        "empty part of the brief",
        lambda d: role(d, 4)["brief"].update(knows=""),
        "teaching.roles[4] (b_hawk).brief.knows: String should have at least 3 characters",
    ),
    (
        "brief part not text",
        lambda d: role(d, 4)["brief"].update(wants=3),
        "teaching.roles[4] (b_hawk).brief.wants: Input should be a valid string",
    ),
    (
        "missing title",
        lambda d: role(d, 3).pop("title"),
        "teaching.roles[3] (b_leader).title: required field is missing",
    ),
    (
        "roles not a list",
        lambda d: d["teaching"].update(roles={"a": 1}),
        "teaching.roles: Input should be a valid list",
    ),
    (
        "timing that does not add up",
        lambda d: d["teaching"]["session"].update(minutes=55),
        "teaching.session.timing: the steps add up to 50 minutes, but teaching.session.minutes is 55",
    ),
    (
        "group of one",
        lambda d: d["teaching"]["session"].update(group_size=1),
        "teaching.session.group_size: Input should be greater than or equal to 2",
    ),
    (
        "minutes as text",
        lambda d: d["teaching"]["session"].update(minutes="fifty"),
        "teaching.session.minutes: expected a number, got 'fifty'",
    ),
    (
        "a step of zero minutes",
        lambda d: d["teaching"]["session"]["timing"][0].update(minutes=0),
        "teaching.session.timing[0].minutes: Input should be greater than or equal to 1",
    ),
    (
        "session without logistics",
        lambda d: d["teaching"]["session"].pop("logistics"),
        "teaching.session.logistics: required field is missing",
    ),
]


@pytest.mark.parametrize("label, fn, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_role_or_session_is_rejected_with_a_message_naming_it(tmp_path, basics, label, fn, expected):
    lines = problems(write(tmp_path, mutate(basics, fn)))
    hits = [line for line in lines if expected in line]
    assert hits, f"{label}: expected {expected!r} in {lines}"


def test_every_problem_is_reported_at_once(tmp_path, basics):
    def many(d):
        role(d, 3).update(constituency="x")
        role(d, 1).update(side="C")
        role(d, 0).update(reservation=-0.5)
        d["teaching"]["session"].update(minutes=60)

    lines = problems(write(tmp_path, mutate(basics, many)))
    assert len(lines) == 4, lines
    for where in (
        "teaching.roles[3] (b_leader).constituency",
        "teaching.roles[1] (a_hawk).side",
        "teaching.roles[0] (a_leader).reservation",
        "teaching.session.timing",
    ):
        assert any(f": {where}: " in line for line in lines), (where, lines)


def test_a_third_party_actor_may_hold_a_role_but_not_a_constituency(tmp_path):
    data = yaml.safe_load((CASES / "camp_david_knesset" / "case.yaml").read_text())
    carter = next(r for r in data["teaching"]["roles"] if r["id"] == "carter")
    assert carter["side"] == "carter" and "constituency" not in carter
    folder = tmp_path / "camp_david_knesset"
    folder.mkdir()
    carter["constituency"] = "begin"
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    lines = problems(folder / "case.yaml")
    assert any(
        "(carter).constituency: 'carter' is a third-party actor, not a side, so its role has no constituency" in line
        for line in lines
    ), lines
    carter.pop("constituency")
    carter["side"] = "mediator"
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    lines = problems(folder / "case.yaml")
    expected = (
        "(carter).side: unknown side 'mediator'; expected one of ['egypt', 'israel'] "
        "or a third-party actor of the case's moves ['carter']"
    )
    assert any(expected in line for line in lines), lines


def test_a_case_without_roles_or_session_still_loads(tmp_path, basics):
    data = mutate(basics, lambda d: [d["teaching"].pop("roles"), d["teaching"].pop("session")])
    case = lk.load_case(write(tmp_path, data))
    assert case.roles == () and case.session is None


def test_roles_and_session_become_frozen_objects(basics):
    case = lk.load_case(BASICS)
    assert [r.id for r in case.roles] == ["a_leader", "a_hawk", "a_dove", "b_leader", "b_hawk", "b_dove"]
    b_hawk = case.role("b_hawk")
    assert isinstance(b_hawk, Role) and isinstance(b_hawk.brief, RoleBrief)
    assert (b_hawk.side, b_hawk.constituency, b_hawk.reservation) == ("B", "B_hawk", (0.55,))
    assert not b_hawk.at_table and not b_hawk.third_party
    assert case.role("a_leader").at_table  # the side's leader sits at the table
    assert b_hawk.brief.wants == role(basics, 4)["brief"]["wants"]
    assert [h for h, _ in b_hawk.brief.parts()] == [
        "What you want",
        "What you fear",
        "What you know that the others do not",
        "What you may concede",
        "What your people at home will accept",
    ]
    assert isinstance(case.session, Session) and case.session.minutes == 50 and case.session.group_size == 6
    assert case.session.timing[0] == SessionStep(5, role_text(basics, 0))
    assert len(case.session.collect) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        b_hawk.title = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.session.minutes = 10
    with pytest.raises(KeyError, match="has no role 'nobody'"):
        case.role("nobody")


def role_text(data, i):
    return data["teaching"]["session"]["timing"][i]["activity"]


def test_collect_may_be_one_text(tmp_path, basics):
    data = mutate(basics, lambda d: d["teaching"]["session"].update(collect="The outcome forms"))
    assert lk.load_case(write(tmp_path, data)).session.collect == ("The outcome forms",)


def test_check_rejects_a_role_whose_constituency_does_not_exist(tmp_path, basics, capsys):
    path = write(tmp_path, mutate(basics, lambda d: role(d, 3).update(constituency="x")))
    assert main(["check", str(path)]) == 1
    # the case file's lines (levelii check also reports on the case folder: here, its missing notebook)
    out = [line for line in capsys.readouterr().out.strip().splitlines() if line.startswith(str(path))]
    assert out == [
        f"{path}: teaching.roles[3] (b_leader).constituency: unknown constituency 'x' of side B; "
        "expected one of ['B_leader', 'B_hawk', 'B_dove']"
    ]


def test_check_rejects_a_role_whose_side_does_not_exist(tmp_path, basics, capsys):
    path = write(tmp_path, mutate(basics, lambda d: role(d, 1).update(side="C")))
    assert main(["check", str(path)]) == 1
    assert "teaching.roles[1] (a_hawk).side: unknown side 'C'" in capsys.readouterr().out


# ------------------------------------------------------------------ the case files' own roles
@pytest.mark.parametrize("slug", REAL)
def test_each_real_case_has_its_negotiators_and_constituencies_behind_the_table(slug):
    case = lk.load_case(slug)
    assert len(case.roles) >= 3
    for side in case.scenario.sides:
        mine = [r for r in case.roles if r.side == side.name]
        assert any(r.at_table for r in mine), f"{slug}: no negotiator for side {side.name}"
    assert any(not r.at_table for r in case.roles), f"{slug}: no role behind the table"
    assert case.session is not None
    assert sum(step.minutes for step in case.session.timing) == case.session.minutes
    assert case.session.group_size >= len(case.roles)


@pytest.mark.parametrize("slug", REAL + ("two_level_basics",))
def test_every_reservation_is_the_model_constituency_edge_and_labelled_an_assumption(slug):
    """A role's reservation point is where its constituency stops accepting deals (an edge inside the range).

    The reservation points in the case files were derived by hand from each constituency's ideal, tolerance,
    threat and salience (edge = ideal +/- (tolerance - threat) / sqrt(salience), gamma = 1); here they are checked
    against the model's crisp support at the chapter's baseline (default moves on).
    """
    case = lk.load_case(slug)
    scenario = case.scenario_with([m.id for m in case.moves if m.default])
    names = scenario.constituency_names
    xs = np.linspace(0.0, 1.0, 2001)
    gain = evaluate(scenario, xs[None, :, None], crisp=True).gain[0]
    checked = 0
    for r in case.roles:
        if r.reservation is None:
            continue
        text = " ".join(t for _, t in r.brief.parts())
        assert "teaching assumption" in text, f"{slug}/{r.id}: the brief must say the reservation is an assumption"
        assert r.constituency is not None
        accepted = xs[gain[:, names.index(r.constituency)] >= -1e-12]
        assert accepted.size, f"{slug}/{r.id}: constituency accepts nothing, so it has no reservation point"
        # an edge of the accepted interval that the range does not cut off
        edges = [e for e, cut in ((accepted.min(), 0.0), (accepted.max(), 1.0)) if abs(e - cut) > 0.002]
        assert any(r.reservation[0] == pytest.approx(e, abs=0.002) for e in edges), (slug, r.id, r.reservation, edges)
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("slug", REAL + ("two_level_basics",))
def test_every_role_cites_sources_and_briefs_are_distinct(slug):
    case = lk.load_case(slug)
    listed = {s.id for s in case.sources}
    seen = set()
    for r in case.roles:
        assert r.sources and set(r.sources) <= listed
        for _, text in r.brief.parts():
            assert text not in seen, f"{slug}/{r.id}: a brief part repeats another role's text"
            seen.add(text)

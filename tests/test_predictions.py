"""Prediction prompts: the case-file schema (``teaching.predictions``), :func:`reveal` and :func:`compare`.

The model values are derived by hand from the canonical classroom scenario of casebook/front_matter/model.md §10
(``two_level_basics``): one issue, crisp acceptance, linear loss, Nash bargaining with alpha = 1/2, so the
outcome is the midpoint 0.5 clipped into the ZOPA.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

import levelii_kit as lk
from levelii_kit import predictions as pr
from levelii_kit.casefile import CaseError, Prediction

BASICS = Path(lk.cases_dir()) / "two_level_basics" / "case.yaml"


def _case_with(tmp_path, predictions, mutate=None):
    """two_level_basics with its predictions replaced, saved under tmp_path.

    The chapter starts with B's hawks already holding their veto (a default move); here the veto is off at the
    start, so that the baseline is the canonical scenario itself and the hand derivations below hold. ``mutate``
    may make further edits (or put the veto back).
    """
    data = yaml.safe_load(BASICS.read_text())
    data["teaching"]["predictions"] = predictions
    for mv in data["interventions"]:
        if mv["id"] == "their_hawk_veto":
            mv["default"] = False
    if mutate:
        mutate(data)
    folder = tmp_path / "two_level_basics"
    folder.mkdir(exist_ok=True)
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder / "case.yaml"


# ------------------------------------------------------------------------------------------- the schema
def test_every_case_has_a_prediction_and_each_reveals():
    for path in lk.list_cases():
        case = lk.load_case(path)
        assert case.predictions, f"{case.slug} has no prediction prompt"
        revealed = pr.reveal_all(case)
        assert list(revealed) == [p.id for p in case.predictions]
        for p in case.predictions:
            assert isinstance(p, Prediction)
            r = revealed[p.id]
            if p.quantity in ("side", "joint"):
                assert 0.0 <= r.value <= 1.0
            if p.answer == "yes_no":
                assert r.answer == ("yes" if r.value >= 0.5 else "no")
                assert r.text.endswith(f", so: {r.answer}.")
            else:
                assert r.answer is None
            for m in p.moves:
                assert not lk.load_case(path).move(m).default


def test_predictions_are_frozen():
    case = lk.load_case("two_level_basics")
    p = case.predictions[0]
    with pytest.raises(AttributeError):
        p.prompt = "changed"
    with pytest.raises(TypeError):
        p.strengths["A_hawk"] = 2.0
    assert isinstance(case.predictions, tuple)


def test_every_problem_is_reported_at_once(tmp_path):
    bad = [
        {"id": "p1", "prompt": "Will B ratify?", "quantity": "side", "side": "C", "answer": "yes_no"},
        {"id": "p1", "prompt": "Again?", "quantity": "joint", "answer": "point"},
        {"id": "p3", "prompt": "Where?", "quantity": "outcome", "answer": "yes_no", "moves": ["nope"]},
        {"id": "p4", "prompt": "Who?", "quantity": "side", "answer": "probability", "strengths": {"B_ghost": 1}},
        {"id": "p5", "prompt": "Both?", "quantity": "joint", "side": "A", "answer": "probability"},
        {"id": "p6", "prompt": "Twice?", "quantity": "joint", "answer": "yes_no", "moves": ["mollify_their_hawk"] * 2},
        {"id": "p 7", "prompt": "Bad id", "quantity": "sideways", "answer": "guess"},
    ]
    with pytest.raises(CaseError) as err:
        lk.load_case(_case_with(tmp_path, bad))
    lines = [f"{p.path}: {p.message}" for p in err.value.problems]
    text = "\n".join(lines)
    expected = [
        r"teaching\.predictions\[0\]\.side: unknown side 'C'; expected one of \['A', 'B'\]",
        r"teaching\.predictions\[1\]\.id: duplicate id 'p1' \(first at teaching\.predictions\[0\]\)",
        r"teaching\.predictions\[1\]\.answer: answer 'point' is not allowed for quantity 'joint'; "
        r"expected yes_no or probability",
        r"teaching\.predictions\[2\]\.answer: answer 'yes_no' is not allowed for quantity 'outcome'; expected point",
        r"teaching\.predictions\[2\]\.moves\[0\]: unknown move 'nope'",
        r"teaching\.predictions\[3\]\.side: required when quantity is side",
        r"teaching\.predictions\[3\]\.strengths\.B_ghost: unknown constituency 'B_ghost'",
        r"teaching\.predictions\[4\]\.side: only used when quantity is side",
        r"teaching\.predictions\[5\]\.moves\[1\]: move 'mollify_their_hawk' is listed twice",
        r"teaching\.predictions\[6\]\.id: String should match pattern",
        r"teaching\.predictions\[6\]\.quantity: Input should be 'side', 'joint' or 'outcome'",
        r"teaching\.predictions\[6\]\.answer: Input should be 'yes_no', 'probability' or 'point'",
    ]
    for pattern in expected:
        assert re.search(pattern, text), f"missing {pattern!r} in:\n{text}"
    assert all(str(p).startswith(str(tmp_path)) for p in err.value.problems)


def test_a_default_move_is_not_listed_again(tmp_path):
    def default_veto(data):
        for mv in data["interventions"]:
            if mv["id"] == "their_hawk_veto":
                mv["default"] = True

    prompt = [{"id": "p", "prompt": "Where?", "quantity": "outcome", "answer": "point", "moves": ["their_hawk_veto"]}]
    with pytest.raises(CaseError, match=r"moves\[0\]: 'their_hawk_veto' is a default move, already on"):
        lk.load_case(_case_with(tmp_path, prompt, default_veto))
    # without listing it, the default move is on: B's hawk veto moves the deal to 0.55
    # (casebook/front_matter/model.md §10)
    prompt[0]["moves"] = []
    case = lk.load_case(_case_with(tmp_path, prompt, default_veto))
    assert pr.reveal(case, "p").value == pytest.approx(0.55, abs=1e-9)


def test_cli_check_reports_prediction_problems(tmp_path, capsys):
    from levelii_kit.cli import main

    path = _case_with(tmp_path, [{"id": "p", "prompt": "Who?", "quantity": "side", "side": "Z", "answer": "yes_no"}])
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"{path}: teaching.predictions[0].side: unknown side 'Z'; expected one of ['A', 'B']"]


# ------------------------------------------------------------------------------------- reveal, by hand
def test_reveal_two_level_basics_by_hand():
    case = lk.load_case("two_level_basics")
    # B's hawks (tolerance 0.7, threat 0.1: net radius 0.6 around 1.15) accept x >= 0.55 and now hold a veto;
    # A's win-set (leader and doves, 2 of 3) reaches 0.6; the midpoint 0.5 clipped into [0.55, 0.6] is 0.55.
    r = pr.reveal(case, "their_veto_outcome")
    assert r.agreed and r.answer is None
    assert r.value == pytest.approx(0.55, abs=1e-9)
    assert r.text == "In the model the deal lands at 0.55 on the issue's scale from 0 to 1."
    # Gloating adds a threat of 0.1: radius 0.5, so the vetoing hawks accept only x >= 0.65 > 0.6: empty ZOPA.
    r = pr.reveal(case, "gloat_after_veto")
    assert not r.agreed and r.value == 0.0 and r.answer == "no"
    assert r.text == "In the model there is no deal (empty ZOPA: no deal is ratified on both sides), so: no."


def test_reveal_side_joint_and_strengths_by_hand(tmp_path):
    prompts = [
        # Baseline d* = 0.5: B's leader (from 0.4) and doves (from 0.1) accept, the hawks (from 0.55) do not:
        # 2 of 3 equal weights >= the simple-majority quota, so B ratifies for certain.
        {"id": "b_yes", "prompt": "Will B ratify?", "quantity": "side", "side": "B", "answer": "yes_no"},
        {"id": "joint_p", "prompt": "Chance of a deal?", "quantity": "joint", "answer": "probability"},
        # A's doves count for nothing and its hawks double: weights 1 (leader, to 0.6), 2 (hawks, to 0.45), 0.
        # Above 0.45 only a third of A's weight accepts, so A's win-set ends at 0.45 and the deal moves there.
        {
            "id": "hawkish_a",
            "prompt": "Where now?",
            "quantity": "outcome",
            "answer": "point",
            "strengths": {"A_dove": 0, "A_hawk": 2},
        },
        {
            "id": "no_deal_point",
            "prompt": "Where now?",
            "quantity": "outcome",
            "answer": "point",
            "moves": ["their_hawk_veto", "inflame_their_hawk"],
        },
    ]
    case = lk.load_case(_case_with(tmp_path, prompts))
    got = pr.reveal_all(case)
    assert got["b_yes"].value == 1.0 and got["b_yes"].answer == "yes"
    assert got["b_yes"].text == "In the model Side B ratifies with a chance of 100%, so: yes."
    assert got["joint_p"].value == 1.0 and got["joint_p"].answer is None
    assert got["joint_p"].text == "In the model the chance of agreement is 100%."
    assert got["hawkish_a"].value == pytest.approx(0.45, abs=1e-9)
    assert math.isnan(got["no_deal_point"].value) and not got["no_deal_point"].agreed
    assert pr.reveal(case, "hawkish_a").value == pytest.approx(0.45, abs=1e-9)


def test_yes_at_exactly_one_half(tmp_path):
    """B's leader may push a deal through alone half the time (discretion 0.5) while B's body says no.

    With B's hawks at strength 5 and their ideal far out, B's majority rejects everything below 0.55; A's hawks
    hold a veto, so A's win-set ends at 0.45 and the deal sits at 0.45 (the midpoint clipped into [0.4, 0.45]).
    There P_B = 0.5 * 1 (the leader accepts from 0.4) + 0.5 * 0 (2 of 7 weight) = 0.5, which counts as yes.
    """

    def edit(data):
        side_b = data["sides"][1]
        side_b["rule"] = {"preset": "simple_majority", "discretion": 0.5}
        for c in side_b["constituencies"]:
            if c["name"] == "B_hawk":
                c["strength"] = 5.0

    prompt = [
        {
            "id": "half",
            "prompt": "Will B ratify?",
            "quantity": "side",
            "side": "B",
            "answer": "yes_no",
            "moves": ["our_hawk_veto"],
        }
    ]
    case = lk.load_case(_case_with(tmp_path, prompt, edit))
    r = pr.reveal(case, "half")
    assert r.value == pytest.approx(0.5, abs=1e-12)
    assert r.answer == "yes"
    assert (
        pr.compare(case, "half", "no", r) == "You said no; in the model Side B ratifies with a chance of 50%, so: yes."
    )


def test_reveal_unknown_id():
    with pytest.raises(KeyError, match="has no prediction 'nope'"):
        pr.reveal(lk.load_case("two_level_basics"), "nope")


# ------------------------------------------------------------------------------------------- compare
def test_compare_lines():
    case = lk.load_case("two_level_basics")
    assert pr.compare(case, "gloat_after_veto", "yes") == (
        "You said yes; in the model there is no deal (empty ZOPA: no deal is ratified on both sides), so: no."
    )
    assert pr.compare(case, "gloat_after_veto", False).startswith("You said no; in the model there is no deal")
    assert pr.compare(case, "their_veto_outcome", 0.4) == (
        "You said 0.40; in the model the deal lands at 0.55 on the issue's scale from 0 to 1, 0.15 above your guess."
    )
    assert pr.compare(case, "their_veto_outcome", 0.6).endswith("0.05 below your guess.")
    assert pr.compare(case, "their_veto_outcome", 0.55).endswith("the same as your guess.")


def test_compare_probability_and_no_deal_point(tmp_path):
    prompts = [
        {"id": "joint_p", "prompt": "Chance of a deal?", "quantity": "joint", "answer": "probability"},
        {
            "id": "no_deal_point",
            "prompt": "Where now?",
            "quantity": "outcome",
            "answer": "point",
            "moves": ["their_hawk_veto", "inflame_their_hawk"],
        },
    ]
    case = lk.load_case(_case_with(tmp_path, prompts))
    assert pr.compare(case, "joint_p", 0.3) == (
        "You said 30%; in the model the chance of agreement is 100%, 70 points above your guess."
    )
    assert pr.compare(case, "joint_p", 1) == (
        "You said 100%; in the model the chance of agreement is 100%, the same as your guess."
    )
    assert pr.compare(case, "no_deal_point", 0.5) == (
        "You said 0.50; in the model there is no deal (empty ZOPA: no deal is ratified on both sides), "
        "so no point on the issue is right."
    )


def test_compare_the_brief_example():
    """German unification with no Western help: the line names the Soviet side and the solver's own chance."""
    case = lk.load_case("german_unification")
    result = lk.solve(case.scenario)
    chance = result.side_probability[0, [s.name for s in case.scenario.sides].index("soviet")]
    assert chance < 0.5
    assert pr.compare(case, "soviet_ratifies", "yes") == (
        f"You said yes; in the model the Soviet side ratifies with a chance of {chance:.0%}, so: no."
    )


@pytest.mark.parametrize(
    ("pid", "guess", "message"),
    [
        ("gloat_after_veto", "maybe", r"prediction 'gloat_after_veto': expected 'yes' or 'no', got 'maybe'"),
        ("gloat_after_veto", 1, r"expected 'yes' or 'no', got 1"),
        ("their_veto_outcome", "0.5", r"prediction 'their_veto_outcome': expected a number, got '0.5'"),
        ("their_veto_outcome", True, r"expected a number, got True"),
        ("their_veto_outcome", 1.5, r"expected a point between 0 and 1, got 1.5"),
        ("their_veto_outcome", float("nan"), r"expected a point between 0 and 1, got nan"),
    ],
)
def test_compare_rejects_bad_guesses(pid, guess, message):
    with pytest.raises(pr.GuessError, match=message):
        pr.compare(lk.load_case("two_level_basics"), pid, guess)


def test_probability_guess_range(tmp_path):
    case = lk.load_case(
        _case_with(tmp_path, [{"id": "p", "prompt": "Chance?", "quantity": "joint", "answer": "probability"}])
    )
    for bad in (-0.01, 1.01, float("inf")):
        with pytest.raises(pr.GuessError, match="expected a chance between 0 and 1"):
            pr.compare(case, "p", bad)


def test_percentages_never_round_across_a_boundary():
    assert pr._pct(0.004) == "less than 1%"
    assert pr._pct(0.997) == "more than 99%"
    assert pr._pct(0.4996) == "just under 50%"
    assert pr._pct(0.5) == "50%"
    assert pr._pct(0.0) == "0%" and pr._pct(1.0) == "100%"


def test_no_plotting_or_widget_imports():
    import subprocess
    import sys

    code = (
        "import sys, levelii_kit as lk, levelii_kit.predictions as p;"
        "p.reveal_all(lk.load_case('two_level_basics'));"
        "print(sorted(m for m in ('plotly', 'ipywidgets', 'fastapi') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"

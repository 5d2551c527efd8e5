"""levelii_kit.chapter and levelii_kit.exercises: parameter validation, records, escaping, feedback."""

import nbformat
import pytest

import levelii_kit as lk
from levelii_kit.chapter import ParameterError, check_parameters, escape, read_records, setup
from levelii_kit.exercises import check, solution


@pytest.fixture(scope="module")
def case():
    return lk.load_case("two_level_basics")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"strengths": {"nobody": 1}}, "parameter 'strengths': unknown constituency 'nobody'"),
        ({"strengths": {"B_dove": -1}}, "parameter 'strengths': B_dove must be a finite number >= 0"),
        ({"strengths": {"B_dove": "high"}}, "must be a finite number"),
        ({"strengths": {"B_dove": float("nan")}}, "must be a finite number"),
        ({"strengths": [1, 2]}, "expected a mapping"),
        ({"moves": "mollify_their_hawk"}, "parameter 'moves': expected a list of move ids or None"),
        ({"moves": ["nope"]}, "parameter 'moves': unknown move 'nope'"),
        ({"seed": -3}, "parameter 'seed': expected a non-negative integer"),
        ({"seed": 1.5}, "parameter 'seed'"),
        ({"n_offerz": 3}, "unknown parameter 'n_offerz'"),
    ],
)
def test_bad_parameters(case, kwargs, message):
    with pytest.raises(ParameterError) as info:
        check_parameters(case, **kwargs)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert info.value._render_traceback_() == [f"ParameterError: {info.value}"]


def test_setup_defaults_and_overrides(case):
    ch = setup(case)
    # moves=None: the case's helping moves only (role: help, not default). B's hawks' veto is context and already
    # on in the baseline; A's own veto and the gloat are harm, so they are not "help".
    assert ch.move_ids == ("mollify_their_hawk", "offer_assurance", "empower_their_doves")
    assert ch.default_moves == ("their_hawk_veto",)
    assert ch.baseline == case.scenario_with(["their_hawk_veto"])
    assert setup(case, moves=["inflame_their_hawk"]).move_ids == ("inflame_their_hawk",)  # named, harm is allowed
    ch2 = setup(case, strengths={"B_dove": 2}, moves=["their_hawk_veto"])
    assert ch2.baseline.constituency("B_dove").strength == 2.0
    assert ch2.helped_result.point[0, 0] == pytest.approx(0.55)
    table = ch2.comparison()
    assert list(table.index) == ["without the helping moves", "with the helping moves"]
    assert table.loc["with the helping moves", "outcome"] == "0.55"


def test_default_moves_are_in_the_baseline():
    panama = lk.load_case("panama_canal_treaties")
    ch = setup(panama)
    assert "deconcini_reservation" in ch.default_moves
    assert "deconcini_reservation" not in ch.move_ids
    assert ch.baseline == panama.scenario_with(["deconcini_reservation"])


def test_records_round_trip(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={lk.chapter.RECORD_MIME: {"name": "p", "value": 0.25}})]
    nb.cells.append(cell)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    assert read_records(path) == {"p": 0.25}
    assert lk.chapter.record("q", 1) is None  # outside a kernel it does nothing visible
    with pytest.raises(TypeError):
        lk.chapter.record("bad", object())


def test_case_text_is_escaped():
    assert escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    case = lk.load_case("german_unification")
    md = lk.chapter.show_facts(case)._repr_markdown_()
    assert "<" not in md.replace("<http", "")
    assert "(unverified)" in md or all(f.status == "verified" for f in case.facts)
    for fn in (
        lk.chapter.show_summary,
        lk.chapter.show_goals,
        lk.chapter.show_timeline,
        lk.chapter.show_moves,
        lk.chapter.show_debrief,
        lk.chapter.show_instructor_notes,
        lk.chapter.show_assumptions,
        lk.chapter.show_sources,
    ):
        assert fn(case)._repr_markdown_().strip()


def test_the_moves_table_names_who_made_each_move_in_words():
    """A side by its label (up to its bracket), a third-party actor by its name made readable: no identifiers."""
    german = lk.chapter.show_moves(lk.load_case("german_unification"))._repr_markdown_()
    assert "| Western side |" in german and "| west |" not in german
    camp_david = lk.chapter.show_moves(lk.load_case("camp_david_knesset"))._repr_markdown_()
    assert "| Carter |" in camp_david and "| carter |" not in camp_david
    assert "| Israel: Begin's" in camp_david and "| israel |" not in camp_david


def test_exercise_feedback_explains(case):
    # Both sides' hawks hold a veto: A's win-set ends at 0.45 (A's hawks: -0.15 + 0.6), B's starts at 0.55
    # (B's hawks: 1.15 - 0.7 + 0.1), so the ZOPA is empty and the chance of agreement is 0.
    right = check(case, "ex_schelling", 0.0)
    assert right.correct and "chance of agreement is 0" in right.message
    wrong = check(case, "ex_schelling", 0.5)
    assert not wrong.correct and "too high" in wrong.message
    assert not check(case, "ex_schelling", "half").correct
    partial = check(case, "ex_cheapest_help", ["offer_assurance", "mollify_their_hawk"])
    assert not partial.correct and "costs" in partial.message
    assert not check(case, "ex_cheapest_help", ["nope"]).correct
    best = solution(case, "ex_best_single")
    assert best.correct
    assert check(case, "ex_best_single", "offer_assurance").correct
    wrong = check(case, "ex_best_single", "mollify_their_hawk")
    assert not wrong.correct and "Offer the assurance does better" in wrong.message
    with pytest.raises(KeyError):
        check(case, "ex_missing", 1)
    assert "**Right.**" in right._repr_markdown_()
    # before an answer the checker judges nothing: it says what to enter (no "Right." or "Not quite.")
    for ex in ("ex_schelling", "ex_cheapest_help", "ex_best_single"):
        empty = check(case, ex, None)
        assert empty.correct is None and str(empty).startswith("Enter your answer")


def test_every_checkable_exercise_has_a_right_answer():
    for path in lk.list_cases():
        case = lk.load_case(path)
        for ex in case.teaching["exercises"]:
            if ex.get("kind"):
                assert solution(case, ex["id"]).correct, (case.slug, ex["id"])

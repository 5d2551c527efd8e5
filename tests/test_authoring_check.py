"""`levelii check` over the whole case folder: each mistake of the authoring trial (an instructor adding a case
from the README alone; issue 10) and each gap of issue 10 fails with a message naming the thing; story warnings
print but pass; `levelii strip` clears what the check refuses."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import levelii_kit as lk
from levelii_kit.book.build import build_casebook
from levelii_kit.book.check import check_case, strip_notebook
from levelii_kit.book.new import new_case
from levelii_kit.cli import main
from levelii_kit.errors import BuildError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def case(tmp_path):
    """A fresh `levelii new` case (valid; its only findings are TODO warnings) in a folder of its own."""
    root = tmp_path / "cases"
    new_case("my_case", root=root, part="Diplomacy")
    return root / "my_case"


def edit_yaml(folder: Path, old: str, new: str, count: int = 1) -> None:
    path = folder / "case.yaml"
    text = path.read_text()
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count))


def edit_notebook(folder: Path, fn) -> None:
    path = folder / f"{folder.name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    fn(nb)
    nbformat.write(nb, path)


def errors(folder: Path) -> list[str]:
    return [str(f) for f in check_case(folder) if f.is_error]


def warnings(folder: Path) -> list[str]:
    return [str(f) for f in check_case(folder) if not f.is_error and "TODO" not in f.message]


def has(lines: list[str], *words: str) -> str:
    hits = [line for line in lines if all(w in line for w in words)]
    assert hits, f"no line with {words}: {lines}"
    return hits[0]


def cell(nb, tag: str):
    return next(c for c in nb.cells if tag in c.metadata.get("tags", []))


def test_a_fresh_case_has_no_error(case):
    assert errors(case) == []
    assert warnings(case) == []


# ------------------------------------------------------------------------------- the trial's six mistakes
def test_trial_1_misspelt_target_names_the_move(case):
    edit_yaml(case, "    target: their_hardliners\n    amount: 0.2", "    target: their_hardliner\n    amount: 0.2")
    has(
        errors(case),
        "case.yaml: interventions[1] (calm_the_hardliners).target: unknown constituency 'their_hardliner'",
        "'their_hardliners'",
    )


def test_trial_2_unknown_source_id(case):
    edit_yaml(
        case, "    sources: [sebenius2013]\n    status: verified", "    sources: [sebenius2031]\n    status: verified"
    )
    has(errors(case), "facts[0] (f_frame).sources[0]: unknown source id 'sebenius2031'", "'sebenius2013'")


def test_trial_3_strength_high(case):
    edit_yaml(case, "strength: 2.5", "strength: high")
    has(
        errors(case),
        "sides[1] (their_side).constituencies[1] (their_hardliners).strength: expected a number, got 'high'",
    )


def test_trial_4_parameters_cell_tagged_paramters(case):
    edit_notebook(case, lambda nb: cell(nb, "parameters").metadata.update(tags=["paramters"]))
    lines = errors(case)
    has(lines, 'my_case.ipynb: cell 4 (starts "strengths = {}', "unknown tag 'paramters'; did you mean 'parameters'?")
    has(lines, "no cell is tagged 'parameters'")


def test_trial_5_notebook_saved_with_outputs(case):
    def run_all(nb):
        for c in nb.cells:
            if c.cell_type == "code":
                c.execution_count = 1
                c.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 5000)]

    edit_notebook(case, run_all)
    line = has(errors(case), "my_case.ipynb: ", "code cell(s) carry outputs")
    assert f"`levelii strip {case / 'my_case.ipynb'}`" in line
    assert strip_notebook(case / "my_case.ipynb") is True
    assert errors(case) == []
    before = (case / "my_case.ipynb").read_bytes()
    assert strip_notebook(case / "my_case.ipynb") is False  # a clean notebook is not rewritten
    assert (case / "my_case.ipynb").read_bytes() == before


def test_trial_6_folder_and_slug_disagree(case):
    moved = case.parent / "japan_rice"
    shutil.move(case, moved)
    lines = errors(moved)
    has(lines, "case.yaml: slug: must equal the folder name 'japan_rice' (got 'my_case')")
    has(lines, "japan_rice.ipynb: the chapter notebook is missing; found my_case.ipynb: rename it to japan_rice.ipynb")


# ------------------------------------------------------------------------------- the trial's other mistakes
def test_solution_cells_tagged_solutions(case):
    edit_notebook(
        case,
        lambda nb: [
            c.metadata.update(tags=["solutions"]) for c in nb.cells if "solution" in c.metadata.get("tags", [])
        ],
    )
    line = has(errors(case), "cell", '(starts "### Solutions")', "unknown tag 'solutions'; did you mean 'solution'?")
    assert "Known tags: caption, injected-parameters, instructor, live-only, parameters" in line


def test_the_build_refuses_an_unknown_tag_before_running_anything(case, tmp_path):
    edit_notebook(case, lambda nb: cell(nb, "solution").metadata.update(tags=["solutions"]))
    with pytest.raises(
        BuildError, match=r"chapter my_case: cell \d+ .*unknown tag 'solutions'; did you mean 'solution'"
    ):
        build_casebook(out=tmp_path / "out", cases_dir=case.parent, progress=None)
    assert not (tmp_path / "out").exists()


def test_fact_without_status(case):
    edit_yaml(case, "    status: unverified   # write `verified`", "    # (status removed) write `verified`")
    has(
        errors(case),
        "facts[1] (f_event).status: required field is missing: write 'status: verified'",
        "'status: unverified'",
    )


@pytest.mark.parametrize(
    "part, expected",
    [
        ("Trade", "part: 'Trade' is not a part of casebook/toc.yaml; expected one of 'Foundations', "),
        ("diplomacy", "(did you mean 'Diplomacy'?)"),
    ],
)
def test_part_not_in_the_toc(case, part, expected):
    edit_yaml(case, 'part: "Diplomacy"', f'part: "{part}"')
    has(errors(case), "case.yaml: part: ", expected)


def test_duplicate_order_in_a_part(case):
    new_case("other_case", root=case.parent, part="Diplomacy")  # order 2
    edit_yaml(case.parent / "other_case", "order: 2", "order: 1")
    has(errors(case), "case.yaml: order: 1 is also the order of other_case in part 'Diplomacy'", "(e.g. 2)")
    edit_yaml(case.parent / "other_case", 'part: "Diplomacy"', 'part: "Business"')
    assert errors(case) == []  # the same order in another part is fine


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "rule: {preset: simple_majority}",
            "rule: {preset: majority}",
            ("sides[0] (our_side).rule.preset", "'simple_majority'"),
        ),
        (
            "tolerance: 0.6   # accept up to 0.4",
            "tolerence: 0.6",
            ("constituencies[1] (our_hardliners).tolerence: unknown field",),
        ),
        ("type: Timing", "type: timing", ("interventions[0] (time_the_signing)", "unknown intervention type 'timing'")),
    ],
)
def test_the_other_case_file_mistakes(case, old, new, words):
    edit_yaml(case, old, new)
    has(errors(case), *words)


def test_yaml_syntax_errors_in_plain_words(case):
    text = (case / "case.yaml").read_text()
    lines = text.splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("      - name: our_moderates"))
    lines[n] = "\t" + lines[n].lstrip(" ")
    (case / "case.yaml").write_text("".join(lines))
    line = has(errors(case), f"case.yaml: line {n + 1}, column 1: YAML error: a tab character")
    assert "indents with spaces only; replace the tab with spaces" in line

    (case / "case.yaml").write_text(
        text.replace(
            'period: "TODO: when it happened, e.g. September 1977 to April 1978"', "period: Deadline: December 1993"
        )
    )
    line = has(errors(case), "YAML error: a colon followed by a space inside a value; put the whole value in quotes")
    assert re.search(r"case\.yaml: line \d+, column 17: ", line), line

    (case / "case.yaml").write_text(text.replace("  - id: putnam1988\n", "  - id: putnam1988\n    id: putnam_again\n"))
    has(errors(case), "YAML error: the field 'id' is given twice in the same block", "keep one of them")


# ------------------------------------------------------------------------------- the notebook's other gaps
def test_notebook_missing(case):
    (case / "my_case.ipynb").unlink()
    has(
        errors(case), "my_case.ipynb: the chapter notebook is missing; `levelii new my_case --notebook-only` writes one"
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("{not json", "not a valid notebook (not JSON)"),
        ('{"nbformat": 3, "cells": []}', "not a valid notebook: expected nbformat 4, got 3"),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}',
            "not a valid notebook (nbformat 4)",
        ),
    ],
)
def test_notebook_not_valid(case, text, words):
    (case / "my_case.ipynb").write_text(text)
    has(errors(case), "my_case.ipynb: ", words)


def test_two_parameters_cells(case):
    edit_notebook(case, lambda nb: nb.cells[1].metadata.update(tags=["parameters"]))
    has(
        errors(case),
        "2 cells are tagged 'parameters' (cell 2 (starts \"import levelii_kit as lk\"), cell 4",
        "tag exactly one",
    )


def test_parameters_cell_defines_the_chapters_parameters(case):
    edit_notebook(case, lambda nb: cell(nb, "parameters").update(source="strengths = {}\nmoves = None\nn_offers = 3\n"))
    lines = errors(case)
    has(lines, "the parameters cell does not set seed")
    has(lines, "the parameters cell sets n_offers, which a chapter does not take")


def test_parameters_cell_values_are_checked_against_the_case(case):
    edit_notebook(
        case, lambda nb: cell(nb, "parameters").update(source='strengths = {"nobody": 2}\nmoves = None\nseed = 1\n')
    )
    has(errors(case), "cell 4", "parameter 'strengths': unknown constituency 'nobody'")
    edit_notebook(case, lambda nb: cell(nb, "parameters").update(source="strengths = {}\nmoves = ['calm']\nseed = 1\n"))
    has(errors(case), "parameter 'moves': unknown move 'calm'; allowed: time_the_signing")


def test_setup_called_with_another_slug(case):
    edit_notebook(
        case,
        lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace('setup("my_case"', 'setup("two_level_basics"')),
    )
    has(
        errors(case),
        'cell 5 (starts "ch = lk.chapter.setup("two_level_basics…")',
        'calls setup("two_level_basics"), another case: write setup("my_case", ...)',
    )
    edit_notebook(case, lambda nb: nb.cells.pop(4))
    has(errors(case), 'no cell calls lk.chapter.setup("my_case", strengths=strengths, moves=moves, seed=seed)')


def test_an_executed_copy_and_a_syntax_error(case):
    def damage(nb):
        nb.cells[1].metadata["tags"] = ["injected-parameters"]
        nb.cells[5].source = "lk.chapter.show_goals(case"

    edit_notebook(case, damage)
    lines = errors(case)
    has(lines, "cell 2", "papermill's injected-parameters cell: this is an executed copy; delete the cell")
    has(lines, 'cell 6 (starts "lk.chapter.show_goals(case"): Python syntax error on line 1')


# ------------------------------------------------------------------------------- story warnings
def test_tie_at_a_quota(case):
    # their hardliners at 2.2 weigh exactly as much as the leader (1) and the moderates (1.2): with the hardliners
    # against and the others for, the side's weighted support is 2.2 / 4.4 = 0.5, its quota
    edit_yaml(case, "strength: 2.5", "strength: 2.2")
    line = has(
        warnings(case),
        "sides[1] (their_side).rule: warning: at the baseline proposal",
        "their_side's weighted support is exactly its quota (0.5)",
    )
    assert "ratification turns on a tie" in line


def test_help_that_lowers_the_helpers_expected_value(case):
    # each of the four moves alone makes a deal certain, so each has a Shapley share of a quarter of the 0.39
    # gross gain... at most 0.11; a move costing 0.5 loses money, and so do the four together (0.39 - 0.58)
    edit_yaml(case, "    amount: 0.2\n    cost: 0.03", "    amount: 0.2\n    cost: 0.5")
    lines = warnings(case)
    has(lines, "interventions[1] (calm_the_hardliners): warning: this helping move lowers our_side's expected value")
    has(
        lines,
        "case.yaml: warning: the chapter's helping moves",
        "lower our_side's expected value: net -0.19 (gain +0.39, cost 0.58)",
    )


def test_harmful_move_in_the_default_help(case):
    gloat = (
        "  - id: gloat\n    type: Inflame\n    role: harm\n    label: Gloat\n    actor: our_side\n"
        "    target: their_hardliners\n    amount: 0.1\n    cost: 0.01\n    happened: A victory lap.\n"
        "    sources: [sebenius2013]\n"
    )
    edit_yaml(case, "\nteaching:\n", "\n" + gloat + "\nteaching:\n")
    assert not [w for w in warnings(case) if "harmful" in w]  # moves = None leaves a `role: harm` move out
    edit_notebook(
        case,
        lambda nb: cell(nb, "parameters").update(
            source='strengths = {}\nmoves = ["calm_the_hardliners", "gloat"]\nseed = 2026\n'
        ),
    )
    has(
        warnings(case), "parameters cell: moves: warning: the chapter's default help includes the harmful move(s) gloat"
    )


def test_free_move_in_a_per_cost_exercise(case):
    edit_yaml(case, "    force: true\n    cost: 0.01", "    force: true\n    cost: 0.0")
    has(
        warnings(case),
        "teaching.exercises[1] (ex_best_per_cost): warning: a per-cost exercise, but offer_assurance cost(s) 0",
    )


def test_warnings_print_but_pass_and_errors_fail(case, capsys):
    edit_yaml(case, "    force: true\n    cost: 0.01", "    force: true\n    cost: 0.0")
    assert main(["check", str(case)]) == 0
    out = capsys.readouterr().out
    assert "warning: a per-cost exercise" in out and re.search(r"ok  .*case\.yaml \(\d+ warnings\)", out)
    assert main(["check", "-q", str(case)]) == 0
    assert capsys.readouterr().out == ""  # -q: errors only
    edit_yaml(case, "strength: 2.5", "strength: high")
    assert main(["check", str(case)]) == 1
    captured = capsys.readouterr()
    assert "expected a number, got 'high'" in captured.out and "1 of 1 case(s) invalid" in captured.err


# ------------------------------------------------------------------------------- the shipped cases
def test_every_shipped_case_folder_has_no_error():
    for path in lk.list_cases():
        assert [f for f in check_case(path.parent) if f.is_error] == [], path


def test_strip_command(case, capsys):
    path = case / "my_case.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    nb.cells[1].execution_count = 3
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)
    assert main(["strip", str(case.parent)]) == 0
    assert capsys.readouterr().out.split() == ["stripped", str(path)]
    raw = json.loads(path.read_text())
    assert "widgets" not in raw["metadata"] and raw["cells"][1]["outputs"] == []
    assert [c.get("id") for c in raw["cells"]][:2] == ["cell-00", "cell-01"]
    assert main(["strip", str(path)]) == 0
    assert capsys.readouterr().out.split() == ["clean", str(path)]
    assert main(["strip", str(case / "nothing.ipynb")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_levelii_run_refuses_a_mistyped_parameters_tag(case, monkeypatch, capsys):
    """The trial's mistake 4: `levelii run -p moves ...` used to exit 0 with the default moves."""
    edit_notebook(case, lambda nb: cell(nb, "parameters").metadata.update(tags=["paramters"]))
    monkeypatch.setenv("LEVELII_CASES", str(case.parent))
    assert main(["run", "my_case", "-p", "moves", "[calm_the_hardliners]"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown tag 'paramters'; did you mean 'parameters'?" in err[0]
    assert "(and 1 more: run `levelii check" in err[0]

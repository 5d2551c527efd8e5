"""Self-study in the HTML casebook, without a browser: the verdicts a form can show are the checker's own.

* Every move exercise of every chapter, exhaustively: the verdict the build seals for each answer the form can
  express (every subset, or every move) equals ``str(check(case, id, answer))`` computed afresh.
* Numeric exercises: the page's verdict (``selfstudy.js`` run under Node, filling the checker's own templates) equals
  Python's for a right answer, too high, too low, out of range, not a number and no answer; and the page writes
  numbers exactly as Python's ``format(x, ".3g")``.
* Predictions: the sealed comparison line of every guess a form offers is ``compare``'s own.
* Sealing agrees between Python and the page, and a sealed spec carries no verdict or model answer as text.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

import levelii_kit as lk
from levelii_kit import exercises as ex
from levelii_kit import predictions as pr

ROOT = Path(__file__).resolve().parents[1]
SELFSTUDY_JS = ROOT / "casebook" / "static" / "selfstudy.js"
CASES = [lk.load_case(p) for p in lk.list_cases()]
MOVE_EXERCISES = [
    (c, e["id"]) for c in CASES for e in c.teaching["exercises"] if e.get("kind") in ("cheapest_set", "best_move")
]
NUMERIC_EXERCISES = [(c, e["id"]) for c in CASES for e in c.teaching["exercises"] if e.get("kind") == "numeric"]
NODE = shutil.which("node")


def _ids(pairs):
    return [f"{c.slug}:{i}" for c, i in pairs]


def run_js(script: str, payload) -> object:
    """Run ``script`` with selfstudy.js loaded under Node; ``payload`` is the JSON value ``input``."""
    assert NODE, "the self-study parity tests need Node.js (installed with npm by make)"
    prelude = (
        "const fs = require('fs');"
        "global.window = {}; global.document = {readyState: 'complete', querySelectorAll: () => [],"
        " querySelector: () => null};"
        "global.localStorage = {getItem: () => null, setItem: () => {}};"
        f"eval(fs.readFileSync({json.dumps(str(SELFSTUDY_JS))}, 'utf8'));"
        "const L = window.levelii; const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
    )
    out = subprocess.run(
        [NODE, "-e", prelude + script], input=json.dumps(payload), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


# ------------------------------------------------------------------------------------------- move exercises
@pytest.mark.parametrize(("case", "exercise_id"), MOVE_EXERCISES, ids=_ids(MOVE_EXERCISES))
def test_every_answer_a_move_form_can_express_has_the_checkers_verdict(case, exercise_id):
    kind = next(e["kind"] for e in case.teaching["exercises"] if e["id"] == exercise_id)
    ids = [c.id for c in ex.choices(case, exercise_id)]
    if kind == "cheapest_set":
        answers = [list(s) for k in range(len(ids) + 1) for s in itertools.combinations(ids, k)]
    else:
        answers = [None, *ids]
    table = ex.verdicts(case, exercise_id)
    assert len(table) == len(answers) == (2 ** len(ids) if kind == "cheapest_set" else len(ids) + 1)
    spec = ex.form_spec(case, exercise_id)
    # check() solves the model afresh on every call; for every answer, compute what it says from a fresh solve of
    # its own (the checker with its own table, solved here, not the one verdicts() shared), and call check()
    # itself, untouched, on a sample that includes the empty answer, the model answer and a wrong one
    e = ex._exercise(case, exercise_id)
    table_kind, checker = {
        "cheapest_set": (ex._cheapest, ex._check_cheapest),
        "best_move": (ex._single, ex._check_best),
    }[kind]
    fresh = table_kind(case, e)
    solution = ex.solution(case, exercise_id).answer
    sample = [answers[0], answers[-1], solution, answers[len(answers) // 2]]
    for answer in answers:
        key = ex.answer_key(answer)
        expected = str(checker(case, e, answer, fresh))
        if answer in sample:
            assert str(ex.check(case, exercise_id, answer)) == expected
        assert table[key] == expected
        sealed_key = ex.seal(key, f"{exercise_id}|{key}")
        assert ex.unseal(spec["verdicts"][sealed_key], f"{exercise_id}|{key}") == expected
    # the form's choices are what the checker accepts, with the labels and costs readers see
    assert [c["id"] for c in spec["choices"]] == ids
    assert all(c["label"] == case.move(c["id"]).label for c in spec["choices"])


def test_the_model_answer_is_what_the_form_would_submit_and_is_right():
    for case in CASES:
        for e in case.teaching["exercises"]:
            s = ex.solution(case, e["id"])
            if e.get("kind") is None:
                assert s.answer is None and s.correct is None
                continue
            if s.answer is None:
                continue  # no answer is right in the model (the solution says so)
            assert ex.check(case, e["id"], s.answer).correct, (case.slug, e["id"])
            assert str(s) == str(ex.check(case, e["id"], s.answer))
            if e["kind"] == "cheapest_set":
                assert isinstance(s.answer, list) and all(isinstance(m, str) for m in s.answer)
            elif e["kind"] == "best_move":
                assert isinstance(s.answer, str)
            else:
                assert isinstance(s.answer, float)


# ------------------------------------------------------------------------------------------- numeric exercises
def _numeric_answers(case, exercise_id):
    num = ex._numeric_value(case, ex._exercise(case, exercise_id))
    answers = {"out of range": num.high + 1.0, "below the range": num.low - 0.5, "not a number": "abc", "none": ""}
    if not math.isnan(num.value):
        answers["right"] = num.value
        if num.value + 3 * num.tolerance <= num.high:
            answers["too high"] = num.value + 3 * num.tolerance
        if num.value - 3 * num.tolerance >= num.low:
            answers["too low"] = num.value - 3 * num.tolerance
    return answers


@pytest.mark.parametrize(("case", "exercise_id"), NUMERIC_EXERCISES, ids=_ids(NUMERIC_EXERCISES))
def test_numeric_feedback_in_the_page_is_the_checkers(case, exercise_id):
    spec = ex.form_spec(case, exercise_id, with_solution=False)
    answers = _numeric_answers(case, exercise_id)
    cases = []
    for label, answer in answers.items():
        typed = "" if answer == "" else answer if isinstance(answer, str) else repr(float(answer))
        python = ex.check(case, exercise_id, None if typed == "" else (typed if isinstance(answer, str) else answer))
        cases.append(
            {"label": label, "typed": typed, "bad": isinstance(answer, str) and answer != "", "python": str(python)}
        )
    page = run_js(
        "console.log(JSON.stringify(input.cases.map(c => L.numericVerdict(input.spec,"
        " {value: c.bad ? '' : c.typed, validity: {badInput: c.bad}}))));",
        {"spec": spec, "cases": cases},
    )
    for c, text in zip(cases, page):
        assert text == c["python"], (c["label"], text, c["python"])
    assert {"right", "too high", "too low"} & set(answers) or math.isnan(
        ex._numeric_value(case, ex._exercise(case, exercise_id)).value
    )


def test_the_page_writes_numbers_as_python_does():
    rng = random.Random(2026)
    xs = [0.5, 0.125, 1.125, 2.675, 0.0005, 0.00012345, 999.5, 9.995, 1234.5, -0.0004, 0.0, 1 / 3, 0.565, 100.0]
    xs += [round(rng.uniform(-1000, 1000), rng.randint(0, 6)) for _ in range(1500)]
    xs += [rng.random() for _ in range(1500)] + [k / 8 for k in range(-80, 80)] + [k / 1000 for k in range(1001)]
    page = run_js("console.log(JSON.stringify(input.map(x => L.formatG(x, 3))));", xs)
    assert page == [format(x, ".3g") for x in xs]
    assert all(ex.format_number(x) == format(x, ".3g") for x in xs)


def test_sealing_agrees_between_python_and_the_page():
    texts = [("Right. 0.5", "ex|x"), ("Not quite. Déjà vu: ≥ 50% — «quoted»", "ex_cheapest|a,b"), ("", "k")]
    sealed = [ex.seal(t, k) for t, k in texts]
    page = run_js(
        "console.log(JSON.stringify(input.map(([s, k]) => L.unseal(s, k))));",
        [[s, k] for s, (_, k) in zip(sealed, texts)],
    )
    assert page == [t for t, _ in texts]
    again = run_js("console.log(JSON.stringify(input.map(([t, k]) => L.seal(t, k))));", [list(p) for p in texts])
    assert again == sealed


def test_a_sealed_spec_carries_no_verdict_or_model_answer_as_text():
    for case in CASES:
        for e in case.teaching["exercises"]:
            spec = ex.form_spec(case, e["id"], with_solution=False)
            text = json.dumps(spec, ensure_ascii=False)
            assert "Right." not in text and "Not quite." not in text and "solution" not in spec
            if e.get("kind") == "numeric":
                value = ex._numeric_value(case, ex._exercise(case, e["id"])).value
                sealed = spec["numeric"]
                assert isinstance(sealed["value"], str) and sealed["value"] != repr(value)
                assert isinstance(sealed["texts"], str) and "what" not in sealed["texts"]
                assert "value" not in json.loads(ex.unseal(sealed["texts"], e["id"]))
                assert ex.unseal(sealed["value"], e["id"]) == repr(value)


# ------------------------------------------------------------------------------------------- predictions
def test_every_guess_a_prediction_form_offers_gets_compares_line():
    for case in CASES:
        revealed = pr.reveal_all(case)
        for p in case.predictions:
            spec = pr.prompt_spec(case, p.id, reveal_all_result=revealed)
            key = f"{case.slug}|{p.id}"
            assert len(spec["guesses"]) == (2 if p.answer == "yes_no" else pr.STEPS + 1)
            for k, guess in enumerate(spec["guesses"]):
                assert ex.unseal(spec["lines"][str(k)], f"{key}|{k}") == pr.compare(case, p.id, guess)
            result = json.loads(ex.unseal(spec["result"], key))
            assert result == {"text": revealed[p.id].text, "explain": p.explain}
            assert revealed[p.id].text not in json.dumps({k: v for k, v in spec.items() if k != "shown"})


def test_no_answer_yet_judges_nothing():
    for case in CASES:
        for e in case.teaching["exercises"]:
            feedback = ex.check(case, e["id"], None)
            assert feedback.correct is None
            assert not str(feedback).startswith(("Right.", "Not quite."))

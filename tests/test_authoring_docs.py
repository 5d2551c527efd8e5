"""The "Writing a chapter" page: its examples run, it covers every function a chapter calls, and it is in the
instructor edition only (tests/test_authoring_build.py looks at the built pages)."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest

from levelii_kit.book.new import chapter_notebook, new_case
from levelii_kit.book.toc import load_book

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "casebook" / "front_matter" / "writing-a-chapter.md"

#: The parts of the kit a chapter notebook calls by name.
API_CALL = re.compile(r"\b(lk\.chapter\.\w+|lk\.exercises\.\w+|lk\.widgets\.\w+|plots\.\w+|ch\.\w+|ledger\.\w+)")


@pytest.fixture(scope="module")
def my_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("cases")
    new_case("my_case", root=root)
    return root


def test_the_examples_run(my_case, monkeypatch):
    monkeypatch.setenv("LEVELII_CASES", str(my_case))
    result = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
        report=True,
    )
    assert result.attempted >= 50, result
    assert result.failed == 0, result


def _calls(sources):
    return {m for source in sources for m in API_CALL.findall(source)}


def test_every_function_a_chapter_calls_has_an_example(my_case):
    """Every lk.chapter / plots / lk.exercises / lk.widgets name (and Chapter/Ledger member) that a shipped
    chapter or a generated one calls appears in a `>>>` example of the page."""
    sources = []
    for path in sorted((REPO / "cases").glob("*/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        sources += ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    import levelii_kit as lk

    generated = chapter_notebook(lk.load_case(my_case / "my_case" / "case.yaml"))
    sources += [c.source for c in generated.cells if c.cell_type == "code"]
    called = _calls(sources)
    examples = "\n".join(
        line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith((">>>", "..."))
    )
    shown = _calls([examples])
    # members of the objects chapters read, not calls to document one by one
    plain_data = {"ledger.costs", "ledger.paid", "ledger.shapley", "ledger.likelihood", "ledger.terms"}
    plain_data |= {"ledger.probability_after", "ch.case", "ch.baseline", "ch.helped"}
    missing = sorted(called - shown - plain_data)
    assert called >= {"lk.chapter.setup", "plots.whatif_figure", "lk.exercises.check"}
    assert not missing, f"no example on the page for: {missing}"


def test_the_page_is_in_the_instructor_edition_only():
    book = load_book(REPO / "casebook")
    page = next(p for p in book.front_matter if p.name == "writing-a-chapter")
    assert page.title == "Writing a chapter"
    assert page.editions == ("instructor",)
    assert "writing-a-chapter" not in [p.name for p in book.for_edition("student").front_matter]
    assert "writing-a-chapter" in [p.name for p in book.for_edition("instructor").front_matter]
    # the other front matter pages stay in both editions
    assert [p.name for p in book.for_edition("student").front_matter] == [
        "how-to-use-in-class",
        "self-study-guide",
        "model",
    ]


def test_the_reader_sees_empty_lines_where_the_doctest_has_blankline_markers():
    book = load_book(REPO / "casebook")
    page = next(p for p in book.front_matter if p.name == "writing-a-chapter")
    assert "<BLANKLINE>" in (REPO / "casebook" / "front_matter" / "writing-a-chapter.md").read_text(encoding="utf-8")
    assert "BLANKLINE" not in page.body_html
    assert "**Debrief questions**\n\n1. TODO" in page.body_html


def test_the_readme_links_the_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "casebook/front_matter/writing-a-chapter.md" in readme
    for command in ("make setup", "source .venv/bin/activate", "levelii new", "levelii strip", "--only", "cache"):
        assert command in readme, command

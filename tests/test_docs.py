"""The project's own documents: what docstrings cite exists in the repository, and the model appendix renders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from levelii_kit.book.toc import render_markdown

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = r"[A-Za-z0-9_./<>-]+\.(?:md|ya?ml|toml|ipynb|rst)"
CITED = re.compile(rf"(?<![\w/.=<-])({DOCUMENTS})(?![\w/-])")  # not inside a URL (after "=" or "/")
REPO_FILES = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts}
BASENAMES = {Path(f).name for f in REPO_FILES}
OUTPUT_FOLDERS = {"build", "downloads", "executed"}  # what the build writes, named in docstrings, not documents


def _docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield getattr(node, "name", path.name), _prose(doc)


def _prose(doc: str) -> str:
    """A docstring without its doctest examples (code and expected output are not citations)."""
    kept, in_example = [], False
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped.startswith(">>>"):
            in_example = True
        elif not stripped:
            in_example = False
        if not in_example:
            kept.append(line)
    return "\n".join(kept)


def _exists(cited: str) -> bool:
    """A path with a folder must exist from the repository root (placeholders such as <slug> match any
    folder); a bare name must be a file somewhere in the repository, and a Markdown document must be
    cited by its path (a bare name for the model appendix once pointed outside the repository). Paths that
    start with a placeholder (``<out_dir>/...``) name files the code writes, not documents."""
    if cited.startswith("<") or cited.split("/")[0] in OUTPUT_FOLDERS:
        return True
    pattern = re.sub(r"<[a-z_]+>", "[^/]+", re.escape(cited.lstrip("./")).replace(r"\<", "<").replace(r"\>", ">"))
    if "/" in cited:
        return any(re.fullmatch(pattern, f) for f in REPO_FILES)
    if cited.endswith(".md"):
        return cited in REPO_FILES
    return any(re.fullmatch(pattern, name) for name in BASENAMES)


SOURCES = sorted(p for folder in ("levelii_kit", "tests", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_docstrings_cite_only_files_in_the_repository(path):
    missing = [(name, cited) for name, doc in _docstrings(path) for cited in CITED.findall(doc) if not _exists(cited)]
    assert missing == [], f"{path.relative_to(ROOT)} cites files that are not in the repository: {missing}"


def test_the_citation_check_bites():
    assert not _exists("research/ecosystem.md") and not _exists("cases.md") and not _exists("DESIGN.md")
    assert not _exists("model" + ".md")  # a bare name for the appendix once pointed outside the repository
    assert _exists("casebook/front_matter/model.md") and _exists("cases/<slug>/case.yaml") and _exists("case.yaml")


def test_the_model_appendix_states_the_equations_as_mathml():
    text = (ROOT / "casebook" / "front_matter" / "model.md").read_text(encoding="utf-8")
    page = render_markdown(text, math=True)
    assert page.count("<math") >= 30 and 'display="block"' in page
    assert "$" not in re.sub(r"<math.*?</math>", "", page, flags=re.S), "every formula becomes MathML"
    for section in (
        "support",
        "ratification",
        "win-sets-and-the-zopa",
        "the-level-i-outcome",
        "the-helper-s-ledger",
        "power-indices",
        "textbook-results-the-model-reproduces",
    ):
        assert re.search(rf'<h2 id="\d+-{section}">', page), section
    for prop in range(1, 19):
        assert f"P-{prop}" in text

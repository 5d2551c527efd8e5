"""The author's loop: the build cache (a chapter re-executed only when its inputs change), `levelii build --only`,
and the instructor-only "Writing a chapter" page. Uses the tiny fixture chapters of tests/fixtures/site."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from levelii_kit.book import cache as cache_module
from levelii_kit.book.build import build_casebook
from levelii_kit.book.cache import BuildCache, execution_key
from levelii_kit.errors import BuildError

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "site" / "cases"
PARAMETERS = {"tiny_basics": {"hawk_strength": 0.6}}
RAN = re.compile(r"^\[\d/\d\] (\w+) \.\.\. ok \(")
CACHED = re.compile(r"^\[\d/\d\] (\w+) \.\.\. from the cache \(inputs unchanged\)$")


@pytest.fixture
def cases(tmp_path):
    target = tmp_path / "cases"
    shutil.copytree(FIXTURES, target)
    return target


def build(cases: Path, out: Path, **kw) -> list[str]:
    lines: list[str] = []
    build_casebook(out=out, cases_dir=cases, parameters=kw.pop("parameters", PARAMETERS), progress=lines.append, **kw)
    return lines


def ran(lines):
    return sorted(m.group(1) for m in map(RAN.match, lines) if m)


def cached(lines):
    return sorted(m.group(1) for m in map(CACHED.match, lines) if m)


def packaged(lines):
    """The chapters whose teaching package this build made (not taken from the cache)."""
    return sorted(m.group(1) for m in map(re.compile(r"^teaching package (\w+): deck").match, lines) if m)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# ------------------------------------------------------------------------------- the key
def test_execution_key_follows_every_input(cases, tmp_path, monkeypatch):
    folder = cases / "tiny_treaty"
    key = execution_key(folder, {"a": 1})
    moved = tmp_path / "elsewhere" / "tiny_treaty"
    shutil.copytree(folder, moved)
    (moved / ".ipynb_checkpoints").mkdir()
    (moved / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    assert execution_key(moved, {"a": 1}) == key  # where the folder is, and checkpoints, do not matter
    assert execution_key(folder, {"a": 2}) != key  # parameters
    edit(moved / "case.yaml", "order: 1", "order: 2")
    assert execution_key(moved, {"a": 1}) != key  # the case file
    monkeypatch.setattr(cache_module, "kit_fingerprint", lambda: "another kit")
    assert execution_key(folder, {"a": 1}) != key  # the kit's source
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "environment_fingerprint", lambda: "numpy==0.0")
    assert execution_key(folder, {"a": 1}) != key  # the installed packages
    monkeypatch.undo()
    assert execution_key(folder, {"a": 1}) == key


def test_the_fingerprints_cover_the_kit_and_the_packages():
    assert cache_module.kit_fingerprint() == cache_module.tree_digest(REPO / "levelii_kit", [".py"])
    import importlib.metadata

    numpy = f"numpy=={importlib.metadata.version('numpy')}"
    names = {f"{(d.metadata.get('Name') or '').lower()}=={d.version}" for d in importlib.metadata.distributions()}
    assert numpy in names  # what environment_fingerprint hashes


def test_cache_keeps_the_most_recent_entries(tmp_path):
    store = BuildCache(tmp_path / "cache", keep=2)
    source = tmp_path / "nb.ipynb"
    for k in range(4):
        source.write_text(f"run {k}")
        store.store("ch", f"key{k}", source, seconds=1.0)
        os.utime(store.root / "ch" / f"key{k}.ipynb", (1000 + k, 1000 + k))
    store.store("ch", "key4", source)
    assert sorted(p.name for p in (store.root / "ch").glob("*.ipynb")) == ["key3.ipynb", "key4.ipynb"]
    assert store.fetch("ch", "key3", tmp_path / "back.ipynb") and (tmp_path / "back.ipynb").read_text() == "run 3"
    assert not store.fetch("ch", "key0", tmp_path / "none.ipynb")


# ------------------------------------------------------------------------------- full builds
@pytest.mark.notebook
def test_rebuild_reuses_the_cache_and_reruns_exactly_the_edited_chapter(cases, tmp_path):
    out = tmp_path / "casebook"
    first = build(cases, out)
    assert ran(first) == ["tiny_basics", "tiny_treaty"] and cached(first) == []
    pages = digest(out / "student") | {f"i/{k}": v for k, v in digest(out / "instructor").items()}

    second = build(cases, out)
    assert ran(second) == [] and cached(second) == ["tiny_basics", "tiny_treaty"]
    assert any("(0 page(s) rendered, 4 from the cache;" in line for line in second), second
    again = digest(out / "student") | {f"i/{k}": v for k, v in digest(out / "instructor").items()}
    assert again == pages  # the same casebook, byte for byte (the teaching packages' decks included)
    assert packaged(first) == ["tiny_basics", "tiny_treaty"] and packaged(second) == []
    assert [f"teaching package {s}: from the cache" for s in ("tiny_basics", "tiny_treaty")] == [
        line for line in second if line.startswith("teaching package")
    ]

    edit(cases / "tiny_treaty" / "case.yaml", "an ampersand", "an ampersand (edited)")
    third = build(cases, out)
    assert ran(third) == ["tiny_treaty"] and cached(third) == ["tiny_basics"]
    assert packaged(third) == ["tiny_treaty"]  # the edited chapter's deck is made again, the other's reused
    assert "an ampersand (edited)" in (out / "instructor" / "teaching" / "tiny_treaty" / "slides.html").read_text()

    fourth = build(cases, out, parameters={"tiny_basics": {"hawk_strength": 0.8}})
    assert ran(fourth) == ["tiny_basics"] and cached(fourth) == ["tiny_treaty"]

    fifth = build(cases, out, cache=False)
    assert ran(fifth) == ["tiny_basics", "tiny_treaty"]
    assert (tmp_path / "cache" / "tiny_basics").is_dir()  # the default cache: beside the casebook


@pytest.mark.notebook
def test_only_builds_one_chapter_with_the_others_from_the_cache(cases, tmp_path):
    out = tmp_path / "casebook"
    build(cases, out)
    edit(cases / "tiny_basics" / "case.yaml", "title: Tiny basics", "title: Tiny basics, edited")
    edit(cases / "tiny_treaty" / "case.yaml", "an ampersand", "an ampersand (edited)")
    lines = build(cases, out, only=["tiny_basics"])
    assert ran(lines) == ["tiny_basics"]
    # tiny_treaty's inputs changed, so the cache cannot serve it: its page is the previous build's
    assert "tiny_treaty ... not rebuilt: as in the previous build (its inputs may have changed since)" in lines
    index = (out / "student" / "index.html").read_text()
    assert "Tiny basics, edited" in index and 'href="tiny_treaty.html"' in index
    for edition in ("student", "instructor"):
        assert (out / edition / "tiny_treaty.html").is_file() and (out / edition / "tiny_basics.html").is_file()

    lines = build(cases, out, only=["tiny_treaty"])
    assert ran(lines) == ["tiny_treaty"]
    assert "tiny_basics ... not rebuilt: from the cache (inputs unchanged)" in lines


@pytest.mark.notebook
def test_only_without_a_previous_build_leaves_the_others_out(cases, tmp_path):
    out = tmp_path / "casebook"
    lines = build(cases, out, only=["tiny_treaty"])
    assert ran(lines) == ["tiny_treaty"]
    assert "tiny_basics ... left out: never built; `levelii build` builds every chapter" in lines
    index = (out / "student" / "index.html").read_text()
    assert 'href="tiny_treaty.html"' in index and "tiny_basics" not in index
    assert not (out / "student" / "tiny_basics.html").exists()
    assert "Chapter 1 of 1" in (out / "student" / "tiny_treaty.html").read_text()


def test_only_names_an_existing_chapter(cases, tmp_path):
    with pytest.raises(BuildError, match=r"--only 'tiny_basic': no such chapter; did you mean 'tiny_basics'\?"):
        build(cases, tmp_path / "casebook", only=["tiny_basic"])
    assert not (tmp_path / "casebook").exists()


@pytest.mark.notebook
def test_a_failed_only_build_leaves_the_casebook_and_the_cache_as_they_were(cases, tmp_path):
    out = tmp_path / "casebook"
    build(cases, out)
    before, cache_before = digest(out), digest(tmp_path / "cache")
    notebook = cases / "tiny_basics" / "tiny_basics.ipynb"
    edit(notebook, '"import json', '"raise RuntimeError(\\"broken on purpose\\")\\n",\n    "import json')
    with pytest.raises(BuildError, match="chapter tiny_basics failed: RuntimeError: broken on purpose"):
        build(cases, out, only=["tiny_basics"])
    assert digest(out) == before
    assert digest(tmp_path / "cache") == cache_before  # a failed chapter is not cached
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "casebook", "cases"]


# ------------------------------------------------------------------------------- the instructor-only page
@pytest.mark.notebook
def test_writing_a_chapter_is_in_the_instructor_edition_only(cases, tmp_path):
    out = tmp_path / "casebook"
    build(cases, out)
    assert (out / "instructor" / "writing-a-chapter.html").is_file()
    assert not (out / "student" / "writing-a-chapter.html").exists()
    for page in ("index.html", "tiny_basics.html", "glossary.html"):
        assert 'href="writing-a-chapter.html"' in (out / "instructor" / page).read_text(), page
        assert "writing-a-chapter" not in (out / "student" / page).read_text(), page
    html = (out / "instructor" / "writing-a-chapter.html").read_text()
    assert re.search(r"<h1[^>]*>Writing a chapter</h1>", html) and "<table" in html
    assert "&gt;&gt;&gt; ch = lk.chapter.setup(&quot;my_case&quot;" in html  # examples shown as code, escaped

"""The instructor edition's teaching package: the casebook build writes each chapter's deck, role briefs and handouts.

A small casebook is built from two fixture chapters: ``tiny_roles`` (roles, a session plan, one helping move;
tests/fixtures/slides) and ``tiny_basics`` (no roles, no moves; tests/fixtures/site). The instructor edition must
link and hold the package; the student edition must hold none of it (the briefs are confidential); a case without
roles gets a deck but no briefs or handouts.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import levelii_kit as lk
from levelii_kit.book import package
from levelii_kit.book.build import build_casebook
from levelii_kit.book.toc import ChapterEntry

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("slides-package")]

ROOT = Path(__file__).resolve().parents[1]
TINY_ROLES = ROOT / "tests" / "fixtures" / "slides" / "tiny_roles"
TINY_BASICS = ROOT / "tests" / "fixtures" / "site" / "cases" / "tiny_basics"
SECRETS = {"a_negotiator": "FIXTURE-SECRET-A", "b_negotiator": "FIXTURE-SECRET-B", "b_hawks": "FIXTURE-SECRET-HAWK"}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    cases = tmp_path_factory.mktemp("package-cases")
    for folder in (TINY_ROLES, TINY_BASICS):
        shutil.copytree(folder, cases / folder.name)
    out = tmp_path_factory.mktemp("package-book") / "casebook"
    lines: list[str] = []
    build_casebook(out=out, cases_dir=cases, casebook_dir=ROOT / "casebook", progress=lines.append)
    (out.parent / "progress.txt").write_text("\n".join(lines), encoding="utf-8")
    return out


def links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one(".cb-teaching")
    return [a["href"] for a in box.find_all("a")] if box else []


def test_the_instructor_edition_links_the_package_and_holds_it(book):
    edition = book / "instructor"
    hrefs = links(edition / "tiny_roles.html")
    case = lk.load_case(TINY_ROLES / "case.yaml")
    assert hrefs == [
        "teaching/tiny_roles/slides.html",
        "teaching/tiny_roles/handouts.pdf",
        *(f"teaching/tiny_roles/briefs/{role.id}.html" for role in case.roles),
    ]
    for href in hrefs:
        assert (edition / href).is_file() and (edition / href).stat().st_size > 1000, href
    soup = BeautifulSoup((edition / "tiny_roles.html").read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one(".cb-teaching").get_text(" ", strip=True)
    for role in case.roles:
        assert role.title in box
    # the deck uses the edition's one plotly.js and the shared assets
    deck = BeautifulSoup((edition / hrefs[0]).read_text(encoding="utf-8"), "html.parser")
    scripts = [s["src"] for s in deck.find_all("script") if s.get("src")]
    assert scripts[0] == "../../plotly.min.js"
    for src in scripts + [link["href"] for link in deck.find_all("link")]:
        assert (edition / "teaching" / "tiny_roles" / src).resolve().is_file(), src
    assert len(list(book.rglob("plotly.min.js"))) == 2  # one per edition, as before: the decks add none


def test_a_case_without_roles_gets_a_deck_but_no_briefs_or_handouts(book):
    edition = book / "instructor"
    assert links(edition / "tiny_basics.html") == ["teaching/tiny_basics/slides.html"]
    assert sorted(p.name for p in (edition / "teaching" / "tiny_basics").iterdir()) == ["slides.html"]
    text = BeautifulSoup((edition / "tiny_basics.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")
    assert "This case has no roles" in text


def test_the_student_edition_has_none_of_it(book):
    student = book / "student"
    assert not (student / "teaching").exists()
    for page in student.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "cb-teaching" not in html and "teaching/" not in html, page
        for secret in SECRETS.values():
            assert secret not in html, page


def test_each_brief_page_holds_its_own_brief_only(book):
    folder = book / "instructor" / "teaching" / "tiny_roles" / "briefs"
    case = lk.load_case(TINY_ROLES / "case.yaml")
    for role in case.roles:
        page = folder / f"{role.id}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("h1").get_text(strip=True) == role.title
        text = soup.get_text(" ")
        for _, part in role.brief.parts():
            assert part in text
        for other, secret in SECRETS.items():
            assert (secret in text) == (other == role.id), (role.id, secret)
        assert not soup.find_all("script") and "http" not in "".join(str(t) for t in soup.find_all(["link", "img"]))


def test_the_handouts_pdf_has_every_role(book):
    reader = PdfReader(book / "instructor" / "teaching" / "tiny_roles" / "handouts.pdf")
    text = " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages)
    case = lk.load_case(TINY_ROLES / "case.yaml")
    for role in case.roles:
        assert role.title in text
    assert "Instructor's cover sheet" in text


def test_the_build_log_names_each_package(book):
    log = (book.parent / "progress.txt").read_text(encoding="utf-8")
    assert re.search(r"teaching package tiny_roles: deck \(\d+ slides\), 3 role briefs, handouts PDF", log)
    assert re.search(r"teaching package tiny_basics: deck \(\d+ slides\) \(", log)


def test_links_leave_out_what_cannot_be_built_and_say_why(monkeypatch, tmp_path):
    case = lk.load_case(TINY_ROLES / "case.yaml")
    monkeypatch.setattr(package.pdf, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(package.slides, "REVEAL_FILES", ("no-such-file.js",))
    got = package.package_links(case)
    assert got.deck is None and got.handouts is None
    assert len(got.briefs) == 3  # brief pages need neither
    assert any("reveal.js" in reason for reason in got.missing)
    assert any("Chromium" in reason for reason in got.missing)
    entry = ChapterEntry.from_case(case)
    assert package.links_for(entry) == got


def test_a_failing_package_fails_the_build_with_the_chapter_named(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise package.slides.DeckError("the deck broke")

    monkeypatch.setattr(package.slides, "build_deck", broken)
    with pytest.raises(lk.book.BuildError, match=r"teaching package of chapter tiny_roles: the deck broke"):
        package.write_chapter_package(TINY_ROLES / "case.yaml", tmp_path / "instructor")


@pytest.mark.browser
def test_the_casebook_deck_works_offline(book, tab):
    page = tab.page
    page.goto((book / "instructor" / "teaching" / "tiny_roles" / "slides.html").as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    total = page.evaluate("Reveal.getTotalSlides()")
    for k in range(1, total):
        page.keyboard.press("ArrowRight")
        page.wait_for_function("k => Reveal.getIndices().h === k", arg=k)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.deck-plot')].every(p => p.querySelector('.main-svg'))", timeout=20_000
    )
    assert tab.blocked == [] and tab.errors == []


def test_the_search_index_leaves_the_package_box_out(book):
    """The box is navigation (links to the package): a search for a role's title must not land on the chapter."""
    from levelii_kit.book.search import page_sections

    page = (book / "instructor" / "tiny_roles.html").read_text(encoding="utf-8")
    text = " ".join(s.text for s in page_sections(page, "tiny_roles.html", "Tiny roles"))
    assert "Teaching package" not in text
    for role in lk.load_case(TINY_ROLES / "case.yaml").roles:
        assert role.title not in text

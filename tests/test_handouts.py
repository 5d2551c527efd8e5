"""Handouts (levelii handouts): the HTML, and every case's PDF read back with pypdf.

The PDF tests print through Debian's Chromium (Playwright from PyPI, every non-file request refused) and
check what an instructor needs: a cover sheet, each role's brief starting on its own page headed by the
role's title and holding no other role's brief, and an outcome form per group.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import levelii_kit as lk
from levelii_kit.book import pdf as pdfmod
from levelii_kit.book.handouts import HandoutsError, build_handouts, handouts_html, plan_groups
from levelii_kit.book.pdf import PdfError, page_footer, print_pdf
from levelii_kit.cli import main

CASES = Path(__file__).resolve().parent.parent / "cases"
SLUGS = sorted(p.parent.name for p in CASES.glob("*/case.yaml"))
BANNER = "CONFIDENTIAL: FOR THIS ROLE ONLY"  # the brief banner, upper-cased by CSS
GROUPS = 3


def norm(text: str) -> str:
    """Text as compared: ligatures unfolded (NFKC), whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def snippets(role):
    """The five parts of a role's brief, normalised (a part never breaks across pages: break-inside: avoid)."""
    return [norm(text) for _, text in role.brief.parts()]


# ------------------------------------------------------------------ groups
def test_plan_groups_splits_a_class_as_evenly_as_possible():
    assert plan_groups(6, students=26) == (7, 7, 6, 6)  # 26 / 6 = 4.33 -> 4 groups
    assert plan_groups(6, students=24) == (6, 6, 6, 6)
    assert plan_groups(6, students=11) == (6, 5)  # 1.83 -> 2 groups
    assert plan_groups(4, students=3) == (3,)  # fewer students than one group: one group
    assert plan_groups(5, students=27) == (6, 6, 5, 5, 5)  # 5.4 -> 5 groups
    assert plan_groups(5, groups=3) == (5, 5, 5)
    assert plan_groups(5) == (5, 5, 5, 5)  # the default: four groups


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"groups": 2, "students": 10}, "not both"),
        ({"groups": 0}, "groups: expected a whole number from 1 to 60, got 0"),
        ({"students": 1}, "students: expected a whole number of at least 2, got 1"),
        ({"students": 1000}, "at most 60 are printed"),
    ],
)
def test_plan_groups_rejects_an_impossible_class(kwargs, message):
    with pytest.raises(HandoutsError, match=re.escape(message)):
        plan_groups(5, **kwargs)


# ------------------------------------------------------------------ HTML
def articles(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup, {a["id"]: a for a in soup.find_all("article")}


@pytest.mark.parametrize("slug", SLUGS)
def test_each_brief_article_holds_its_role_only(slug):
    case = lk.load_case(slug)
    soup, by_id = articles(handouts_html(case, groups=GROUPS))
    assert list(by_id) == (
        ["cover", "general"] + [f"role-{r.id}" for r in case.roles] + [f"outcome-{n}" for n in range(1, GROUPS + 1)]
    )
    for r in case.roles:
        page = norm(by_id[f"role-{r.id}"].get_text(" "))
        assert norm(by_id[f"role-{r.id}"].h1.get_text()) == norm(r.title)
        for snip in snippets(r):
            assert snip in page
        for other in case.roles:
            if other.id != r.id:
                assert not any(s in page for s in snippets(other)), (r.id, other.id)
    cover = norm(by_id["cover"].get_text(" "))
    for r in case.roles:  # sources: ids on the brief, full citations on the instructor's cover sheet
        ids = [norm(code.get_text()) for code in by_id[f"role-{r.id}"].select(".sources-ids code")]
        assert ids == list(r.sources)
        for sid in r.sources:
            assert norm(next(s.citation for s in case.sources if s.id == sid)) in cover
    everywhere_else = norm(" ".join(by_id[k].get_text(" ") for k in by_id if not k.startswith("role-")))
    for r in case.roles:  # no brief leaks onto the cover sheet, the general page or the forms
        assert not any(s in everywhere_else for s in snippets(r)), r.id
    assert soup.find("script") is None and soup.find("link") is None


def test_case_text_is_escaped_never_html(tmp_path):
    data = yaml.safe_load((CASES / "two_level_basics" / "case.yaml").read_text())
    data["teaching"]["roles"][0]["title"] = "<script>alert(1)</script> & co"
    data["teaching"]["roles"][0]["brief"]["wants"] = "<b>bold</b> <img src=x onerror=alert(2)>"
    data["teaching"]["session"]["logistics"] = "<a href='http://example.com'>link</a>"
    folder = tmp_path / "two_level_basics"
    folder.mkdir()
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    html = handouts_html(lk.load_case(folder / "case.yaml"), groups=1)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None and soup.find("b") is None
    assert soup.find("a") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)</script> & co" in soup.find(id="role-a_leader").h1.get_text()


def test_a_case_without_roles_has_no_handouts(tmp_path):
    data = yaml.safe_load((CASES / "two_level_basics" / "case.yaml").read_text())
    del data["teaching"]["roles"]
    folder = tmp_path / "two_level_basics"
    folder.mkdir()
    (folder / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(HandoutsError, match="has no roles"):
        handouts_html(lk.load_case(folder / "case.yaml"))
    assert main(["handouts", str(folder)]) == 2


def test_cover_sheet_plans_the_class_from_the_session():
    case = lk.load_case("german_unification")
    soup, by_id = articles(handouts_html(case, students=26))  # group size 6: 26 / 6 -> 4 groups of 7, 7, 6, 6
    cover = norm(by_id["cover"].get_text(" "))
    assert "90 minutes in all; groups of 6 students" in cover
    assert "26 students in 4 groups (group 1: 7, group 2: 7, group 3: 6, group 4: 6)" in cover
    clocks = [norm(td.get_text()) for td in by_id["cover"].select("table.timing tbody td:first-child")]
    assert clocks == ["0:00–0:05", "0:05–0:20", "0:20–0:30", "0:30–0:55", "0:55–1:05", "1:05–1:30"]
    assert "more students than roles" in cover
    for item in case.session.collect:
        assert norm(item) in cover
    assert [a for a in by_id if a.startswith("outcome-")] == ["outcome-1", "outcome-2", "outcome-3", "outcome-4"]


# ------------------------------------------------------------------ PDF (Chromium)
@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    built = {}
    for slug in SLUGS:
        result = build_handouts(slug, out / f"{slug}.pdf", groups=GROUPS)
        built[slug] = result
    return built


def pages_of(path):
    from pypdf import PdfReader

    return [norm(page.extract_text() or "") for page in PdfReader(str(path)).pages]


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
@pytest.mark.parametrize("slug", SLUGS)
def test_handouts_pdf_has_cover_briefs_on_their_own_pages_and_forms(pdfs, slug):
    case = lk.load_case(slug)
    result = pdfs[slug]
    assert result.path.exists() and result.groups == (case.session.group_size,) * GROUPS
    pages = pages_of(result.path)
    n = len(pages)
    # the cover sheet opens the file and names every role; the general instructions follow on a new page
    assert pages[0].startswith("FOR THE INSTRUCTOR ONLY Instructor's cover sheet"), pages[0][:80]
    general = [i for i, p in enumerate(pages) if p.startswith("FOR EVERY PARTICIPANT General instructions")]
    assert len(general) == 1
    cover = " ".join(pages[: general[0]])
    for r in case.roles:
        assert norm(r.title) in cover, r.id
    # every page is numbered by the footer
    for i, page in enumerate(pages, 1):
        assert page.endswith(f"Handouts: {slug} page {i} of {n}"), page[-60:]
    # each brief starts a page with the banner and the role's title, in the case file's order
    starts = [i for i, p in enumerate(pages) if p.startswith(BANNER)]
    assert len(starts) == len(case.roles)
    forms = [i for i, p in enumerate(pages) if p.startswith("HAND IN AT THE END Outcome form: group")]
    assert [pages[i].split("Outcome form: group ")[1].split()[0] for i in forms] == [
        str(k) for k in range(1, GROUPS + 1)
    ]
    assert forms == list(range(forms[0], forms[0] + GROUPS)) and forms[-1] == n - 1  # one page per form, last
    bounds = starts + [forms[0]]
    for k, r in enumerate(case.roles):
        first, end = bounds[k], bounds[k + 1]
        assert pages[first].startswith(f"{BANNER} {norm(r.title)}"), pages[first][:120]
        mine = " ".join(pages[first:end])
        for snip in snippets(r):
            assert snip in mine, (r.id, snip)
        for other in case.roles:  # no page of this brief holds another role's brief
            if other.id != r.id:
                for page in pages[first:end]:
                    assert not any(s in page for s in snippets(other)), (r.id, other.id)
    # nothing of any brief outside its own pages (cover sheet, general page, forms)
    outside = " ".join(pages[: starts[0]] + pages[forms[0] :])
    for r in case.roles:
        assert not any(s in outside for s in snippets(r)), r.id
    # each outcome form asks for the point, the terms, each side's ratification and every role's signature
    for i in forms:
        form = pages[i]
        for needle in ("1. The deal's point on the issue", "2. Terms and moves agreed", "3. Ratification"):
            assert needle in form
        for side in case.scenario.sides:
            assert f"{norm(side.label)} ratified the agreement" in form
        for r in case.roles:
            assert norm(r.title) in form


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
def test_failed_run_leaves_an_existing_pdf_intact(tmp_path, monkeypatch):
    out = tmp_path / "h.pdf"
    out.write_bytes(b"%PDF-1.4 previous handouts")
    monkeypatch.setattr(pdfmod, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(HandoutsError, match="Chromium not found at"):
        build_handouts("two_level_basics", out, groups=1)
    assert out.read_bytes() == b"%PDF-1.4 previous handouts"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.pdf"]  # no half-written file left behind


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
def test_cli_writes_the_handouts(tmp_path, capsys):
    out = tmp_path / "sub" / "crowd.pdf"
    assert main(["handouts", "crowd_outside", "-o", str(out), "--students", "9", "--paper", "Letter"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{out}  (4 role briefs, 2 outcome forms for groups of 5, 4;")
    from pypdf import PdfReader

    box = PdfReader(str(out)).pages[0].mediabox
    assert float(box.width) == pytest.approx(612, abs=1.5) and float(box.height) == pytest.approx(792, abs=1.5)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["handouts", "crowd_outside", "-o", "x.txt"], "-o/--output must name a .pdf file"),
        (["handouts", "crowd_outside", "--groups", "0"], "--groups must be at least 1, got 0"),
        (["handouts", "crowd_outside", "--students", "1"], "--students must be at least 2, got 1"),
        (["handouts", "crowd_outside", "--groups", "2", "--students", "8"], "not allowed with argument"),
        (["handouts", "no_such_case"], "no such case"),
    ],
)
def test_cli_user_errors_are_one_line(argv, message, capsys):
    assert main(argv) != 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("levelii: error:")]
    assert len(err) == 1 and message in err[0], err


# ------------------------------------------------------------------ print_pdf itself
PLOTLY_JS = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
def test_print_pdf_waits_for_plotly_and_blocks_outside_requests(tmp_path):
    (tmp_path / "plotly.min.js").write_bytes(PLOTLY_JS.read_bytes())
    page = tmp_path / "fig.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>"
        "<script src='plotly.min.js'></script></head><body><h1>Figure page</h1>"
        "<img src='http://example.com/pixel.png' alt=''>"
        "<div id='f' class='plotly-graph-div' style='width:600px;height:300px'></div>"
        "<script>setTimeout(() => Plotly.newPlot('f', [{x: [1, 2, 3], y: [2, 1, 3]}],"
        " {title: {text: 'Drawn before printing'}}), 300);</script></body></html>"
    )
    result = print_pdf(page, tmp_path / "out" / "fig.pdf", paper="a4", footer=page_footer("Fig & co"))
    assert result.blocked == ("http://example.com/pixel.png",)
    from pypdf import PdfReader

    reader = PdfReader(str(result.path))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1.5) and float(box.height) == pytest.approx(841.9, abs=1.5)
    text = norm(reader.pages[0].extract_text())
    assert "Drawn before printing" in text  # the figure had drawn when the page was printed
    assert text.endswith("Fig & co page 1 of 1")


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
def test_print_pdf_gives_up_on_a_figure_that_never_draws(tmp_path):
    page = tmp_path / "stuck.html"
    page.write_text("<!DOCTYPE html><html><body><div class='plotly-graph-div'></div></body></html>")
    with pytest.raises(PdfError, match="printing stuck.html failed"):
        print_pdf(page, tmp_path / "stuck.pdf", timeout=1.5)
    assert not (tmp_path / "stuck.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["stuck.html"]


def test_print_pdf_errors_are_one_line(tmp_path):
    with pytest.raises(PdfError, match="no such HTML file"):
        print_pdf(tmp_path / "missing.html", tmp_path / "x.pdf")
    (tmp_path / "a.html").write_text("<p>x</p>")
    with pytest.raises(PdfError, match=r"unknown paper size 'B7'; expected one of \['A4'"):
        print_pdf(tmp_path / "a.html", tmp_path / "x.pdf", paper="B7")


@pytest.mark.browser
@pytest.mark.xdist_group("handouts")
def test_print_pdf_works_beside_an_open_playwright_session_and_inside_an_event_loop(browser, tmp_path):
    """The whole test run keeps a sync Playwright session open (the `browser` fixture), and a Jupyter kernel
    runs an asyncio loop: Playwright's sync API refuses both in the calling thread, so print_pdf uses its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    assert browser.is_connected()
    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><html><body><p>Printed beside another session</p></body></html>")
    first = print_pdf(page, tmp_path / "one.pdf")

    async def in_a_loop():
        return print_pdf(page, tmp_path / "two.pdf")

    # a thread of our own for asyncio.run: this thread's loop is already Playwright's
    with ThreadPoolExecutor(max_workers=1) as pool:
        second = pool.submit(asyncio.run, in_a_loop()).result()
    assert first.path.read_bytes()[:5] == b"%PDF-" and second.path.read_bytes()[:5] == b"%PDF-"

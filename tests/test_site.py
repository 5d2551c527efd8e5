"""Tests of the casebook build and site rendering (levelii_kit.book).

The fixture chapters in tests/fixtures/site/cases are tiny notebooks that need only pandas and
plotly; tests/fixtures/site/broken holds a chapter whose notebook raises. The site is built once
per test session (per xdist worker) into a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import types
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from site_support import build_fixture_site

from levelii_kit.book import BuildError
from levelii_kit.book.build import build_casebook
from levelii_kit.book.execute import KERNEL_START_ATTEMPTS, KERNEL_START_TIMEOUT, execute_chapters, log_tail
from levelii_kit.book.pages import BibliographyEntry, collect_bibliography
from levelii_kit.book.render import CasebookPreprocessor, render_chapter
from levelii_kit.book.toc import discover_chapters, load_book, order_chapters, render_markdown
from levelii_kit.casefile import Source

REPO = Path(__file__).resolve().parents[1]
CASEBOOK = REPO / "casebook"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
SLUGS = ("tiny_basics", "tiny_treaty")
EDITIONS = ("student", "instructor")
SITE_PAGES = (
    "index.html",
    "glossary.html",
    "bibliography.html",
    "how-to-use-in-class.html",
    "self-study-guide.html",
    "model.html",
    "progress.html",
)

MAX_CHAPTER_PAGE = 600_000  # bytes, without plotly.min.js (the design's "hundreds of KB")


class _Page(HTMLParser):
    """Collects what the tests look at in one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The fixture casebook, built once per test process."""
    out = build_fixture_site(tmp_path_factory)
    lines = (out.parent / "progress.txt").read_text(encoding="utf-8").splitlines()
    return types.SimpleNamespace(out=out, index=out / "student" / "index.html", lines=lines)


# ---------------------------------------------------------------------------------------------
# the built site
# ---------------------------------------------------------------------------------------------


def test_build_writes_both_editions(site):
    for edition in EDITIONS:
        for name in (
            *SITE_PAGES,
            *(f"{s}.html" for s in SLUGS),
            "casebook.css",
            "print.css",
            "casebook.js",
            "plotly.min.js",
        ):
            assert (site.out / edition / name).is_file(), f"{edition}/{name} missing"
    assert (site.out / "index.html").is_file()
    for slug in SLUGS:
        assert (site.out / "executed" / f"{slug}.ipynb").is_file()
    progress = [line for line in site.lines if re.match(r"\[\d/2\] \w+ \.\.\. ok \(\d+\.\d s\)$", line)]
    assert len(progress) == 2, site.lines
    assert not [line for line in site.lines if line.startswith("warning")], site.lines


def test_no_network_references_and_local_assets_exist(site):
    pages = sorted(site.out.rglob("*.html"))
    # + writing-a-chapter (instructor edition only) and the instructor edition's teaching package: a deck per
    # chapter (the fixtures have no roles)
    assert len(pages) == 1 + 2 * (len(SITE_PAGES) + len(SLUGS)) + 1 + len(SLUGS)
    for path in pages:
        page = parse(path)
        refs = [a.get("src") for a in page.find("script") if a.get("src")]
        refs += [a.get("href") for a in page.find("link")]
        for ref in refs:
            assert not re.match(r"(?i)^(https?:)?//", ref), f"{path.name} loads {ref}"
            assert (path.parent / ref).is_file(), f"{path.name} refers to missing {ref}"
        text = path.read_text(encoding="utf-8")
        assert "require.js" not in text and "MathJax" not in text and "mermaid" not in text


def test_one_plotly_js_per_edition(site):
    """One plotly.min.js per edition: the partial bundle of the trace types the book draws (issue 11), deferred."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    full = len(get_plotlyjs().encode())
    for edition in EDITIONS:
        scripts = sorted(p.name for p in (site.out / edition).rglob("*.js") if "teaching" not in p.parts)
        # (the instructor edition's decks have scripts of their own: tests/test_slides_package.py)
        assert scripts == [
            "casebook.js",
            "minisearch.js",
            "plotly.min.js",
            "search-index.js",
            "search.js",
            "selfstudy.js",
        ]
        bundle = (site.out / edition / "plotly.min.js").read_text(encoding="utf-8")
        # the fixture chapters draw scatter traces; the instructor edition's decks add bar (the support charts)
        assert bundle.startswith(f"/* plotly.js v{get_plotlyjs_version()} (partial bundle: bar, scatter)")
        assert len(bundle.encode()) < 0.3 * full
        for slug in SLUGS:
            page = parse(site.out / edition / f"{slug}.html")
            tags = [a for a in page.find("script") if a.get("src")]
            assert [a["src"] for a in tags] == ["plotly.min.js", "casebook.js", "search.js", "selfstudy.js"]
            assert all("defer" in a for a in tags), "no script may block the first paint"
    assert len(list(site.out.rglob("plotly*.js"))) == len(EDITIONS)


def test_page_sizes(site):
    for edition in EDITIONS:
        for slug in SLUGS:
            size = (site.out / edition / f"{slug}.html").stat().st_size
            assert size < MAX_CHAPTER_PAGE, f"{edition}/{slug}.html is {size} bytes"
        for name in SITE_PAGES:
            assert (site.out / edition / name).stat().st_size < 60_000, name


def test_student_edition_leaves_out_instructor_material(site):
    for slug in SLUGS:
        text = (site.out / "student" / f"{slug}.html").read_text(encoding="utf-8")
        for marker in (f"INSTRUCTOR-MARKER-{slug}", f"SOLUTION-MARKER-{slug}", "REMOVE-STUDENT-MARKER"):
            assert marker not in text
        assert "injected-parameters" not in text and "# Parameters" not in text
        assert "jp-InputArea-editor" not in text, "code is shown in the student edition"
        assert "cb-box" not in text and "Instructor note" not in text


def test_instructor_edition_keeps_and_marks_everything(site):
    for slug in SLUGS:
        path = site.out / "instructor" / f"{slug}.html"
        text = path.read_text(encoding="utf-8")
        assert f"INSTRUCTOR-MARKER-{slug}" in text and f"SOLUTION-MARKER-{slug}" in text
        assert "jp-InputArea-editor" in text
        page = parse(path)
        assert len(page.find("div", role="note", **{"aria-label": "Instructor note"})) == 1
        assert len(page.find("div", role="note", **{"aria-label": "Solution"})) == 1
        boxes = re.findall(r'<div aria-label="(Instructor note|Solution)".*?</div>\s*</div>\s*</div>', text, re.S)
        assert len(boxes) == 2
    basics = (site.out / "instructor" / "tiny_basics.html").read_text(encoding="utf-8")
    assert "celltag_injected-parameters" in basics and "REMOVE-STUDENT-MARKER-tiny_basics" in basics
    assert 'id="cell-id=injected-parameters"' in basics  # fixed id: reproducible pages


def test_previous_next_and_navigation(site):
    for edition in EDITIONS:
        first = parse(site.out / edition / "tiny_basics.html")
        second = parse(site.out / edition / "tiny_treaty.html")
        assert first.find("a", rel="prev") == [] and [a["href"] for a in first.find("a", rel="next")] == [
            "tiny_treaty.html"
        ]
        assert [a["href"] for a in second.find("a", rel="prev")] == ["tiny_basics.html"] and second.find(
            "a", rel="next"
        ) == []
        for name in (*SITE_PAGES, "tiny_basics.html"):
            page = parse(site.out / edition / name)
            nav = {a["href"] for a in page.find("a") if a.get("href")}
            assert {"index.html", "glossary.html", "bibliography.html", "how-to-use-in-class.html"} <= nav


def test_index_lists_parts_chapters_and_escapes_case_text(site):
    text = (site.out / "student" / "index.html").read_text(encoding="utf-8")
    assert text.index("Part 1: Foundations") < text.index("Tiny basics") < text.index("Part 2: Diplomacy")
    assert text.index("Part 2: Diplomacy") < text.index("Tiny treaty")
    assert "Business" not in text  # empty parts are not shown
    assert "process form" in text and "at the table" in text and "direct action" in text
    assert "&lt;em&gt;tag&lt;/em&gt; &amp; an ampersand" in text and "<em>tag</em>" not in text


def test_bibliography_is_deduplicated_sorted_and_safe(site):
    text = (site.out / "student" / "bibliography.html").read_text(encoding="utf-8")
    assert text.count("Putnam, R. D. (1988)") == 1
    assert text.index("Putnam") < text.index("Sebenius") < text.index("Tsebelis")
    putnam = text[text.index("Putnam") : text.index("Sebenius")]
    assert 'href="tiny_basics.html"' in putnam and 'href="tiny_treaty.html"' in putnam
    assert 'href="https://doi.org/10.1017/S0020818300027697"' in putnam


def test_bibliography_links_only_web_addresses():
    """Case files refuse other URLs; the page refuses them again (defence in depth)."""
    for url, link in (("javascript:alert(1)", None), ("HTTPS://example.org/x", "HTTPS://example.org/x"), (None, None)):
        assert BibliographyEntry(Source("s", "A citation", url), "src-s").link == link


def test_glossary_has_the_core_terms(site):
    text = (site.out / "student" / "glossary.html").read_text(encoding="utf-8")
    terms = re.findall(r"<dt id=\"[^\"]+\">([^<]+)</dt>", text)
    for term in (
        "Win-set",
        "ZOPA",
        "Ratification",
        "Level I",
        "Level II",
        "Process form",
        "Statements",
        "At the table",
        "Direct action",
        "Involuntary defection",
        "Schelling conjecture",
        "Veto player",
        "Informal blocker",
        "Side payment",
        "Nash bargaining",
        "Helper's ledger",
        "Shapley attribution",
        "Power index",
        "Teaching assumption",
    ):
        assert term.replace("'", "&#39;") in terms or term in terms, term
    assert terms == sorted(terms, key=str.casefold)
    assert 'href="#term-zopa"' in text  # see-also links resolve


def test_pages_have_accessible_structure(site):
    for path in sorted(site.out.glob("*/*.html")):
        page = parse(path)
        text = "".join(page.text)
        assert page.find("html")[0].get("lang") == "en"
        assert re.search(r"<title>[^<]+</title>", path.read_text(encoding="utf-8"))
        assert page.find("a", href="#main", **{"class": "cb-skip-link"}), path.name
        assert page.find("main", id="main") and page.find("header") and page.find("footer")
        assert page.find("nav", **{"aria-label": "Casebook"})
        assert len(page.find("h1")) == 1, path.name
        assert "Skip to main content" in text


def test_figures_have_titles_and_summaries(site):
    basics = (site.out / "student" / "tiny_basics.html").read_text(encoding="utf-8")
    caption = re.search(r'<figcaption class="cb-visually-hidden">([^<]+)</figcaption>', basics).group(1)
    assert caption == (
        "Figure: Support when hawk strength = 0.2. Support for the deal falls as the hawks grow stronger."
    )
    treaty = (site.out / "student" / "tiny_treaty.html").read_text(encoding="utf-8")
    described = re.search(r'<figure aria-describedby="([^"]+)"', treaty).group(1)
    assert f'id="{described}"' in treaty
    after = treaty[treaty.index(f'id="{described}"') :]
    assert "side payment lifts every curve" in after[:1000]
    assert "Figure: Treaty support, hawk strength = 0.2" in treaty


# ---------------------------------------------------------------------------------------------
# failures
# ---------------------------------------------------------------------------------------------


def test_failed_build_leaves_previous_casebook_untouched(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copytree(FIXTURES / "cases" / "tiny_basics", cases / "tiny_basics")
    out = tmp_path / "build" / "casebook"
    kwargs = dict(out=out, cases_dir=cases, casebook_dir=CASEBOOK, progress=None)
    assert build_casebook(editions=("instructor",), **kwargs) == out / "instructor" / "index.html"
    before = digest(out)
    assert "instructor/tiny_basics.html" in before and "student/index.html" not in before

    shutil.copytree(FIXTURES / "broken" / "tiny_broken", cases / "tiny_broken")
    with pytest.raises(BuildError) as info:
        build_casebook(**kwargs)
    message = str(info.value)
    assert message == "chapter tiny_broken failed: ValueError: deliberate failure in the tiny_broken fixture"
    assert "\n" not in message
    assert info.value.failures == (("tiny_broken", "ValueError: deliberate failure in the tiny_broken fixture"),)
    assert digest(out) == before
    # beside the casebook only the build cache (build/cache for `levelii build`), no temporary folder
    assert sorted(p.name for p in out.parent.iterdir()) == ["cache", "casebook"], "a temporary folder was left behind"


def test_a_chapter_over_its_time_limit_is_stopped(tmp_path):
    folder = tmp_path / "cases" / "tiny_broken"
    shutil.copytree(FIXTURES / "broken" / "tiny_broken", folder)
    nb = nbformat.read(folder / "tiny_broken.ipynb", as_version=4)
    nb.cells[2].source = "import time\ntime.sleep(60)"
    nbformat.write(nb, folder / "tiny_broken.ipynb")
    chapters = discover_chapters(tmp_path / "cases")
    lines = []
    with pytest.raises(BuildError, match=r"^chapter tiny_broken failed: TimeoutError: chapter ran longer than 3 s"):
        execute_chapters(chapters, tmp_path / "executed", timeout=3, progress=lines.append)
    assert re.match(r"\[1/1\] tiny_broken \.\.\. FAILED: TimeoutError \(\d+\.\d s\)$", lines[0])


def test_chapter_kernels_talk_over_private_unix_sockets(tmp_path):
    """No TCP ports, so kernels started at the same moment by other processes cannot collide."""
    folder = tmp_path / "cases" / "tiny_broken"
    shutil.copytree(FIXTURES / "broken" / "tiny_broken", folder)
    nb = nbformat.read(folder / "tiny_broken.ipynb", as_version=4)
    nb.cells[2].source = (
        "import json, ipykernel.connect\n"
        "info = json.load(open(ipykernel.connect.get_connection_file()))\n"
        "print(info['transport'], ipykernel.connect.get_connection_file())"
    )
    nbformat.write(nb, folder / "tiny_broken.ipynb")
    chapters = discover_chapters(tmp_path / "cases")
    executed = execute_chapters(chapters, tmp_path / "executed", progress=None)
    out = nbformat.read(executed["tiny_broken"], as_version=4)
    transport, connection_file = out.cells[2].outputs[0]["text"].split()
    assert transport == "ipc"
    assert Path(connection_file).parent.name.startswith("levelii-kernel-")
    assert not Path(connection_file).parent.exists(), "the kernel's socket folder was left behind"


def _fake_papermill(monkeypatch, errors):
    """Make papermill.execute_notebook raise ``errors`` one call after another, then succeed."""
    import papermill

    calls = []

    def execute_notebook(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    return calls


def _run_job(tmp_path):
    from levelii_kit.book.execute import _execute_job

    job = {
        "input": "in.ipynb",
        "output": "out.ipynb",
        "parameters": {},
        "cwd": str(tmp_path),
        "timeout": 60.0,
        "result": str(tmp_path / "result.json"),
    }
    _execute_job(json.dumps(job))
    return json.loads((tmp_path / "result.json").read_text())


def test_a_kernel_that_never_answers_is_replaced_once(tmp_path, monkeypatch, capsys):
    calls = _fake_papermill(monkeypatch, [RuntimeError("Kernel didn't respond in 120 seconds")])
    assert _run_job(tmp_path) == {"ok": True, "kernel_starts": 2}
    assert len(calls) == 2 and all(c["start_timeout"] == KERNEL_START_TIMEOUT for c in calls)
    assert "kernel start 1 failed (Kernel didn't respond in 120 seconds)" in capsys.readouterr().err


def test_a_kernel_that_keeps_failing_to_start_fails_the_chapter(tmp_path, monkeypatch):
    died = RuntimeError("Kernel died before replying to kernel_info")
    calls = _fake_papermill(monkeypatch, [died] * KERNEL_START_ATTEMPTS)
    outcome = _run_job(tmp_path)
    assert outcome == {"ok": False, "ename": "RuntimeError", "evalue": str(died)}
    assert len(calls) == KERNEL_START_ATTEMPTS


def test_other_errors_are_not_retried(tmp_path, monkeypatch):
    calls = _fake_papermill(monkeypatch, [RuntimeError("something else broke")])
    assert _run_job(tmp_path) == {"ok": False, "ename": "RuntimeError", "evalue": "something else broke"}
    assert len(calls) == 1


def test_log_tail_names_the_last_lines(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("one\n\ntwo\nthree\n  \nfour\n")
    assert log_tail(log) == "two | three | four"
    assert log_tail(tmp_path / "missing.log") == "no log was written"
    (tmp_path / "empty.log").write_text("\n")
    assert log_tail(tmp_path / "empty.log") == "its log is empty"


def test_on_done_hears_of_each_chapter_that_ran(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(FIXTURES / "cases" / "tiny_basics", cases / "tiny_basics")
    shutil.copytree(FIXTURES / "broken" / "tiny_broken", cases / "tiny_broken")
    heard = []
    with pytest.raises(BuildError, match="tiny_broken"):
        execute_chapters(
            discover_chapters(cases),
            tmp_path / "x",
            progress=None,
            on_done=lambda slug, path: heard.append((slug, path.name, path.is_file())),
        )
    assert heard == [("tiny_basics", "tiny_basics.ipynb", True)]


def _lines(n, fail=False):
    if fail:
        raise ValueError(f"job {n} failed")
    return [f"line {n}"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_page_renderer_keeps_order_and_reraises(jobs):
    from levelii_kit.book.build import _PageRenderer

    with _PageRenderer(jobs) as pages:
        for n in range(4):
            pages.submit(_lines, n)
        assert list(pages.results()) == ["line 0", "line 1", "line 2", "line 3"]
    with pytest.raises(ValueError, match="job 1 failed"):
        with _PageRenderer(jobs) as pages:
            pages.submit(_lines, 0)
            pages.submit(_lines, 1, True)
            list(pages.results())


def test_unknown_part_fails_before_any_kernel_starts(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(FIXTURES / "cases", cases)
    case = cases / "tiny_treaty" / "case.yaml"
    case.write_text(case.read_text().replace("part: Diplomacy", "part: Nowhere"))
    with pytest.raises(BuildError, match=r"^chapter tiny_treaty: part 'Nowhere' is not in casebook/toc.yaml"):
        build_casebook(out=tmp_path / "out", cases_dir=cases, casebook_dir=CASEBOOK, progress=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Tiny basics",
            "title: [unclosed",
            r"^chapter tiny_basics: .*case.yaml: line \d+, column \d+: YAML error",
        ),
        ("title: Tiny basics\n", "", r"^chapter tiny_basics: .*case.yaml: title: required field is missing$"),
        ("order: 1", "order: first", r"^chapter tiny_basics: .*case.yaml: order: .*first"),
        (
            "tolerance: 0.6}",
            "tolerance: high}",
            r"^chapter tiny_basics: .*sides\[0\] \(A\)\.constituencies\[0\] \(a_leader\)\.tolerance: ",
        ),
    ],
)
def test_bad_case_files_name_the_chapter_and_the_field(tmp_path, old, new, expected):
    """The build validates with the one case-file reader, levelii_kit.load_case."""
    shutil.copytree(FIXTURES / "cases" / "tiny_basics", tmp_path / "tiny_basics")
    case = tmp_path / "tiny_basics" / "case.yaml"
    case.write_text(case.read_text().replace(old, new, 1))
    with pytest.raises(BuildError, match=expected) as info:
        discover_chapters(tmp_path)
    assert all(line.startswith("chapter tiny_basics: ") for line in str(info.value).splitlines())


def test_chapter_entries_come_from_the_validated_case():
    chapters = discover_chapters(FIXTURES / "cases")
    assert [c.slug for c in chapters] == ["tiny_treaty", "tiny_basics"]
    treaty = chapters[0]
    assert treaty.title == "Tiny treaty" and treaty.part == "Diplomacy" and treaty.order == 1.0
    assert treaty.categories_shown == ("at the table", "direct action")
    assert [s.id for s in treaty.sources] == ["putnam1988", "tsebelis2002"]
    assert all(isinstance(s, Source) for s in treaty.sources)


def test_missing_notebook_and_unknown_parameters(tmp_path):
    (tmp_path / "lonely").mkdir()
    shutil.copy(FIXTURES / "cases" / "tiny_basics" / "case.yaml", tmp_path / "lonely" / "case.yaml")
    with pytest.raises(BuildError, match=r"^chapter lonely: notebook .*lonely.ipynb is missing$"):
        discover_chapters(tmp_path)
    chapters = discover_chapters(FIXTURES / "cases")
    with pytest.raises(BuildError, match="unknown chapter"):
        execute_chapters(chapters, tmp_path / "x", parameters={"nope": {"a": 1}}, progress=None)


# ---------------------------------------------------------------------------------------------
# units without a kernel
# ---------------------------------------------------------------------------------------------


def _cell(kind, source, tags=(), **extra):
    make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
    cell = make(source, **extra)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _notebook():
    plot = {"data": [], "layout": {}}
    return nbformat.v4.new_notebook(
        metadata={"widgets": {"state": "big"}},
        cells=[
            _cell("md", "# T"),
            _cell("code", "x = 1", ["parameters"]),
            _cell("code", "x = 2", ["injected-parameters"]),
            _cell("md", "note", ["instructor"]),
            _cell("code", "answer", ["solution"], outputs=[nbformat.v4.new_output("stream", text="42\n")]),
            _cell("md", "gone", ["remove-cell"]),
            _cell(
                "code",
                "fig",
                outputs=[
                    nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": plot}),
                    nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
                ],
            ),
            _cell("md", "What the figure shows.", ["caption"]),
            _cell(
                "code",
                "explorer",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "VBox()"},
                    )
                ],
            ),
        ],
    )


def test_preprocessor_student_edition():
    nb, res = CasebookPreprocessor(edition="student").preprocess(_notebook(), {})
    assert [c.source for c in nb.cells] == ["# T", "fig", "What the figure shows.", "explorer"]
    note = nb.cells[3].outputs
    assert len(note) == 1 and "running Python kernel" in note[0].data["text/markdown"]
    output = nb.cells[1].outputs
    assert len(output) == 1, "stderr is dropped in the student edition"
    info = output[0].metadata["casebook"]
    assert info == {"title": "figure 1", "describedby": f"cell-id={nb.cells[2].id}", "number": 1}
    assert res["casebook_warnings"] == ["figure 1 has no title; add layout.title"]
    assert "widgets" not in nb.metadata


def test_preprocessor_instructor_edition():
    nb, _ = CasebookPreprocessor(edition="instructor").preprocess(_notebook(), {})
    sources = [c.source for c in nb.cells]
    assert sources == ["# T", "x = 1", "x = 2", "note", "answer", "fig", "What the figure shows.", "explorer"]
    assert nb.cells[2].id == "injected-parameters"
    assert nb.cells[3].metadata["casebook"] == {"box": "instructor"}
    assert nb.cells[4].metadata["casebook"] == {"box": "solution"}
    assert len(nb.cells[5].outputs) == 2


def test_render_chapter_without_a_kernel():
    book = load_book(CASEBOOK)
    chapter = discover_chapters(FIXTURES / "cases")[1]
    assert chapter.slug == "tiny_basics"
    nb = _notebook()
    page, warnings = render_chapter(nb, chapter, "student", book, number=1, total=1)
    assert "Live explorer" in page and "widget-view" not in page and "VBox" not in page
    assert warnings == ["figure 1 has no title; add layout.title"]
    assert '<figcaption class="cb-visually-hidden">Figure: figure 1</figcaption>' in page
    assert "jp-InputArea-editor" not in page and "<h1" in page
    assert nb.cells[3].source == "note", "the notebook given is not modified"


@pytest.mark.parametrize("edition", EDITIONS)
def test_only_html_outputs_stay_keyboard_focusable(edition, monkeypatch):
    """The regex in _drop_needless_tab_stops agrees with a real HTML parse of the page."""
    from bs4 import BeautifulSoup

    import levelii_kit.book.render as render_module

    raw_pages = []
    real = render_module._drop_needless_tab_stops
    monkeypatch.setattr(render_module, "_drop_needless_tab_stops", lambda page: raw_pages.append(page) or real(page))
    nb = _notebook()
    table = "<table><tr><td>wide</td></tr></table>"
    tricky = 'print(\'<div class="x" tabindex="0">\')'  # markup-like text in a cell is escaped, not touched
    nb.cells += [
        _cell(
            "code",
            "df",
            outputs=[nbformat.v4.new_output("execute_result", data={"text/html": table}, execution_count=1)],
        ),
        _cell("code", tricky, outputs=[nbformat.v4.new_output("stream", text='<div tabindex="0">\n')]),
    ]
    chapter = discover_chapters(FIXTURES / "cases")[1]
    page, _ = render_chapter(nb, chapter, edition, load_book(CASEBOOK), number=1, total=1)

    soup = BeautifulSoup(raw_pages[0], features="html.parser")
    assert len(soup.select("[tabindex='0']")) > 1, "nbconvert no longer adds tab stops: revisit this step"
    for element in soup.select("[tabindex='0']"):
        if element.get("data-mime-type") != "text/html":
            del element["tabindex"]
    assert str(BeautifulSoup(page, features="html.parser")) == str(soup)
    focusable = BeautifulSoup(page, features="html.parser").select("[tabindex='0']")
    assert [e.get("data-mime-type") for e in focusable] == ["text/html"]
    assert "&lt;div tabindex=&quot;0&quot;&gt;" in page or '&lt;div tabindex="0"&gt;' in page


def test_code_input_is_escaped_without_the_bleach_pass():
    """The template drops the lab template's clean_html on code input: Pygments must escape it."""
    nb = _notebook()
    nb.cells.append(_cell("code", 'x = "<script>alert(1)</script><img src=x onerror=alert(2)>"  # </div>'))
    chapter = discover_chapters(FIXTURES / "cases")[1]
    page, _ = render_chapter(nb, chapter, "instructor", load_book(CASEBOOK), number=1, total=1)
    assert "<script>alert" not in page and "<img src=x" not in page  # no live markup from the cell
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;/div&gt;" in page


def test_render_markdown_escapes_raw_html():
    html = render_markdown('**bold** <img src=x onerror="alert(1)"> [x](javascript:alert(1))')
    assert "<strong>bold</strong>" in html
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript:' not in html


def test_book_and_bibliography_helpers():
    book = load_book(CASEBOOK)
    assert [p.title for p in book.parts] == ["Foundations", "Cases from the seed paper", "Diplomacy", "Business"]
    assert [p.name for p in book.front_matter] == [
        "how-to-use-in-class",
        "self-study-guide",
        "model",
        "writing-a-chapter",
    ]
    chapters = order_chapters(discover_chapters(FIXTURES / "cases"), book)
    assert [c.slug for c in chapters] == ["tiny_basics", "tiny_treaty"]
    entries = collect_bibliography(chapters)
    assert [e.source.id for e in entries] == ["putnam1988", "sebenius2013", "tsebelis2002"]
    assert [c.slug for c in entries[0].chapters] == ["tiny_basics", "tiny_treaty"]
    assert entries[2].link is None and entries[0].link.startswith("https://")


def test_launch_links_in_nbgitpuller_format(site):
    """With a hub and a repository (site_support.LAUNCH), each chapter page links nbgitpuller's git-pull URL."""
    expected = {
        slug: "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fexample%2Flevelii"
        f"&urlpath=lab%2Ftree%2Flevelii-casebook%2Fcases%2F{slug}%2F{slug}.ipynb&branch=main&targetPath=levelii-casebook"
        for slug in SLUGS
    }
    for edition in EDITIONS:
        for slug in SLUGS:
            text = (site.out / edition / f"{slug}.html").read_text(encoding="utf-8")
            hrefs = re.findall(r'<a class="cb-launch" href="([^"]+)"', text)
            assert [h.replace("&amp;", "&") for h in hrefs] == [expected[slug]]
        assert "cb-launch" not in (site.out / edition / "glossary.html").read_text(encoding="utf-8")


def test_glossary_links_the_model_appendix_and_the_chapters_that_use_a_term(site):
    text = (site.out / "student" / "glossary.html").read_text(encoding="utf-8")
    zopa = text[text.index('id="term-zopa"') :]
    zopa = zopa[: zopa.index("</dd>")]
    assert 'href="model.html#4-win-sets-and-the-zopa"' in zopa
    # the fixture chapters' text: only tiny_treaty speaks of ratification, neither of a "power index"
    ratification = text[text.index('id="term-ratification"') :]
    ratification = ratification[: ratification.index("</dd>")]
    assert 'href="tiny_treaty.html"' in ratification and 'href="tiny_basics.html"' not in ratification
    power = text[text.index('id="term-power-index"') :]
    assert "In the chapters" not in power[: power.index("</dd>")]
    model = (site.out / "student" / "model.html").read_text(encoding="utf-8")
    assert model.count("<math") > 30 and 'id="4-win-sets-and-the-zopa"' in model

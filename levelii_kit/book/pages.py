"""The site pages of a casebook edition, around its chapter pages.

One edition is one folder of plain files that works from ``file://`` with no network at all::

    index.html            parts in the order of casebook/toc.yaml, chapters with summary and the
                          categories of helping moves each shows
    <slug>.html           one page per chapter (:mod:`levelii_kit.book.render`)
    glossary.html         from casebook/glossary.yaml
    bibliography.html     every case file's sources, deduplicated by id, with the citing chapters
    <name>.html           front matter, from casebook/front_matter/<name>.md
    casebook.css          the one stylesheet (casebook/static/casebook.css)
    print.css             the print stylesheet
    casebook.js           draws figures as they near the viewport; keyboard controls for their sliders and buttons
    plotly.min.js         the one copy of plotly.js: a partial bundle of the trace types the book draws
                          (:mod:`levelii_kit.book.bundle`), or the full one of the installed plotly
    search.js             the search box of every page (:mod:`levelii_kit.book.search`)
    search-index.js       the edition's search index, a script (works from file://); minisearch.js beside it
    downloads/<slug>/     each chapter's notebook (without outputs) and case file, to download

Site pages use an autoescaping Jinja environment over ``casebook/templates/site``, so text from case files
is always shown as text.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml
from markupsafe import Markup

from .._protocol import STUDENT_REMOVED_TAGS
from ..casefile import Source
from .render import chapter_download_paths, site_environment
from .search import add_heading_ids
from .toc import EDITION_INFO, Book, ChapterEntry, GlossaryEntry, default_casebook_dir, slugify

__all__ = [
    "BibliographyEntry",
    "chapters_using",
    "collect_bibliography",
    "render_site_pages",
    "write_assets",
    "write_downloads",
    "write_landing",
]

_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class BibliographyEntry:
    """One source of the bibliography and the chapters (in book order) that cite it."""

    source: Source
    anchor: str
    chapters: tuple[ChapterEntry, ...] = field(default=())

    @property
    def link(self) -> str | None:
        """The source's URL if it is a web address that is safe to link, else None."""
        url = self.source.url or ""
        return url if url.lower().startswith(_SAFE_SCHEMES) else None


def collect_bibliography(chapters: Sequence[ChapterEntry]) -> list[BibliographyEntry]:
    """Gather the sources of all chapters, deduplicated by id, sorted by citation.

    The first chapter (in the order given) that lists an id supplies its citation and URL.

    Parameters
    ----------
    chapters : sequence of ChapterEntry
        In book order.

    Returns
    -------
    list of BibliographyEntry
        Sorted by citation (case-insensitive), then id; each with its citing chapters.
    """
    sources: dict[str, Source] = {}
    citing: dict[str, list[ChapterEntry]] = {}
    for chapter in chapters:
        for source in chapter.sources:
            sources.setdefault(source.id, source)
            if chapter not in citing.setdefault(source.id, []):
                citing[source.id].append(chapter)
    entries = [
        BibliographyEntry(source=s, anchor=f"src-{slugify(s.id)}", chapters=tuple(citing[s.id]))
        for s in sources.values()
    ]
    return sorted(entries, key=lambda e: (e.source.citation.casefold(), e.source.id))


def _one_line_summary(summary: str, limit: int = 260) -> str:
    """The first sentence (at least 60 characters) of a summary, cut to ``limit`` characters.

    >>> _one_line_summary("Short. " * 3 + "Then a much longer second sentence follows here. And a third.")
    'Short. Short. Short. Then a much longer second sentence follows here.'
    """
    text = " ".join(summary.split())
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'(])", text):
        if match.start() >= 60:
            text = text[: match.start()]
            break
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def chapters_using(glossary: Sequence[GlossaryEntry], chapters: Sequence[ChapterEntry]) -> dict[str, list]:
    """For every glossary term, the chapters (in book order) whose text uses it.

    A chapter uses a term when the term (or its singular, for a plural such as "win-sets") appears as a phrase,
    ignoring case, in the markdown cells of its notebook or in its case file's title, summary, facts and
    teaching text.

    Parameters
    ----------
    glossary : sequence of GlossaryEntry
    chapters : sequence of ChapterEntry
        In book order.

    Returns
    -------
    dict of str to list of ChapterEntry
        Keyed by the glossary entry's id.
    """
    import nbformat

    texts = {}
    for chapter in chapters:
        parts = [chapter.title, chapter.summary]
        if chapter.notebook.is_file():
            nb = nbformat.read(chapter.notebook, as_version=4)
            parts += [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
        if chapter.case_file.is_file():
            parts.append(chapter.case_file.read_text(encoding="utf-8"))
        texts[chapter.slug] = " ".join(" ".join(parts).split()).casefold()
    out = {}
    for entry in glossary:
        term = " ".join(entry.term.split()).casefold()
        forms = {term, term + "s", term + "es", term[:-1] + "ies", term[:-2] + "ices"}  # win-sets, indices
        phrases = "|".join(re.escape(f).replace("\\ ", r"[\s-]+") for f in sorted(forms, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{phrases})(?![\w-])")
        out[entry.id] = [c for c in chapters if pattern.search(texts[c.slug])]
    return out


def write_assets(edition_dir: Path | str, casebook_dir: Path | str | None = None, plotly_js: str | None = None) -> None:
    """Write the shared files of an edition: the stylesheets, ``casebook.js``, ``search.js``, ``plotly.min.js``.

    ``plotly.min.js`` is ``plotly_js`` (the build passes the partial bundle of
    :func:`levelii_kit.book.bundle.plotly_bundle`), else the installed plotly's full bundle
    (``plotly.offline.get_plotlyjs()``), so the casebook needs no CDN; there is
    exactly one copy per edition.

    Parameters
    ----------
    edition_dir : path-like
        The edition folder (created if needed).
    casebook_dir : path-like, optional
        Where ``static/`` is; defaults to :func:`default_casebook_dir`.
    plotly_js : str, optional
        The plotly.js to ship.
    """
    if plotly_js is None:
        from plotly.offline import get_plotlyjs

        plotly_js = get_plotlyjs()
    edition_dir = Path(edition_dir)
    root = Path(casebook_dir) if casebook_dir is not None else default_casebook_dir()
    edition_dir.mkdir(parents=True, exist_ok=True)
    for name in ("casebook.css", "print.css", "casebook.js", "search.js"):
        shutil.copyfile(root / "static" / name, edition_dir / name)
    (edition_dir / "plotly.min.js").write_text(plotly_js, encoding="utf-8")


def render_site_pages(
    ordered: Sequence[ChapterEntry],
    edition: str,
    edition_dir: Path | str,
    book: Book,
    plotly_js: str | None = None,
) -> Path:
    """Write an edition's shared assets, ``index.html``, glossary, bibliography and front matter.

    Parameters
    ----------
    ordered : sequence of ChapterEntry
        All chapters, in book order.
    edition : {"student", "instructor"}
    edition_dir : path-like
        Output folder (created if needed).
    book : Book
    plotly_js : str, optional
        The plotly.js to ship (see :func:`write_assets`).

    Returns
    -------
    pathlib.Path
        The edition's ``index.html``.
    """
    edition_dir = Path(edition_dir)
    write_assets(edition_dir, book.casebook_dir, plotly_js)
    env = site_environment(Path(book.casebook_dir))
    base = {"book": book, "edition": EDITION_INFO[edition], "root": "", "needs_plotly": False}

    def page(template: str, filename: str, current: str, title: str, **extra: Any) -> None:
        context = {**base, "current": current, "page_title": title, **extra}
        text = add_heading_ids(env.get_template(template).render(context))  # sections that search can link to
        (edition_dir / filename).write_text(text, encoding="utf-8")

    number = {c.slug: i + 1 for i, c in enumerate(ordered)}
    parts = []
    for part in book.parts:
        entries = [
            {
                "chapter": c,
                "href": f"{c.slug}.html",
                "number": number[c.slug],
                "summary": _one_line_summary(c.summary),
                "categories": list(c.categories_shown),
            }
            for c in ordered
            if c.part == part.title
        ]
        if entries:
            parts.append({"title": part.title, "anchor": part.anchor, "intro": part.intro, "entries": entries})
    page("index.html.j2", "index.html", "index", book.title, parts=parts)
    model_page = next((fm for fm in book.front_matter if fm.name == "model"), None)
    uses = chapters_using(book.glossary, ordered)
    glossary = [
        {
            "term": e.term,
            "id": e.id,
            "definition_html": Markup(e.definition_html),
            "sources": e.sources,
            "see_also": [{"term": t, "id": i} for t, i in e.see_also],
            "model_href": f"{model_page.filename}#{e.model}" if model_page and e.model else None,
            "chapters": [{"title": c.title, "href": f"{c.slug}.html"} for c in uses[e.id]],
        }
        for e in book.glossary
    ]
    page("glossary.html.j2", "glossary.html", "glossary", f"Glossary · {book.title}", glossary=glossary)
    page(
        "bibliography.html.j2",
        "bibliography.html",
        "bibliography",
        f"Bibliography · {book.title}",
        entries=collect_bibliography(ordered),
    )
    for fm in book.front_matter:
        page(
            "front_matter.html.j2",
            fm.filename,
            fm.name,
            f"{fm.title} · {book.title}",
            body_html=Markup(fm.body_html),
        )
    return edition_dir / "index.html"


#: ``teaching`` keys of a case file that only the instructor edition's copy keeps.
INSTRUCTOR_ONLY_TEACHING_KEYS = ("instructor_notes", "roles", "session")


def write_downloads(ordered: Sequence[ChapterEntry], edition: str, edition_dir: Path | str) -> list[Path]:
    """Copy each chapter's notebook (without outputs) and case file into ``edition_dir/downloads/<slug>/``.

    The notebook is the chapter's source notebook with every output and execution count cleared (the
    repository keeps them empty; a stray one is not shipped). The student edition's copies leave out what
    the student edition's pages leave out: cells tagged ``instructor``, ``solution`` or ``remove-student``,
    and the case file's ``teaching`` keys :data:`INSTRUCTOR_ONLY_TEACHING_KEYS` (that copy is re-written
    from the parsed YAML, so its comments are gone; a case file without those keys is copied as it is).

    Parameters
    ----------
    ordered : sequence of ChapterEntry
    edition : {"student", "instructor"}
    edition_dir : path-like

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    edition_dir = Path(edition_dir)
    written = []
    for chapter in ordered:
        paths = chapter_download_paths(chapter.slug)
        notebook = edition_dir / paths["notebook"]
        notebook.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(chapter.notebook, as_version=4)
        if edition == "student":
            nb.cells = [
                c for c in nb.cells if not set(c.get("metadata", {}).get("tags", []) or []) & STUDENT_REMOVED_TAGS
            ]
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nbformat.validate(nb)
        nbformat.write(nb, notebook)
        case_file = edition_dir / paths["case_file"]
        text = chapter.case_file.read_text(encoding="utf-8")
        if edition == "student":
            data = yaml.safe_load(text)
            teaching = data.get("teaching") if isinstance(data, dict) else None
            hidden = [k for k in INSTRUCTOR_ONLY_TEACHING_KEYS if isinstance(teaching, dict) and k in teaching]
            if hidden:
                for key in hidden:
                    del teaching[key]
                text = (
                    f"# {chapter.slug}/case.yaml, the student edition's copy: teaching.{', teaching.'.join(hidden)} "
                    "left out (the casebook build wrote it from the case file).\n"
                    + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
                )
        case_file.write_text(text, encoding="utf-8")
        written += [notebook, case_file]
    return written


def write_landing(out_dir: Path | str, editions: Iterable[str], book: Book) -> Path:
    """Write ``out_dir/index.html``, a page linking to each edition built.

    Parameters
    ----------
    out_dir : path-like
        The casebook folder holding one folder per edition.
    editions : iterable of str
    book : Book

    Returns
    -------
    pathlib.Path
    """
    out_dir = Path(out_dir)
    env = site_environment(Path(book.casebook_dir))
    infos = [EDITION_INFO[e] for e in editions]
    path = out_dir / "index.html"
    path.write_text(env.get_template("landing.html.j2").render(book=book, editions=infos), encoding="utf-8")
    return path

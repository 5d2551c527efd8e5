"""Offline full-text search for a casebook edition: an index built at build time, shipped as a script.

Jupyter Book, Quarto and MyST sites fetch their search index as JSON, which browsers refuse from ``file://``;
Sphinx loads ``searchindex.js`` through a ``<script>`` tag, which works from ``file://``. The
casebook does the same:

1. :func:`page_sections` cuts each rendered page of the edition (chapters, front matter, glossary,
   bibliography) into sections at its headings, glossary terms and bibliography entries, which all carry
   stable ids (see :func:`add_heading_ids`); only the page's ``<main>`` counts, without code, scripts, the
   chapter's meta line or the pager. Reading the rendered pages means an edition's index holds exactly
   what that edition shows: no instructor note reaches the student edition's index;
2. :func:`write_search_index` indexes them with MiniSearch (npm, vendored into the edition as
   ``minisearch.js``) under Node, and writes ``search-index.js``, which sets ``window.casebookSearchData``
   to the serialized index; ``search.js`` (``casebook/static``) loads both the first time the reader uses
   the search box. Without Node (or ``casebook/node_modules``), it ships the sections themselves and
   ``search.js`` matches words in the browser (every word of the query, as a prefix of a word of the
   section), and the build log says so.

Results link to ``<page>.html#<section id>``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

from .bundle import node_tools, run_node
from .toc import Book, ChapterEntry, slugify

__all__ = [
    "SEARCH_OPTIONS",
    "SearchSection",
    "add_heading_ids",
    "collect_sections",
    "page_sections",
    "write_search_index",
]

#: MiniSearch's options, the same at build time (Node) and in the browser (``MiniSearch.loadJS``).
SEARCH_OPTIONS = {
    "idField": "id",
    "fields": ["page", "heading", "text"],
    "storeFields": ["url", "page", "heading", "excerpt"],
}

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SKIP_TAGS = frozenset({"script", "style", "template", "nav", "button", "svg"})
_SKIP_CLASSES = frozenset(
    {"jp-InputArea-editor", "jp-InputPrompt", "cb-chapter-meta", "cb-pager", "cb-plot-controls", "cb-print-only"}
)
_SECTION_TAGS = frozenset({"h1", "h2", "h3", "h4", "dt", "li"})
_BLOCK_TAGS = frozenset("p div li dt dd h1 h2 h3 h4 h5 h6 tr td th br figcaption pre ul ol table section".split())


@dataclass(frozen=True)
class SearchSection:
    """One searchable section of a page.

    Attributes
    ----------
    id : int
        Its number in the edition's index.
    url : str
        ``<page>.html`` or ``<page>.html#<id>``.
    page : str
        The page's title (a chapter's title, "Glossary", ...).
    heading : str
        The section's heading ('' for the top of a page).
    text : str
        The section's text, whitespace collapsed.
    excerpt : str
        The first words of ``text``, shown under a result.
    """

    id: int
    url: str
    page: str
    heading: str
    text: str
    excerpt: str


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)


def add_heading_ids(page: str, taken: Iterable[str] = ()) -> str:
    """Give every ``<hN>`` without attributes a stable id made from its text (``-2``, ``-3`` for repeats).

    nbconvert (with anchor links excluded) and the Markdown renderer write bare ``<h2>`` tags; search
    results and readers need to link to a section, so its id comes from its heading, which a rebuild
    does not change.

    Parameters
    ----------
    page : str
        HTML.
    taken : iterable of str
        Ids already used on the page.

    Returns
    -------
    str

    Examples
    --------
    >>> add_heading_ids("<h2>The <em>baseline</em></h2><h2>The baseline</h2><h3 id='x'>kept</h3>")
    '<h2 id="the-baseline">The <em>baseline</em></h2><h2 id="the-baseline-2">The baseline</h2><h3 id=\\'x\\'>kept</h3>'
    """
    used = set(taken) | set(re.findall(r'\sid="([^"]+)"', page))

    def named(match: re.Match[str]) -> str:
        base = slugify(html.unescape(re.sub(r"<[^>]+>", "", match.group(2))))
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        return f'<h{match.group(1)} id="{anchor}">{match.group(2)}</h{match.group(1)}>'

    return _HEADING.sub(named, page)


class _Sections(HTMLParser):
    """Collects (anchor, heading, text) sections of a page's ``<main>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list] = [[None, "", []]]  # anchor, heading, text parts
        self.stack: list[tuple[str, bool, bool]] = []  # tag, skips its content, is the open section heading
        self.in_main = False
        self.skipping = 0
        self.heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main or tag in _VOID:
            if tag == "br" and self.in_main:
                self.handle_data(" ")
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = tag in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
        starts = not self.skipping and not skip and tag in _SECTION_TAGS and bool(attrs.get("id"))
        if starts and tag == "li" and "cb-chapter-card" in classes:
            starts = False
        if starts:
            self.sections.append([attrs["id"], "", []])
            self.heading = []
        self.stack.append((tag, skip, starts))
        self.skipping += skip
        if tag in _BLOCK_TAGS:
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
            return
        if not self.in_main or tag in _VOID or not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            name, skip, starts = self.stack.pop()
            self.skipping -= skip
            if starts and self.heading is not None:
                self.sections[-1][1] = " ".join("".join(self.heading).split())
                self.heading = None
            if name == tag:
                break
        if tag in _BLOCK_TAGS:
            self.handle_data(" ")

    def handle_data(self, data):
        if not self.in_main or self.skipping:
            return
        self.sections[-1][2].append(data)
        if self.heading is not None:
            self.heading.append(data)


def page_sections(page: str, url: str, title: str, first_id: int = 0) -> list[SearchSection]:
    """Cut a rendered page into searchable sections.

    A section starts at an ``h1``-``h4``, ``dt`` or ``li`` with an ``id`` (headings, glossary terms,
    bibliography entries) inside ``<main>``; text before the first one belongs to the top of the page.
    Code, scripts, styles, figure JSON, navigation, the pager and the chapter's meta line are left out.

    Parameters
    ----------
    page : str
        The page's HTML.
    url : str
        Its file name, e.g. ``german_unification.html``.
    title : str
        Its title, shown with each result.
    first_id : int
        The id of its first section.

    Returns
    -------
    list of SearchSection
        Sections with some text, in page order.
    """
    parser = _Sections()
    parser.feed(page)
    parser.close()
    out = []
    for anchor, heading, parts in parser.sections:
        text = " ".join("".join(parts).split())
        if not text:
            continue
        if len(heading) > 90:  # a bibliography entry: its citation is the heading
            heading = heading[:90].rsplit(" ", 1)[0] + "…"
        excerpt = text[len(heading) :].strip() if heading and text.startswith(heading) else text
        excerpt = excerpt[:160].rsplit(" ", 1)[0] + "…" if len(excerpt) > 160 else excerpt
        out.append(
            SearchSection(
                id=first_id + len(out),
                url=f"{url}#{anchor}" if anchor else url,
                page=title,
                heading=heading if anchor else "",
                text=text,
                excerpt=excerpt,
            )
        )
    return out


def collect_sections(edition_dir: Path | str, ordered: Sequence[ChapterEntry], book: Book) -> list[SearchSection]:
    """The searchable sections of an edition's pages: chapters in book order, front matter, glossary, bibliography.

    Parameters
    ----------
    edition_dir : path-like
        The rendered edition.
    ordered : sequence of ChapterEntry
    book : Book

    Returns
    -------
    list of SearchSection
    """
    edition_dir = Path(edition_dir)
    pages = [(f"{c.slug}.html", c.title) for c in ordered]
    pages += [(fm.filename, fm.title) for fm in book.front_matter]
    pages += [("glossary.html", "Glossary"), ("bibliography.html", "Bibliography")]
    sections: list[SearchSection] = []
    for name, title in pages:
        path = edition_dir / name
        if path.is_file():
            sections += page_sections(path.read_text(encoding="utf-8"), name, title, len(sections))
    return sections


def _script(payload: dict) -> str:
    """A script that sets ``window.casebookSearchData``; ``</`` cannot close it early."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.casebookSearchData = {text};\n"


def write_search_index(edition_dir: Path | str, sections: Sequence[SearchSection], casebook_dir: Path | str) -> str:
    """Write ``search-index.js`` (and ``minisearch.js``) into an edition.

    Parameters
    ----------
    edition_dir : path-like
    sections : sequence of SearchSection
        From :func:`collect_sections`.
    casebook_dir : path-like
        The ``casebook/`` folder (``node_modules``, ``scripts/search-index.cjs``).

    Returns
    -------
    str
        One line for the build log.
    """
    edition_dir = Path(edition_dir)
    casebook_dir = Path(casebook_dir)
    tools, why = node_tools(casebook_dir)
    documents = [asdict(s) for s in sections]
    if tools is not None:
        script = casebook_dir / "scripts" / "search-index.cjs"
        try:
            index = run_node(
                [tools.node, str(script.resolve())],
                stdin=json.dumps({"options": SEARCH_OPTIONS, "documents": documents}),
                cwd=casebook_dir,
                what="the search index (MiniSearch under Node)",
            )
            payload = {"engine": "minisearch", "options": SEARCH_OPTIONS, "index": json.loads(index)}
            shutil.copyfile(
                tools.node_modules / "minisearch" / "dist" / "umd" / "index.js", edition_dir / "minisearch.js"
            )
            note = f"search: MiniSearch index of {len(sections)} sections"
        except (OSError, RuntimeError, ValueError) as exc:
            tools, why = None, str(exc)
    if tools is None:
        payload = {"engine": "words", "documents": documents}
        note = f"search: {len(sections)} sections matched word by word in the browser, because {why}"
    text = _script(payload)
    (edition_dir / "search-index.js").write_text(text, encoding="utf-8")
    return f"{note} ({len(text.encode()) / 1e3:.0f} KB)"

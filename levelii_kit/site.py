"""Render the HTML casebook from executed chapter notebooks: chapter pages and site pages.

One edition is one folder of plain files that works from ``file://`` with no network at all::

    index.html            parts in the order of casebook/toc.yaml, chapters with summary and the
                          categories of helping moves each shows
    <slug>.html           one page per chapter, with previous/next links and the site navigation
    glossary.html         from casebook/glossary.yaml
    bibliography.html     every case file's sources, deduplicated by id, with the citing chapters
    <name>.html           front matter, from casebook/front_matter/<name>.md
    casebook.css          the one stylesheet (casebook/static/casebook.css)
    print.css             the print stylesheet
    plotly.min.js         the one copy of plotly.js, from the installed plotly

Chapter pages are rendered by nbconvert's ``HTMLExporter`` with our template
``casebook/templates/casebook`` (based on ``lab``). It draws plotly's
``application/vnd.plotly.v1+json`` outputs with ``Plotly.newPlot`` and the shared
``plotly.min.js`` (research/ecosystem.md, 2b), drops the stock template's CDN scripts, and links
casebook.css instead of inlining the JupyterLab CSS. Site pages use an autoescaping Jinja
environment over ``casebook/templates/site``, so text from case files is always shown as text.

Editions (:data:`EDITIONS`), chosen by :class:`CasebookPreprocessor`:

* ``student``: code hidden; cells tagged ``instructor``, ``solution``, ``remove-student`` and
  papermill's ``injected-parameters`` cell removed; code cells left without output dropped;
  stderr output dropped;
* ``instructor``: everything kept and the code shown; cells tagged ``instructor`` or
  ``solution`` are wrapped in a labelled box ("Instructor note" / "Solution").

In both editions ``remove-cell`` (and ``live-only``, for the live widget explorer) removes a cell,
``remove-input`` hides a cell's code and ``remove-output`` its output; ipywidgets outputs become a
short note (they need a kernel, and their saved state can weigh megabytes).

Accessible figures: every plotly figure is a ``<figure>`` whose (visually hidden) caption is its
layout title (plain text) plus an optional summary. A chapter attaches a summary in one of
three ways, checked in this order:

1. output metadata ``{"levelii": {"summary": "..."}}``. ``fig.show()`` cannot carry metadata, so
   display the figure's JSON yourself::

       import json
       from IPython.display import display
       display({"application/vnd.plotly.v1+json": json.loads(fig.to_json())}, raw=True,
               metadata={"levelii": {"summary": "Support falls as the hawks grow stronger."}})

2. cell metadata ``{"levelii": {"summary": "..."}}`` (applies to every figure of the cell);
3. a markdown cell tagged ``caption`` right after the figure's cell: it stays visible, and the
   figure points to it with ``aria-describedby``.
"""

from __future__ import annotations

import copy
import functools
import html
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import mistune
import nbformat
import yaml
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Enum
from traitlets.config import Config

from levelii_kit.build import BuildError, Chapter, Source
from levelii_kit.plots import PLOTLY_MIME

__all__ = [
    "CATEGORY_LABELS",
    "DISPLAY_PRIORITY",
    "EDITIONS",
    "PLOTLY_MIMETYPE",
    "STUDENT_REMOVED_TAGS",
    "BibliographyEntry",
    "Book",
    "CasebookPreprocessor",
    "Edition",
    "FrontMatterPage",
    "GlossaryEntry",
    "Part",
    "collect_bibliography",
    "default_casebook_dir",
    "load_book",
    "order_chapters",
    "render_chapter",
    "render_chapter_page",
    "render_edition",
    "render_markdown",
    "render_site_pages",
    "write_assets",
    "write_landing",
]

#: The editions a casebook can be rendered in.
EDITIONS = ("student", "instructor")

#: The MIME type of plotly figures in notebook outputs (plotly's default renderer; one constant
#: with :data:`levelii_kit.plots.PLOTLY_MIME`, which writes them in the build).
PLOTLY_MIMETYPE = PLOTLY_MIME

#: nbconvert's output priority: the plotly JSON must be listed, or nbconvert drops it
#: (research/ecosystem.md, 2b).
DISPLAY_PRIORITY = [
    "application/vnd.jupyter.widget-view+json",
    PLOTLY_MIMETYPE,
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]

#: Cell tags removed from the student edition.
STUDENT_REMOVED_TAGS = frozenset({"instructor", "solution", "injected-parameters", "remove-student"})

#: How the Sebenius categories named in ``categories_shown`` are displayed.
CATEGORY_LABELS = {
    "process_form": "process form",
    "statements": "statements",
    "at_the_table": "at the table",
    "direct_action": "direct action",
}

_WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
_RECORD_MIMETYPE = "application/vnd.levelii.record+json"
_WIDGET_NOTE = (
    "**Live explorer.** This control needs a running Python kernel, so it is not part of the static "
    "casebook: open the chapter in JupyterLab, or present it with `levelii present`, to use it."
)
_BOXED_TAGS = ("solution", "instructor")  # a cell with both tags is boxed as a solution
_RESERVED_PAGES = {"index", "glossary", "bibliography"}
_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Edition:
    """How an edition is named on its pages."""

    name: str
    label: str
    blurb: str


_EDITION_INFO = {
    "student": Edition(
        "student",
        "Student edition",
        "The cases, figures and tables; code, instructor notes and solutions are left out.",
    ),
    "instructor": Edition(
        "instructor",
        "Instructor edition",
        "Everything in the student edition, plus the code behind each figure and the "
        "instructor notes and solutions, each in a labelled box.",
    ),
}


@dataclass(frozen=True)
class Part:
    """A part of the book, as listed in ``casebook/toc.yaml``."""

    title: str
    anchor: str
    intro: str = ""


@dataclass(frozen=True)
class FrontMatterPage:
    """A front matter page rendered from ``casebook/front_matter/<name>.md``."""

    name: str
    title: str
    body_html: str

    @property
    def filename(self) -> str:
        """The page's file name in an edition folder."""
        return f"{self.name}.html"


@dataclass(frozen=True)
class GlossaryEntry:
    """A glossary term with its definition (already rendered, escaped HTML)."""

    term: str
    id: str
    definition_html: str
    sources: tuple[str, ...] = ()
    see_also: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Book:
    """Everything about the casebook that does not come from the chapters."""

    casebook_dir: Path
    title: str
    subtitle: str
    language: str
    parts: tuple[Part, ...]
    front_matter: tuple[FrontMatterPage, ...]
    glossary: tuple[GlossaryEntry, ...]


@dataclass(frozen=True)
class BibliographyEntry:
    """One source of the bibliography and the chapters (in book order) that cite it."""

    source: Source
    anchor: str
    chapters: tuple[Chapter, ...] = field(default=())

    @property
    def link(self) -> str | None:
        """The source's URL if it is a web address that is safe to link, else None."""
        url = self.source.url or ""
        return url if url.lower().startswith(_SAFE_SCHEMES) else None


# --------------------------------------------------------------------------------------------
# the book: toc, front matter, glossary
# --------------------------------------------------------------------------------------------


def default_casebook_dir() -> Path:
    """Return ``./casebook`` if it has a ``toc.yaml``, else the ``casebook/`` beside the package.

    Returns
    -------
    pathlib.Path
        The folder holding toc.yaml, glossary.yaml, front_matter/, templates/ and static/.
    """
    here = Path("casebook")
    if (here / "toc.yaml").is_file():
        return here
    return Path(__file__).resolve().parent.parent / "casebook"


def _slugify(text: str) -> str:
    """Lower-case ASCII slug for anchors.

    >>> _slugify("Cases from the seed paper")
    'cases-from-the-seed-paper'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _read_yaml(path: Path) -> Any:
    """``yaml.safe_load`` a file, with a one-line BuildError naming it on failure."""
    if not path.is_file():
        raise BuildError(f"{path} is missing")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise BuildError(f"{path} is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from exc


def render_markdown(text: str) -> str:
    """Render Markdown to HTML with every piece of raw HTML escaped (shown as text).

    Uses mistune (installed with nbconvert) with tables, strikethrough and bare-URL links;
    links with unsafe schemes such as ``javascript:`` are neutralised by mistune.

    Parameters
    ----------
    text : str
        Markdown source.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> render_markdown("A *win-set* <script>x</script>").strip()
    '<p>A <em>win-set</em> &lt;script&gt;x&lt;/script&gt;</p>'
    """
    md = mistune.create_markdown(escape=True, plugins=["table", "strikethrough", "url"])
    return md(text)


def load_book(casebook_dir: Path | str | None = None) -> Book:
    """Read ``toc.yaml``, the front matter and ``glossary.yaml`` of the casebook folder.

    ``toc.yaml`` holds ``title``, ``subtitle``, ``language``, ``front_matter`` (names of files in
    ``front_matter/`` without ``.md``, in order) and ``parts`` (a list of ``{title, intro}``;
    the design's parts). ``glossary.yaml`` holds ``terms``: a list of ``{term, definition,
    sources, see_also, id}``.

    Parameters
    ----------
    casebook_dir : path-like, optional
        Defaults to :func:`default_casebook_dir`.

    Returns
    -------
    Book

    Raises
    ------
    BuildError
        If a file is missing or malformed.
    """
    root = Path(casebook_dir) if casebook_dir is not None else default_casebook_dir()
    toc_path = root / "toc.yaml"
    toc = _read_yaml(toc_path)
    if not isinstance(toc, dict) or not isinstance(toc.get("parts"), list) or not toc["parts"]:
        raise BuildError(f"{toc_path} must have a non-empty list of parts")
    parts, seen = [], set()
    for i, item in enumerate(toc["parts"]):
        item = {"title": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise BuildError(f"{toc_path}: parts[{i}] needs a title")
        title = item["title"].strip()
        if title in seen:
            raise BuildError(f"{toc_path}: part {title!r} is listed twice")
        seen.add(title)
        parts.append(Part(title, f"part-{_slugify(title)}", " ".join(str(item.get("intro") or "").split())))

    pages = []
    for name in toc.get("front_matter") or []:
        path = root / "front_matter" / f"{name}.md"
        if not path.is_file():
            raise BuildError(f"{toc_path}: front matter page {path} is missing")
        if name in _RESERVED_PAGES:
            raise BuildError(f"{toc_path}: front matter page name {name!r} is reserved")
        text = path.read_text(encoding="utf-8")
        heading = re.search(r"(?m)^#\s+(.+?)\s*#*\s*$", text)
        pages.append(FrontMatterPage(str(name), heading.group(1) if heading else str(name), render_markdown(text)))

    return Book(
        casebook_dir=root,
        title=str(toc.get("title") or "Casebook"),
        subtitle=str(toc.get("subtitle") or ""),
        language=str(toc.get("language") or "en"),
        parts=tuple(parts),
        front_matter=tuple(pages),
        glossary=_load_glossary(root / "glossary.yaml"),
    )


def _load_glossary(path: Path) -> tuple[GlossaryEntry, ...]:
    """Read glossary.yaml into entries sorted by term, with see-also links resolved."""
    data = _read_yaml(path)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        raise BuildError(f"{path} must have a list of terms")
    raw = []
    for i, item in enumerate(terms):
        if not isinstance(item, dict) or not item.get("term") or not item.get("definition"):
            raise BuildError(f"{path}: terms[{i}] needs a term and a definition")
        raw.append(item)
    ids = {str(item["term"]).casefold(): str(item.get("id") or f"term-{_slugify(str(item['term']))}") for item in raw}
    entries = []
    for item in raw:
        term = str(item["term"])
        see_also = tuple((str(o), ids.get(str(o).casefold())) for o in item.get("see_also") or [])
        entries.append(
            GlossaryEntry(
                term=term,
                id=ids[term.casefold()],
                definition_html=render_markdown(str(item["definition"])),
                sources=tuple(str(s) for s in item.get("sources") or []),
                see_also=see_also,
            )
        )
    return tuple(sorted(entries, key=lambda e: e.term.casefold()))


def order_chapters(chapters: Iterable[Chapter], book: Book) -> list[Chapter]:
    """Put chapters in book order: parts as in ``toc.yaml``, then ``order``, then slug.

    Parameters
    ----------
    chapters : iterable of Chapter
    book : Book

    Returns
    -------
    list of Chapter

    Raises
    ------
    BuildError
        If a chapter names a part that ``toc.yaml`` does not list, or a chapter's page name
        collides with a site page.
    """
    rank = {part.title: i for i, part in enumerate(book.parts)}
    reserved = _RESERVED_PAGES | {page.name for page in book.front_matter}
    chapters = list(chapters)
    for chapter in chapters:
        if chapter.part not in rank:
            known = ", ".join(repr(p.title) for p in book.parts)
            raise BuildError(
                f"chapter {chapter.slug}: part {chapter.part!r} is not in casebook/toc.yaml (parts: {known})"
            )
        if chapter.slug in reserved:
            raise BuildError(f"chapter {chapter.slug}: the name is reserved for a site page; rename the folder")
    return sorted(chapters, key=lambda c: (rank[c.part], c.order, c.slug))


def collect_bibliography(chapters: Sequence[Chapter]) -> list[BibliographyEntry]:
    """Gather the sources of all chapters, deduplicated by id, sorted by citation.

    The first chapter (in the order given) that lists an id supplies its citation and URL.

    Parameters
    ----------
    chapters : sequence of Chapter
        In book order.

    Returns
    -------
    list of BibliographyEntry
        Sorted by citation (case-insensitive), then id; each with its citing chapters.
    """
    sources: dict[str, Source] = {}
    citing: dict[str, list[Chapter]] = {}
    for chapter in chapters:
        for source in chapter.sources:
            sources.setdefault(source.id, source)
            if chapter not in citing.setdefault(source.id, []):
                citing[source.id].append(chapter)
    entries = [
        BibliographyEntry(source=s, anchor=f"src-{_slugify(s.id)}", chapters=tuple(citing[s.id]))
        for s in sources.values()
    ]
    return sorted(entries, key=lambda e: (e.source.citation.casefold(), e.source.id))


# --------------------------------------------------------------------------------------------
# notebooks -> edition-specific notebooks
# --------------------------------------------------------------------------------------------


def _plain_text(text: str) -> str:
    """Strip tags and light Markdown from a title or caption, collapse whitespace."""
    text = re.sub(r"<br\s*/?>", " ", str(text), flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[*_`#>]+", "", text)
    return " ".join(text.split())


def _figure_title(spec: Mapping[str, Any]) -> str:
    """The plain-text layout title of a plotly figure spec, or ''."""
    title = (spec.get("layout") or {}).get("title")
    if isinstance(title, Mapping):
        title = title.get("text")
    return _plain_text(title) if title else ""


def _levelii_summary(metadata: Mapping[str, Any] | None) -> str:
    """The ``levelii.summary`` text of a metadata mapping, or ''."""
    info = (metadata or {}).get("levelii") or {}
    return _plain_text(info.get("summary", "")) if isinstance(info, Mapping) else ""


class CasebookPreprocessor(Preprocessor):
    """Turn an executed chapter notebook into its student or instructor version.

    Implements the editions of the design's "The casebook" section (see the module docstring
    for the tags). It also prepares plotly outputs for the template (plain-text title, summary,
    ``aria-describedby``), drops saved widget state (megabytes that no static page can use) and
    gives papermill's injected cell a fixed id so that builds are reproducible. Warnings (a
    figure without a title) are appended to ``resources["casebook_warnings"]``.
    """

    edition = Enum(list(EDITIONS), default_value="student", help="The edition to prepare.").tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Filter and annotate the cells of ``nb`` for :attr:`edition`.

        Parameters
        ----------
        nb : nbformat.NotebookNode
            The executed notebook; modified in place.
        resources : dict
            nbconvert resources; receives ``casebook_warnings``.

        Returns
        -------
        nb, resources
        """
        student = self.edition == "student"
        warnings = resources.setdefault("casebook_warnings", [])
        nb.metadata.pop("widgets", None)
        original = list(nb.cells)
        kept = []
        figure_number = 0
        for index, cell in enumerate(original):
            tags = set(cell.get("metadata", {}).get("tags", []) or [])
            if tags & {"remove-cell", "live-only"} or (student and tags & STUDENT_REMOVED_TAGS):
                continue
            if "injected-parameters" in tags:
                cell["id"] = "injected-parameters"
            if not student:
                box = next((t for t in _BOXED_TAGS if t in tags), None)
                if box:
                    cell.metadata["casebook"] = {"box": box}
            if "remove-input" in tags:
                cell.metadata["transient"] = {"remove_source": True}
            if cell.cell_type == "code":
                if "remove-output" in tags:
                    cell.outputs = []
                if student:
                    cell.outputs = [
                        o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")
                    ]
                cell.outputs = self._replace_widgets(cell.outputs)
                caption = original[index + 1] if index + 1 < len(original) else None
                for output in cell.outputs:
                    data = output.get("data") or {}
                    if PLOTLY_MIMETYPE not in data:
                        continue
                    figure_number += 1
                    info = self._figure_info(data[PLOTLY_MIMETYPE], output, cell, caption, student)
                    if not info["has_title"]:
                        warnings.append(f"figure {figure_number} has no title; add layout.title")
                        info["title"] = f"figure {figure_number}"
                    del info["has_title"]
                    output.setdefault("metadata", {})["casebook"] = info
                if student and not cell.outputs:
                    continue  # nothing left to show once the code is hidden
            kept.append(cell)
        nb.cells = kept
        return nb, resources

    @staticmethod
    def _replace_widgets(outputs: list[Any]) -> list[Any]:
        """Replace ipywidgets outputs (dead without a kernel) by one short note per cell."""
        kept, noted = [], False
        for output in outputs:
            if _RECORD_MIMETYPE in (output.get("data") or {}):
                continue  # numbers a chapter publishes for its tests (levelii_kit.chapter.record)
            if _WIDGET_MIMETYPE not in (output.get("data") or {}):
                kept.append(output)
            elif not noted:
                kept.append(nbformat.v4.new_output("display_data", data={"text/markdown": _WIDGET_NOTE}))
                noted = True
        return kept

    @staticmethod
    def _figure_info(spec, output, cell, caption, student) -> dict[str, Any]:
        """Title, summary and describedby of one plotly output (see the module docstring)."""
        title = _figure_title(spec)
        info: dict[str, Any] = {"title": title, "has_title": bool(title)}
        layout_meta = (spec.get("layout") or {}).get("meta") if isinstance(spec, Mapping) else None
        summary = (
            _levelii_summary(output.get("metadata"))
            or _levelii_summary(cell.get("metadata"))
            or (_plain_text(layout_meta.get("summary", "")) if isinstance(layout_meta, Mapping) else "")
        )
        if summary:
            info["summary"] = summary
            return info
        if caption is not None and caption.cell_type == "markdown":
            tags = set(caption.get("metadata", {}).get("tags", []) or [])
            removed = "remove-cell" in tags or (student and tags & STUDENT_REMOVED_TAGS)
            if "caption" in tags and not removed:
                if caption.get("id"):
                    info["describedby"] = f"cell-id={caption['id']}"
                else:
                    info["summary"] = _plain_text(caption.source)
        return info


# --------------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------------


def _site_environment(casebook_dir: Path) -> jinja2.Environment:
    """The autoescaping Jinja environment of the site templates."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(casebook_dir / "templates" / "site")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def _chapter_exporter(edition: str, casebook_dir: Path) -> HTMLExporter:
    """An HTMLExporter using our ``casebook`` template, configured for ``edition``."""
    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str((casebook_dir / "templates").resolve())]
    c.HTMLExporter.template_name = "casebook"
    c.HTMLExporter.exclude_input = edition == "student"
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    c.NbConvertBase.display_data_priority = list(DISPLAY_PRIORITY)
    return HTMLExporter(config=c)


def _category_labels(chapter: Chapter) -> list[str]:
    """Display labels of a chapter's categories."""
    return [CATEGORY_LABELS.get(c, c.replace("_", " ").replace("-", " ")) for c in chapter.categories_shown]


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


def _has_h1(nb: nbformat.NotebookNode) -> bool:
    """Whether a markdown cell of ``nb`` has a level-1 heading."""
    pattern = re.compile(r"(?m)^ {0,3}#(?!#)\s|<h1[\s>]", re.I)
    return any(c.cell_type == "markdown" and pattern.search(c.source) for c in nb.cells)


def render_chapter(
    nb: nbformat.NotebookNode,
    chapter: Chapter,
    edition: str,
    book: Book,
    *,
    number: int = 1,
    total: int = 1,
    prev: Chapter | None = None,
    next: Chapter | None = None,  # noqa: A002 - the natural name in a pager
    exporter: HTMLExporter | None = None,
    env: jinja2.Environment | None = None,
    copy_notebook: bool = True,
) -> tuple[str, list[str]]:
    """Render one executed chapter notebook as a page of ``edition``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified, unless ``copy_notebook`` is False).
    chapter : Chapter
    edition : {"student", "instructor"}
    book : Book
    number, total : int
        The chapter's position in the book, for "Chapter 2 of 7".
    prev, next : Chapter or None
        Neighbours for the pager.
    exporter, env : optional
        Reused between chapters by :func:`render_edition`.
    copy_notebook : bool, default True
        False lets the preprocessor work on ``nb`` itself: :func:`render_edition` reads each
        notebook fresh from disk, and a deep copy of a notebook's many small nodes costs more
        than reading it.

    Returns
    -------
    html : str
        The page.
    warnings : list of str
        Problems worth telling the author (e.g. a figure without a title).
    """
    env = env or _site_environment(book.casebook_dir)
    exporter = exporter or _chapter_exporter(edition, book.casebook_dir)
    if copy_notebook:
        nb = copy.deepcopy(nb)
    nb, pre = CasebookPreprocessor(edition=edition).preprocess(nb, {})
    context = {
        "book": book,
        "edition": _EDITION_INFO[edition],
        "root": "",
        "current": chapter.slug,
        "page_title": f"{chapter.title} · {book.title}",
        "needs_plotly": True,
        "chapter": chapter,
        "categories": _category_labels(chapter),
        "part": _part_of(book, chapter),
        "number": number,
        "total": total,
        "prev": prev,
        "next": next,
        "needs_h1": not _has_h1(nb),
    }
    resources = {
        "metadata": {"name": chapter.title, "path": str(chapter.folder)},
        "casebook": {
            "lang": book.language,
            "edition": edition,
            "head": Markup(env.get_template("head.html.j2").render(context)),
            "header": Markup(env.get_template("header.html.j2").render(context)),
            "main_top": Markup(env.get_template("chapter_top.html.j2").render(context)),
            "main_bottom": Markup(env.get_template("pager.html.j2").render(context)),
            "footer": Markup(env.get_template("footer.html.j2").render(context)),
        },
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _drop_needless_tab_stops(body), list(pre.get("casebook_warnings", []))


#: An opening ``<div>`` that nbconvert made focusable: what comes before ``tabindex="0"`` is group 1.
_FOCUSABLE_DIV = re.compile(r'(<div\b[^<>]*?) tabindex="0">')


def _drop_needless_tab_stops(page: str) -> str:
    """Remove the ``tabindex="0"`` nbconvert puts on every cell, except on HTML outputs.

    nbconvert makes all inputs and outputs focusable so that scrolling areas can be reached by
    keyboard. In the casebook only HTML outputs (wide tables) can scroll (casebook.css wraps
    code and text), so every other tab stop would just lengthen keyboard navigation.

    nbconvert adds the attribute last, with BeautifulSoup, to ``div`` elements, and serialises
    the page with ``<`` and ``>`` escaped in text and attribute values; so a ``<div ...
    tabindex="0">`` in ``page`` is always one of those tags, and a regular expression finds them
    exactly without parsing the page a second time (which took longer than rendering it).
    """

    def keep_for_html(match: re.Match[str]) -> str:
        tag = match.group(1)
        return match.group(0) if 'data-mime-type="text/html"' in tag else tag + ">"

    return _FOCUSABLE_DIV.sub(keep_for_html, page)


def _part_of(book: Book, chapter: Chapter) -> Part:
    """The :class:`Part` a chapter belongs to."""
    return next(p for p in book.parts if p.title == chapter.part)


def write_assets(edition_dir: Path | str, casebook_dir: Path | str | None = None) -> None:
    """Write the shared files of an edition: ``casebook.css``, ``print.css``, ``casebook.js``, ``plotly.min.js``.

    ``plotly.min.js`` comes from the installed plotly (``plotly.offline.get_plotlyjs()``), so
    the casebook needs no CDN (research/ecosystem.md, 2b); there is exactly one copy per edition.

    Parameters
    ----------
    edition_dir : path-like
        The edition folder (created if needed).
    casebook_dir : path-like, optional
        Where ``static/`` is; defaults to :func:`default_casebook_dir`.
    """
    from plotly.offline import get_plotlyjs

    edition_dir = Path(edition_dir)
    root = Path(casebook_dir) if casebook_dir is not None else default_casebook_dir()
    edition_dir.mkdir(parents=True, exist_ok=True)
    for name in ("casebook.css", "print.css", "casebook.js"):
        shutil.copyfile(root / "static" / name, edition_dir / name)
    (edition_dir / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")


def render_edition(
    chapters: Iterable[Chapter],
    executed: Mapping[str, Path],
    edition_dir: Path | str,
    edition: str = "student",
    *,
    book: Book | None = None,
    progress: Callable[[str], Any] | None = None,
) -> Path:
    """Render one edition of the casebook into ``edition_dir``.

    Writes the chapter pages, ``index.html``, ``glossary.html``, ``bibliography.html``, the
    front matter pages and the shared assets (see the module docstring for the layout).

    Parameters
    ----------
    chapters : iterable of Chapter
    executed : mapping of slug to path
        The executed notebook of every chapter (from
        :func:`levelii_kit.build.execute_chapters`).
    edition_dir : path-like
        Output folder (created if needed).
    edition : {"student", "instructor"}
    book : Book, optional
        Defaults to :func:`load_book` of the default casebook folder.
    progress : callable, optional
        Receives warnings about chapters, one line each.

    Returns
    -------
    pathlib.Path
        The edition's ``index.html``.

    Raises
    ------
    BuildError
        For an unknown edition or part, or a chapter without an executed notebook.
    """
    if edition not in EDITIONS:
        raise BuildError(f"unknown edition {edition!r}; choose from {', '.join(EDITIONS)}")
    book = book or load_book()
    say = progress or (lambda line: None)
    ordered = order_chapters(chapters, book)
    missing = [c.slug for c in ordered if c.slug not in executed]
    if missing:
        raise BuildError(f"chapter {missing[0]} has no executed notebook")
    for i, chapter in enumerate(ordered):
        for line in render_chapter_page(ordered, i, executed[chapter.slug], edition, edition_dir, book):
            say(line)
    return render_site_pages(ordered, edition, edition_dir, book)


@functools.lru_cache(maxsize=8)
def _renderers(edition: str, casebook_dir: Path) -> tuple[HTMLExporter, jinja2.Environment]:
    """The chapter exporter and the site environment of an edition, built once per process."""
    return _chapter_exporter(edition, casebook_dir), _site_environment(casebook_dir)


def render_chapter_page(
    ordered: Sequence[Chapter],
    index: int,
    notebook: Path | str,
    edition: str,
    edition_dir: Path | str,
    book: Book,
) -> list[str]:
    """Render chapter ``ordered[index]`` of one edition into ``edition_dir/<slug>.html``.

    The page links to its neighbours in ``ordered``. :func:`render_edition` calls this for every
    chapter; :func:`levelii_kit.build.build_casebook` calls it in worker processes as soon as a
    chapter's notebook has run, while other chapters still run.

    Parameters
    ----------
    ordered : sequence of Chapter
        All chapters, in book order (see :func:`order_chapters`).
    index : int
        Which one to render.
    notebook : path-like
        Its executed notebook.
    edition : {"student", "instructor"}
    edition_dir : path-like
        Output folder (created if needed).
    book : Book

    Returns
    -------
    list of str
        Warnings about the chapter, one line each (e.g. a figure without a title).
    """
    chapter = ordered[index]
    exporter, env = _renderers(edition, Path(book.casebook_dir))
    nb = nbformat.read(notebook, as_version=4)
    page, warnings = render_chapter(
        nb,
        chapter,
        edition,
        book,
        number=index + 1,
        total=len(ordered),
        prev=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
        exporter=exporter,
        env=env,
        copy_notebook=False,
    )
    edition_dir = Path(edition_dir)
    edition_dir.mkdir(parents=True, exist_ok=True)
    (edition_dir / f"{chapter.slug}.html").write_text(page, encoding="utf-8")
    return [f"warning: {edition} edition, chapter {chapter.slug}: {w}" for w in warnings]


def render_site_pages(ordered: Sequence[Chapter], edition: str, edition_dir: Path | str, book: Book) -> Path:
    """Write an edition's shared assets, ``index.html``, glossary, bibliography and front matter.

    Parameters
    ----------
    ordered : sequence of Chapter
        All chapters, in book order.
    edition : {"student", "instructor"}
    edition_dir : path-like
        Output folder (created if needed).
    book : Book

    Returns
    -------
    pathlib.Path
        The edition's ``index.html``.
    """
    edition_dir = Path(edition_dir)
    write_assets(edition_dir, book.casebook_dir)
    _, env = _renderers(edition, Path(book.casebook_dir))
    base = {"book": book, "edition": _EDITION_INFO[edition], "root": "", "needs_plotly": False}

    def page(template: str, filename: str, current: str, title: str, **extra: Any) -> None:
        context = {**base, "current": current, "page_title": title, **extra}
        (edition_dir / filename).write_text(env.get_template(template).render(context), encoding="utf-8")

    number = {c.slug: i + 1 for i, c in enumerate(ordered)}
    parts = []
    for part in book.parts:
        entries = [
            {
                "chapter": c,
                "href": f"{c.slug}.html",
                "number": number[c.slug],
                "summary": _one_line_summary(c.summary),
                "categories": _category_labels(c),
            }
            for c in ordered
            if c.part == part.title
        ]
        if entries:
            parts.append({"title": part.title, "anchor": part.anchor, "intro": part.intro, "entries": entries})
    page("index.html.j2", "index.html", "index", book.title, parts=parts)
    glossary = [
        {
            "term": e.term,
            "id": e.id,
            "definition_html": Markup(e.definition_html),
            "sources": e.sources,
            "see_also": [{"term": t, "id": i} for t, i in e.see_also],
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
    env = _site_environment(book.casebook_dir)
    infos = [_EDITION_INFO[e] for e in editions]
    path = out_dir / "index.html"
    path.write_text(env.get_template("landing.html.j2").render(book=book, editions=infos), encoding="utf-8")
    return path

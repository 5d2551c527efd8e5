"""The casebook's structure: its chapters (one per case folder), parts, front matter and glossary.

A *chapter* is a folder ``cases/<slug>/`` holding a case file ``case.yaml`` and a notebook ``<slug>.ipynb``.
:func:`discover_chapters` finds them and validates every case file with :func:`levelii_kit.load_case` (the one
reader of case files), keeping what the casebook needs as a :class:`ChapterEntry`. :func:`load_book` reads the
rest of the book from the ``casebook/`` folder: ``toc.yaml`` (title, parts, front matter),
``front_matter/*.md`` and ``glossary.yaml``. :func:`order_chapters` puts the chapters in book order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mistune
import yaml

from ..casefile import Case, Source, load_case
from ..errors import BuildError, CaseError

__all__ = [
    "EDITIONS",
    "Book",
    "ChapterEntry",
    "Edition",
    "EDITION_INFO",
    "FrontMatterPage",
    "GlossaryEntry",
    "Part",
    "default_casebook_dir",
    "discover_chapters",
    "load_book",
    "order_chapters",
    "render_markdown",
    "slugify",
]

#: The editions a casebook can be rendered in.
EDITIONS = ("student", "instructor")

_RESERVED_PAGES = {"index", "glossary", "bibliography", "progress"}


@dataclass(frozen=True)
class Edition:
    """How an edition is named on its pages.

    Parameters
    ----------
    name : {"student", "instructor"}
    label : str
        Shown in every page's header.
    blurb : str
        One sentence on what the edition holds.
    """

    name: str
    label: str
    blurb: str


#: The editions by name.
EDITION_INFO = {
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
class ChapterEntry:
    """A chapter of the casebook: one case folder, as the book sees it.

    Not to be confused with :class:`levelii_kit.chapter.Chapter`, a case set up for a teaching session inside
    a running notebook.

    Parameters
    ----------
    slug : str
        The folder name, also the chapter page's file name (``<slug>.html``).
    folder : pathlib.Path
        The case folder; notebooks run with it as their working directory.
    notebook : pathlib.Path
        The source notebook ``<slug>.ipynb``.
    case_file : pathlib.Path
        The case file ``case.yaml``.
    title, part, summary : str
        From the case file; ``part`` must name a part of ``casebook/toc.yaml``.
    order : float
        Position within its part (smaller first; ties broken by slug).
    categories_shown : tuple of str
        The categories of helping moves the chapter shows.
    sources : tuple of levelii_kit.casefile.Source
        The case file's sources, gathered into the bibliography.
    """

    slug: str
    folder: Path
    notebook: Path
    case_file: Path
    title: str
    part: str
    order: float
    summary: str
    categories_shown: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    @classmethod
    def from_case(cls, case: Case, notebook: Path | str | None = None) -> ChapterEntry:
        """The chapter entry of a loaded case.

        Parameters
        ----------
        case : Case
            A validated case (:func:`levelii_kit.load_case`).
        notebook : path-like, optional
            Defaults to ``<slug>.ipynb`` beside the case file.

        Returns
        -------
        ChapterEntry
        """
        folder = case.path.parent
        return cls(
            slug=case.slug,
            folder=folder,
            notebook=Path(notebook) if notebook is not None else folder / f"{case.slug}.ipynb",
            case_file=case.path,
            title=" ".join(case.title.split()),
            part=case.part.strip(),
            order=float(case.order),
            summary=" ".join(case.summary.split()),
            categories_shown=tuple(case.categories_shown),
            sources=tuple(case.sources),
        )


@dataclass(frozen=True)
class Part:
    """A part of the book, as listed in ``casebook/toc.yaml``."""

    title: str
    anchor: str
    intro: str = ""


@dataclass(frozen=True)
class FrontMatterPage:
    """A front matter page rendered from ``casebook/front_matter/<name>.md``.

    ``editions`` are the editions the page is part of (``toc.yaml`` may list a page as
    ``{name: writing-a-chapter, editions: [instructor]}``; a plain name is in every edition).
    """

    name: str
    title: str
    body_html: str
    editions: tuple[str, ...] = EDITIONS

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
    model: str | None = None


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

    def for_edition(self, edition: str) -> Book:
        """The book as one edition shows it: only the front matter pages of that edition.

        Parameters
        ----------
        edition : str
            One of :data:`EDITIONS`.

        Returns
        -------
        Book
        """
        pages = tuple(p for p in self.front_matter if edition in p.editions)
        return self if pages == self.front_matter else dataclasses.replace(self, front_matter=pages)


def discover_chapters(cases_dir: Path | str = Path("cases")) -> list[ChapterEntry]:
    """Find the chapters in ``cases_dir`` and validate their case files.

    A chapter is a sub-folder ``<slug>/`` of ``cases_dir`` with both ``case.yaml`` and ``<slug>.ipynb``
    (folders starting with ``.`` or ``_`` are skipped). Every case file is validated with
    :func:`levelii_kit.load_case`, so the casebook and ``levelii check`` agree on what a valid case is.

    Parameters
    ----------
    cases_dir : path-like, default ``cases``
        The folder holding one folder per case.

    Returns
    -------
    list of ChapterEntry
        Sorted by part, order and slug (:func:`order_chapters` re-orders the parts as ``toc.yaml`` lists them).

    Raises
    ------
    BuildError
        If ``cases_dir`` is missing, a chapter lacks its notebook or case file, or a case file is invalid
        (``chapter <slug>: <problem>``, one line per problem).
    """
    cases_dir = Path(cases_dir)
    if not cases_dir.is_dir():
        raise BuildError(f"cases folder {cases_dir} does not exist")
    chapters = []
    for folder in sorted(p for p in cases_dir.iterdir() if p.is_dir()):
        slug = folder.name
        if slug.startswith((".", "_")):
            continue
        notebook, case_file = folder / f"{slug}.ipynb", folder / "case.yaml"
        if not notebook.exists() and not case_file.exists():
            continue
        if not case_file.exists():
            raise BuildError(f"chapter {slug}: {case_file} is missing")
        if not notebook.exists():
            raise BuildError(f"chapter {slug}: notebook {notebook} is missing")
        try:
            case = load_case(case_file)
        except CaseError as exc:
            raise BuildError("\n".join(f"chapter {slug}: {p}" for p in exc.problems)) from exc
        chapters.append(ChapterEntry.from_case(case, notebook))
    return sorted(chapters, key=lambda c: (c.part, c.order, c.slug))


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
    return Path(__file__).resolve().parents[2] / "casebook"


def slugify(text: str) -> str:
    """Lower-case ASCII slug for anchors.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> slugify("Cases from the seed paper")
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


def render_markdown(text: str, math: bool = False) -> str:
    """Render Markdown to HTML with every piece of raw HTML escaped (shown as text).

    Uses mistune (installed with nbconvert) with tables, strikethrough and bare-URL links; links with unsafe
    schemes such as ``javascript:`` are neutralised by mistune. Headings get ids (:func:`slugify` of their
    text), so pages can link to a section. With ``math``, ``$...$`` and ``$$...$$`` hold LaTeX, converted to
    MathML at build time (latex2mathml), which browsers draw with no script, no font download and no network.

    Parameters
    ----------
    text : str
        Markdown source.
    math : bool, default False
        Read ``$`` as math (front matter pages); off where prose may quote prices in dollars.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> render_markdown("A *win-set* <script>x</script>").strip()
    '<p>A <em>win-set</em> &lt;script&gt;x&lt;/script&gt;</p>'
    >>> render_markdown("## 3. Ratification").strip()
    '<h2 id="3-ratification">3. Ratification</h2>'
    >>> "<msub><mi>p</mi><mi>i</mi></msub>" in render_markdown("support $p_i$", math=True)
    True
    """
    plugins = ["table", "strikethrough", "url"] + (["math"] if math else [])
    md = mistune.create_markdown(escape=True, plugins=plugins, renderer=_Renderer(escape=True))
    if math:
        md.renderer.register("block_math", _block_math)
        md.renderer.register("inline_math", _inline_math)
    return md(text)


class _Renderer(mistune.HTMLRenderer):
    """mistune's HTML renderer, with an id on every heading (made from its text)."""

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        """A heading with an id, so that other pages can link to its section."""
        plain = re.sub(r"<[^>]+>", "", text)
        return f'<h{level} id="{slugify(plain)}">{text}</h{level}>\n'


def _block_math(renderer: Any, text: str) -> str:
    """Display math as MathML (mistune renderer hook)."""
    from latex2mathml.converter import convert

    return f'<div class="cb-math">{convert(text.strip(), display="block")}</div>\n'


def _inline_math(renderer: Any, text: str) -> str:
    """Inline math as MathML (mistune renderer hook)."""
    from latex2mathml.converter import convert

    return convert(text.strip())


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
        parts.append(Part(title, f"part-{slugify(title)}", " ".join(str(item.get("intro") or "").split())))

    pages = []
    for item in toc.get("front_matter") or []:
        name, editions = _front_matter_item(toc_path, item)
        path = root / "front_matter" / f"{name}.md"
        if not path.is_file():
            raise BuildError(f"{toc_path}: front matter page {path} is missing")
        if name in _RESERVED_PAGES:
            raise BuildError(f"{toc_path}: front matter page name {name!r} is reserved")
        text = path.read_text(encoding="utf-8")
        heading = re.search(r"(?m)^#\s+(.+?)\s*#*\s*$", text)
        title = heading.group(1) if heading else name
        # a page may be doctested (Writing a chapter is): doctest's <BLANKLINE> marker is an empty line to a reader
        text = re.sub(r"(?m)^<BLANKLINE>$", "", text)
        pages.append(FrontMatterPage(name, title, render_markdown(text, math=True), editions))

    return Book(
        casebook_dir=root,
        title=str(toc.get("title") or "Casebook"),
        subtitle=str(toc.get("subtitle") or ""),
        language=str(toc.get("language") or "en"),
        parts=tuple(parts),
        front_matter=tuple(pages),
        glossary=_load_glossary(root / "glossary.yaml"),
    )


def _front_matter_item(toc_path: Path, item: Any) -> tuple[str, tuple[str, ...]]:
    """A ``front_matter`` entry of toc.yaml: a page name, or ``{name: ..., editions: [...]}``."""
    if isinstance(item, str):
        return item, EDITIONS
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        editions = item.get("editions", list(EDITIONS))
        if not isinstance(editions, list) or not editions or any(e not in EDITIONS for e in editions):
            raise BuildError(
                f"{toc_path}: front matter page {item['name']!r}: editions must be a list of {', '.join(EDITIONS)}"
            )
        return item["name"], tuple(e for e in EDITIONS if e in editions)
    raise BuildError(f"{toc_path}: a front_matter entry must be a page name or {{name: ..., editions: [...]}}")


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
    ids = {str(item["term"]).casefold(): str(item.get("id") or f"term-{slugify(str(item['term']))}") for item in raw}
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
                model=str(item["model"]) if item.get("model") else None,
            )
        )
    return tuple(sorted(entries, key=lambda e: e.term.casefold()))


def order_chapters(chapters: Iterable[ChapterEntry], book: Book) -> list[ChapterEntry]:
    """Put chapters in book order: parts as in ``toc.yaml``, then ``order``, then slug.

    Parameters
    ----------
    chapters : iterable of ChapterEntry
    book : Book

    Returns
    -------
    list of ChapterEntry

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

"""Render executed chapter notebooks as the pages of a casebook edition.

A chapter page (``<slug>.html``) is one executed notebook, filtered for its edition by
:class:`CasebookPreprocessor` and rendered by nbconvert. The site pages around it are
:mod:`levelii_kit.book.pages`.

Chapter pages are rendered by nbconvert's ``HTMLExporter`` with our template
``casebook/templates/casebook`` (based on ``lab``). It draws plotly's
``application/vnd.plotly.v1+json`` outputs with ``Plotly.newPlot`` and the shared
``plotly.min.js``, drops the stock template's CDN scripts, and links
casebook.css instead of inlining the JupyterLab CSS. Site pages use an autoescaping Jinja
environment over ``casebook/templates/site``, so text from case files is always shown as text.

Editions (:data:`~levelii_kit.book.toc.EDITIONS`), chosen by :class:`CasebookPreprocessor`:

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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Enum
from traitlets.config import Config

from .._protocol import (
    ALWAYS_REMOVED_TAGS,
    BOXED_TAGS,
    CAPTION_TAG,
    EXERCISE_MIME,
    INJECTED_PARAMETERS_TAG,
    PLOTLY_MIME,
    PREDICTION_MIME,
    RECORD_MIME,
    STUDENT_REMOVED_TAGS,
    WIDGET_MIME,
)
from . import package
from .launch import LaunchConfig
from .search import add_heading_ids
from .toc import EDITION_INFO, EDITIONS, Book, ChapterEntry, Part

__all__ = [
    "DISPLAY_PRIORITY",
    "CasebookPreprocessor",
    "render_chapter",
    "chapter_download_paths",
    "render_chapter_page",
    "site_environment",
]

#: nbconvert's output priority: the plotly JSON must be listed, or nbconvert drops it.
DISPLAY_PRIORITY = [
    WIDGET_MIME,
    EXERCISE_MIME,
    PREDICTION_MIME,
    PLOTLY_MIME,
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

_WIDGET_NOTE = (
    "**Live explorer.** This control needs a running Python kernel, so it is not part of the static "
    "casebook: open the chapter in JupyterLab, or present it with `levelii present`, to use it."
)


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
            if tags & ALWAYS_REMOVED_TAGS or (student and tags & STUDENT_REMOVED_TAGS):
                continue
            if INJECTED_PARAMETERS_TAG in tags:
                cell["id"] = INJECTED_PARAMETERS_TAG
            if not student:
                box = next((t for t in BOXED_TAGS if t in tags), None)
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
                cell.outputs = self._render_forms(cell.outputs, self.edition)
                caption = original[index + 1] if index + 1 < len(original) else None
                for output in cell.outputs:
                    data = output.get("data") or {}
                    if PLOTLY_MIME not in data:
                        continue
                    figure_number += 1
                    info = self._figure_info(data[PLOTLY_MIME], output, cell, caption, student)
                    if not info["has_title"]:
                        warnings.append(f"figure {figure_number} has no title; add layout.title")
                        info["title"] = f"figure {figure_number}"
                    del info["has_title"]
                    info["number"] = figure_number  # the anchor figure-<n> of the page
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
            if RECORD_MIME in (output.get("data") or {}):
                continue  # numbers a chapter publishes for its tests (levelii_kit.chapter.record)
            if WIDGET_MIME not in (output.get("data") or {}):
                kept.append(output)
            elif not noted:
                kept.append(nbformat.v4.new_output("display_data", data={"text/markdown": _WIDGET_NOTE}))
                noted = True
        return kept

    @staticmethod
    def _render_forms(outputs: list[Any], edition: str) -> list[Any]:
        """Exercises and predictions (their JSON outputs) become the HTML forms of :mod:`levelii_kit.book.selfstudy`."""
        from .selfstudy import exercise_html, prediction_html

        out = []
        for output in outputs:
            data = output.get("data") or {}
            if EXERCISE_MIME in data:
                html_text = exercise_html(data[EXERCISE_MIME], edition)
            elif PREDICTION_MIME in data:
                html_text = prediction_html(data[PREDICTION_MIME], edition)
            else:
                out.append(output)
                continue
            out.append(nbformat.v4.new_output("display_data", data={"text/html": html_text}))
        return out

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
            removed = bool(tags & ALWAYS_REMOVED_TAGS) or (student and tags & STUDENT_REMOVED_TAGS)
            if CAPTION_TAG in tags and not removed:
                if caption.get("id"):
                    info["describedby"] = f"cell-id={caption['id']}"
                else:
                    info["summary"] = _plain_text(caption.source)
        return info


@functools.lru_cache(maxsize=8)
def site_environment(casebook_dir: Path) -> jinja2.Environment:
    """The autoescaping Jinja environment of the site templates (``casebook/templates/site``).

    Parameters
    ----------
    casebook_dir : pathlib.Path

    Returns
    -------
    jinja2.Environment
    """
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


def _has_h1(nb: nbformat.NotebookNode) -> bool:
    """Whether a markdown cell of ``nb`` has a level-1 heading."""
    pattern = re.compile(r"(?m)^ {0,3}#(?!#)\s|<h1[\s>]", re.I)
    return any(c.cell_type == "markdown" and pattern.search(c.source) for c in nb.cells)


def render_chapter(
    nb: nbformat.NotebookNode,
    chapter: ChapterEntry,
    edition: str,
    book: Book,
    *,
    number: int = 1,
    total: int = 1,
    prev: ChapterEntry | None = None,
    next: ChapterEntry | None = None,  # noqa: A002 - the natural name in a pager
    exporter: HTMLExporter | None = None,
    env: jinja2.Environment | None = None,
    copy_notebook: bool = True,
    downloads: bool = False,
    launch: LaunchConfig | None = None,
) -> tuple[str, list[str]]:
    """Render one executed chapter notebook as a page of ``edition``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified, unless ``copy_notebook`` is False).
    chapter : ChapterEntry
    edition : {"student", "instructor"}
    book : Book
    number, total : int
        The chapter's position in the book, for "Chapter 2 of 7".
    prev, next : ChapterEntry or None
        Neighbours for the pager.
    exporter, env : optional
        Reused between chapters by :func:`render_chapter_page`.
    copy_notebook : bool, default True
        False lets the preprocessor work on ``nb`` itself: :func:`render_chapter_page` reads each
        notebook fresh from disk, and a deep copy of a notebook's many small nodes costs more
        than reading it.
    downloads : bool, default False
        Link the chapter's notebook and case file (:func:`levelii_kit.book.pages.chapter_downloads`, which
        the build writes into ``downloads/<slug>/``).
    launch : LaunchConfig, optional
        With a hub and a repository, a "Launch" link (nbgitpuller) to the chapter on the hub.

    Returns
    -------
    html : str
        The page.
    warnings : list of str
        Problems worth telling the author (e.g. a figure without a title).
    """
    book = book.for_edition(edition)
    env = env or site_environment(Path(book.casebook_dir))
    exporter = exporter or _chapter_exporter(edition, book.casebook_dir)
    if copy_notebook:
        nb = copy.deepcopy(nb)
    nb, pre = CasebookPreprocessor(edition=edition).preprocess(nb, {})
    context = {
        "book": book,
        "edition": EDITION_INFO[edition],
        "root": "",
        "current": chapter.slug,
        "page_title": f"{chapter.title} · {book.title}",
        "needs_plotly": True,
        "chapter": chapter,
        "categories": list(chapter.categories_shown),
        "part": _part_of(book, chapter),
        "number": number,
        "total": total,
        "prev": prev,
        "next": next,
        "needs_h1": not _has_h1(nb),
        "downloads": chapter_download_paths(chapter.slug) if downloads else None,
        "launch_url": launch.url(chapter.slug) if launch is not None else None,
        "package": package.links_for(chapter) if edition == "instructor" else None,  # the teaching package's box
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
    return _drop_needless_tab_stops(add_heading_ids(body)), list(pre.get("casebook_warnings", []))


def chapter_download_paths(slug: str) -> dict[str, str]:
    """Where a chapter's notebook and case file are in an edition folder (relative paths).

    Parameters
    ----------
    slug : str

    Returns
    -------
    dict
        ``{"notebook": "downloads/<slug>/<slug>.ipynb", "case_file": "downloads/<slug>/case.yaml"}``
    """
    return {"notebook": f"downloads/{slug}/{slug}.ipynb", "case_file": f"downloads/{slug}/case.yaml"}


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


def _part_of(book: Book, chapter: ChapterEntry) -> Part:
    """The :class:`Part` a chapter belongs to."""
    return next(p for p in book.parts if p.title == chapter.part)


@functools.lru_cache(maxsize=8)
def _renderers(edition: str, casebook_dir: Path) -> tuple[HTMLExporter, jinja2.Environment]:
    """The chapter exporter and the site environment of an edition, built once per process."""
    return _chapter_exporter(edition, casebook_dir), site_environment(casebook_dir)


def render_chapter_page(
    ordered: Sequence[ChapterEntry],
    index: int,
    notebook: Path | str,
    edition: str,
    edition_dir: Path | str,
    book: Book,
    launch: LaunchConfig | None = None,
) -> list[str]:
    """Render chapter ``ordered[index]`` of one edition into ``edition_dir/<slug>.html``.

    The page links to its neighbours in ``ordered``. :func:`levelii_kit.book.build.build_casebook` calls it in
    worker processes as soon as a chapter's notebook has run, while other chapters still run.

    Parameters
    ----------
    ordered : sequence of ChapterEntry
        All chapters, in book order (see :func:`levelii_kit.book.toc.order_chapters`).
    index : int
        Which one to render.
    notebook : path-like
        Its executed notebook.
    edition : {"student", "instructor"}
    edition_dir : path-like
        Output folder (created if needed).
    book : Book
    launch : LaunchConfig, optional
        Launch links to a JupyterHub (see :mod:`levelii_kit.book.launch`).

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
        downloads=True,
        launch=launch,
    )
    edition_dir = Path(edition_dir)
    edition_dir.mkdir(parents=True, exist_ok=True)
    (edition_dir / f"{chapter.slug}.html").write_text(page, encoding="utf-8")
    return [f"warning: {edition} edition, chapter {chapter.slug}: {w}" for w in warnings]

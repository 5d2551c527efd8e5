"""A casebook edition as one PDF: cover, contents with page numbers, chapters, front matter, glossary, bibliography.

:func:`print_edition` assembles one HTML page from the edition's rendered pages (their ``<main>`` parts, so the
book prints exactly what the edition shows), prints it with :func:`levelii_kit.book.pdf.print_pdf` (headless
Chromium through Playwright, offline) and writes ``<edition>/casebook-<edition>.pdf``.

Why Chromium and not WeasyPrint (both tried here on the same chapter page): plotly.js draws the figures with
JavaScript, which WeasyPrint does not run, so WeasyPrint prints empty boxes unless it is given a page whose SVG a
browser already drew. Given that page (Chromium's DOM after drawing, scripts removed), WeasyPrint 70.0 drew the
plot area and its tick labels but lost the figure's title, both axis titles, the button menu and the slider
(plotly puts them in a second, overlaid ``<svg class="main-svg">``), and added a stray grid line. Chromium, the
browser plotly.js is written for, printed the figure exactly as on screen, and it prints the page the reader sees.

Figures: the page carries ``data-cb-draw-all``, so ``casebook.js`` draws every figure at once, into a column as
wide as the printed one (so nothing is scaled or cut); a what-if figure is printed at its default step, with the
print-only note that the HTML is interactive.

Page numbers in the contents: Chromium cannot resolve ``target-counter()``, so the book is printed twice. The
first print links every contents entry to its section; Chromium writes those links as PDF link annotations to
the page of their target, which :func:`section_pages` reads back with pypdf; the second print fills the numbers
in (their boxes have a fixed width, so the layout, and the pages, do not move; the result is checked).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from .toc import EDITION_INFO, Book, ChapterEntry

__all__ = ["PrintResult", "book_html", "print_edition", "section_pages"]

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_CUT = re.compile(r'<nav class="cb-pager".*?</nav>|<ul class="cb-downloads".*?</ul>', re.S)

_STYLE = """
/* The printed book (levelii_kit.book.printbook). The column is as wide as the printed one, on screen too, so
   figures are drawn at the width they are printed at. */
@page { size: A4; margin: 16mm 14mm; }
body.cb-body { background: #fff; }
.pb-book { width: 180mm; margin: 0; padding: 0; }
.pb-book .cb-main { max-width: none; padding: 0; margin: 0; }
.pb-book .cb-plot { width: 176mm !important; }
.pb-cover { break-after: page; page-break-after: always; padding-top: 60mm; }
.pb-cover h1 { font-size: 26pt; line-height: 1.2; margin: 0 0 6mm; }
.pb-cover .pb-subtitle { font-size: 15pt; color: #333; margin: 0 0 20mm; }
.pb-cover .pb-edition { font-size: 13pt; font-weight: 700; }
.pb-contents { break-after: page; page-break-after: always; }
.pb-contents ol { list-style: none; padding: 0; margin: 0; }
.pb-contents li { display: flex; align-items: baseline; gap: 2mm; margin: 1.2mm 0; }
.pb-contents li.pb-part { font-weight: 700; margin-top: 4mm; }
.pb-contents a { color: #000; text-decoration: none; }
.pb-contents .pb-dots { flex: 1; border-bottom: 1px dotted #888; }
.pb-contents .pb-page { display: inline-block; width: 3em; text-align: right; font-variant-numeric: tabular-nums; }
.pb-section { break-before: page; page-break-before: always; }
.pb-book .cb-print-only { display: block; }
.pb-book .cb-search, .pb-book .cb-downloads, .pb-book .cb-pager, .pb-book .cb-plot-controls { display: none; }
"""


@dataclass(frozen=True)
class PrintResult:
    """A printed edition.

    Attributes
    ----------
    path : pathlib.Path
        The PDF.
    pages : int
        Its page count.
    contents : dict of str to int
        The page (1 = the cover) of every section of the contents, by its id.
    seconds : float
        Both prints, Chromium starts included.
    """

    path: Path
    pages: int
    contents: dict[str, int]
    seconds: float


def _main_of(path: Path) -> str:
    match = _MAIN.search(path.read_text(encoding="utf-8"))
    if match is None:
        raise BuildError(f"{path}: no <main> element to print")
    return _CUT.sub("", match.group(1))


def book_html(
    ordered: Sequence[ChapterEntry], edition: str, edition_dir: Path | str, book: Book, pages: dict[str, int] | None
) -> str:
    """The printable book of an edition, as one HTML page (to be saved in the edition folder).

    Parameters
    ----------
    ordered : sequence of ChapterEntry
        The chapters, in book order.
    edition : {"student", "instructor"}
    edition_dir : path-like
        The rendered edition (its pages and assets).
    book : Book
    pages : dict of str to int, optional
        The page number of each section (``chapter-<slug>``, ``front-<name>``, ``glossary``,
        ``bibliography``); None prints placeholders of the same width.

    Returns
    -------
    str
    """
    edition_dir = Path(edition_dir)
    info = EDITION_INFO[edition]
    esc = html.escape

    def number(key: str) -> str:
        return str(pages[key]) if pages and key in pages else "000"

    def entry(key: str, title: str) -> str:
        return (
            f'<li><a href="#{key}">{esc(title)}</a><span class="pb-dots" aria-hidden="true"></span>'
            f'<span class="pb-page">{number(key)}</span></li>'
        )

    contents = [entry(f"front-{fm.name}", fm.title) for fm in book.front_matter]
    sections = [
        f'<section class="pb-section" id="front-{fm.name}">{_main_of(edition_dir / fm.filename)}</section>'
        for fm in book.front_matter
    ]
    for part in book.parts:
        chapters = [c for c in ordered if c.part == part.title]
        if not chapters:
            continue
        contents.append(f'<li class="pb-part">{esc(part.title)}</li>')
        for chapter in chapters:
            key = f"chapter-{chapter.slug}"
            contents.append(entry(key, chapter.title))
            body = _main_of(edition_dir / f"{chapter.slug}.html")
            sections.append(f'<article class="pb-section pb-chapter" id="{key}">{body}</article>')
    for key, title in (("glossary", "Glossary"), ("bibliography", "Bibliography")):
        contents.append(entry(key, title))
        sections.append(f'<section class="pb-section" id="{key}">{_main_of(edition_dir / f"{key}.html")}</section>')
    body = "\n".join(sections)
    # links between the site's pages become links inside the book
    body = re.sub(r'href="([a-z0-9_]+)\.html(?:#[^"]*)?"', lambda m: _inner_link(m, ordered), body)
    return f"""<!DOCTYPE html>
<html lang="{esc(book.language)}" data-cb-draw-all="">
<head>
<meta charset="utf-8">
<title>{esc(book.title)} · {esc(info.label)}</title>
<link rel="stylesheet" href="casebook.css">
<link rel="stylesheet" href="print.css" media="print">
<style>{_STYLE}</style>
<script defer src="plotly.min.js"></script>
<script defer src="casebook.js"></script>
</head>
<body class="cb-body pb-book cb-edition-{esc(edition)}">
<main class="cb-main">
<section class="pb-cover">
<h1>{esc(book.title)}</h1>
<p class="pb-subtitle">{esc(book.subtitle)}</p>
<p class="pb-edition">{esc(info.label)}</p>
<p>{esc(info.blurb)}</p>
<p>Printed from the HTML casebook. Its what-if figures are interactive there; here each is shown at its
default step. The model's numbers are teaching assumptions, not measurements.</p>
</section>
<nav class="pb-contents" aria-labelledby="pb-contents-title">
<h1 id="pb-contents-title">Contents</h1>
<ol>
{chr(10).join(contents)}
</ol>
</nav>
{body}
</main>
</body>
</html>
"""


def _inner_link(match: re.Match[str], ordered: Sequence[ChapterEntry]) -> str:
    name = match.group(1)
    if any(c.slug == name for c in ordered):
        return f'href="#chapter-{name}"'
    if name in ("glossary", "bibliography"):
        return f'href="#{name}"'
    return match.group(0)


def section_pages(pdf: Path | str) -> dict[str, int]:
    """The page (1-based) each internal link of a PDF points to, by the link's target name.

    Chromium writes an ``<a href="#name">`` as a link annotation whose destination is the named
    destination ``name``; this reads the named destinations with pypdf.

    Parameters
    ----------
    pdf : path-like

    Returns
    -------
    dict of str to int
    """
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        if page is not None and page >= 0:
            out[str(name).lstrip("/")] = page + 1
    return out


def print_edition(
    ordered: Sequence[ChapterEntry], edition: str, edition_dir: Path | str, book: Book, *, timeout: float = 180
) -> PrintResult:
    """Print an edition as ``edition_dir/casebook-<edition>.pdf`` (see the module docstring).

    Parameters
    ----------
    ordered : sequence of ChapterEntry
    edition : {"student", "instructor"}
    edition_dir : path-like
        The rendered edition; the book's HTML is written there for the print and removed afterwards.
    book : Book
    timeout : float
        Seconds one print may take to load and draw.

    Returns
    -------
    PrintResult

    Raises
    ------
    BuildError
        One line: Chromium or Playwright missing, a page that did not draw, a contents entry whose page
        cannot be found.
    """
    from pypdf import PdfReader

    from .pdf import PdfError, page_footer, print_pdf

    started = time.perf_counter()
    edition_dir = Path(edition_dir)
    source = edition_dir / f".casebook-{edition}-print.html"
    out = edition_dir / f"casebook-{edition}.pdf"
    footer = page_footer(f"{book.title} · {EDITION_INFO[edition].label}")
    keys = (
        [f"front-{fm.name}" for fm in book.front_matter]
        + [f"chapter-{c.slug}" for c in ordered]
        + ["glossary", "bibliography"]
    )

    def once(pages: dict[str, int] | None) -> dict[str, int]:
        source.write_text(book_html(ordered, edition, edition_dir, book, pages), encoding="utf-8")
        try:
            result = print_pdf(source, out, footer=footer, timeout=timeout)
        except PdfError as exc:
            raise BuildError(f"{edition} edition PDF: {exc}") from None
        if result.blocked or result.errors:
            raise BuildError(f"{edition} edition PDF: {(result.blocked + result.errors)[0]}")
        found = section_pages(out)
        missing = [k for k in keys if k not in found]
        if missing:
            raise BuildError(f"{edition} edition PDF: cannot find the page of {missing[0]} in the printed book")
        return {k: found[k] for k in keys}

    try:
        first = once(None)
        second = once(first)
        if second != first:  # the numbers moved the layout after all: print once more with the new ones
            second = once(second)
    finally:
        source.unlink(missing_ok=True)
    return PrintResult(out, len(PdfReader(str(out)).pages), second, time.perf_counter() - started)

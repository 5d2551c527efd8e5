"""Print an HTML file to PDF with headless Chromium, offline.

:func:`print_pdf` opens a local HTML file in Debian's Chromium (driven by Playwright from PyPI, never a
downloaded browser), blocks every request that is not a ``file:`` URL, waits until the page's fonts have
loaded and every plotly figure has drawn, and prints it with a page size, margins and an optional header
and footer carrying page numbers. The PDF is written to a temporary file beside the target and renamed into
place, so a failed run leaves an existing PDF intact.

Chromium fills ``<span class="pageNumber">`` and ``<span class="totalPages">`` in the header and footer
templates (Chrome DevTools Protocol, ``Page.printToPDF``); :func:`page_footer` builds such a footer.
"""

from __future__ import annotations

import html
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import LeveliiError

__all__ = ["CHROMIUM", "PAPER_SIZES", "PdfError", "PdfResult", "page_footer", "print_pdf"]

#: Debian's Chromium; ``$LEVELII_CHROMIUM`` overrides it.
CHROMIUM = Path(os.environ.get("LEVELII_CHROMIUM", "/usr/bin/chromium"))

#: Paper sizes Chromium knows by name (case-insensitive here).
PAPER_SIZES = ("A4", "A3", "A5", "Letter", "Legal", "Tabloid")

#: Selector of plotly figure containers (plotly's ``to_html`` and the casebook template both use it).
PLOT_SELECTOR = ".plotly-graph-div"

_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# True once every plotly container holds the SVG plotly.js draws.
_PLOTS_DRAWN = "selector => [...document.querySelectorAll(selector)].every(p => p.querySelector('.main-svg'))"
# Resolves once the page's fonts have loaded (CSS Font Loading API), then after two animation frames.
_FONTS_AND_FRAMES = """() => document.fonts.ready.then(() => new Promise(done =>
  requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"""


class PdfError(LeveliiError, RuntimeError):
    """Printing failed: Chromium is missing, the page did not finish drawing, or the file cannot be written."""


@dataclass(frozen=True)
class PdfResult:
    """What :func:`print_pdf` did.

    Attributes
    ----------
    path : pathlib.Path
        The PDF written.
    blocked : tuple of str
        Requests the page made to anything but a ``file:`` URL (all were refused).
    errors : tuple of str
        Console errors and uncaught page errors.
    seconds : float
        Wall time, Chromium start included.
    """

    path: Path
    blocked: tuple[str, ...]
    errors: tuple[str, ...]
    seconds: float


def page_footer(left: str = "", font_size: str = "8pt", padding: str = "0 14mm") -> str:
    """A footer template: ``left`` (text, escaped) on the left, ``page N of M`` on the right.

    Parameters
    ----------
    left : str
        Plain text, such as the document's title; it is HTML-escaped.
    font_size, padding : str
        CSS values. Chromium renders header and footer templates at a tiny default size, so set one.

    Returns
    -------
    str
        HTML for ``print_pdf(footer=...)``.

    Examples
    --------
    >>> "pageNumber" in page_footer("A & B") and "A &amp; B" in page_footer("A & B")
    True
    """
    return (
        f'<div style="font-size:{font_size};width:100%;padding:{padding};display:flex;'
        f'justify-content:space-between;color:#444;font-family:sans-serif">'
        f"<span>{html.escape(left)}</span>"
        '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )


def _paper(paper: str) -> str:
    for name in PAPER_SIZES:
        if paper.lower() == name.lower():
            return name
    raise PdfError(f"unknown paper size {paper!r}; expected one of {list(PAPER_SIZES)}")


def print_pdf(
    source,
    out,
    *,
    paper: str = "A4",
    landscape: bool = False,
    margins: dict[str, str] | None = None,
    header: str | None = None,
    footer: str | None = None,
    prefer_css_page_size: bool = False,
    outline: bool = True,
    media: str = "print",
    viewport_width: int = 1000,
    timeout: float = 60.0,
    chromium: Path | None = None,
) -> PdfResult:
    """Print a local HTML file to PDF through headless Chromium, with no outside request.

    Parameters
    ----------
    source : str or pathlib.Path
        The HTML file. Its assets must be local (``file:``); any other request is refused and listed in
        the result's ``blocked``.
    out : str or pathlib.Path
        The PDF to write. Its folder is created; an existing file is replaced only when printing succeeds.
    paper : str
        One of :data:`PAPER_SIZES` (case-insensitive), unless ``prefer_css_page_size`` and the page's CSS
        sets ``@page { size: ... }``.
    landscape : bool
    margins : dict, optional
        CSS lengths for ``top``, ``right``, ``bottom``, ``left``; default 16 mm top and bottom, 14 mm at the
        sides (room for a header and footer).
    header, footer : str, optional
        HTML templates printed in the top and bottom margins of every page; ``<span class="pageNumber">``,
        ``totalPages``, ``title`` and ``date`` are filled in by Chromium. See :func:`page_footer`. Both
        None: no header or footer.
    prefer_css_page_size : bool
        Let the page's ``@page`` rule decide the paper size.
    outline : bool
        Add PDF bookmarks from the headings and tag the PDF (structure for screen readers).
    media : str
        CSS media type the page is laid out for before printing: ``"print"`` (stylesheets with
        ``media="print"`` apply) or ``"screen"``.
    viewport_width : int
        Width in CSS pixels of the window the page is loaded in; responsive figures size themselves to it
        before the print layout applies.
    timeout : float
        Seconds to wait for the page to load, its fonts and its plotly figures.
    chromium : pathlib.Path, optional
        The browser; default :data:`CHROMIUM`.

    Returns
    -------
    PdfResult

    Raises
    ------
    PdfError
        With a one-line reason: the HTML file or Chromium is missing, Playwright is not installed, the
        page did not finish drawing within ``timeout``, or the PDF cannot be written.

    Notes
    -----
    The wait follows the page's own signals: ``document.fonts.ready`` (CSS Font Loading) and, for
    every ``.plotly-graph-div``, the ``.main-svg`` plotly.js draws into it.
    """
    started = time.perf_counter()
    source = Path(source)
    out = Path(out)
    if not source.is_file():
        raise PdfError(f"{source}: no such HTML file")
    paper = _paper(paper)
    if media not in ("print", "screen"):
        raise PdfError(f"unknown media {media!r}; expected 'print' or 'screen'")
    chromium = Path(chromium) if chromium is not None else CHROMIUM
    if not chromium.exists():
        raise PdfError(f"Chromium not found at {chromium}: install Debian's chromium (make browser-tools)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError("printing to PDF needs Playwright: pip install playwright (no browser download)") from None
    margin = {"top": "16mm", "right": "14mm", "bottom": "16mm", "left": "14mm", **(margins or {})}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise PdfError(f"{out}: cannot write here ({exc.strerror})") from None
    tmp = Path(tmp_name)
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=_ARGS)
            try:
                context = browser.new_context(viewport={"width": viewport_width, "height": 1400})
                context.route("**/*", route)
                page = context.new_page()
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(source.resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
                page.emulate_media(media=media)
                page.wait_for_function(_PLOTS_DRAWN, arg=PLOT_SELECTOR, timeout=timeout * 1000, polling=100)
                page.evaluate(_FONTS_AND_FRAMES)
                page.pdf(
                    path=str(tmp),
                    format=paper,
                    landscape=landscape,
                    margin=margin,
                    print_background=True,
                    display_header_footer=header is not None or footer is not None,
                    header_template=header if header is not None else "<span></span>",
                    footer_template=footer if footer is not None else "<span></span>",
                    prefer_css_page_size=prefer_css_page_size,
                    outline=outline,
                    tagged=outline,
                )
            finally:
                browser.close()

    try:
        # Playwright's sync API refuses to start in a thread with a running asyncio loop (a Jupyter kernel, or
        # another sync Playwright session in the same process); a thread of its own always works.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="levelii-pdf") as pool:
            pool.submit(run).result()
        os.replace(tmp, out)
    except PlaywrightError as exc:
        tmp.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfError(f"printing {source.name} failed: {first}") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PdfError(f"{out}: cannot write the PDF ({exc.strerror})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return PdfResult(out, tuple(blocked), tuple(errors), time.perf_counter() - started)

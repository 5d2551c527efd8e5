"""The instructor edition's teaching package: every chapter's deck, role briefs and handouts, written by the build.

What negotiation instructors adopt is a package for one class session (confidential role briefs, an instructor's
plan with timing, an outcome form, debrief slides; the project's research note on teaching anchors). The casebook
build (:func:`levelii_kit.book.build.build_casebook`) writes one for every chapter into the instructor edition,
beside the chapter pages::

    instructor/teaching/levelii-deck/             the decks' assets (reveal.js, deck.css, deck.js), once
    instructor/teaching/<slug>/slides.html        the deck (levelii_kit/book/slides.py); plotly.js is the edition's
    instructor/teaching/<slug>/handouts.pdf       cover sheet, briefs, outcome forms (levelii_kit/book/handouts.py)
    instructor/teaching/<slug>/briefs/<role>.html one page per role (levelii_kit/book/briefs.py)

Every chapter gets a deck; a case without ``teaching.roles`` gets no briefs and no handouts. The student edition
gets none of it: the briefs are confidential. Each chapter page of the instructor edition links its package in a
"Teaching package" box (``casebook/templates/site/teaching_package.html.j2``, fed by :func:`links_for`); the
build writes exactly what those links name (:func:`write_chapter_package` reads the same :func:`package_links`).

Without reveal.js (``make`` installs it with ``npm ci --prefix casebook``) the decks are left out, and without
Chromium (``/usr/bin/chromium``) the handouts PDF; the box says so and the build log has one line each. A deck or
PDF that fails for any other reason fails the build with the chapter's name (the previous casebook stays).

The work runs in the build's page-rendering worker processes, submitted before any chapter has finished running,
so it overlaps the execution of the notebooks (:func:`submit_packages`).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..casefile import Case, load_case
from ..errors import BuildError, LeveliiError
from . import briefs, handouts, pdf, slides
from .toc import ChapterEntry

__all__ = [
    "FOLDER",
    "PackageLinks",
    "links_for",
    "package_links",
    "submit_packages",
    "trace_types",
    "write_chapter_package",
    "write_shared",
]

#: The package's folder inside the instructor edition.
FOLDER = "teaching"

#: The edition's one copy of plotly.js (written by :func:`levelii_kit.book.pages.write_assets`).
PLOTLY_JS = "plotly.min.js"

#: A deck's figure, as :func:`levelii_kit.book.slides.deck_html` embeds it.
_FIGURE_JSON = re.compile(r'<script type="application/json" id="[^"]+">(.*?)</script>', re.S)


@dataclass(frozen=True)
class PackageLinks:
    """What a chapter's teaching package holds, as links relative to the edition folder.

    Attributes
    ----------
    slug : str
    deck : str or None
        The deck, or None when reveal.js is missing.
    handouts : str or None
        The handouts PDF, or None (no roles, or no Chromium).
    briefs : tuple of (str, str)
        ``(role title, link)`` per role, in the case file's order.
    missing : tuple of str
        Why something is left out, one sentence each (shown in the chapter's box and the build log).
    """

    slug: str
    deck: str | None
    handouts: str | None
    briefs: tuple[tuple[str, str], ...]
    missing: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        """The chapter's package folder, relative to the edition folder."""
        return f"{FOLDER}/{self.slug}"


def _can_print() -> str | None:
    """Why the handouts PDF cannot be printed here, or None."""
    if not pdf.CHROMIUM.exists():
        return f"the handouts PDF needs Chromium ({pdf.CHROMIUM} is missing; make browser-tools installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the handouts PDF needs Playwright (pip install playwright)"
    return None


def package_links(case: Case, casebook_dir: Path | str | None = None) -> PackageLinks:
    """The teaching package of a case: which files it has and their links.

    Parameters
    ----------
    case : Case
    casebook_dir : path-like, optional
        Where ``node_modules/reveal.js`` is (see :func:`levelii_kit.book.slides.reveal_dir`).

    Returns
    -------
    PackageLinks
    """
    folder = f"{FOLDER}/{case.slug}"
    missing = []
    try:
        slides.reveal_dir(casebook_dir)
        deck = f"{folder}/slides.html"
    except slides.DeckError:
        deck = None
        missing.append("the deck needs reveal.js, which is not installed (make, or npm ci --prefix casebook)")
    pdf_link = None
    if case.roles:
        reason = _can_print()
        if reason:
            missing.append(reason)
        else:
            pdf_link = f"{folder}/handouts.pdf"
    roles = tuple((role.title, f"{folder}/briefs/{briefs.brief_filename(role.id)}") for role in case.roles)
    return PackageLinks(case.slug, deck, pdf_link, roles, tuple(missing))


def links_for(chapter: ChapterEntry, casebook_dir: Path | str | None = None) -> PackageLinks:
    """:func:`package_links` of a chapter of the book (its case file read again, as the build's workers do).

    Parameters
    ----------
    chapter : ChapterEntry
    casebook_dir : path-like, optional

    Returns
    -------
    PackageLinks
    """
    return package_links(load_case(chapter.case_file), casebook_dir)


def write_shared(edition_dir: Path | str, casebook_dir: Path | str | None = None) -> list[str]:
    """Write what every chapter's package shares: the decks' assets, once (not plotly.js: the edition has it).

    Parameters
    ----------
    edition_dir : path-like
        The instructor edition's folder.
    casebook_dir : path-like, optional

    Returns
    -------
    list of str
        Lines for the build log: one when reveal.js is missing (the decks are then left out).
    """
    try:
        slides.reveal_dir(casebook_dir)
    except slides.DeckError as exc:
        return [f"warning: teaching package: no decks: {exc}"]
    slides.write_assets(Path(edition_dir) / FOLDER / slides.ASSETS_DIR, with_plotly=False, casebook_dir=casebook_dir)
    return []


def write_chapter_package(
    case_file: Path | str, edition_dir: Path | str, casebook_dir: Path | str | None = None
) -> list[str]:
    """Write one chapter's teaching package into the instructor edition: deck, role briefs, handouts PDF.

    Parameters
    ----------
    case_file : path-like
        The chapter's ``case.yaml``.
    edition_dir : path-like
        The instructor edition's folder; :func:`write_shared` has written the decks' assets there.
    casebook_dir : path-like, optional

    Returns
    -------
    list of str
        Lines for the build log.

    Raises
    ------
    BuildError
        A deck, brief page or PDF failed; the message names the chapter.
    """
    started = time.perf_counter()
    case = load_case(case_file)
    links = package_links(case, casebook_dir)
    edition_dir = Path(edition_dir)
    folder = edition_dir / links.folder
    done = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        if links.deck:
            deck_path = edition_dir / links.deck
            plotly_js = Path(os.path.relpath(edition_dir / PLOTLY_JS, deck_path.parent)).as_posix()
            result = slides.build_deck(
                case,
                deck_path,
                assets=edition_dir / FOLDER / slides.ASSETS_DIR,
                plotly_js=plotly_js,
                casebook_dir=casebook_dir,
            )
            done.append(f"deck ({result.slides} slides)")
        written = briefs.write_briefs(case, folder / "briefs")
        if written:
            done.append(f"{len(written)} role briefs")
        if links.handouts:
            result = handouts.build_handouts(case, edition_dir / links.handouts)
            done.append(f"handouts PDF ({result.roles} briefs, {len(result.groups)} outcome forms)")
    except LeveliiError as exc:
        raise BuildError(f"teaching package of chapter {case.slug}: {exc}") from None
    except OSError as exc:
        raise BuildError(f"teaching package of chapter {case.slug}: cannot write {folder} ({exc.strerror})") from None
    lines = [f"teaching package {case.slug}: {', '.join(done) or 'nothing'} ({time.perf_counter() - started:.1f} s)"]
    lines += [f"warning: teaching package {case.slug}: {reason}" for reason in links.missing]
    return lines


def submit_packages(
    submit: Callable[..., Any],
    chapters: Sequence[ChapterEntry],
    edition_dir: Path | str,
    casebook_dir: Path | str | None = None,
) -> list[str]:
    """Write the shared assets now and hand every chapter's package to ``submit`` (the build's worker pool).

    Parameters
    ----------
    submit : callable
        ``submit(fn, *args)``, whose jobs return lists of log lines
        (:meth:`levelii_kit.book.build._PageRenderer.submit`).
    chapters : sequence of ChapterEntry
    edition_dir : path-like
        The instructor edition's folder.
    casebook_dir : path-like, optional

    Returns
    -------
    list of str
        Lines for the build log from the shared step.
    """
    lines = write_shared(edition_dir, casebook_dir)
    for chapter in chapters:
        submit(write_chapter_package, chapter.case_file, edition_dir, casebook_dir)
    return lines


def trace_types(edition_dir: Path | str) -> set[str]:
    """The plotly trace types the decks of an edition's teaching package draw.

    The casebook ships one plotly.js per edition, a bundle of the trace types its figures use
    (:func:`levelii_kit.book.bundle.plotly_bundle`); the decks use the instructor edition's copy, so the bundle
    must hold their trace types too.

    Parameters
    ----------
    edition_dir : path-like
        An edition's folder (an edition without a teaching package gives an empty set).

    Returns
    -------
    set of str
        E.g. ``{"bar", "scatter", "waterfall"}``; a trace without a ``type`` counts as ``scatter``.
    """
    found: set[str] = set()
    for deck in sorted((Path(edition_dir) / FOLDER).glob("*/slides.html")):
        for text in _FIGURE_JSON.findall(deck.read_text(encoding="utf-8")):
            for trace in json.loads(text).get("data") or []:
                found.add(str(trace.get("type") or "scatter"))
    return found

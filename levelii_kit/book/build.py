"""Build the HTML casebook atomically: execute every chapter, render the editions, swap into place.

Building (``make casebook``, or ``levelii build``) takes three steps, following the design's "The casebook":

1. :func:`~levelii_kit.book.toc.discover_chapters` finds the chapters and validates their case files;
2. :func:`~levelii_kit.book.execute.execute_chapters` runs every notebook with papermill, in parallel, one
   kernel per chapter, in the chapter's own folder;
3. :func:`build_casebook` renders the student and instructor editions from the same executed notebooks
   (:mod:`levelii_kit.book.render`; each chapter's pages in worker processes as soon as the chapter has run,
   then the site pages of :mod:`levelii_kit.book.pages`), all inside a temporary folder next to the output,
   and swaps that folder into place only when everything succeeded. A failed build leaves the previous
   casebook exactly as it was and removes its temporary folder.

The reader's additions (issue 11), each a small step of its own: the plotly.js bundle of the trace types the
chapters draw (:mod:`levelii_kit.book.bundle`), each chapter's files to download and the edition's search index
(:mod:`levelii_kit.book.search`), "Launch" links to a JupyterHub (:mod:`levelii_kit.book.launch`) and, with
``pdf=True``, each edition printed as one PDF (:mod:`levelii_kit.book.printbook`), all inside the temporary
folder, so they are swapped into place with the rest.

Every failure a user can cause (a broken case file, a cell that raises, a missing part) is reported as a
:class:`~levelii_kit.errors.BuildError` whose message names the chapter in one line.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BuildError
from . import package, pages, render, toc
from .execute import DEFAULT_TIMEOUT, execute_chapters
from .launch import LaunchConfig, load_launch_config

__all__ = ["build_casebook"]


def build_casebook(
    out: Path | str = Path("build/casebook"),
    editions: Iterable[str] = ("student", "instructor"),
    jobs: int = 2,
    cases_dir: Path | str = Path("cases"),
    progress: Callable[[str], Any] | None = print,
    *,
    casebook_dir: Path | str | None = None,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    pdf: bool = False,
    launch: LaunchConfig | None = None,
) -> Path:
    """Build the HTML casebook: execute every chapter, render the editions, swap into place.

    Everything is built in a temporary folder next to ``out`` (``.<name>-tmp-XXXX``): the executed
    notebooks in ``executed/``, each edition in ``<edition>/`` (:mod:`levelii_kit.book.render` and
    :mod:`levelii_kit.book.pages`) and a small landing page ``index.html``. Only when all of it succeeded is
    the old ``out`` renamed away, the new folder renamed to ``out`` and the old one deleted. On any failure the
    previous ``out`` is left byte for byte untouched and the temporary folder is removed (the design's "a
    failed build leaves the previous casebook untouched").

    Parameters
    ----------
    out : path-like, default ``build/casebook``
        The casebook folder. After a build it holds exactly the editions of that build.
    editions : iterable of str, default ``("student", "instructor")``
        Which editions to render (names in :data:`levelii_kit.book.toc.EDITIONS`).
    jobs : int, default 2
        Notebooks executed at the same time.
    cases_dir : path-like, default ``cases``
        Where the chapters are (see :func:`~levelii_kit.book.toc.discover_chapters`).
    progress : callable or None, default print
        Receives one line of text per step; None for silence.
    casebook_dir : path-like, optional
        The ``casebook/`` folder (toc, glossary, front matter, templates, static files). By
        default ``./casebook`` if it exists, else the one next to the package.
    parameters : mapping of slug to mapping, optional
        Papermill parameters per chapter (see :func:`~levelii_kit.book.execute.execute_chapters`).
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds one chapter may run.
    pdf : bool, default False
        Also print each edition as one PDF, ``out/<edition>/casebook-<edition>.pdf`` (headless Chromium).
    launch : LaunchConfig, optional
        Launch links to a JupyterHub; by default those of ``casebook/book.yaml`` (none if it sets no hub).

    Returns
    -------
    pathlib.Path
        ``out/student/index.html``, or the index of the first edition built if the student
        edition was not requested.

    Raises
    ------
    BuildError
        With a one-line reason; the previous casebook is then unchanged.
    """
    say = progress or (lambda line: None)
    out = Path(out)
    editions = tuple(dict.fromkeys(editions))
    if not editions:
        raise BuildError("no edition requested")
    bad = [e for e in editions if e not in toc.EDITIONS]
    if bad:
        raise BuildError(f"unknown edition {bad[0]!r}; choose from {', '.join(toc.EDITIONS)}")
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")

    book = toc.load_book(casebook_dir)
    chapters = toc.discover_chapters(cases_dir)
    if not chapters:
        raise BuildError(f"no chapters found in {cases_dir}")
    chapters = toc.order_chapters(chapters, book)  # fails early on an unknown part
    if launch is None:
        launch = load_launch_config(book.casebook_dir)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-tmp-", dir=out.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the casebook is meant to be shared
        started = time.perf_counter()
        say(f"executing {len(chapters)} chapter(s) with {min(jobs, len(chapters))} job(s)")
        with _PageRenderer(jobs) as renderer:
            index = {c.slug: i for i, c in enumerate(chapters)}
            if "instructor" in editions:  # decks, role briefs, handouts (book/package.py), while the notebooks run
                for line in package.submit_packages(renderer.submit, chapters, tmp / "instructor"):
                    say(line)

            def render_pages(slug: str, notebook: Path) -> None:  # while the other chapters still run
                for edition in editions:
                    renderer.submit(
                        render.render_chapter_page,
                        chapters,
                        index[slug],
                        notebook,
                        edition,
                        tmp / edition,
                        book,
                        launch,
                    )

            execute_chapters(
                chapters,
                tmp / "executed",
                jobs=jobs,
                parameters=parameters,
                progress=say,
                timeout=timeout,
                on_done=render_pages,
            )
            t0 = time.perf_counter()
            for line in renderer.results():
                say(line)
        plotly_js = _plotly_js(tmp / "executed", book, say, package.trace_types(tmp / "instructor"))
        for edition in editions:
            pages.render_site_pages(chapters, edition, tmp / edition, book, plotly_js=plotly_js)
            _reader_files(chapters, edition, tmp / edition, book, say)
        say(
            f"rendered {len(chapters)} chapter(s) in {len(editions)} edition(s) "
            f"({time.perf_counter() - t0:.1f} s after the last chapter ran)"
        )
        pages.write_landing(tmp, editions, book)
        if pdf:
            _print_editions(chapters, editions, tmp, book, say)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"casebook ready in {out} ({time.perf_counter() - started:.1f} s)")
    first = "student" if "student" in editions else editions[0]
    return out / first / "index.html"


def _plotly_js(executed: Path, book: toc.Book, say: Callable[[str], Any], extra: Iterable[str] = ()) -> str:
    """The plotly.js every edition ships: a bundle of the trace types the executed chapters (and ``extra``: the
    instructor edition's decks) draw."""
    from .bundle import plotly_bundle, trace_types

    bundle = plotly_bundle(trace_types(sorted(executed.glob("*.ipynb"))) | set(extra), book.casebook_dir)
    say(bundle.note)
    return bundle.text


def _reader_files(
    chapters: list[toc.ChapterEntry], edition: str, edition_dir: Path, book: toc.Book, say: Callable[[str], Any]
) -> None:
    """Each chapter's notebook and case file to download, and the edition's search index (after every page)."""
    from .search import collect_sections, write_search_index

    pages.write_downloads(chapters, edition, edition_dir)
    say(
        f"{edition} edition: "
        + write_search_index(edition_dir, collect_sections(edition_dir, chapters, book), book.casebook_dir)
    )


def _print_editions(
    chapters: list[toc.ChapterEntry], editions: tuple[str, ...], tmp: Path, book: toc.Book, say: Callable[[str], Any]
) -> None:
    """Print each edition as one PDF, ``<edition>/casebook-<edition>.pdf``."""
    from .printbook import print_edition

    for edition in editions:
        result = print_edition(chapters, edition, tmp / edition, book)
        say(f"{edition} edition: {result.path.name}, {result.pages} pages ({result.seconds:.1f} s)")


class _PageRenderer:
    """Renders chapter pages in worker processes (``jobs`` > 1) or at once (``jobs`` == 1).

    Rendering is CPU-bound (nbconvert, Jinja, Pygments); started as each chapter finishes, it fills
    the time the chapters' kernels leave idle, mostly the end of the build when fewer chapters
    than jobs are left. On leaving the ``with`` block unfinished work is cancelled.
    """

    def __init__(self, jobs: int) -> None:
        self._pool = None
        self._futures: list[concurrent.futures.Future] = []
        if jobs > 1:
            import multiprocessing

            # fork (where there is one) shares the already imported nbconvert with the workers; the
            # warm-up job starts every worker now, before execute_chapters starts its threads
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)
            self._pool.submit(int).result()

    def __enter__(self) -> _PageRenderer:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[..., list[str]], *args: Any) -> None:
        if self._pool is not None:
            self._futures.append(self._pool.submit(fn, *args))
            return
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_result(fn(*args))  # an exception propagates here, as in a plain loop
        self._futures.append(future)

    def results(self) -> Iterator[str]:
        """Every submitted job's lines, in submission order (re-raising a job's exception)."""
        for future in self._futures:
            yield from future.result()


def _swap_into_place(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new`` with two renames; restore ``out`` if the second one fails."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}-old-{uuid.uuid4().hex[:8]}"
        os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

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
import hashlib
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
from .cache import BuildCache, execution_key, package_key, page_key, tree_digest
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
    only: Iterable[str] | None = None,
    cache: bool = True,
    cache_dir: Path | str | None = None,
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
    only : iterable of str, optional
        Build just these chapters (slugs), the author's loop (``levelii build --only SLUG``). Every other
        chapter keeps its place in the book: its executed notebook comes from the cache when its inputs are
        unchanged, else from the previous build in ``out`` (as it was then); a chapter found in neither is left
        out of this build (the progress lines say which). The index, glossary and bibliography are rendered
        anew.
    cache : bool, default True
        Reuse executed notebooks and rendered pages whose inputs did not change (:mod:`levelii_kit.book.cache`),
        and keep new ones.
    cache_dir : path-like, optional
        The cache folder (default: ``cache`` beside ``out``, i.e. ``build/cache``).
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
    _refuse_unknown_tags(chapters)
    selected = _selected(chapters, only)
    store = BuildCache(Path(cache_dir) if cache_dir is not None else out.parent / "cache") if cache else None
    keys = {c.slug: execution_key(c.folder, (parameters or {}).get(c.slug)) for c in chapters} if store else {}
    others = _other_chapters(chapters, selected, store, keys, out, say)
    chapters = [c for c in chapters if c in selected or c.slug in others]  # the chapters of this build
    run = [c for c in chapters if c in selected]

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-tmp-", dir=out.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the casebook is meant to be shared
        started = time.perf_counter()
        say(f"executing {len(run)} chapter(s) with {min(jobs, max(len(run), 1))} job(s)")
        pages_cached = 0
        with _PageRenderer(jobs) as renderer:
            index = {c.slug: i for i, c in enumerate(chapters)}
            # chapters whose executed notebook is the previous build's: their page key is the notebook's content
            previous = {slug for slug, notebook in others.items() if notebook.parent == out / "executed"}
            fresh: list[tuple[str, str, str]] = []  # (slug, edition, page key) of the pages rendered now
            templates = tree_digest(Path(book.casebook_dir) / "templates") if store else ""
            # the instructor edition's teaching package (decks, role briefs, handouts), while the notebooks run
            packages = _submit_packages(renderer, chapters, tmp, editions, store, say)

            def render_pages(slug: str, notebook: Path) -> None:  # while the other chapters still run
                nonlocal pages_cached
                for edition in editions:
                    page = tmp / edition / f"{slug}.html"
                    execution = None if slug in previous else keys.get(slug)
                    key = _page_key(chapters, index[slug], edition, book, execution, notebook, templates, launch)
                    warnings = store.fetch_page(slug, key, edition, page) if store else None
                    if warnings is not None:
                        pages_cached += 1
                        for line in warnings:
                            say(line)
                        continue
                    fresh.append((slug, edition, key))
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

            for slug, notebook in others.items():
                target = tmp / "executed" / f"{slug}.ipynb"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(notebook, target)
                render_pages(slug, target)
            execute_chapters(
                run,
                tmp / "executed",
                jobs=jobs,
                parameters={k: v for k, v in (parameters or {}).items() if k in {c.slug for c in run}},
                progress=say,
                timeout=timeout,
                on_done=render_pages,
                cache=store,
                keys=keys,
            )
            t0 = time.perf_counter()
            results = renderer.job_results()
            for (slug, key), lines in zip(packages, results):  # the packages were submitted first
                for line in lines:
                    say(line)
                if store is not None:
                    store.store_tree(slug, key, tmp / "instructor" / package.FOLDER / slug, lines)
            for (slug, edition, key), lines in zip(fresh, results):
                for line in lines:
                    say(line)
                if store is not None:
                    store.store_page(slug, key, edition, tmp / edition / f"{slug}.html", lines)
        plotly_js = _plotly_js(tmp / "executed", book, say, package.trace_types(tmp / "instructor"))
        for edition in editions:
            pages.render_site_pages(chapters, edition, tmp / edition, book, plotly_js=plotly_js)
            _reader_files(chapters, edition, tmp / edition, book.for_edition(edition), say)
        say(
            f"rendered {len(chapters)} chapter(s) in {len(editions)} edition(s) "
            f"({len(fresh)} page(s) rendered, {pages_cached} from the cache; "
            f"{time.perf_counter() - t0:.1f} s after the last chapter ran)"
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


def _submit_packages(
    renderer: _PageRenderer,
    chapters: list[toc.ChapterEntry],
    tmp: Path,
    editions: tuple[str, ...],
    store: BuildCache | None,
    say: Callable[[str], Any],
) -> list[tuple[str, str]]:
    """Each chapter's teaching package into the instructor edition: from the cache when its inputs are unchanged,
    else handed to the worker pool; the ``(slug, cache key)`` of those handed over, in submission order."""
    if "instructor" not in editions:
        return []
    from . import slides

    edition_dir = tmp / "instructor"
    for line in package.write_shared(edition_dir):
        say(line)
    inputs = [tree_digest(Path(slides.__file__).parent / "templates")]
    try:
        inputs.append(hashlib.sha256((slides.reveal_dir().parent / "package.json").read_bytes()).hexdigest())
    except (slides.DeckError, OSError):
        inputs.append("no reveal.js")
    submitted = []
    for chapter in chapters:
        key = ""
        if store is not None:
            key = package_key(chapter.folder, *inputs, *package.links_for(chapter).missing)
            lines = store.fetch_tree(chapter.slug, key, edition_dir / package.FOLDER / chapter.slug)
            if lines is not None:
                say(f"teaching package {chapter.slug}: from the cache")
                continue
        renderer.submit(package.write_chapter_package, chapter.case_file, edition_dir)
        submitted.append((chapter.slug, key))
    return submitted


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
        result = print_edition(chapters, edition, tmp / edition, book.for_edition(edition))
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

    def job_results(self) -> Iterator[list[str]]:
        """Each submitted job's lines as one list, in submission order (re-raising a job's exception)."""
        for future in self._futures:
            yield list(future.result())


def _refuse_unknown_tags(chapters: Iterable[toc.ChapterEntry]) -> None:
    """Stop the build on a cell tag the casebook does not know: a typo such as ``solutions`` would publish the
    answers in the student edition (``levelii check`` reports the same, with every other notebook problem)."""
    import json

    from .check import tag_problems

    problems = []
    for chapter in chapters:
        try:
            nb = json.loads(chapter.notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BuildError(f"chapter {chapter.slug}: {chapter.notebook} is not a notebook: {exc}") from None
        problems += [f"chapter {chapter.slug}: {where}: {message}" for where, message in tag_problems(nb)]
    if problems:
        raise BuildError("\n".join(problems))


def _selected(chapters: list[toc.ChapterEntry], only: Iterable[str] | None) -> list[toc.ChapterEntry]:
    """The chapters to execute: all of them, or those named by ``only`` (each must exist)."""
    if only is None:
        return list(chapters)
    wanted = list(dict.fromkeys(only))
    slugs = [c.slug for c in chapters]
    for slug in wanted:
        if slug not in slugs:
            import difflib

            near = difflib.get_close_matches(slug, slugs, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; chapters: {', '.join(slugs)}"
            raise BuildError(f"--only {slug!r}: no such chapter{hint}")
    return [c for c in chapters if c.slug in wanted]


def _other_chapters(
    chapters: list[toc.ChapterEntry],
    selected: list[toc.ChapterEntry],
    store: BuildCache | None,
    keys: Mapping[str, str],
    out: Path,
    say: Callable[[str], Any],
) -> dict[str, Path]:
    """For ``--only``: the executed notebook of every chapter not selected, from the cache when its inputs are
    unchanged, else from the previous build (as it was then); chapters with neither are left out."""
    found: dict[str, Path] = {}
    for chapter in chapters:
        if chapter in selected:
            continue
        cached = store.root / chapter.slug / f"{keys[chapter.slug]}.ipynb" if store else None
        previous = out / "executed" / f"{chapter.slug}.ipynb"
        if cached is not None and cached.is_file():
            found[chapter.slug] = cached
            say(f"{chapter.slug} ... not rebuilt: from the cache (inputs unchanged)")
        elif previous.is_file():
            found[chapter.slug] = previous
            say(f"{chapter.slug} ... not rebuilt: as in the previous build (its inputs may have changed since)")
        else:
            say(f"{chapter.slug} ... left out: never built; `levelii build` builds every chapter")
    return found


def _page_key(
    chapters: list[toc.ChapterEntry],
    i: int,
    edition: str,
    book: toc.Book,
    execution: str | None,
    notebook: Path,
    templates: str,
    launch: LaunchConfig | None = None,
) -> str:
    """The cache key of chapter ``i``'s page: its executed notebook and everything else the page shows."""
    import hashlib

    chapter = chapters[i]
    neighbour = lambda c: (c.slug, c.title) if c is not None else None  # noqa: E731
    context = {
        "chapter": [chapter.slug, chapter.title, chapter.part, list(chapter.categories_shown)],
        "prev": neighbour(chapters[i - 1] if i > 0 else None),
        "next": neighbour(chapters[i + 1] if i + 1 < len(chapters) else None),
        "number": [i + 1, len(chapters)],
        "book": [book.title, book.subtitle, book.language, [(p.title, p.anchor) for p in book.parts]],
        "front_matter": [(p.name, p.title) for p in book.for_edition(edition).front_matter],
        "launch": repr(launch),
    }
    if execution is None:  # a notebook from the previous build: its content is its key
        execution = hashlib.sha256(notebook.read_bytes()).hexdigest()
    return page_key(execution, edition, context, templates)


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

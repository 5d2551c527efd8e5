"""Execute the casebook's chapters and build the HTML casebook atomically.

A *chapter* is a folder ``cases/<slug>/`` holding a case file ``case.yaml`` and a notebook
``<slug>.ipynb`` (committed without outputs). Building the casebook (``make casebook``, or
``levelii build``) takes three steps, following the design's "The casebook" section:

1. :func:`discover_chapters` finds the chapters and reads the few fields the site needs from each
   case file (``title``, ``part``, ``order``, ``summary``, ``categories_shown``, ``sources``)
   with ``yaml.safe_load``; when :mod:`levelii_kit.casefile` is importable the whole case file is
   validated first with its ``load_case``;
2. :func:`execute_chapters` runs every notebook with papermill, in parallel, one kernel per
   chapter, in the chapter's own folder;
3. :func:`build_casebook` renders the student and instructor editions from the same executed
   notebooks (with :mod:`levelii_kit.site`; each chapter's pages in worker processes as soon
   as the chapter has run), all inside a temporary folder next to the output,
   and swaps that folder into place only when everything succeeded. A failed build leaves the
   previous casebook exactly as it was and removes its temporary folder.

Every failure a user can cause (a broken case file, a cell that raises, a missing part) is
reported as a :class:`BuildError` whose message names the chapter in one line (a case file that
fails validation gives one line per problem, as ``levelii_kit.casefile`` words them).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ._env import STATIC_BUILD_ENV

__all__ = [
    "DEFAULT_TIMEOUT",
    "KERNEL_START_ATTEMPTS",
    "KERNEL_START_TIMEOUT",
    "BuildError",
    "Chapter",
    "Source",
    "build_casebook",
    "discover_chapters",
    "execute_chapters",
    "execute_notebook",
]

#: Default time limit for one chapter, in seconds (wall clock; also the per-cell limit).
DEFAULT_TIMEOUT = 600.0

_REQUIRED_FIELDS = ("title", "part")


class BuildError(RuntimeError):
    """The casebook could not be built; ``str(error)`` is the reason, meant for the user.

    Attributes
    ----------
    failures : tuple of (str, str)
        For a failed execution, ``(slug, "ename: evalue")`` for every chapter that failed, in book
        order; empty for other errors.
    """

    def __init__(self, message: str, failures: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.failures = tuple(failures)


@dataclass(frozen=True)
class Source:
    """One source cited by a case file (an entry of its ``sources`` list).

    Parameters
    ----------
    id : str
        The source's identifier, unique across the casebook (used to deduplicate the
        bibliography).
    citation : str
        The full reference, as text.
    url : str or None
        Where to find it, if given.
    """

    id: str
    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Chapter:
    """A chapter of the casebook: one case folder, as the site needs it.

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
        The Sebenius categories of helping moves the chapter shows.
    sources : tuple of Source
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


# --------------------------------------------------------------------------------------------
# discovering chapters
# --------------------------------------------------------------------------------------------


def discover_chapters(cases_dir: Path | str = Path("cases"), *, validate: bool = True) -> list[Chapter]:
    """Find the chapters in ``cases_dir`` and read what the casebook needs from their case files.

    A chapter is a sub-folder ``<slug>/`` of ``cases_dir`` with both ``case.yaml`` and
    ``<slug>.ipynb`` (folders starting with ``.`` or ``_`` are skipped). The case file is read
    with ``yaml.safe_load`` only, so it can never run code (design, "Case files"). ``title`` and
    ``part`` are required; ``order`` defaults to 99 and ``summary`` to "", as in
    :mod:`levelii_kit.casefile`.

    Parameters
    ----------
    cases_dir : path-like, default ``cases``
        The folder holding one folder per case.
    validate : bool, default True
        If :mod:`levelii_kit.casefile` can be imported, first validate every case file with its
        ``load_case(path)``; a ``CaseError`` becomes a :class:`BuildError` naming the chapter.
        Without that module, or with ``validate=False``, only the fields read here are checked.

    Returns
    -------
    list of Chapter
        Sorted by part, order and slug (the site re-orders the parts as ``casebook/toc.yaml``
        lists them).

    Raises
    ------
    BuildError
        If ``cases_dir`` is missing, a chapter lacks its notebook or case file, or a case file
        is invalid.
    """
    cases_dir = Path(cases_dir)
    if not cases_dir.is_dir():
        raise BuildError(f"cases folder {cases_dir} does not exist")
    casefile = _case_validator() if validate else None
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
        if casefile is not None:
            _validate_case(casefile, slug, case_file)
        chapters.append(_read_chapter(slug, folder, notebook, case_file))
    return sorted(chapters, key=lambda c: (c.part, c.order, c.slug))


def _case_validator() -> Any | None:
    """Return the module :mod:`levelii_kit.casefile` if it exists (with ``load_case`` and
    ``CaseError``), else None."""
    try:
        from levelii_kit import casefile
    except ModuleNotFoundError as exc:
        if exc.name in ("levelii_kit.casefile", "levelii_kit"):
            return None
        raise
    if not (hasattr(casefile, "load_case") and hasattr(casefile, "CaseError")):
        return None
    return casefile


def _validate_case(casefile: Any, slug: str, case_file: Path) -> None:
    """Run the real validator; turn its ``CaseError`` into a BuildError naming the chapter."""
    try:
        casefile.load_case(case_file)
    except casefile.CaseError as exc:
        raise BuildError(f"chapter {slug}: {exc}") from exc


def _read_chapter(slug: str, folder: Path, notebook: Path, case_file: Path) -> Chapter:
    """Read the casebook fields of one case file (a tiny reader, not the validated loader)."""
    where = f"chapter {slug}: {case_file}"
    try:
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildError(f"{where} is not valid YAML{line}: {problem}") from exc
    if not isinstance(data, dict):
        raise BuildError(f"{where} must be a mapping of fields, not {type(data).__name__}")
    missing = [name for name in _REQUIRED_FIELDS if data.get(name) in (None, "")]
    if missing:
        raise BuildError(f"{where} lacks {', '.join(missing)}")
    data.setdefault("summary", "")  # the defaults of levelii_kit.casefile
    data.setdefault("order", 99)
    for name in ("title", "part", "summary"):
        if not isinstance(data[name], str):
            raise BuildError(f"{where}: {name} must be text, not {type(data[name]).__name__}")
    order = data["order"]
    if isinstance(order, bool) or not isinstance(order, int | float) or not math.isfinite(order):
        raise BuildError(f"{where}: order must be a number, not {order!r}")
    categories = data.get("categories_shown") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise BuildError(f"{where}: categories_shown must be a list of text items")
    return Chapter(
        slug=slug,
        folder=folder,
        notebook=notebook,
        case_file=case_file,
        title=" ".join(data["title"].split()),
        part=data["part"].strip(),
        order=float(order),
        summary=" ".join(data["summary"].split()),
        categories_shown=tuple(c.strip() for c in categories),
        sources=_read_sources(data.get("sources"), where),
    )


def _read_sources(raw: Any, where: str) -> tuple[Source, ...]:
    """Read a case file's ``sources`` list: mappings with id and citation (url optional)."""
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        raise BuildError(f"{where}: sources must be a list")
    sources = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            sources.append(Source(id=item.strip(), citation=item.strip()))
            continue
        if not isinstance(item, dict) or not item.get("id"):
            raise BuildError(f"{where}: sources[{i}] needs an id")
        citation = item.get("citation") or item.get("text") or item.get("title") or str(item["id"])
        url = item.get("url")
        sources.append(
            Source(
                id=str(item["id"]).strip(),
                citation=" ".join(str(citation).split()),
                url=str(url).strip() if url else None,
            )
        )
    return tuple(sources)


# --------------------------------------------------------------------------------------------
# executing chapters
# --------------------------------------------------------------------------------------------


def execute_chapters(
    chapters: Iterable[Chapter],
    out_dir: Path | str,
    jobs: int = 2,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[str], Any] | None = print,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_done: Callable[[str, Path], Any] | None = None,
) -> dict[str, Path]:
    """Execute every chapter's notebook with papermill, in parallel, one kernel per chapter.

    Each notebook runs in a Python subprocess of its own (at most ``jobs`` at a time, driven by
    a ``concurrent.futures.ThreadPoolExecutor``) on the ``python3`` kernel, with the chapter's
    folder as working directory, as the design's "The casebook" section asks. Separate
    processes keep chapters apart and let a runaway chapter be stopped. Progress is reported
    once per chapter as it finishes, e.g. ``[2/7] german_unification ... ok (12.3 s)``. All
    chapters run even if one fails, so that one build reports every failing chapter.

    Parameters
    ----------
    chapters : iterable of Chapter
        The chapters to run (see :func:`discover_chapters`).
    out_dir : path-like
        Where the executed notebooks go, as ``<out_dir>/<slug>.ipynb``, with the messages of
        the chapter's process and kernel in ``<out_dir>/<slug>.log``. Created if needed.
    jobs : int, default 2
        Number of notebooks run at the same time.
    parameters : mapping of slug to mapping, optional
        Papermill parameters per chapter, injected after the cell tagged ``parameters``.
    progress : callable or None, default print
        Called with one line of text per finished chapter; None for silence.
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds a chapter may run (wall clock), and a single cell at most. A chapter whose
        process still runs 30 s after that is killed.
    on_done : callable, optional
        Called as ``on_done(slug, executed_notebook)`` in the calling thread as soon as a
        chapter has run without error (the build starts rendering its pages then).

    Returns
    -------
    dict of str to pathlib.Path
        The executed notebook of each chapter, by slug.

    Raises
    ------
    BuildError
        ``chapter <slug> failed: <ename>: <evalue>`` (the failing cell's error, as papermill's
        ``PapermillExecutionError`` reports it); if several chapters fail, one clause each,
        separated by ``;``.
    """
    chapters = list(chapters)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parameters = dict(parameters or {})
    unknown = sorted(set(parameters) - {c.slug for c in chapters})
    if unknown:
        raise BuildError(f"parameters given for unknown chapter(s): {', '.join(unknown)}")
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1, not {jobs}")
    if not chapters:
        return {}
    say = progress or (lambda line: None)
    jobs_args = [
        {
            "slug": c.slug,
            "input": str(c.notebook.resolve()),
            "output": str((out_dir / f"{c.slug}.ipynb").resolve()),
            "log": str((out_dir / f"{c.slug}.log").resolve()),
            "result": str((out_dir / f".{c.slug}.result.json").resolve()),
            "cwd": str(c.folder.resolve()),
            "parameters": dict(parameters.get(c.slug, {})),
            "timeout": float(timeout),
        }
        for c in chapters
    ]
    running: dict[str, subprocess.Popen] = {}
    results: dict[str, dict[str, Any]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(jobs, len(chapters))) as pool:
        futures = [pool.submit(_run_chapter_process, args, running) for args in jobs_args]
        try:
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                result = future.result()
                results[result["slug"]] = result
                status = "ok" if result["ok"] else f"FAILED: {result['ename']}"
                if result.get("kernel_starts", 1) > 1:
                    status += f", kernel started {result['kernel_starts']} times"
                say(f"[{done}/{len(chapters)}] {result['slug']} ... {status} ({result['seconds']:.1f} s)")
                if result["ok"] and on_done is not None:
                    on_done(result["slug"], Path(result["output"]))
        except BaseException:  # e.g. Ctrl-C: stop every chapter still running, then give up
            for future in futures:
                future.cancel()
            for proc in list(running.values()):
                _kill(proc)
            raise
    failures = [
        (c.slug, f"{results[c.slug]['ename']}: {results[c.slug]['evalue']}")
        for c in chapters
        if not results[c.slug]["ok"]
    ]
    if failures:
        message = "; ".join(f"chapter {slug} failed: {error}" for slug, error in failures)
        raise BuildError(message, failures)
    return {c.slug: Path(results[c.slug]["output"]) for c in chapters}


#: Seconds after ``timeout`` before a chapter's process is killed outright.
_KILL_GRACE = 30.0

_CHILD_CODE = "import sys; from levelii_kit.build import _execute_job; _execute_job(sys.argv[1])"


def _kill(proc: subprocess.Popen) -> None:
    """Kill a chapter's process group (the process and anything it started in its session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def _run_chapter_process(job: Mapping[str, Any], running: dict[str, subprocess.Popen]) -> dict[str, Any]:
    """Run one chapter in a fresh Python process and return its outcome (never raises)."""
    start = time.perf_counter()
    env = dict(os.environ)
    env[STATIC_BUILD_ENV] = "1"  # no kernel behind the HTML: no live explorer, figures as plotly JSON only
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    result_path = Path(job["result"])
    result_path.unlink(missing_ok=True)
    outcome: dict[str, Any] = {"slug": job["slug"], "output": job["output"]}
    with open(job["log"], "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE, json.dumps(dict(job))],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=os.name == "posix",
        )
        running[job["slug"]] = proc
        try:
            proc.wait(timeout=job["timeout"] + _KILL_GRACE)
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.wait()
        finally:
            running.pop(job["slug"], None)
    try:
        outcome.update(json.loads(result_path.read_text(encoding="utf-8")))
        result_path.unlink()
    except (OSError, ValueError):
        if proc.returncode is not None and proc.returncode < 0:
            evalue = f"chapter ran longer than {job['timeout']:g} s and was stopped"
            outcome.update(ok=False, ename="TimeoutError", evalue=evalue)
        else:
            evalue = f"its process ended with code {proc.returncode}: {_log_tail(job['log'])}"
            outcome.update(ok=False, ename="BuildWorkerError", evalue=evalue)
    outcome["seconds"] = time.perf_counter() - start
    return outcome


def _log_tail(path: Path | str, lines: int = 3) -> str:
    """The last few non-blank lines of a chapter's log (the log goes with a failed build)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log was written"
    tail = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return " | ".join(tail) if tail else "its log is empty"


def _one_line(text: Any, limit: int = 300) -> str:
    """Collapse an error value to one line of at most ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextlib.contextmanager
def _wall_clock_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (POSIX; no-op elsewhere)."""
    if not (seconds and seconds > 0 and hasattr(signal, "setitimer")):
        yield
        return

    def _expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"chapter ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: How often a chapter's kernel is started before the chapter is reported as failed. A kernel
#: that never answers its first ``kernel_info`` request, or dies before it, is replaced once:
#: nothing of the notebook has run then, so a fresh kernel changes nothing but the outcome.
KERNEL_START_ATTEMPTS = 2

#: Seconds papermill waits for a kernel's first reply (papermill's own default is 60 s).
KERNEL_START_TIMEOUT = 120

#: The messages jupyter_client raises when a kernel does not come up.
_KERNEL_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying to kernel_info")


def _kernel_failed_to_start(exc: BaseException) -> bool:
    """True for jupyter_client's "the kernel never came up" errors (no cell has run yet)."""
    return isinstance(exc, RuntimeError) and any(m in str(exc) for m in _KERNEL_START_FAILURES)


@contextlib.contextmanager
def _kernel_config() -> Iterator[Any]:
    """A traitlets ``Config`` that gives the chapter's kernel private Unix sockets (POSIX).

    Over TCP, jupyter_client picks five free ports and only later does the kernel bind them, so
    kernels started at the same moment by different processes (two build jobs, a test run, a
    Voila server) can be handed the same port. The kernel then either dies or, when the port is
    its IOPub one, stays alive without ever answering: papermill's "Kernel didn't respond in 60
    seconds". Sockets named after a fresh connection file in a private folder cannot collide.
    Elsewhere (Windows, or a temporary folder whose path is too long for a socket name) the
    default TCP transport is kept.
    """
    from traitlets.config import Config

    config = Config()
    if os.name != "posix":
        yield config
        return
    folder = tempfile.mkdtemp(prefix="levelii-kernel-")
    connection_file = os.path.join(folder, "kernel.json")
    if len(connection_file) + len("-ipc-99999") < 100:  # sun_path holds 107 bytes on Linux
        config.KernelManager.transport = "ipc"
        config.KernelManager.connection_file = connection_file
    try:
        yield config
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def execute_notebook(
    input_path: Path | str,
    output_path: Path | str,
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: Path | str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> int:
    """Execute one notebook with papermill on the ``python3`` kernel, robust to kernel start-up.

    This is how the build, ``levelii run`` and the chapter tests run a notebook. On top of
    ``papermill.execute_notebook`` it gives the kernel private Unix sockets instead of TCP ports
    (see :func:`_kernel_config`), waits up to :data:`KERNEL_START_TIMEOUT` seconds for the
    kernel's first reply and replaces a kernel that never came up (at most
    :data:`KERNEL_START_ATTEMPTS` starts, each failure noted on standard error), and stops the
    kernel at once when the last cell is done. A failing cell is never retried.

    Parameters
    ----------
    input_path, output_path : path-like
        The notebook and where to write the executed copy.
    parameters : mapping, optional
        Papermill parameters, injected after the cell tagged ``parameters``.
    cwd : path-like, optional
        The kernel's working directory.
    timeout : float or None, default :data:`DEFAULT_TIMEOUT`
        Seconds one cell may run; None for no limit.

    Returns
    -------
    int
        How many kernels were started (1 unless one failed to come up).

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        A cell raised; its ``ename`` and ``evalue`` name the error.
    RuntimeError
        The kernel did not come up in any attempt.
    """
    import papermill

    starts = 0
    while True:
        starts += 1
        try:
            with _kernel_config() as config:
                papermill.execute_notebook(
                    str(input_path),
                    str(output_path),
                    parameters=dict(parameters) if parameters else None,
                    kernel_name="python3",
                    language="python",
                    cwd=None if cwd is None else str(cwd),
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    start_timeout=KERNEL_START_TIMEOUT,
                    execution_timeout=None if timeout is None else int(math.ceil(timeout)),
                    config=config,
                    # every output is in once the last cell is idle; a graceful shutdown only waits
                    # (ipykernel 7 at times ignores the shutdown request: 2.5 s, then SIGTERM)
                    shutdown_kernel="immediate",
                )
            return starts
        except RuntimeError as exc:
            if starts >= KERNEL_START_ATTEMPTS or not _kernel_failed_to_start(exc):
                raise
            print(
                f"levelii: kernel start {starts} failed ({exc}); starting a fresh kernel", file=sys.stderr, flush=True
            )


def _execute_job(job_json: str) -> None:
    """Body of a chapter's process: run the notebook with :func:`execute_notebook`.

    The outcome (``ok``, and ``ename``/``evalue`` on failure; ``kernel_starts`` when a kernel had
    to be replaced) goes to ``job["result"]`` as JSON; papermill's ``PapermillExecutionError``
    supplies the failing cell's error.
    """
    import logging

    job = json.loads(job_json)
    logging.basicConfig(level=logging.WARNING)
    outcome: dict[str, Any] = {"ok": True}
    try:
        from papermill.exceptions import PapermillExecutionError

        try:
            with _wall_clock_limit(job["timeout"]):
                starts = execute_notebook(
                    job["input"], job["output"], job["parameters"], cwd=job["cwd"], timeout=job["timeout"]
                )
            if starts > 1:
                outcome["kernel_starts"] = starts
        except PapermillExecutionError as exc:
            outcome = {"ok": False, "ename": exc.ename, "evalue": _one_line(exc.evalue)}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the chapter's error
        outcome = {"ok": False, "ename": type(exc).__name__, "evalue": _one_line(exc)}
    Path(job["result"]).write_text(json.dumps(outcome), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# the atomic build
# --------------------------------------------------------------------------------------------


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
    validate: bool = True,
) -> Path:
    """Build the HTML casebook: execute every chapter, render the editions, swap into place.

    Everything is built in a temporary folder next to ``out`` (``.<name>-tmp-XXXX``): the executed
    notebooks in ``executed/``, each edition in ``<edition>/`` (see :func:`levelii_kit.site.
    render_edition`) and a small landing page ``index.html``. Only when all of it succeeded is
    the old ``out`` renamed away, the new folder renamed to ``out`` and the old one deleted. On
    any failure the previous ``out`` is left byte for byte untouched and the temporary folder is
    removed (the design's "a failed build leaves the previous casebook untouched").

    Parameters
    ----------
    out : path-like, default ``build/casebook``
        The casebook folder. After a build it holds exactly the editions of that build.
    editions : iterable of str, default ``("student", "instructor")``
        Which editions to render (names in :data:`levelii_kit.site.EDITIONS`).
    jobs : int, default 2
        Notebooks executed at the same time.
    cases_dir : path-like, default ``cases``
        Where the chapters are (see :func:`discover_chapters`).
    progress : callable or None, default print
        Receives one line of text per step; None for silence.
    casebook_dir : path-like, optional
        The ``casebook/`` folder (toc, glossary, front matter, templates, static files). By
        default ``./casebook`` if it exists, else the one next to the package.
    parameters : mapping of slug to mapping, optional
        Papermill parameters per chapter (see :func:`execute_chapters`).
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds one chapter may run.
    validate : bool, default True
        Validate the case files with ``levelii_kit.casefile.load_case`` when it exists.

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
    from levelii_kit import site

    say = progress or (lambda line: None)
    out = Path(out)
    editions = tuple(dict.fromkeys(editions))
    if not editions:
        raise BuildError("no edition requested")
    bad = [e for e in editions if e not in site.EDITIONS]
    if bad:
        raise BuildError(f"unknown edition {bad[0]!r}; choose from {', '.join(site.EDITIONS)}")
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")

    book = site.load_book(casebook_dir)
    chapters = discover_chapters(cases_dir, validate=validate)
    if not chapters:
        raise BuildError(f"no chapters found in {cases_dir}")
    chapters = site.order_chapters(chapters, book)  # fails early on an unknown part

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-tmp-", dir=out.parent))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the casebook is meant to be shared
        started = time.perf_counter()
        say(f"executing {len(chapters)} chapter(s) with {min(jobs, len(chapters))} job(s)")
        with _PageRenderer(jobs) as pages:
            index = {c.slug: i for i, c in enumerate(chapters)}

            def render_pages(slug: str, notebook: Path) -> None:  # while the other chapters still run
                for edition in editions:
                    pages.submit(
                        site.render_chapter_page, chapters, index[slug], notebook, edition, tmp / edition, book
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
            for line in pages.results():
                say(line)
        for edition in editions:
            site.render_site_pages(chapters, edition, tmp / edition, book)
        say(
            f"rendered {len(chapters)} chapter(s) in {len(editions)} edition(s) "
            f"({time.perf_counter() - t0:.1f} s after the last chapter ran)"
        )
        site.write_landing(tmp, editions, book)
        _swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"casebook ready in {out} ({time.perf_counter() - started:.1f} s)")
    first = "student" if "student" in editions else editions[0]
    return out / first / "index.html"


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

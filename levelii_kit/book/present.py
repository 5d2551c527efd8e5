"""Present a case live in class: Voila serves a notebook with the explorer, code hidden, on 127.0.0.1 only.

:func:`present` is what ``levelii present SLUG`` runs: it serves the case's chapter
(``cases/<slug>/<slug>.ipynb``) when there is one, else a compact presentation notebook generated on the fly
(title, period and summary, a short how-to, and ``lk.widgets.explorer(lk.load_case(slug))``), prints the URL
and serves until interrupted. :func:`serve` does the same as a context manager for tests and scripts: it
waits until the server answers, yields the URL, and always stops the server and its kernels.

Every notebook is copied to a fresh temporary folder, without the cells the student edition leaves out
(:data:`levelii_kit._protocol.STUDENT_REMOVED_TAGS`: a projector is public); the folder is removed when the
server stops. Voila runs with ``--Voila.ip=127.0.0.1`` (never another interface), ``--strip_sources=True``
(no code shown), a preheated kernel (``--preheat_kernel=True --pool_size=1``: the page is ready in about
4 s instead of 7), and a one-file template ``levelii`` that extends Voila's ``lab`` template without its two
Font Awesome stylesheets from a CDN (Voila's own bundle already carries the icons; voila#539), so the page
makes no request outside 127.0.0.1. On POSIX the kernels talk to Voila over Unix sockets
(``--KernelManager.transport=ipc``) rather than TCP ports another process could take first.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .._protocol import STUDENT_REMOVED_TAGS
from ..casefile import Case, load_case
from ..errors import PresentError
from .execute import log_tail

__all__ = [
    "PresentError",
    "present",
    "serve",
    "presentation_notebook",
    "voila_command",
    "free_port",
    "TEMPLATE_NAME",
]

#: Name of the Voila template written next to the served notebook.
TEMPLATE_NAME = "levelii"

#: Gives each ipywidgets slider handle (a noUiSlider ``role="slider"`` element that ipywidgets 8 leaves without
#: an accessible name) the text of its description label as ``aria-label``, now and for widgets shown later.
LABEL_SLIDERS_JS = """(function () {
  function label() {
    document.querySelectorAll('.widget-slider').forEach(function (row) {
      var text = row.querySelector('.widget-label');
      var handle = row.querySelector('.noUi-handle');
      if (text && handle && !handle.hasAttribute('aria-label') && text.textContent.trim()) {
        handle.setAttribute('aria-label', text.textContent.trim());
      }
    });
  }
  label();
  new MutationObserver(label).observe(document.body, {childList: true, subtree: true});
})();"""

_FONT_AWESOME = (
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css" '
    'type="text/css" />',
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/v4-shims.min.css" '
    'type="text/css" />',
)


# ------------------------------------------------------------------------------------------- the notebook
def _escape(text: str) -> str:
    from ..chapter import escape

    return escape(" ".join(str(text).split()))


def _case_reference(case: Case) -> str:
    """How the served notebook loads the case: its slug when ``LEVELII_CASES`` finds it, else its path."""
    return case.slug if case.path == (case.path.parent.parent / case.slug / "case.yaml") else str(case.path)


def presentation_notebook(case: Case):
    """A compact notebook presenting a case: title, period and summary, a how-to, and the live explorer.

    Parameters
    ----------
    case : Case

    Returns
    -------
    nbformat.NotebookNode
        Case text is escaped Markdown (no raw HTML).

    Examples
    --------
    >>> nb = presentation_notebook(load_case("two_level_basics"))
    >>> [c.cell_type for c in nb.cells]
    ['markdown', 'markdown', 'code']
    """
    import nbformat

    head = f"# {_escape(case.title)}"
    if case.period:
        head += f"\n\n*{_escape(case.period)}*"
    if case.summary:
        head += f"\n\n{_escape(case.summary)}"
    how = (
        "Move a slider (or click its handle and use the arrow keys) to change how strong a constituency is "
        "at home, or switch a helping move on or off. The sentence and the figure below update at once: "
        "support for the proposal per constituency, each side's chance of ratifying, the chance of "
        "agreement and the outcome. The numbers are teaching assumptions, not measurements."
    )
    code = f"import levelii_kit as lk\nlk.widgets.explorer(lk.load_case({_case_reference(case)!r}))"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = case.title
    nb.cells = [
        nbformat.v4.new_markdown_cell(head),
        nbformat.v4.new_markdown_cell(how),
        nbformat.v4.new_code_cell(code),
    ]
    return nb


def _chapter_path(case: Case) -> Path:
    return case.path.parent / f"{case.slug}.ipynb"


def _student_copy(path: Path):
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.cells = [c for c in nb.cells if not STUDENT_REMOVED_TAGS & set(c.get("metadata", {}).get("tags", []))]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def _write_template(root: Path) -> Path:
    """Write the ``levelii`` Voila template under ``root``.

    It extends Voila's ``lab`` template: without the Font Awesome CDN links, and with
    :data:`LABEL_SLIDERS_JS` at the end of the page (accessible names for the slider handles).
    """
    folder = root / "voila" / "templates" / TEMPLATE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    removals = "".join(f" | replace({link!r}, '')" for link in _FONT_AWESOME)
    (folder / "index.html.j2").write_text(
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{#- Voila's lab template without the Font Awesome stylesheets from a CDN (voila#539); -#}\n"
        "{#- Voila's own JavaScript bundle carries Font Awesome 5 already. -#}\n"
        "{%- block notebook_css -%}\n"
        f"{{{{ super(){removals} }}}}\n"
        "{%- endblock notebook_css -%}\n"
        "{%- block footer_js -%}\n"
        f"{{{{ super() }}}}\n<script>\n{LABEL_SLIDERS_JS}\n</script>\n"
        "{%- endblock footer_js -%}\n",
        encoding="utf-8",
    )
    return root


# ------------------------------------------------------------------------------------------- the server
def _log_tail(log: Path) -> str:
    """The last lines of Voila's log, one per line."""
    return log_tail(log, 8, "\n")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check_port(port) -> int:
    """The port as an int, if it is valid and free on 127.0.0.1 (else a one-line PresentError)."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise PresentError(f"port must be an integer from 1 to 65535, got {port!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            raise PresentError(
                f"port {port} on 127.0.0.1 is not available ({exc.strerror}); choose another "
                "port, or none to get a free one"
            ) from None
    return port


def voila_command(notebook: Path, port: int, preheat: bool = True) -> list[str]:
    """The Voila command line used to serve ``notebook`` on ``127.0.0.1:port``.

    Examples
    --------
    >>> " ".join(voila_command(Path("x.ipynb"), 8866)[3:8])
    'x.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866 --Voila.port_retries=0'
    """
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
        "--show_tracebacks=False",
    ]
    if preheat:
        cmd += ["--preheat_kernel=True", "--pool_size=1"]
    if os.name == "posix":  # Unix sockets: no TCP ports for the kernel, so no port races (see build)
        cmd.append("--KernelManager.transport=ipc")
    return cmd


def _prepare(slug, chapter: bool | None) -> tuple[Case, Path, Path]:
    """Load the case, write the notebook and the template into a new temporary folder."""
    import nbformat

    case = load_case(slug)  # raises CaseError (one line per problem) for an unknown slug or a bad file
    source = _chapter_path(case)
    if chapter and not source.exists():
        raise PresentError(f"case {case.slug!r} has no chapter notebook ({source} is missing)")
    use_chapter = source.exists() if chapter is None else chapter
    tmp = Path(tempfile.mkdtemp(prefix=f"levelii-present-{case.slug}-"))
    try:
        nb = _student_copy(source) if use_chapter else presentation_notebook(case)
        notebook = tmp / f"{case.slug}.ipynb"
        nbformat.write(nb, str(notebook))
        _write_template(tmp / "jupyter")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return case, tmp, notebook


def _environment(case: Case, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    extra = [str(tmp / "jupyter")] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else [])
    env["JUPYTER_PATH"] = os.pathsep.join(extra)
    env["LEVELII_CASES"] = str(case.path.parent.parent)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc; empty elsewhere)."""
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


def _identity(pid: int) -> str | None:
    """The process's start time (``/proc/PID/stat`` field 22) while it runs, else ``None``.

    Comparing it before a kill makes sure that a process id reused by another process is left alone.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def _stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop Voila and the kernels it started: SIGTERM (Voila shuts its kernels down), then SIGKILL by pid."""
    kernels = {k: _identity(k) for k in _children(proc.pid)}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def running():
        return [k for k, ident in kernels.items() if ident is not None and _identity(k) == ident]

    deadline = time.monotonic() + 3.0
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    for k in running():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(k, signal.SIGKILL)


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout: float) -> None:
    """Wait until Voila serves its static files (the server is up; the page itself is rendered on request)."""
    probe = url + "voila/static/voila.js"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise PresentError(f"voila exited with code {proc.returncode} before answering on {url}\n{_log_tail(log)}")
        try:
            with opener.open(probe, timeout=2.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise PresentError(f"voila did not answer on {url} within {timeout:g} s\n{_log_tail(log)}")
        time.sleep(0.2)


@contextlib.contextmanager
def _serving(slug, port, chapter, preheat, timeout):
    """Start Voila, wait until it answers, yield ``(url, process, log)``; always stop it and clean up."""
    port = free_port() if port is None else _check_port(port)
    case, tmp, notebook = _prepare(slug, chapter)
    url = f"http://127.0.0.1:{port}/"
    log = tmp / "voila.log"
    proc = None
    try:
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                voila_command(notebook, port, preheat),
                cwd=str(tmp),
                env=_environment(case, tmp),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_ready(proc, url, log, timeout)
        yield url, proc, log
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def serve(
    slug, port: int | None = None, *, chapter: bool | None = None, preheat: bool = True, timeout: float = 60.0
) -> Iterator[str]:
    """Serve a case with Voila in a subprocess for the duration of a ``with`` block.

    Parameters
    ----------
    slug : str
        Case slug (see ``levelii list``).
    port : int, optional
        Port on 127.0.0.1 (default: a free one). Voila does not fall back to another port.
    chapter : bool, optional
        ``True``: serve the chapter notebook (error if there is none); ``False``: the generated presentation
        notebook; ``None`` (default): the chapter when it exists.
    preheat : bool
        Preheat one kernel (the notebook is executed before the first request).
    timeout : float
        Seconds to wait for the server to answer.

    Yields
    ------
    str
        The URL, ``http://127.0.0.1:PORT/``.

    Raises
    ------
    CaseError
        Unknown slug or invalid case file.
    PresentError
        Voila exited or did not answer within ``timeout``.

    Notes
    -----
    "Answers" means Voila serves its static files; the page itself is rendered when it is requested (from
    the preheated kernel). On leaving the block (normally or by an exception) Voila gets SIGTERM (it shuts its
    kernels down), then SIGKILL after 10 s; kernels still alive 3 s later are killed by pid; the temporary
    folder is removed.
    """
    with _serving(slug, port, chapter, preheat, timeout) as (url, _proc, _log):
        yield url


def present(slug, port: int | None = None, open_browser: bool = False, *, chapter: bool | None = None) -> str:
    """Serve a case live with Voila on 127.0.0.1 until interrupted (Ctrl-C), code hidden.

    Parameters
    ----------
    slug : str
        Case slug (see ``levelii list``).
    port : int, optional
        Port on 127.0.0.1 (default: a free one).
    open_browser : bool
        Open the page in the default browser once the server answers.
    chapter : bool, optional
        Serve the chapter notebook (``True``), the generated presentation notebook (``False``), or the chapter
        when it exists (``None``, the default).

    Returns
    -------
    str
        The URL that was served (printed as soon as the server answers).

    Raises
    ------
    CaseError
        Unknown slug (one line: ``SLUG: no such case; known cases: ...``) or invalid case file.
    PresentError
        Voila could not start (for instance the port is taken) or stopped by itself.
    """
    with _serving(slug, port, chapter, preheat=True, timeout=60.0) as (url, proc, log):
        print(f"Presenting {slug} at {url} (only this machine can open it; Ctrl-C stops)", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        try:
            while proc.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            return url
        raise PresentError(f"voila stopped by itself (exit code {proc.returncode})\n{_log_tail(log)}")

"""The build's cache: executed chapter notebooks and rendered chapter pages, keyed by a hash of their inputs.

A chapter is executed again only when something it depends on changed (:func:`execution_key`):

* its folder: the notebook, the case file and any other file beside them;
* the kit's source (every ``levelii_kit/**/*.py``);
* its papermill parameters;
* the environment: the Python version and the name and version of every installed distribution (numpy,
  plotly, papermill, ipykernel, ...).

A chapter page is rendered again only when its executed notebook, its edition, its neighbours, its number, the
book's title, parts and front matter, the templates or the kit's source changed (:func:`page_key`). A chapter's
teaching package (instructor edition) is made again only when its case folder, the kit, the environment, the
package's templates, the vendored reveal.js or what can be printed changed (:func:`package_key`); it is kept as a
folder, ``<root>/<slug>/<key>.package``.

Why not jupyter-cache (the cache behind Jupyter Book)? Its key is fixed: an md5 of the notebook's code cells and
kernelspec (``create_hashed_notebook``), so a change to the case file, the kit or the installed packages would
not be seen unless smuggled into the notebook; it stores the code cells only and merges their outputs back into
the source notebook, which loses papermill's injected parameters and record; its executors (nbclient) would not
be used, since the build runs each chapter with papermill in a process of its own; and it brings SQLAlchemy and
a SQLite database for what is a folder of files. So this is a small cache of our own:
``<root>/<slug>/<key>.ipynb`` for executions and ``<root>/<slug>/<key>.<edition>.html`` for pages (with a
``.json`` beside each: when it was made, how long it took, the render warnings), written atomically, the
:data:`KEEP` most recently used entries of each kind kept per chapter.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_VERSION",
    "KEEP",
    "BuildCache",
    "environment_fingerprint",
    "kit_fingerprint",
    "package_key",
    "tree_digest",
]

#: Part of every key: bump it when the way chapters are executed or pages rendered changes incompatibly.
CACHE_VERSION = "levelii-cache-1"

#: Entries of each kind (executions, student pages, instructor pages) kept per chapter.
KEEP = 3

_SKIPPED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def tree_digest(root: Path | str, suffixes: Iterable[str] | None = None) -> str:
    """SHA-256 of every file under ``root`` (relative path and content), hidden files and caches left out.

    Parameters
    ----------
    root : path-like
    suffixes : iterable of str, optional
        Only files with these suffixes (e.g. ``[".py"]``).

    Returns
    -------
    str
        A hex digest; the same files with the same contents give the same digest wherever ``root`` is.
    """
    root = Path(root)
    wanted = tuple(suffixes) if suffixes is not None else None
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") or part in _SKIPPED for part in rel.parts) or not path.is_file():
            continue
        if wanted is not None and path.suffix not in wanted:
            continue
        digest.update(str(rel.as_posix()).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    """SHA-256 of the kit's Python source (``levelii_kit/**/*.py``), computed once per process.

    Returns
    -------
    str
    """
    return tree_digest(Path(__file__).resolve().parents[1], [".py"])


@functools.lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """SHA-256 of the Python version and of every installed distribution's name and version.

    Returns
    -------
    str
    """
    from importlib import metadata

    names = sorted(
        {f"{(d.metadata.get('Name') or '').lower()}=={d.version}" for d in metadata.distributions() if d.metadata}
    )
    return hashlib.sha256("\n".join([sys.version, *names]).encode()).hexdigest()


def execution_key(folder: Path | str, parameters: Mapping[str, Any] | None = None) -> str:
    """The key of a chapter's execution: its folder, the kit, the environment and its parameters.

    Parameters
    ----------
    folder : path-like
        The case folder (notebook, case file and anything else the chapter reads).
    parameters : mapping, optional
        The chapter's papermill parameters.

    Returns
    -------
    str
        A hex digest.
    """
    parts = [
        CACHE_VERSION,
        "execution",
        tree_digest(folder),
        kit_fingerprint(),
        environment_fingerprint(),
        json.dumps(dict(parameters or {}), sort_keys=True, default=repr),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def page_key(execution: str, edition: str, context: Mapping[str, Any], templates: str) -> str:
    """The key of a rendered chapter page.

    Parameters
    ----------
    execution : str
        The key (or content digest) of the executed notebook.
    edition : str
    context : mapping
        Everything else the page shows (chapter, neighbours, number, the book's title, parts, front matter);
        JSON-serialisable.
    templates : str
        Digest of the casebook's templates.

    Returns
    -------
    str
    """
    parts = [
        CACHE_VERSION,
        "page",
        execution,
        edition,
        json.dumps(context, sort_keys=True, default=repr),
        templates,
        kit_fingerprint(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def package_key(folder: Path | str, *inputs: str) -> str:
    """The key of a chapter's teaching package (deck, role briefs, handouts PDF).

    Parameters
    ----------
    folder : path-like
        The case folder.
    *inputs : str
        Everything else the package depends on besides the kit and the environment: digests of its templates
        and of the vendored reveal.js, and why parts of it are left out (e.g. no Chromium).

    Returns
    -------
    str
    """
    parts = [CACHE_VERSION, "package", tree_digest(folder), kit_fingerprint(), environment_fingerprint(), *inputs]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class BuildCache:
    """A folder of executed chapter notebooks and rendered chapter pages, keyed by their inputs' hashes.

    Parameters
    ----------
    root : path-like
        The cache folder (``build/cache`` for ``levelii build``); created when first written.
    keep : int, default :data:`KEEP`
        Entries of each kind kept per chapter (the most recently used).
    """

    def __init__(self, root: Path | str, keep: int = KEEP) -> None:
        self.root = Path(root)
        self.keep = keep

    def __repr__(self) -> str:
        return f"BuildCache({str(self.root)!r})"

    # --------------------------------------------------------------------------------- executions
    def _notebook(self, slug: str, key: str) -> Path:
        return self.root / slug / f"{key}.ipynb"

    def fetch(self, slug: str, key: str, dest: Path | str) -> bool:
        """Copy the cached execution ``key`` of ``slug`` to ``dest``; False when there is none.

        Parameters
        ----------
        slug, key : str
        dest : path-like

        Returns
        -------
        bool
        """
        return self._fetch(self._notebook(slug, key), Path(dest))

    def store(self, slug: str, key: str, executed: Path | str, seconds: float | None = None) -> Path:
        """Keep an executed notebook as the execution ``key`` of ``slug``.

        Parameters
        ----------
        slug, key : str
        executed : path-like
            The executed notebook (copied).
        seconds : float, optional
            How long the execution took (kept beside it).

        Returns
        -------
        pathlib.Path
            The cached copy.
        """
        path = self._notebook(slug, key)
        self._store(Path(executed), path, {"slug": slug, "kind": "execution", "seconds": seconds})
        self._prune(slug, ".ipynb")
        return path

    def has(self, slug: str, key: str) -> bool:
        """Whether the execution ``key`` of ``slug`` is cached.

        Parameters
        ----------
        slug, key : str

        Returns
        -------
        bool
        """
        return self._notebook(slug, key).is_file()

    # --------------------------------------------------------------------------------- pages
    def _page(self, slug: str, key: str, edition: str) -> Path:
        return self.root / slug / f"{key}.{edition}.html"

    def fetch_page(self, slug: str, key: str, edition: str, dest: Path | str) -> list[str] | None:
        """Copy a cached chapter page to ``dest``; its render warnings, or None when it is not cached.

        Parameters
        ----------
        slug, key, edition : str
        dest : path-like

        Returns
        -------
        list of str or None
        """
        path = self._page(slug, key, edition)
        if not self._fetch(path, Path(dest)):
            return None
        try:
            return list(json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("warnings", []))
        except (OSError, ValueError):
            return []

    def store_page(self, slug: str, key: str, edition: str, page: Path | str, warnings: Iterable[str] = ()) -> None:
        """Keep a rendered chapter page (and the warnings its rendering gave).

        Parameters
        ----------
        slug, key, edition : str
        page : path-like
        warnings : iterable of str
        """
        path = self._page(slug, key, edition)
        self._store(Path(page), path, {"slug": slug, "kind": "page", "edition": edition, "warnings": list(warnings)})
        self._prune(slug, f".{edition}.html")

    # --------------------------------------------------------------------------------- folders
    def _tree(self, slug: str, key: str) -> Path:
        return self.root / slug / f"{key}.package"

    def fetch_tree(self, slug: str, key: str, dest: Path | str) -> list[str] | None:
        """Copy a cached folder (a chapter's teaching package) to ``dest``; its log lines, or None if not cached.

        Parameters
        ----------
        slug, key : str
        dest : path-like

        Returns
        -------
        list of str or None
        """
        path = self._tree(slug, key)
        info = path.with_suffix(".json")
        if not path.is_dir() or not info.is_file():
            return None
        try:
            lines = list(json.loads(info.read_text(encoding="utf-8")).get("lines", []))
            shutil.copytree(path, dest, dirs_exist_ok=True)
            os.utime(info)  # most recently used
        except (OSError, ValueError):
            return None
        return lines

    def store_tree(self, slug: str, key: str, folder: Path | str, lines: Iterable[str] = ()) -> None:
        """Keep a folder (a chapter's teaching package) and the log lines that made it.

        Parameters
        ----------
        slug, key : str
        folder : path-like
        lines : iterable of str
        """
        path = self._tree(slug, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        try:
            shutil.copytree(folder, tmp, dirs_exist_ok=True)
            shutil.rmtree(path, ignore_errors=True)
            os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._store_info(path.with_suffix(".json"), {"slug": slug, "kind": "package", "lines": list(lines)})
        entries = sorted(
            (p for p in (self.root / slug).glob("*.package") if p.is_dir()),
            key=lambda p: p.with_suffix(".json").stat().st_mtime if p.with_suffix(".json").exists() else 0,
            reverse=True,
        )
        for old in entries[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)
            old.with_suffix(".json").unlink(missing_ok=True)

    @staticmethod
    def _store_info(path: Path, info: dict[str, Any]) -> None:
        info = {**info, "stored": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(info).encode())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # --------------------------------------------------------------------------------- files
    @staticmethod
    def _fetch(path: Path, dest: Path) -> bool:
        if not path.is_file():
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(path, dest)
            os.utime(path)  # most recently used
        except OSError:
            return False
        return True

    @staticmethod
    def _store(source: Path, path: Path, info: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        info = {**info, "stored": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        for target, write in (
            (path.with_suffix(".json"), lambda f: f.write(json.dumps(info).encode())),
            (path, lambda f: f.write(source.read_bytes())),
        ):
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    write(handle)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def _prune(self, slug: str, suffix: str) -> None:
        """Keep the :attr:`keep` most recently used entries of one kind of ``slug``."""
        entries = [p for p in (self.root / slug).glob(f"*{suffix}") if p.name.count(".") == suffix.count(".")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[self.keep :]:
            old.unlink(missing_ok=True)
            old.with_suffix(".json").unlink(missing_ok=True)

"""The reader's options of a casebook build: launch links for a JupyterHub, read from ``casebook/book.yaml``.

With a hub URL and a repository URL, every chapter page gets a "Launch" link in nbgitpuller's URL format
(nbgitpuller's documentation of its URL options, and its link generator)::

    <hub>/hub/user-redirect/git-pull?repo=<repo>&urlpath=lab/tree/<folder>/cases/<slug>/<slug>.ipynb
        &branch=<branch>&targetPath=<folder>

The hub clones (or updates) the repository into ``<folder>`` of the reader's home and opens the chapter in
JupyterLab (``interface: notebook`` opens the classic ``tree/`` view). ``targetPath`` fixes the folder, so
``.binder/start`` (the environment repo2docker builds from this repository) can point the kit at the cloned
chapters whatever the repository is called.

``casebook/book.yaml``::

    launch:
      hub: https://hub.example.edu        # a JupyterHub with nbgitpuller (none: no launch links)
      repo: https://github.com/owner/levelii
      branch: main
      interface: lab                      # lab | notebook

``levelii build --hub URL --repo URL [--branch NAME]`` overrides the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml

from ..errors import BuildError

__all__ = ["LAUNCH_FOLDER", "LaunchConfig", "load_launch_config", "nbgitpuller_url"]

#: The folder of the reader's home the hub clones the repository into (nbgitpuller's ``targetPath``).
LAUNCH_FOLDER = "levelii-casebook"

_INTERFACES = {"lab": "lab/tree/", "notebook": "tree/"}


@dataclass(frozen=True)
class LaunchConfig:
    """Where a chapter's "Launch" link sends the reader.

    Parameters
    ----------
    hub : str or None
        The JupyterHub's URL (``http`` or ``https``); None: no launch links.
    repo : str or None
        The git repository the hub clones (this project).
    branch : str
        Its branch.
    interface : {"lab", "notebook"}
        JupyterLab or the classic notebook view.
    """

    hub: str | None = None
    repo: str | None = None
    branch: str = "main"
    interface: str = "lab"

    @property
    def enabled(self) -> bool:
        """Whether chapters get a launch link (both URLs given)."""
        return bool(self.hub and self.repo)

    def url(self, slug: str) -> str | None:
        """The chapter's launch link, or None when not :attr:`enabled`.

        Parameters
        ----------
        slug : str

        Returns
        -------
        str or None
        """
        if not self.enabled:
            return None
        return nbgitpuller_url(self.hub, self.repo, f"cases/{slug}/{slug}.ipynb", self.branch, self.interface)


def _check_url(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BuildError(f"{where}: expected an http(s) URL without query or fragment, got {text!r}")
    return text


def nbgitpuller_url(hub: str, repo: str, path: str, branch: str = "main", interface: str = "lab") -> str:
    """An nbgitpuller link that clones ``repo`` on ``hub`` and opens ``path`` of it.

    Parameters
    ----------
    hub : str
        The JupyterHub's URL, e.g. ``https://hub.example.edu`` (a trailing slash is ignored).
    repo : str
        The repository to clone.
    path : str
        The file to open, relative to the repository's root.
    branch : str
    interface : {"lab", "notebook"}

    Returns
    -------
    str

    Examples
    --------
    >>> nbgitpuller_url("https://hub.example.edu/", "https://github.com/o/r", "cases/a/a.ipynb")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fr&urlpath=lab%2Ftree%2Flevelii-casebook%2Fcases%2Fa%2Fa.ipynb&branch=main&targetPath=levelii-casebook'
    """
    if interface not in _INTERFACES:
        raise BuildError(f"launch interface must be one of {', '.join(_INTERFACES)}, got {interface!r}")
    query = {
        "repo": repo,
        "urlpath": f"{_INTERFACES[interface]}{LAUNCH_FOLDER}/{path}",
        "branch": branch,
        "targetPath": LAUNCH_FOLDER,
    }
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}"


def load_launch_config(
    casebook_dir: Path | str, hub: str | None = None, repo: str | None = None, branch: str | None = None
) -> LaunchConfig:
    """The launch settings of ``casebook/book.yaml`` (if any), overridden by the arguments given.

    Parameters
    ----------
    casebook_dir : path-like
    hub, repo, branch : str, optional
        From the command line; they win over the file.

    Returns
    -------
    LaunchConfig

    Raises
    ------
    BuildError
        One line naming the file (or option) and the field: not YAML, an unknown key, a URL that is not
        http(s), only one of hub and repo.
    """
    path = Path(casebook_dir) / "book.yaml"
    data: Any = {}
    if path.is_file():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise BuildError(f"{path} is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise BuildError(f"{path}: expected a mapping at the top")
    unknown = set(data) - {"launch"}
    if unknown:
        raise BuildError(f"{path}: unknown key {sorted(unknown)[0]!r}; expected launch")
    launch = data.get("launch") or {}
    if not isinstance(launch, dict):
        raise BuildError(f"{path}: launch: expected a mapping with hub, repo, branch, interface")
    unknown = set(launch) - {"hub", "repo", "branch", "interface"}
    if unknown:
        raise BuildError(f"{path}: launch.{sorted(unknown)[0]}: unknown key; expected hub, repo, branch, interface")
    config = LaunchConfig(
        hub=_check_url(launch.get("hub"), f"{path}: launch.hub"),
        repo=_check_url(launch.get("repo"), f"{path}: launch.repo"),
        branch=str(launch.get("branch") or "main"),
        interface=str(launch.get("interface") or "lab"),
    )
    if config.interface not in _INTERFACES:
        raise BuildError(f"{path}: launch.interface: expected lab or notebook, got {config.interface!r}")
    if hub is not None:
        config = replace(config, hub=_check_url(hub, "--hub"))
    if repo is not None:
        config = replace(config, repo=_check_url(repo, "--repo"))
    if branch is not None:
        if not branch.strip() or any(c.isspace() for c in branch):
            raise BuildError(f"--branch: expected a branch name, got {branch!r}")
        config = replace(config, branch=branch)
    if bool(config.hub) != bool(config.repo):
        given, missing = ("hub", "repo") if config.hub else ("repo", "hub")
        raise BuildError(f"launch links need both a hub and a repo URL: {given} is set, {missing} is not")
    return config

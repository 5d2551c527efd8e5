"""Each role's confidential brief as an HTML page of its own, for printing or sending to the one student who plays it.

The handouts (:mod:`levelii_kit.book.handouts`) print every brief into one PDF for the instructor to copy; the
instructor edition's teaching package (:mod:`levelii_kit.book.package`) also links one page per role, so that a
brief can be printed alone or shared with its player only. A page holds exactly what the handouts print on that
role's pages (the same template macro, ``templates/handouts/brief.html.j2``): the role's title, side and place,
the five parts of its brief, its reservation point (a teaching assumption) and its sources by id. Nothing of any
other role's brief is on it, and it has no scripts and no outside resources.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..casefile import Case, load_case
from ..errors import LeveliiError
from .handouts import TEMPLATES as HANDOUTS_TEMPLATES
from .handouts import role_entries

__all__ = ["BriefsError", "brief_filename", "brief_pages", "write_briefs"]

TEMPLATES = Path(__file__).resolve().parent / "templates" / "briefs"

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class BriefsError(LeveliiError, ValueError):
    """The brief pages cannot be written (one line)."""


def brief_filename(role_id: str) -> str:
    """The file name of a role's page: its id (case files allow letters, digits, ``_``, ``-`` and ``.``).

    Examples
    --------
    >>> brief_filename("party_conservative")
    'party_conservative.html'
    """
    return _SAFE.sub("_", role_id) + ".html"


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(HANDOUTS_TEMPLATES))]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda v: f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v)}"
    return env


def brief_pages(case: Case | str) -> dict[str, str]:
    """Every role's brief as a standalone HTML page.

    Parameters
    ----------
    case : Case or str
        A loaded case, or a slug or path.

    Returns
    -------
    dict of str to str
        Role id to page, in the case file's order; empty for a case without ``teaching.roles``.

    Examples
    --------
    >>> pages = brief_pages("crowd_outside")
    >>> len(pages) == len(load_case("crowd_outside").roles)
    True
    """
    if not isinstance(case, Case):
        case = load_case(case)
    entries = role_entries(case)
    if not entries:
        return {}
    template = _environment().get_template("brief_page.html.j2")
    css = Markup((HANDOUTS_TEMPLATES / "handouts.css").read_text(encoding="utf-8"))
    issues = case.scenario.issues
    return {
        entry["role"].id: template.render(case=case, r=entry, issues=issues, css=css, number=k, total=len(entries))
        for k, entry in enumerate(entries, 1)
    }


def write_briefs(case: Case | str, folder: Path | str) -> list[Path]:
    """Write every role's page into ``folder`` as ``<role id>.html`` (:func:`brief_filename`).

    Parameters
    ----------
    case : Case or str
    folder : path-like
        Created if needed.

    Returns
    -------
    list of pathlib.Path
        The pages written, in the case file's order (none for a case without roles).

    Raises
    ------
    BriefsError
        When the folder cannot be written.
    """
    pages = brief_pages(case)
    folder = Path(folder)
    written = []
    try:
        for role_id, html in pages.items():
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / brief_filename(role_id)
            path.write_text(html, encoding="utf-8")
            os.chmod(path, 0o644)
            written.append(path)
    except OSError as exc:
        raise BriefsError(f"{folder}: cannot write the role briefs ({exc.strerror})") from None
    return written

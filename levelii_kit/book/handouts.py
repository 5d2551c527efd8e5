"""Printable handouts for a class role-play of a case: ``levelii handouts SLUG``.

One PDF per case, printed through headless Chromium (:mod:`levelii_kit.book.pdf`), holding

1. the instructor's cover sheet: the session plan (timing, group size, logistics, what to collect), the
   roles with their place at or behind the table, a roster of roles to groups, the case's moves for coding
   the outcomes afterwards, the full citations of the sources behind the briefs and the debrief questions;
2. a page of general instructions for every participant: the issue, who is in the room, how the session
   runs (nothing confidential);
3. each role's confidential brief (``teaching.roles`` of the case file), starting on a new page, headed
   by the role's title, holding that role's brief and nothing of any other role's; its sources are named by
   id (full citations are on the cover sheet, because some titles give away how the story ended);
4. an outcome form for each group: the deal's point on the issue, the terms and moves agreed, whether each
   side ratified, and signatures.

This is the teaching package negotiation instructors adopt (confidential role instructions, an instructor's
plan with timing, an outcome form; Program on Negotiation role-play packages, see the project's research
note on teaching anchors). The HTML comes from an autoescaping Jinja environment: case text is text, never
HTML.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..casefile import Case, load_case
from ..errors import LeveliiError
from .pdf import PdfError, page_footer, print_pdf

__all__ = [
    "DEFAULT_GROUPS",
    "HandoutsError",
    "HandoutsResult",
    "build_handouts",
    "default_output",
    "handouts_html",
    "plan_groups",
    "role_entries",
]

TEMPLATES = Path(__file__).resolve().parent / "templates" / "handouts"

#: Outcome forms printed when neither the number of groups nor of students is given.
DEFAULT_GROUPS = 4

#: Largest number of groups one handouts file prints forms for.
MAX_GROUPS = 60


class HandoutsError(LeveliiError, ValueError):
    """The handouts cannot be made: the case has no roles, or the class plan is impossible (one line)."""


@dataclass(frozen=True)
class HandoutsResult:
    """What :func:`build_handouts` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The PDF.
    groups : tuple of int
        Students per group (one outcome form each).
    roles : int
        Number of role briefs.
    seconds : float
        Wall time (HTML and PDF).
    """

    path: Path
    groups: tuple[int, ...]
    roles: int
    seconds: float


def plan_groups(group_size: int, *, groups: int | None = None, students: int | None = None) -> tuple[int, ...]:
    """Split a class into negotiating groups.

    Parameters
    ----------
    group_size : int
        Students per group in the session plan.
    groups : int, optional
        Number of groups, each of ``group_size``.
    students : int, optional
        Class size: the number of groups is ``students / group_size`` rounded to the nearest whole number
        (at least one), and the students are spread as evenly as possible, larger groups first.
        Give ``groups`` or ``students``, not both; neither means :data:`DEFAULT_GROUPS` groups.

    Returns
    -------
    tuple of int
        Students in each group.

    Raises
    ------
    HandoutsError
        When both or an impossible number are given.

    Examples
    --------
    >>> plan_groups(6, students=26)
    (7, 7, 6, 6)
    >>> plan_groups(6, students=11)
    (6, 5)
    >>> plan_groups(5, groups=3)
    (5, 5, 5)
    """
    if groups is not None and students is not None:
        raise HandoutsError("give the number of groups or of students, not both")
    if students is not None:
        if isinstance(students, bool) or not isinstance(students, int) or students < 2:
            raise HandoutsError(f"students: expected a whole number of at least 2, got {students!r}")
        n = max(1, int(students / group_size + 0.5))
        if n > MAX_GROUPS:
            raise HandoutsError(f"students: {students} makes {n} groups; at most {MAX_GROUPS} are printed")
        base, extra = divmod(students, n)
        return tuple(base + (1 if i < extra else 0) for i in range(n))
    groups = DEFAULT_GROUPS if groups is None else groups
    if isinstance(groups, bool) or not isinstance(groups, int) or not 1 <= groups <= MAX_GROUPS:
        raise HandoutsError(f"groups: expected a whole number from 1 to {MAX_GROUPS}, got {groups!r}")
    return (group_size,) * groups


def default_output(slug: str) -> Path:
    """``build/handouts/SLUG.pdf``, relative to the working directory."""
    return Path("build") / "handouts" / f"{slug}.pdf"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda v: f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{int(v)}"
    env.filters["clock"] = lambda m: f"{m // 60}:{m % 60:02d}"
    return env


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def role_entries(case: Case) -> list[dict]:
    """Each role of a case with what its brief prints beside the text: side, place at or behind the table, sources.

    Parameters
    ----------
    case : Case

    Returns
    -------
    list of dict
        One per role, in the case file's order: ``role`` (the :class:`~levelii_kit.casefile.Role`), ``side_label``,
        ``place`` (``at the table``, ``behind the table`` or a third party), ``speaks_for`` (the constituency's
        label), ``sources`` (the :class:`~levelii_kit.casefile.Source` objects, printed by id on a brief) and
        ``reservation`` (``(issue, value)`` pairs).
    """
    scenario = case.scenario
    side_labels = {s.name: s.label or s.name for s in scenario.sides}
    sources = {s.id: s for s in case.sources}
    roles = []
    for role in case.roles:
        if role.third_party:
            place = "third party (not a side in the model)"
            speaks_for = ""
        elif role.at_table:
            place = "at the table"
            speaks_for = scenario.constituency(role.constituency).label if role.constituency else ""
        else:
            place = "behind the table"
            speaks_for = scenario.constituency(role.constituency).label
        roles.append(
            {
                "role": role,
                "side_label": "" if role.third_party else side_labels[role.side],
                "place": place,
                "speaks_for": speaks_for,
                "sources": [sources[sid] for sid in role.sources],  # ids on the brief, citations on the cover
                "reservation": list(zip(scenario.issues, role.reservation)) if role.reservation else [],
            }
        )
    return roles


def _context(case: Case, sizes: tuple[int, ...]) -> dict:
    scenario = case.scenario
    side_labels = {s.name: s.label or s.name for s in scenario.sides}
    sources = {s.id: s for s in case.sources}
    session = case.session
    group_size = session.group_size if session else len(case.roles)
    roles = role_entries(case)
    used = {}
    for role in case.roles:
        for sid in role.sources:
            used.setdefault(sid, []).append(role.title)
    brief_sources = [(sources[sid], titles) for sid, titles in used.items()]
    clock, steps = 0, []
    for step in session.timing if session else ():
        steps.append({"start": clock, "end": clock + step.minutes, "step": step})
        clock += step.minutes
    n_roles = len(case.roles)
    return {
        "case": case,
        "issues": scenario.issues,
        "sides": [{"name": s.name, "label": side_labels[s.name]} for s in scenario.sides],
        "roles": roles,
        "brief_sources": brief_sources,
        "session": session,
        "group_size": group_size,
        "steps": steps,
        "groups": list(enumerate(sizes, start=1)),
        "group_chunks": _chunks(list(enumerate(sizes, start=1)), 6),
        "students": sum(sizes),
        "larger": any(size > n_roles for size in sizes),
        "smaller": any(size < n_roles for size in sizes),
        "moves": case.moves,
        "debrief": case.teaching.get("debrief", ()),
        "css": Markup((TEMPLATES / "handouts.css").read_text(encoding="utf-8")),
        "ticks": [i / 10 for i in range(11)],
    }


def handouts_html(case: Case | str, *, groups: int | None = None, students: int | None = None) -> str:
    """The handouts of a case as one printable HTML document.

    Parameters
    ----------
    case : Case or str
        A loaded case, or a slug or path for :func:`~levelii_kit.casefile.load_case`.
    groups, students : int, optional
        The class plan; see :func:`plan_groups` (one outcome form per group).

    Returns
    -------
    str
        Standalone HTML (inline CSS, no scripts, no outside resources); each brief and form is an
        ``<article>`` that starts a new printed page.

    Raises
    ------
    HandoutsError
        The case has no roles, or the class plan is impossible.
    """
    if not isinstance(case, Case):
        case = load_case(case)
    if not case.roles:
        raise HandoutsError(
            f"case {case.slug!r} has no roles (teaching.roles), so it has no handouts; see the README for the schema"
        )
    group_size = case.session.group_size if case.session else len(case.roles)
    sizes = plan_groups(group_size, groups=groups, students=students)
    return _environment().get_template("handouts.html.j2").render(**_context(case, sizes))


def build_handouts(
    case: Case | str,
    out=None,
    *,
    groups: int | None = None,
    students: int | None = None,
    paper: str = "A4",
) -> HandoutsResult:
    """Write a case's handouts as one PDF, printed through headless Chromium with no outside request.

    Parameters
    ----------
    case : Case or str
        A loaded case, or a slug or path.
    out : str or pathlib.Path, optional
        The PDF; default :func:`default_output` (``build/handouts/SLUG.pdf``). An existing file is
        replaced only when printing succeeds.
    groups, students : int, optional
        The class plan; see :func:`plan_groups`.
    paper : str
        A paper size of :data:`levelii_kit.book.pdf.PAPER_SIZES` (``A4``, ``Letter``, ...).

    Returns
    -------
    HandoutsResult

    Raises
    ------
    HandoutsError
        The case has no roles, the class plan is impossible, or printing failed (the reason in one line).
    """
    started = time.perf_counter()
    if not isinstance(case, Case):
        case = load_case(case)
    html = handouts_html(case, groups=groups, students=students)
    group_size = case.session.group_size if case.session else len(case.roles)
    sizes = plan_groups(group_size, groups=groups, students=students)
    out = Path(out) if out is not None else default_output(case.slug)
    # Print beside the target under a hidden name, check, then rename: a failed run leaves `out` as it was.
    staged = out.parent / f".{out.name}.new.pdf"
    try:
        with tempfile.TemporaryDirectory(prefix="levelii-handouts-") as tmp:
            source = Path(tmp) / f"{case.slug}-handouts.html"
            source.write_text(html, encoding="utf-8")
            result = print_pdf(source, staged, paper=paper, footer=page_footer(f"Handouts: {case.slug}"))
        if result.blocked or result.errors:
            # The template has no scripts and no outside resources: anything here is a bug to report.
            raise HandoutsError(
                f"the handouts page misbehaved: blocked {list(result.blocked)}, errors {list(result.errors)}"
            )
        os.replace(staged, out)
    except PdfError as exc:
        raise HandoutsError(str(exc)) from None
    except OSError as exc:
        raise HandoutsError(f"{out}: cannot write the PDF ({exc.strerror})") from None
    finally:
        staged.unlink(missing_ok=True)
    return HandoutsResult(out, sizes, len(case.roles), time.perf_counter() - started)

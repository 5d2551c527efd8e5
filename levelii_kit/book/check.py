"""Check a whole case folder: the case file, its place in the book, the chapter notebook and the story it tells.

``levelii check`` calls :func:`check_case` on every case folder. It reports two kinds of :class:`Finding`:

**Errors** (``levelii check`` exits 1): everything :func:`levelii_kit.load_case` refuses, plus

* the book: ``part`` must be a part of ``casebook/toc.yaml`` (a near miss such as ``diplomacy`` is named), and
  no two chapters of a part may share an ``order``;
* the notebook (:func:`check_notebook`): ``<slug>.ipynb`` exists beside the case file and is valid nbformat;
  exactly one cell is tagged ``parameters`` and it defines the chapter's parameters (``strengths``, ``moves``,
  ``seed``) with values the case accepts; every tag is one of :data:`levelii_kit._protocol.KNOWN_TAGS` (a typo
  names the nearest known tag: a cell tagged ``solutions`` would otherwise show the answers to students); no
  cell carries outputs (``levelii strip`` clears them, :func:`strip_notebook`); the chapter calls
  ``setup`` with its own slug.

**Warnings** (printed; ``levelii check`` still exits 0), when the model's numbers do not tell a chapter's story
(:func:`story_warnings`): a tie at a side's quota, help that lowers the helper's expected value, a default
"help" set that contains harmful moves, a free move in a per-cost exercise; and prose still marked ``TODO``.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import yaml

from .._protocol import INJECTED_PARAMETERS_TAG, KNOWN_TAGS, PARAMETERS_TAG
from ..casefile import Case, CaseMove, label_path, load_case
from ..chapter import PARAMETER_NAMES, check_parameters
from ..errors import CaseError, LeveliiError
from .toc import load_book

__all__ = [
    "ERROR",
    "WARNING",
    "Finding",
    "check_case",
    "check_notebook",
    "has_outputs",
    "is_harmful",
    "parameter_values",
    "story_warnings",
    "strip_notebook",
    "tag_problems",
]

#: A finding that makes ``levelii check`` fail.
ERROR = "error"
#: A finding that is printed but lets ``levelii check`` pass.
WARNING = "warning"

#: How close a side's weighted support may come to its quota before it counts as a tie.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Finding:
    """One thing ``levelii check`` reports about a case folder.

    Parameters
    ----------
    level : {"error", "warning"}
    file : str
        The case file or the notebook.
    where : str
        The field path (``interventions[2] (accept_delay).target``), the cell (``cell 4 (starts "...")``), or ''.
    message : str
        What is wrong and what is expected, in one line.
    """

    level: str
    file: str
    where: str
    message: str

    @property
    def is_error(self) -> bool:
        """Whether the finding makes the check fail."""
        return self.level == ERROR

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}: {where}{'warning: ' if self.level == WARNING else ''}{self.message}"


# ------------------------------------------------------------------------------------------- the folder
def check_case(path: Path | str, casebook_dir: Path | str | None = None) -> list[Finding]:
    """Check a case folder (or its ``case.yaml``): case file, part and order, notebook, story.

    Parameters
    ----------
    path : path-like
        A case folder ``cases/<slug>/``, its ``case.yaml``, or any other YAML file (then only the case file
        itself is checked: there is no folder, book or notebook to check it against).
    casebook_dir : path-like, optional
        The ``casebook/`` folder whose ``toc.yaml`` lists the parts (default: as the build finds it).

    Returns
    -------
    list of Finding
        Errors first, then warnings, each group in the order found.
    """
    path = Path(path)
    case_file = path / "case.yaml" if path.is_dir() else path
    name = str(case_file)
    findings: list[Finding] = []
    case = None
    try:
        case = load_case(case_file)
    except CaseError as exc:
        findings += [Finding(ERROR, p.file, p.path, p.message) for p in exc.problems]
    if case_file.name != "case.yaml" or not case_file.is_file():
        return findings
    data = _raw(case_file)
    slug = case_file.parent.name
    if isinstance(data, dict):
        findings += _book_findings(case_file, data, casebook_dir)
        findings += _todo_findings(name, data)
    notebook = case_file.parent / f"{slug}.ipynb"
    nb_findings = check_notebook(notebook, slug, case)
    findings += nb_findings
    if not any(f.is_error for f in nb_findings):
        nb = nbformat.read(notebook, as_version=4)
        notes = [i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and _TODO.search(c.source)]
        if notes:
            cells = ", ".join(map(str, notes))
            findings.append(Finding(WARNING, str(notebook), "", f"TODO notes left for the author in cell(s) {cells}"))
    if case is not None and not any(f.is_error for f in nb_findings):
        try:
            findings += story_warnings(case, parameter_values(nb) or {}, name)
        except LeveliiError:  # parameters the case refuses are reported by check_notebook
            pass
    return [f for f in findings if f.is_error] + [f for f in findings if not f.is_error]


def _raw(case_file: Path) -> Any:
    """The case file's document (plain safe_load), or None when it cannot be read."""
    try:
        return yaml.safe_load(case_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _book_findings(case_file: Path, data: dict, casebook_dir) -> list[Finding]:
    """``part`` is a part of the book; ``order`` is not taken by another chapter of the same part."""
    name = str(case_file)
    book = load_book(casebook_dir)
    parts = [p.title for p in book.parts]
    part, order = data.get("part"), data.get("order")
    out = []
    if part is None:
        out.append(Finding(ERROR, name, "part", f"required: the part of the book this chapter is in; {_one_of(parts)}"))
    elif not isinstance(part, str) or part.strip() not in parts:
        hint = _nearest(str(part), parts)
        out.append(
            Finding(
                ERROR,
                name,
                "part",
                f"{part!r} is not a part of casebook/toc.yaml; {_one_of(parts)}"
                + (f" (did you mean {hint!r}?)" if hint else ""),
            )
        )
    if order is None:
        out.append(Finding(ERROR, name, "order", "required: the chapter's position within its part (a whole number)"))
    elif isinstance(part, str) and isinstance(order, int) and not isinstance(order, bool):
        taken = {}
        for other in sorted(case_file.parent.parent.glob("*/case.yaml")):
            if other.parent == case_file.parent:
                continue
            doc = _raw(other)
            if isinstance(doc, dict) and doc.get("part") == part and isinstance(doc.get("order"), int):
                taken.setdefault(doc["order"], other.parent.name)
        if order in taken:
            free = next(k for k in range(max(taken) + 2) if k > 0 and k not in taken and k != order)
            out.append(
                Finding(
                    ERROR,
                    name,
                    "order",
                    f"{order} is also the order of {taken[order]} in part {part!r}; give each chapter of a part "
                    f"its own order (e.g. {free})",
                )
            )
    return out


def _one_of(options: Iterable[str]) -> str:
    return "expected one of " + ", ".join(repr(o) for o in options)


def _nearest(word: str, options: Iterable[str]) -> str | None:
    """The option closest to ``word`` (case-insensitive), or None when nothing is close."""
    options = list(options)
    folded = {o.casefold(): o for o in options}
    if word.strip().casefold() in folded:
        return folded[word.strip().casefold()]
    match = difflib.get_close_matches(word.strip().casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


_TODO = re.compile(r"\bTODO\b")


def _todo_findings(name: str, data: Any) -> list[Finding]:
    """A warning for every text value of the case file that still holds a ``TODO`` placeholder."""
    out = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, str) and _TODO.search(node):
            out.append(
                Finding(
                    WARNING, name, label_path(data, path), "still a TODO placeholder: replace it with your own text"
                )
            )
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(data, "")
    return out


# ------------------------------------------------------------------------------------------- the notebook
def _cell_name(index: int, cell: Mapping[str, Any]) -> str:
    """``cell 4 (starts "strengths = {}")``: 1-based, with the first words of the cell to find it by."""
    first = next((line.strip() for line in str(cell.get("source", "")).splitlines() if line.strip()), "")
    if len(first) > 40:
        first = first[:39] + "…"
    return f"cell {index + 1}" + (f' (starts "{first}")' if first else " (empty)")


def tag_problems(nb: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Unknown cell tags, each with the nearest known tag when there is one.

    Parameters
    ----------
    nb : notebook node or dict

    Returns
    -------
    list of (str, str)
        ``(cell name, message)`` per unknown tag, e.g. ``('cell 41 (starts "### Solutions")', "unknown tag
        'solutions'; did you mean 'solution'? ...")``.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "markdown", "source": "Answers", "metadata": {"tags": ["solutions"]}}]}
    >>> tag_problems(nb)  # doctest: +ELLIPSIS
    [('cell 1 (starts "Answers")', "unknown tag 'solutions'; did you mean 'solution'? Known tags: caption, ...")]
    """
    out = []
    known = sorted(KNOWN_TAGS)
    for index, cell in enumerate(nb.get("cells", [])):
        for tag in (cell.get("metadata") or {}).get("tags") or []:
            if tag in KNOWN_TAGS:
                continue
            near = difflib.get_close_matches(str(tag).lower(), known, n=1, cutoff=0.6)
            hint = f"did you mean {near[0]!r}? " if near else ""
            out.append((_cell_name(index, cell), f"unknown tag {tag!r}; {hint}Known tags: {', '.join(known)}"))
    return out


def has_outputs(nb: Mapping[str, Any]) -> list[int]:
    """Indexes of the code cells that carry outputs or an execution count.

    Parameters
    ----------
    nb : notebook node or dict

    Returns
    -------
    list of int
    """
    return [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]


def parameter_values(nb: Mapping[str, Any]) -> dict[str, Any] | None:
    """The literal values the ``parameters`` cell assigns, or None when there is no single such cell.

    Parameters
    ----------
    nb : notebook node or dict

    Returns
    -------
    dict or None
        ``{name: value}`` for every ``name = <literal>`` of the cell (names assigned anything else are left out).
    """
    cells = [c for c in nb.get("cells", []) if PARAMETERS_TAG in ((c.get("metadata") or {}).get("tags") or [])]
    if len(cells) != 1:
        return None
    try:
        tree = ast.parse(str(cells[0].get("source", "")))
    except SyntaxError:
        return None
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return values


def _setup_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls of ``setup(...)`` or ``<anything>.setup(...)`` in a cell."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "setup")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "setup")
        )
    ]


def check_notebook(path: Path | str, slug: str, case: Case | None = None) -> list[Finding]:
    """Check a chapter notebook (see the module docstring for the rules).

    Parameters
    ----------
    path : path-like
        Where the notebook should be: ``cases/<slug>/<slug>.ipynb``.
    slug : str
        The case's slug (its folder name).
    case : Case, optional
        The loaded case: the parameters cell's values are then checked against it.

    Returns
    -------
    list of Finding
        Errors only.
    """
    path = Path(path)
    name = str(path)

    def bad(where: str, message: str) -> None:
        out.append(Finding(ERROR, name, where, message))

    out: list[Finding] = []
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb"))
        if others:
            bad("", f"the chapter notebook is missing; found {', '.join(others)}: rename it to {path.name}")
        else:
            bad(
                "",
                f"the chapter notebook is missing; `levelii new {slug} --notebook-only` writes one from the case file",
            )
        return out
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:  # json.JSONDecodeError is a ValueError
        bad("", f"not a valid notebook (not JSON): {' '.join(str(exc).split())[:200]}")
        return out
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        version = raw.get("nbformat") if isinstance(raw, dict) else None
        bad("", f"not a valid notebook: expected nbformat 4, got {version!r}")
        return out
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        bad("", f"not a valid notebook (nbformat 4): {' '.join(str(exc.message).split())[:200]}")
        return out

    for where, message in tag_problems(nb):
        bad(where, message)
    for i, cell in enumerate(nb.cells):
        if INJECTED_PARAMETERS_TAG in (cell.metadata.get("tags") or []):
            bad(_cell_name(i, cell), "papermill's injected-parameters cell: this is an executed copy; delete the cell")

    outputs = has_outputs(nb)
    if outputs:
        size = sum(len(json.dumps(nb.cells[i].get("outputs", []))) for i in outputs)
        bad(
            "",
            f"{len(outputs)} code cell(s) carry outputs ({size / 1024:.0f} KB): save chapters without outputs; "
            f"clear them with `levelii strip {path}`",
        )

    tagged = [i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in (c.metadata.get("tags") or [])]
    if not tagged:
        bad("", f"no cell is tagged {PARAMETERS_TAG!r}: tag the cell that sets {', '.join(PARAMETER_NAMES)}")
    elif len(tagged) > 1:
        cells = ", ".join(_cell_name(i, nb.cells[i]) for i in tagged)
        bad("", f"{len(tagged)} cells are tagged {PARAMETERS_TAG!r} ({cells}); tag exactly one")
    else:
        cell = nb.cells[tagged[0]]
        where = _cell_name(tagged[0], cell)
        if cell.cell_type != "code":
            bad(where, f"the cell tagged {PARAMETERS_TAG!r} must be a code cell")
        else:
            out += _parameters_cell(name, where, cell.source, case)

    calls = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as exc:
            bad(_cell_name(i, cell), f"Python syntax error on line {exc.lineno} of the cell: {exc.msg}")
            continue
        calls += [(i, call) for call in _setup_calls(tree)]
    if not calls:
        bad("", f'no cell calls lk.chapter.setup("{slug}", strengths=strengths, moves=moves, seed=seed)')
    for i, call in calls:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value != slug:
            bad(_cell_name(i, nb.cells[i]), f'calls setup("{first.value}"), another case: write setup("{slug}", ...)')
    return out


def _parameters_cell(name: str, where: str, source: str, case: Case | None) -> list[Finding]:
    """The parameters cell defines exactly the chapter's parameters, with values the case accepts."""
    out = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return out  # reported with the other syntax errors
    assigned = {
        t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
    }
    missing = [p for p in PARAMETER_NAMES if p not in assigned]
    extra = sorted(assigned - set(PARAMETER_NAMES))
    if missing:
        out.append(Finding(ERROR, name, where, f"the parameters cell does not set {', '.join(missing)}"))
    if extra:
        out.append(
            Finding(
                ERROR,
                name,
                where,
                f"the parameters cell sets {', '.join(extra)}, which a chapter does not take; "
                f"a chapter's parameters are {', '.join(PARAMETER_NAMES)}",
            )
        )
    if case is not None and not missing:
        values = parameter_values({"cells": [{"source": source, "metadata": {"tags": [PARAMETERS_TAG]}}]}) or {}
        try:
            check_parameters(case, **{k: v for k, v in values.items() if k in PARAMETER_NAMES})
        except LeveliiError as exc:
            out.append(Finding(ERROR, name, where, str(exc)))
    return out


def strip_notebook(path: Path | str) -> bool:
    """Clear a notebook's outputs and execution counts in place; keep its cells, ids, tags and metadata.

    The rule is the one :func:`check_notebook` enforces, so a stripped notebook always passes it. Also dropped:
    the saved widget state (``metadata.widgets``) and papermill's run record (``metadata.papermill``, and the
    per-cell ``execution``/``papermill`` metadata), which only an executed copy carries.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    bool
        Whether the file changed (a clean notebook is not rewritten).

    Raises
    ------
    levelii_kit.errors.UserError
        The file is missing or is not a notebook.
    """
    from ..errors import UserError

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, ValueError, nbformat.ValidationError) as exc:
        raise UserError(f"{path}: not a notebook ({' '.join(str(exc).split())[:120]})") from None
    changed = False
    for key in ("widgets", "papermill"):
        changed |= nb.metadata.pop(key, None) is not None
    for cell in nb.cells:
        for key in ("execution", "papermill", "ExecuteTime"):
            changed |= cell.metadata.pop(key, None) is not None
        if cell.cell_type == "code":
            if cell.outputs or cell.execution_count is not None:
                changed = True
            cell.outputs = []
            cell.execution_count = None
    if changed:
        nbformat.write(nb, path)
    return changed


# ------------------------------------------------------------------------------------------- the story
def is_harmful(move: CaseMove) -> bool:
    """Whether a case's move is marked harmful: ``role: harm`` in the case file.

    Parameters
    ----------
    move : CaseMove

    Returns
    -------
    bool
    """
    return getattr(move, "role", "help") == "harm"


def story_warnings(case: Case, parameters: Mapping[str, Any] | None = None, name: str | None = None) -> list[Finding]:
    """Warnings when the model's numbers do not tell a chapter's story (none of them stops a build).

    * a **tie at a quota**: at the baseline or helped proposal a side's weighted support equals its quota
      exactly (share form), or some coalition of its constituencies holds exactly the quota (bloc form), so
      ratification turns on a hair (equal blocs tie at 0.5);
    * **help that lowers the helper's expected value**: the chapter's helping moves together, or one of them by
      its Shapley share net of its cost (the bars of the chapter's waterfall), lower side A's expected value;
    * a **default "help" set with harmful moves**: the moves the parameters cell switches on include a move
      marked harmful (:func:`is_harmful`);
    * a **free move in a per-cost exercise**: a ``best_move`` exercise with ``per_cost: true`` among whose
      choices a move costs 0 (the ranking divides by the cost, so that move wins whatever it does).

    Parameters
    ----------
    case : Case
    parameters : mapping, optional
        The chapter's parameters (``strengths``, ``moves``, ``seed``), as its parameters cell sets them.
    name : str, optional
        The file named in the findings (default: the case file).

    Returns
    -------
    list of Finding
        Warnings only.

    Raises
    ------
    levelii_kit.errors.ParameterError
        The parameters are not valid for the case.
    """
    from ..ledger import helper_ledger
    from ..scenario import ScenarioBatch
    from ..solver import solve

    name = name or str(case.path)
    params = check_parameters(case, **{k: v for k, v in dict(parameters or {}).items() if k in PARAMETER_NAMES})
    out: list[Finding] = []

    def warn(where: str, message: str) -> None:
        out.append(Finding(WARNING, name, where, message))

    defaults = tuple(m.id for m in case.moves if m.default)
    baseline = case.scenario_with(defaults, params.strengths)
    helped = case.scenario_with(defaults + params.moves, params.strengths)
    result = solve(ScenarioBatch.from_scenarios([baseline, helped]))
    for s, side in enumerate(case.scenario.sides):
        where = f"sides[{s}] ({side.name}).rule"
        if side.rule.form == "bloc":
            tie = _bloc_tie(baseline, s)
            if tie:
                warn(
                    where,
                    f"the coalition {' + '.join(tie)} holds exactly the quota ({side.rule.quota:.3g} of the seated "
                    "strength): ratification turns on a tie; change a strength or the quota",
                )
            continue
        for k, label in ((0, "baseline"), (1, "helped")):
            share, quota = float(result.share[k, s]), float(result.batch.quota[k, s])
            if abs(share - quota) <= TIE_TOLERANCE:
                warn(
                    where,
                    f"at the {label} proposal {side.name}'s weighted support is exactly its quota ({quota:.3g}): "
                    "ratification turns on a tie (equal blocs tie at 0.5); change a strength or the quota so that "
                    "the side clearly clears or misses it",
                )
                break

    harmful = [m for m in params.moves if is_harmful(case.move(m))]
    if harmful:
        warn(
            "parameters cell: moves",
            f"the chapter's default help includes the harmful move(s) {', '.join(harmful)} (role: harm); list only "
            "helping moves in `moves`, or write moves = None (every `role: help` move)",
        )

    helpers = [case.move(m).move for m in params.moves]
    if helpers and len(helpers) <= 10:
        ledger = helper_ledger(baseline, helpers, helper=0)
        helper = case.scenario.sides[0].name
        if ledger.net < -TIE_TOLERANCE:
            warn(
                "",
                f"the chapter's helping moves ({', '.join(params.moves)}) lower {helper}'s expected value: net "
                f"{ledger.net:+.3g} (gain {ledger.gross:+.3g}, cost {ledger.cost:.3g}); helping does not pay here",
            )
        net = ledger.table()["net"].to_numpy()
        for move_id, value in zip(params.moves, net):
            if value < -TIE_TOLERANCE:
                warn(
                    _move_where(case, move_id),
                    f"this helping move lowers {helper}'s expected value (its Shapley share net of cost: "
                    f"{value:+.3g}); check its cost and whether it reaches the constituency that blocks",
                )

    for e, ex in enumerate(case.teaching["exercises"]):
        if ex.get("kind") != "best_move" or not ex.get("per_cost"):
            continue
        given = set(ex.get("given") or ())
        helper = case.scenario.sides[0].name
        free = [  # the exercise's choices (levelii_kit.exercises): not default, not context, not given
            m.id
            for m in case.moves
            if not m.default
            and getattr(m, "role", "help") != "context"
            and m.id not in given
            and not (m.move.cost > 0 and (ex.get("costs", "all") == "all" or m.move.actor == helper))
        ]
        if free:
            warn(
                f"teaching.exercises[{e}] ({ex['id']})",
                f"a per-cost exercise, but {', '.join(free)} cost(s) 0: ranking by gain per unit of cost makes a "
                "free move win whatever it does; give every move a cost, or set per_cost: false",
            )
    return out


def _move_where(case: Case, move_id: str) -> str:
    index = case.move_ids.index(move_id)
    return f"interventions[{index}] ({move_id})"


def _bloc_tie(scenario: Any, s: int) -> list[str]:
    """Names of a coalition of side ``s`` whose seated strength is exactly the quota's share (bloc form), or []."""
    side = scenario.sides[s]
    members = [c for c in side.constituencies if c.seated and c.strength > 0]
    weights = np.array([c.strength for c in members], dtype=float)
    total = weights.sum()
    if not len(members) or len(members) > 16:
        return []
    masks = (np.arange(1, 2 ** len(members))[:, None] >> np.arange(len(members))) & 1
    hits = np.flatnonzero(np.abs(masks @ weights - side.rule.quota * total) <= TIE_TOLERANCE * max(total, 1.0))
    if not len(hits):
        return []
    return [members[j].name for j in np.flatnonzero(masks[hits[0]])]

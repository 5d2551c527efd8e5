"""``levelii new``: a new case folder whose case file passes ``levelii check`` and whose chapter builds at once.

:func:`new_case` writes ``cases/<slug>/case.yaml`` from :data:`CASE_TEMPLATE` (every field valid, every piece of
prose a ``TODO`` that ``levelii check`` reports until it is replaced, numbers that tell the standard story: no
deal until a helping move answers the other side's hardliners) and ``cases/<slug>/<slug>.ipynb`` from
:func:`chapter_notebook`, the standard chapter of the design (its section "Notebooks"), generated from the case
file: every section, figure, exercise, solution and instructor cell is in place before the author writes a
word of prose. It refuses to overwrite anything.
"""

from __future__ import annotations

import keyword
import re
import string
from pathlib import Path
from typing import Any

import nbformat

from ..casefile import Case, cases_dir, load_case
from ..errors import CaseError, UserError
from ..exercises import choices as exercise_choices
from .toc import _RESERVED_PAGES, load_book

__all__ = ["CASE_TEMPLATE", "SLUG_PATTERN", "chapter_notebook", "new_case", "next_free_order"]

#: What a slug (the case's folder name, its notebook's name and its page's name) may look like.
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

#: The case file ``levelii new`` writes; ``${slug}``, ``${title}``, ``${part}``, ``${parts}`` and ``${order}``
#: are filled in (:class:`string.Template`).
CASE_TEMPLATE = string.Template(
    """# cases/${slug}/case.yaml: the case file of the chapter "${title}".
#
# Written by `levelii new`. It is valid as it stands, so the chapter builds at once: replace every TODO with
# your own words and every number with your own teaching assumption, then run
#     levelii check cases/${slug}
# after each edit. The check names each problem with its field, and lists the TODOs still left.
#
# How the model reads this file (the instructor edition's page "Writing a chapter" says more):
# - sides[0] is the HELPER (side A); sides[1] is the side being helped. The issue runs from 0 (what the
#   helper's leader prefers) to 1 (what the other leader prefers).
# - A constituency accepts a deal within `tolerance` of its `ideal`, less its `threat` (its fear of being seen
#   to give in). A side ratifies when the strength-weighted share of its supporters reaches its rule's quota;
#   a constituency with `blocking: 1` holds a veto. As written here, the other side's hardliners outweigh the
#   rest of their side and reject every deal the helper's side can ratify: no deal until a helping move
#   answers their fear.
# - Moves (`interventions`) apply in the order of this file. A move's `cost` is what its actor pays for making
#   it; a term's `costs` are paid only when the term is part of the deal. Exercises and the helper's ledger
#   count the moves' costs; give every move a cost above 0.
# - Names of sides, constituencies and moves appear in figures and tables: keep them short and readable.
# - The model's numbers are teaching assumptions, not measurements: say why in each `note`.

slug: ${slug}
title: "${title}"
part: "${part}"   # one of the parts of casebook/toc.yaml: ${parts}
order: ${order}   # the chapter's position within its part (no two chapters of a part share one)
period: "TODO: when it happened, e.g. September 1977 to April 1978"
summary: >-
  TODO: one paragraph in your own words: who negotiated, who stood behind each side's table and could block
  the deal, and what the helper did about the other side's internal barriers.
categories_shown: [process form, statements, at the table, direct action]   # the families of moves shown

sources:   # every fact, constituency and move cites one or more of these ids; one id means one work in every case
  - id: sebenius2013
    author: "Sebenius, J. K."
    title: "Level Two Negotiations: Helping the Other Side Meet Its 'Behind-the-Table' Challenges"
    year: 2013
    container: "Negotiation Journal 29(1)"
    pages: "7-21"
    url: "https://direct.mit.edu/ngtn/article/29/1/7/121792/Level-Two-Negotiations-Helping-the-Other-Side-Meet"
  - id: putnam1988
    author: "Putnam, R. D."
    title: "Diplomacy and Domestic Politics: The Logic of Two-Level Games"
    year: 1988
    container: "International Organization 42(3)"
    pages: "427-460"
    url: "https://www.cambridge.org/core/journals/international-organization/article/abs/diplomacy-and-domestic-politics-the-logic-of-twolevel-games/B2E11FB757C4465C4097015BD421035F"
  # Add the case's own sources: author, title and year (the citation is composed from them), e.g.
  # - id: smith1999
  #   author: "Smith, A."
  #   title: "Title of the book or article"
  #   year: 1999
  #   publisher: "A Press"          # or container: "Journal 1(2)" and pages: "3-45"
  #   url: "https://..."            # optional: the publisher's, archive's or library's own address

facts:   # sourced claims, in your own words; `status` is required on every fact
  - id: f_frame
    text: "Sebenius studies one side helping the other side get past its behind-the-table obstacles in order to advance its own goals, building on Putnam's two-level games."
    sources: [sebenius2013]
    status: verified   # checked against the cited source
  - id: f_event
    when: "TODO: the date"
    text: "TODO: a fact of the case, in your own words, citing the source you checked it against."
    sources: [sebenius2013]   # TODO: cite the case's own source
    status: unverified   # write `verified` once you have checked it against its sources

timeline:   # dated entries, each pointing to a fact
  - {when: "TODO: the date", fact: f_event}

issues:   # one issue (or two), on [0, 1]
  - name: deal
    label: "the deal"   # shown in figures ("Chance of ratification along the deal"): say what the issue is
    low_label: "TODO: what 0 means (the helper's preferred end)"
    high_label: "TODO: what 1 means (the other side's preferred end)"

sides:   # exactly two; the first is the helper
  - name: our_side
    label: "The helper's side"
    leader: our_leader
    rule: {preset: simple_majority}   # or supermajority, unanimity, treaty_ratification, ...; or quota: 0.67
    constituencies:
      - name: our_leader
        label: "Our leader"
        ideal: 0.0       # a number per issue
        tolerance: 0.9   # accepts deals up to 0.9 (and values no deal as a loss of 0.9)
        note: "TODO: who this is and why these numbers (a teaching assumption)."
        sources: [sebenius2013]
      - name: our_hardliners
        label: "Our hardliners"
        ideal: -0.2
        tolerance: 0.6   # accept up to 0.4
        strength: 1.2    # weight in the side's vote (default 1)
        note: "TODO: why these numbers (a teaching assumption)."
      - name: our_moderates
        label: "Our moderates"
        ideal: 0.1
        tolerance: 0.5   # accept up to 0.6: with the leader, a majority (2 of 3.2) for any deal up to 0.6
        note: "TODO: why these numbers (a teaching assumption)."
  - name: their_side
    label: "The other side"
    leader: their_leader
    rule: {preset: simple_majority}
    constituencies:
      - name: their_leader
        label: "Their leader"
        ideal: 1.0
        tolerance: 0.9   # accepts deals from 0.1
        note: "TODO: who this is and why these numbers (a teaching assumption)."
      - name: their_hardliners
        label: "Their hardliners"
        ideal: 1.1
        tolerance: 0.6
        threat: 0.2      # the fear of being seen to give in: they accept only from 0.7, above what our side ratifies
        strength: 2.5    # they outweigh the leader and the moderates (2.5 of 4.7): no majority without them
        blocking: 0.0    # 1 = a veto; between 0 and 1 = an informal blocker
        receptivity: 1.0 # how much they respond to the helper's statements (-1 to 1)
        note: "TODO: who they are, why they can block, and why these numbers (a teaching assumption)."
      - name: their_moderates
        label: "Their moderates"
        ideal: 0.8
        tolerance: 0.6   # accept from 0.2
        strength: 1.2
        note: "TODO: why these numbers (a teaching assumption)."

terms:   # add-on terms a deal may include
  - name: assurance
    label: "An assurance that answers the hardliners' fear"
    values: {their_hardliners: 0.15}   # what the term is worth to each constituency
    costs: {our_side: 0.02}            # paid by a side only when the term is in the deal
    state: unavailable                 # put on the table by the move offer_assurance below
    note: "TODO: what the term was and why it is worth this much (a teaching assumption)."

interventions:   # the moves, one per family here; delete the ones your case does not have. Applied in this order.
  # role: help    a helping move the helper chooses (the chapter's default help: every help move not `default`)
  # role: context something that happens to the situation (e.g. their hardliners win a veto); with `default: true`
  #               it is already on in the chapter's baseline
  # role: harm    a move that hurts (a gloat, an inflaming statement): for "what not to do" counterfactuals
  - id: time_the_signing
    type: Timing           # process form: the threat and receptivity that apply at the chosen moment
    role: help
    label: "Choose the moment"
    actor: our_side        # who makes the move and pays its cost
    target: their_hardliners
    threat: 0.05
    cost: 0.02
    happened: "TODO: what the helper did, in your own words."
    sources: [sebenius2013]
  - id: calm_the_hardliners
    type: Mollify          # statements: their threat falls by receptivity x amount
    role: help
    label: "A statement that calms them"
    actor: our_side
    target: their_hardliners
    amount: 0.2
    cost: 0.03
    happened: "TODO: what the helper said, in your own words."
    sources: [sebenius2013]
  - id: offer_assurance
    type: OfferTerm        # at the table: puts a term on the table (force: true writes it into every deal)
    role: help
    label: "Offer the assurance"
    actor: our_side
    term: assurance
    force: true
    cost: 0.01
    happened: "TODO: what the helper offered, in your own words."
    sources: [sebenius2013]
  - id: engage_directly
    type: Engage           # direct action: moves their ideal towards ours (shift) and cuts their threat
    role: help
    label: "Engage them directly"
    actor: our_side
    target: their_hardliners
    shift: 0.1
    threat_cut: 0.1
    cost: 0.05
    happened: "TODO: what the helper did on the other side's home ground, in your own words."
    sources: [sebenius2013]

teaching:
  learning_goals:
    - "TODO: what a student should be able to explain after this chapter."
  debrief:
    - "TODO: a question for the class discussion."
  instructor_notes:
    - "TODO: how to run the session, and what to watch for."
  assumptions:
    - "The parameters are teaching estimates, not measurements: TODO say where each one comes from."
  exercises:   # kind: cheapest_set | best_move | numeric (checked with feedback); without a kind: discussion
    - id: ex_cheapest
      prompt: "Which is the cheapest set of the helper's moves that makes a deal more likely than not?"
      kind: cheapest_set
      side: joint          # or a side's name
      threshold: 0.5
    - id: ex_best_per_cost
      prompt: "Which single move raises the chance that the other side ratifies the most per unit of cost?"
      kind: best_move
      side: their_side
      per_cost: true
    - id: ex_outcome
      prompt: "With only the timing move, where does the deal land on the issue? Give the number."
      kind: numeric
      quantity: outcome    # or joint (the chance of agreement), or side (with side:)
      moves: [time_the_signing]
      tolerance: 0.01
  predictions:   # predict, then reveal: the reader commits a guess before the chapter shows the model's result
    - id: pr_baseline          # no moves: asked just before the baseline
      prompt: "Before any help, will both sides ratify a deal?"
      quantity: joint          # joint (the chance of agreement), side (with side:) or outcome (the deal's point)
      answer: yes_no           # yes_no or probability; point for an outcome
      explain: "TODO: what the model shows here and why, in a sentence or two."
    - id: pr_all_help          # with moves: asked just before the chapter shows them
      prompt: "With every one of the helper's moves, how likely is an agreement?"
      quantity: joint
      moves: [time_the_signing, calm_the_hardliners, offer_assurance, engage_directly]
      answer: probability
      explain: "TODO: what the help changed in the model, and why."
"""  # noqa: E501 - the case file's own long lines (citations, URLs)
)


def _check_slug(slug: str, casebook_dir: Path | str | None) -> None:
    """A clear UserError for a slug that cannot be a case folder, a notebook and a page name."""
    if not SLUG_PATTERN.match(slug):
        raise UserError(
            f"SLUG {slug!r}: use lower-case letters, digits and underscores, starting with a letter, at most "
            "60 characters (e.g. japan_rice_1993)"
        )
    if keyword.iskeyword(slug):
        raise UserError(f"SLUG {slug!r} is a Python keyword; choose another name")
    book = load_book(casebook_dir)
    reserved = _RESERVED_PAGES | {page.name for page in book.front_matter}
    if slug in reserved:
        raise UserError(f"SLUG {slug!r} is the name of a casebook page; choose another name")


def _read_part_order(path: Path) -> tuple[Any, Any]:
    """``(part, order)`` of a case file, read leniently (None for what cannot be read)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, None
    return (data.get("part"), data.get("order")) if isinstance(data, dict) else (None, None)


def next_free_order(part: str, root: Path | str | None = None) -> int:
    """The order after the last chapter of ``part`` among the case folders under ``root``.

    Parameters
    ----------
    part : str
    root : path-like, optional
        The folder of case folders (default :func:`levelii_kit.cases_dir`).

    Returns
    -------
    int
        One more than the largest ``order`` in the part, or 1 for an empty part.
    """
    root = Path(root) if root is not None else cases_dir()
    orders = [o for p, o in map(_read_part_order, root.glob("*/case.yaml")) if p == part and isinstance(o, int)]
    return max(orders, default=0) + 1


def new_case(
    slug: str,
    title: str | None = None,
    part: str | None = None,
    order: int | None = None,
    *,
    root: Path | str | None = None,
    casebook_dir: Path | str | None = None,
    notebook_only: bool = False,
) -> list[Path]:
    """Write a new case folder: ``<root>/<slug>/case.yaml`` and ``<root>/<slug>/<slug>.ipynb``.

    Parameters
    ----------
    slug : str
        The folder name: lower-case letters, digits and underscores, starting with a letter.
    title : str, optional
        Default: the slug in words (``japan_rice`` gives "Japan rice").
    part : str, optional
        A part of ``casebook/toc.yaml`` (default: its last part).
    order : int, optional
        Position within the part (default: after the part's last chapter). Must not be taken.
    root : path-like, optional
        The folder of case folders (default :func:`levelii_kit.cases_dir`).
    casebook_dir : path-like, optional
        The ``casebook/`` folder whose ``toc.yaml`` lists the parts.
    notebook_only : bool, default False
        Write only the notebook, generated from the existing ``case.yaml`` (after renaming constituencies or
        moves, delete the old notebook and write a fresh one).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    levelii_kit.errors.UserError
        A bad slug, part or order, or a file that exists already (nothing is overwritten).
    """
    root = Path(root) if root is not None else cases_dir()
    _check_slug(slug, casebook_dir)
    folder = root / slug
    case_file, notebook = folder / "case.yaml", folder / f"{slug}.ipynb"
    if notebook_only:
        if not case_file.is_file():
            raise UserError(f"{case_file} does not exist; run `levelii new {slug}` to write the case file too")
        if notebook.exists():
            raise UserError(f"{notebook} exists already; move it away first (levelii new never overwrites)")
        try:
            case = load_case(case_file)
        except CaseError as exc:
            raise UserError(f"{case_file} is not valid yet ({exc.problems[0]}); run `levelii check {folder}`") from None
        _write_notebook(notebook, chapter_notebook(case))
        return [notebook]
    if folder.exists() and any(folder.iterdir()):
        raise UserError(f"{folder} exists already; levelii new never overwrites a case (choose another SLUG)")
    parts = [p.title for p in load_book(casebook_dir).parts]
    part = parts[-1] if part is None else part
    if part not in parts:
        near = [p for p in parts if p.casefold() == part.casefold()]
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise UserError(f"--part {part!r} is not a part of casebook/toc.yaml; expected one of {parts}{hint}")
    if order is None:
        order = next_free_order(part, root)
    else:
        taken = {o: p.parent.name for p in root.glob("*/case.yaml") for q, o in [_read_part_order(p)] if q == part}
        if order in taken:
            raise UserError(
                f"--order {order} is taken by {taken[order]} in part {part!r}; "
                f"the next free order is {next_free_order(part, root)}"
            )
    title = title if title is not None else slug.replace("_", " ").capitalize()
    if not title.strip() or '"' in title or "\\" in title or "\n" in title:
        raise UserError(f"--title {title!r}: give a one-line title without double quotes or backslashes")
    text = CASE_TEMPLATE.substitute(slug=slug, title=title.strip(), part=part, order=order, parts=" | ".join(parts))
    folder.mkdir(parents=True, exist_ok=True)
    case_file.write_text(text, encoding="utf-8")
    case = load_case(case_file)  # the template is valid by construction (tests/test_authoring_new.py)
    _write_notebook(notebook, chapter_notebook(case))
    return [case_file, notebook]


def _write_notebook(path: Path, nb: nbformat.NotebookNode) -> None:
    nbformat.validate(nb)
    nbformat.write(nb, path)


# ------------------------------------------------------------------------------------------- the notebook
def _md(source: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _code(source: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _scaled(strength: float, factors: tuple[float, ...]) -> list[float]:
    base = strength if strength > 0 else 1.0
    return [round(base * f, 3) for f in factors]


def _roles(case: Case, helpers: list[str]) -> dict[str, Any]:
    """The constituencies the generated figures vary, chosen from the model's baseline.

    * ``blocker``: the other side's constituency that supports the baseline proposal least (ties: the larger
      blocking power, then the larger strength): the what-if slider and the heatmap's x axis;
    * ``ally``: the other side's constituency, neither the blocker nor the leader if there is one, that supports
      it most (ties: the larger strength): the heatmap's y axis;
    * ``own``: the helper's own non-leader constituency that supports it least (the Schelling curve).
    """
    from ..chapter import setup

    ch = setup(case, moves=helpers)
    support = dict(zip(case.scenario.constituency_names, ch.baseline_result.support[0]))
    a, b = case.scenario.sides

    def least(members):
        return min(members, key=lambda c: (support[c.name], -c.blocking, -c.strength)).name

    def most(members):
        return max(members, key=lambda c: (support[c.name], c.strength)).name

    blocker = least(b.constituencies)
    others = [c for c in b.constituencies if c.name != blocker]
    ally = most([c for c in others if c.name != b.leader] or others or list(a.constituencies))
    own = least([c for c in a.constituencies if c.name != a.leader] or list(a.constituencies))
    strength = {c.name: c.strength for c in case.scenario.constituencies}
    return {
        "blocker": blocker,
        "ally": ally,
        "own": own,
        "whatif": _scaled(strength[blocker], (0, 0.5, 1, 1.5, 2, 3)),
        "heat_x": _scaled(strength[blocker], (0, 0.5, 1, 1.5, 2, 2.5, 3)),
        "heat_y": _scaled(strength[ally], (0, 0.5, 1, 1.5, 2, 2.5, 3)),
        "schelling": _scaled(strength[own], (0, 0.5, 1, 1.5, 2, 3, 4)),
    }


#: The opening of a chapter's exercises, the same in every chapter.
EXERCISES_INTRO = """
## Exercises

Each exercise is a form. In the HTML casebook the feedback comes from the model itself, with no Python running,
and your answers, predictions and notes stay in this browser (see *My progress*). In Jupyter, use the form, or
set `answer` in the cell under it and run that cell: it starts as `answer = None`. Discussion questions have a
notes box; compare your notes with the debrief.
"""


def _prediction_cell(prediction_id: str) -> nbformat.NotebookNode:
    cell = _code(f'lk.widgets.prediction(ch, "{prediction_id}")')
    cell["id"] = f"prediction-{prediction_id}"
    return cell


def chapter_notebook(case: Case) -> nbformat.NotebookNode:
    """The standard chapter of a case (the design's section "Notebooks"), generated from its case file.

    The notebook follows the design's order: title and summary; the parameters cell; the story (timeline,
    facts); who sits at the table (actor map); the baseline (win-sets and the ZOPA for a one-issue case,
    support); the moves (table, each move alone and all together, the helper's ledger with both waterfalls, the
    comparison); the live explorer (``live-only``) and the static what-if figure over the constituency that
    blocks; sensitivity (heatmap, Schelling curve); debrief; a form per exercise (with a ``live-only`` answer
    cell per checked exercise) and a form per prediction prompt, just before the result it asks about; the
    solutions (``solution``) and instructor notes (``instructor``); sources and assumptions. Markdown cells hold
    generic prose that is true of any chapter, and ``<!-- TODO ... -->`` notes (invisible in the casebook) for
    what the author should write; ``levelii check`` counts the notes left. No outputs; stable cell ids.

    Parameters
    ----------
    case : Case

    Returns
    -------
    nbformat.NotebookNode
    """
    from ..chapter import check_parameters, escape

    slug = case.slug
    helpers = list(check_parameters(case).moves)  # moves = None: role help, not default (never harm or context)
    example_move = helpers[0] if helpers else None
    roles = _roles(case, helpers)
    on_timeline = {fact for _, fact in case.timeline}
    rest = [f.id for f in case.facts if f.id not in on_timeline]
    facts_cell = [_code(f"lk.chapter.show_facts(case, ids={rest!r})   # the facts not on the timeline")] if rest else []
    one_issue = len(case.scenario.issues) == 1
    cells = [
        _md(
            f"""
# {escape(case.title)}

<!-- TODO: open the chapter in two or three sentences of your own: the negotiation, the barrier behind the
other side's table, and the help. -->

This chapter tells the case as its case file records it, each fact with its sources, then uses the model to ask
who would ratify what, and what the helper's moves were worth to the helper.
"""
        ),
        _code("import levelii_kit as lk\nfrom levelii_kit import plots"),
        _md(
            f"""
## Parameters

The next cell holds the chapter's parameters. Change them here, or from the command line with
`levelii run {slug} -p moves '[{example_move or "..."}]'`. They are checked before anything else runs.
"""
        ),
        _code(
            f"""
strengths = {{}}   # constituency name -> strength, e.g. {{"{roles["blocker"]}": 2.0}}
moves = None     # None: every helping move (role: help); or a list of move ids
seed = 2026      # the only source of randomness
""",
            ("parameters",),
        ),
        _code(
            f"""
ch = lk.chapter.setup("{slug}", strengths=strengths, moves=moves, seed=seed)
case = ch.case
lk.chapter.show_summary(case)
"""
        ),
        _code("lk.chapter.show_goals(case)"),
        _md(
            """
## The story

<!-- TODO: tell the story in your own words: who negotiated, who stood behind each table, what happened. -->

The timeline and the facts come from the case file, each with its sources; a fact marked **(unverified)** has
not yet been checked against them.
"""
        ),
        _code("lk.chapter.show_timeline(case)"),
        *facts_cell,
        _md(
            """
## Who sits at the table, and who stands behind it

Each side's leader bargains at the Level I table; the constituencies behind each leader decide at Level II
whether to ratify the deal, and some of them can block it. Everything from here on is the model, whose numbers
are teaching assumptions.
"""
        ),
        _code("plots.actor_map_figure(plots.actor_map_data(case))"),
        _md(
            """
## The baseline

Before any helping move: which deals each side would ratify (its **win-set**), where the two overlap (the
**ZOPA**), and how much support the Level I proposal finds behind each table.
"""
        ),
    ]
    baseline = ['lk.chapter.record("p_joint_baseline", float(ch.baseline_result.chance[0]))']
    if one_issue:
        baseline += [
            'lk.chapter.record("zopa_baseline", lk.zopa(ch.baseline).intervals_of(0))',
            "plots.winset_figure(plots.winset_data(ch.baseline))",
        ]
    # predict, then reveal: a prompt without moves just before the baseline, one with moves before the moves
    before_baseline = [p for p in case.predictions if not p.moves]
    before_moves = [p for p in case.predictions if p.moves]
    cells += [_prediction_cell(p.id) for p in before_baseline]
    cells += [
        _code("\n".join(baseline)),
        _code("plots.support_figure(plots.support_data(ch.baseline_result))"),
        _md(
            """
<!-- TODO: say in a sentence or two what the baseline shows: is there a deal, and who stands in its way? -->

## The helping moves

The moves of the case, with the family each belongs to (Sebenius 2013), who made it and what it cost.
"""
        ),
        *[_prediction_cell(p.id) for p in before_moves],
        _code("lk.chapter.show_moves(case)"),
        _md("Each of the chapter's helping moves on its own, then all of them together:"),
        _code(
            """
labels = ["no help"] + [case.move(m).label for m in ch.move_ids] + ["all the help"]
scenarios = [ch.baseline] + [ch.scenario([m]) for m in ch.move_ids] + [ch.helped]
lk.solve(lk.ScenarioBatch.from_scenarios(scenarios)).summary(labels=labels)
"""
        ),
        _md(
            """
### The helper's ledger

Why should the helper pay for the other side's problem? The ledger compares the helper's expected value with
and without the moves: a *likelihood* part (a deal becomes more likely), a *terms* part (a better deal) and the
cost. The waterfalls attribute the change to each move with Shapley values, so the parts add up exactly.
"""
        ),
        _code(
            """
ledger = ch.ledger
lk.chapter.record("ledger_net", ledger.net)
ledger.table()
"""
        ),
        _code('plots.waterfall_figure(plots.waterfall_data(ledger, measure="probability"))'),
        _code('plots.waterfall_figure(plots.waterfall_data(ledger, measure="gross"))'),
        _md(
            """
### With and without help

<!-- TODO: say what the help changed, and what it cost. -->
"""
        ),
        _code(
            """
lk.chapter.record("p_joint_helped", float(ch.helped_result.chance[0]))
ch.comparison()
"""
        ),
        _md(
            f"""
## Explore

In a live session (JupyterLab, or `levelii present {slug}`) the explorer below has a slider for every
constituency's strength and a switch for every move. The figure after it works in the HTML casebook too: its
slider and buttons were computed by the model when the book was built.
"""
        ),
        _code("lk.widgets.explorer(ch)", ("live-only",)),
    ]
    sets = {"no help": []}
    sets.update({m: [m] for m in helpers[:4]})
    sets["all the help"] = list(helpers)
    sets_text = ",\n     ".join(f"{k!r}: {v!r}" for k, v in sets.items())
    cells += [
        _code(
            f"""
plots.whatif_figure(plots.whatif_data(
    ch, {roles["blocker"]!r}, {roles["whatif"]!r},
    {{{sets_text}}}))
"""
        ),
        _md(
            """
## Sensitivity

How does the chance of agreement before any help depend on the strengths of two of the other side's
constituencies? And, with the help, how do the outcome and the helper's expected value move as one of the
helper's own constituencies grows stronger (the Schelling conjecture: a constraint at home can win better terms,
until it leaves no deal at all)?
"""
        ),
        _code(
            f"""
plots.heatmap_figure(plots.heatmap_data(ch.baseline, {roles["blocker"]!r}, {roles["ally"]!r},
                                        {roles["heat_x"]!r},
                                        {roles["heat_y"]!r}))
"""
        ),
    ]
    if one_issue:
        cells.append(
            _code(f"plots.schelling_figure(plots.schelling_data(ch.helped, {roles['own']!r}, {roles['schelling']!r}))")
        )
    cells += [_md("## Debrief"), _code("lk.chapter.show_debrief(case)")]
    checked = [ex for ex in case.teaching["exercises"] if ex.get("kind")]
    if case.teaching["exercises"]:
        cells.append(_md(EXERCISES_INTRO))
    for ex in case.teaching["exercises"]:
        form = _code(f'lk.widgets.exercise(ch, "{ex["id"]}")')
        form["id"] = f"exercise-{ex['id']}"
        cells.append(form)
        if ex.get("kind"):
            choices = [c.id for c in exercise_choices(case, ex["id"])]
            hint = {  # None: the checker judges nothing before an answer, so the student edition gives nothing away
                "cheapest_set": f'a list of move ids, e.g. ["{choices[0]}"]' if choices else "a list of move ids",
                "best_move": f'one move id, e.g. "{choices[0]}"' if choices else "one move id",
                "numeric": "a number",
            }[ex["kind"]]
            answer = _code(f'answer = None   # your answer: {hint}\nlk.exercises.check(case, "{ex["id"]}", answer)')
            answer["id"] = f"answer-{ex['id']}"
            answer.metadata["tags"] = ["live-only"]
            cells.append(answer)
    ids = ", ".join(repr(ex["id"]) for ex in checked) + ("," if len(checked) == 1 else "")
    cells += [
        _md(
            """
### Solutions

The model answers, with the reasoning the checker uses.
""",
            ("solution",),
        ),
    ]
    if checked:
        cells.append(_code(f'for ex in ({ids}):\n    print(ex, "->", lk.exercises.solution(case, ex))', ("solution",)))
    cells += [
        _md(
            f"""
### Instructor notes

Run the chapter live with `levelii present {slug}`.

<!-- TODO: how to run the session with this chapter; the notes below come from the case file. -->
""",
            ("instructor",),
        ),
        _code("lk.chapter.show_instructor_notes(case)", ("instructor",)),
        _md("## Sources and the model's assumptions"),
        _code("lk.chapter.show_sources(case)"),
        _code("lk.chapter.show_assumptions(case)"),
    ]
    for i, cell in enumerate(cells):
        if not cell.get("id", "").startswith(("exercise-", "answer-", "prediction-")):
            cell["id"] = f"cell-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = case.title
    return nb

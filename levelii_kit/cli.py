"""The ``levelii`` command line.

``levelii list`` lists the cases; ``levelii check [PATH...]`` checks case folders (case file, part and order,
notebook; exit 1 with one line per problem, story warnings printed); ``levelii show SLUG`` prints a case's
baseline result (support per constituency, ratification per side, win-sets, ZOPA, outcome); ``levelii run SLUG
-p NAME VALUE`` validates a chapter's parameters before a kernel starts and executes it; ``levelii present SLUG``
serves it live with Voila; ``levelii build [--only SLUG]`` renders the HTML casebook (with a cache of executed
chapters); ``levelii handouts SLUG`` prints a case's role-play handouts to PDF; ``levelii slides SLUG`` writes its
reveal.js debrief deck; ``levelii class SLUG`` runs the live class session; ``levelii new SLUG`` starts a case;
``levelii strip PATH`` clears notebooks' outputs. User errors print one line and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CaseError, LeveliiError, UserError

__all__ = ["UserError", "build_parser", "main"]


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def cmd_list(args) -> int:
    """Print slug, title and the size of every case."""
    from .casefile import cases_dir, list_cases, load_case

    root = Path(args.cases) if args.cases else cases_dir()
    paths = list_cases(root)
    if not paths:
        raise UserError(f"no cases found under {root}")
    rows, failed = [], 0
    for p in paths:
        try:
            c = load_case(p)
        except CaseError as exc:
            failed += 1
            rows.append((p.parent.name, f"INVALID ({len(exc.problems)} problem(s); run levelii check)", "", "", ""))
            continue
        n_cons = sum(len(s.constituencies) for s in c.scenario.sides)
        rows.append((c.slug, c.title, str(len(c.scenario.sides)), str(n_cons), str(len(c.moves))))
    header = ("slug", "title", "sides", "constituencies", "interventions")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
    widths[1] = min(widths[1], 70)
    for r in [header] + rows:
        title = r[1] if len(r[1]) <= 70 else r[1][:67] + "..."
        print(f"{r[0]:<{widths[0]}}  {title:<{widths[1]}}  {r[2]:>5}  {r[3]:>14}  {r[4]:>13}")
    return 1 if failed else 0


def cmd_check(args) -> int:
    """Check case folders: the case file, its part and order, the notebook; warn about the story."""
    from .book.check import check_case
    from .casefile import cases_dir, list_cases

    targets = []
    for item in args.paths or [str(cases_dir())]:
        p = Path(item)
        if p.is_dir() and not (p / "case.yaml").exists():
            found = list_cases(p)
            if not found:
                raise UserError(f"{p}: no */case.yaml files found")
            targets.extend(found)
        else:
            targets.append(p)
    bad = 0
    for t in targets:
        case_file = t / "case.yaml" if t.is_dir() else t
        findings = check_case(t)
        errors = [f for f in findings if f.is_error]
        bad += bool(errors)
        for finding in findings:
            if finding.is_error or not args.quiet:
                print(finding)
        if not errors and not args.quiet:
            warnings = len(findings)
            print(f"ok  {case_file}" + (f" ({warnings} warning{'s' if warnings > 1 else ''})" if warnings else ""))
    if bad:
        print(f"{bad} of {len(targets)} case(s) invalid", file=sys.stderr)
    return 1 if bad else 0


def _parse_strengths(items):
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"--strength expects NAME=VALUE, got {item!r}")
        try:
            out[name] = float(value)
        except ValueError:
            raise UserError(f"--strength {name}: expected a number, got {value!r}") from None
        if not out[name] >= 0:
            raise UserError(f"--strength {name}: expected a number >= 0, got {value!r}")
    return out


def cmd_show(args) -> int:
    """Print the baseline (or a variant) result of a case as tables."""
    import pandas as pd

    from .casefile import load_case
    from .solver import solve
    from .winset import win_set, zopa

    case = load_case(args.slug)
    strengths = _parse_strengths(args.strength)
    unknown = set(strengths) - set(case.scenario.constituency_names)
    if unknown:
        raise UserError(
            f"--strength: unknown constituency {sorted(unknown)[0]!r}; "
            f"expected one of {list(case.scenario.constituency_names)}"
        )
    moves = [m for group in args.move or [] for m in group.split(",") if m]
    bad = [m for m in moves if m not in case.move_ids]
    if bad:
        raise UserError(f"--move: unknown move {bad[0]!r}; expected one of {list(case.move_ids)}")
    scenario = case.scenario_with(moves, strengths)
    result = solve(scenario)
    title = case.title + (f"  [moves: {', '.join(moves)}]" if moves else "  [baseline]")
    print(title)
    print("=" * min(len(title), 100))
    with pd.option_context("display.width", 120, "display.float_format", _fmt):
        print("\nSupport per constituency at the Level I proposal")
        print(result.support_table().to_string())
        print("\nRatification per side")
        print(result.sides_table().to_string())
    print(f"\nWin-sets and ZOPA (confidence {_fmt(scenario.confidence)})")
    for s, side in enumerate(scenario.sides):
        print(f"  win-set {side.name}: {_intervals(win_set(scenario, s))}")
    print(f"  ZOPA: {_intervals(zopa(scenario))}")
    outcome = result.outcome()
    print("\nOutcome")
    if result.agreed[0]:
        point = ", ".join(f"{n} = {_fmt(v)}" for n, v in zip(result.batch.issue_names, outcome.point))
        terms = ", ".join(outcome.terms) or "none"
        print(f"  deal: {point}; terms: {terms}; chance of agreement {_fmt(outcome.probability)}")
    else:
        print(f"  no deal: {outcome.reason} (best chance of agreement {_fmt(outcome.best_probability)})")
    for s, side in enumerate(scenario.sides):
        print(
            f"  expected value for {side.name}'s leader: {_fmt(result.expected[0, s])} "
            f"(no agreement: {_fmt(result.disagreement[0, s])})"
        )
    return 0


def _parse_parameters(pairs):
    import yaml

    params = {}
    for name, raw in pairs or []:
        try:
            params[name] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise UserError(
                f"-p {name}: cannot read the value {raw!r} (use YAML, e.g. '[a, b]' or '{{x: 2}}')"
            ) from None
    return params


def cmd_run(args) -> int:
    """Validate a chapter's parameters, then execute it with papermill."""
    from .casefile import load_case
    from .chapter import check_parameters

    case = load_case(args.slug)
    notebook = case.path.parent / f"{case.slug}.ipynb"
    if not notebook.exists():
        raise UserError(f"case {case.slug!r} has no chapter notebook ({notebook} is missing)")
    params = _parse_parameters(args.parameter)
    check_parameters(case, **params)  # a ParameterError is reported in one line by main
    _refuse_a_broken_notebook(notebook, case)
    out = Path(args.output) if args.output else Path("build") / "run" / f"{case.slug}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    from papermill.exceptions import PapermillExecutionError

    from .book.execute import execute_notebook

    try:
        execute_notebook(notebook, out, params, cwd=notebook.parent, timeout=None)
    except PapermillExecutionError as exc:
        raise UserError(f"chapter {case.slug} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}") from None
    print(out)
    return 0


def _refuse_a_broken_notebook(notebook: Path, case) -> None:
    """Stop `levelii run` before a kernel starts on what `levelii check` calls an error in the notebook (a
    mistyped ``parameters`` tag would otherwise run the chapter with its defaults and exit 0); saved outputs are
    no reason to refuse a run."""
    from .book.check import check_notebook

    problems = [f for f in check_notebook(notebook, case.slug, case) if f.is_error and "carry outputs" not in f.message]
    if problems:
        more = f" (and {len(problems) - 1} more: run `levelii check {notebook.parent}`)" if len(problems) > 1 else ""
        raise UserError(f"{problems[0]}{more}")


def cmd_present(args) -> int:
    """Serve a chapter with Voila on 127.0.0.1 (code hidden, widgets live)."""
    from .book.present import present
    from .casefile import load_case

    load_case(args.slug)
    present(args.slug, port=args.port, open_browser=not args.no_browser)
    return 0


def cmd_build(args) -> int:
    """Execute every chapter and render the HTML casebook."""
    from .book.build import build_casebook

    editions = ("student", "instructor") if args.edition == "both" else (args.edition,)
    if args.jobs < 1:
        raise UserError(f"--jobs must be at least 1, got {args.jobs}")
    # ---- the reader's options (issue 11): PDFs and JupyterHub launch links ----
    from .book.launch import load_launch_config
    from .book.toc import default_casebook_dir

    launch = load_launch_config(default_casebook_dir(), hub=args.hub, repo=args.repo, branch=args.branch)
    index = build_casebook(
        out=Path(args.out),
        editions=editions,
        jobs=args.jobs,
        pdf=args.pdf,
        launch=launch,
        # ---- the author's options (issue 10): one chapter, the cache ----
        cases_dir=Path(args.cases) if args.cases else Path("cases"),
        only=args.only,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
    )
    print(index)
    if args.pdf:
        for edition in editions:
            print(Path(args.out) / edition / f"casebook-{edition}.pdf")
    return 0


# ------------------------------------------------------------------------------------------- authoring
def cmd_new(args) -> int:
    """Write a new case folder: a commented case.yaml skeleton and the standard chapter notebook."""
    from .book.new import new_case

    written = new_case(
        args.slug,
        title=args.title,
        part=args.part,
        order=args.order,
        root=Path(args.cases) if args.cases else None,
        notebook_only=args.notebook_only,
    )
    for path in written:
        print(f"wrote {path}")
    folder = written[0].parent
    print(f"next: fill in the TODOs of {folder / 'case.yaml'}, then run `levelii check {folder}`")
    return 0


def cmd_strip(args) -> int:
    """Clear notebooks' outputs in place (the rule levelii check enforces)."""
    from .book.check import strip_notebook

    for item in args.paths:
        path = Path(item)
        notebooks = sorted([*path.glob("*.ipynb"), *path.glob("*/*.ipynb")]) if path.is_dir() else [path]
        if not notebooks:
            raise UserError(f"{path}: no notebooks found (give a notebook, a case folder or a folder of cases)")
        for nb in notebooks:
            print(f"{'stripped' if strip_notebook(nb) else 'clean   '}  {nb}")
    return 0


# ------------------------------------------------------------------ handouts
def cmd_handouts(args) -> int:
    """Write a case's printable handouts (cover sheet, role briefs, outcome forms) as one PDF."""
    from .book.handouts import build_handouts, default_output
    from .casefile import load_case

    case = load_case(args.slug)
    if not case.roles:
        raise UserError(f"case {case.slug!r} has no roles (teaching.roles), so it has no handouts")
    for name in ("groups", "students"):
        value = getattr(args, name)
        if value is not None and value < (1 if name == "groups" else 2):
            raise UserError(f"--{name} must be at least {1 if name == 'groups' else 2}, got {value}")
    out = Path(args.output) if args.output else default_output(case.slug)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"-o/--output must name a .pdf file, got {str(out)!r}")
    result = build_handouts(case, out, groups=args.groups, students=args.students, paper=args.paper)
    sizes = ", ".join(str(n) for n in result.groups)
    print(
        f"{result.path}  ({result.roles} role briefs, {len(result.groups)} outcome forms for groups of {sizes}; "
        f"{result.seconds:.1f} s)"
    )
    return 0


# ------------------------------------------------------------------ end of handouts


# ------------------------------------------------------------------ slides
def cmd_slides(args) -> int:
    """Write a chapter's reveal.js debrief deck (HTML plus its assets folder)."""
    from .book.slides import build_deck, check_output, default_output, reveal_dir
    from .casefile import load_case

    out = check_output(args.output) if args.output else None  # a bad path fails before any work
    case = load_case(args.slug)
    reveal_dir()
    result = build_deck(case, out if out is not None else default_output(case.slug))
    print(
        f"{result.path}  ({result.slides} slides, {result.figures} figures; assets in {result.assets}; "
        f"{result.seconds:.1f} s)"
    )
    return 0


# ------------------------------------------------------------------ end of slides


# ------------------------------------------------------------------------------- levelii class (live session)
def cmd_class(args) -> int:
    """Serve a chapter's live class session: students' predictions and outcomes, the instructor's aggregates."""
    from .book.classroom.server import DEFAULT_PORT, run
    from .book.classroom.store import ClassError

    try:
        run(
            args.slug,
            host=args.host,
            port=DEFAULT_PORT if args.port is None else args.port,
            db=args.db,
            open_browser=not args.no_browser,
        )
    except ClassError as exc:
        raise UserError(str(exc)) from None
    return 0


# ------------------------------------------------------------------------------------------------------------
def _intervals(ws) -> str:
    if ws.intervals is None:
        return f"area {_fmt(ws.size[0])}"
    parts = ws.intervals_of(0)
    if not parts:
        return "empty"
    return " u ".join(f"[{_fmt(a)}, {_fmt(b)}]" for a, b in parts)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        raise UserError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per job)."""
    parser = _Parser(prog="levelii", description="The levelii casebook: Level II negotiation cases, model and site.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser(
        "list",
        help="list the cases",
        description="List every case: slug, title, sides, constituencies and interventions.",
    )
    p.add_argument("--cases", help="folder holding the case folders (default: the project's cases/)")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser(
        "check",
        help="check case folders: case file, part and order, notebook",
        description="Check case folders: the case file, its part and order in the book, and the chapter "
        "notebook (tags, parameters cell, no outputs, setup slug); warn when the model's numbers do not tell the "
        "chapter's story. With no path, checks every cases/*/. Exit 0 when there is no error (warnings are "
        "printed), 1 with one line per problem.",
    )
    p.add_argument("paths", nargs="*", help="case files, case folders or folders of cases")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser(
        "show",
        help="print a case's baseline result",
        description="Solve a case and print "
        "support per constituency, ratification per side, win-sets, the ZOPA and the outcome.",
    )
    p.add_argument("slug", help="case slug (see levelii list) or path to a case file")
    p.add_argument("--move", action="append", metavar="ID[,ID]", help="switch a helping move on (repeatable)")
    p.add_argument("--strength", action="append", metavar="NAME=VALUE", help="override a constituency's strength")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser(
        "run",
        help="execute a chapter with parameters",
        description="Validate the parameters, "
        "then execute cases/SLUG/SLUG.ipynb with papermill. Parameters: strengths (a mapping), "
        "moves (a list of move ids), seed (an integer); values are read as YAML.",
    )
    p.add_argument("slug", help="case slug")
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a parameter, e.g. -p moves '[london_declaration]' -p strengths '{military: 2}'",
    )
    p.add_argument("-o", "--output", help="executed notebook (default build/run/SLUG.ipynb)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser(
        "present",
        help="serve a chapter live with Voila on 127.0.0.1",
        description="Serve a chapter with Voila on 127.0.0.1: code hidden, widgets live.",
    )
    p.add_argument("slug", help="case slug")
    p.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_present)
    p = sub.add_parser(
        "build",
        help="build the HTML casebook",
        description="Execute every chapter with "
        "papermill (in parallel) and render the student and instructor editions.",
    )
    p.add_argument("--edition", choices=("student", "instructor", "both"), default="both")
    p.add_argument("--out", default="build/casebook", help="output folder (default build/casebook)")
    p.add_argument("--jobs", type=int, default=2, help="chapters executed in parallel (default 2)")
    # ---- the reader's options (issue 11) ----
    p.add_argument(
        "--pdf", action="store_true", help="also print each edition as one PDF (OUT/EDITION/casebook-EDITION.pdf)"
    )
    p.add_argument(
        "--hub", metavar="URL", help="JupyterHub for the chapters' Launch links (overrides casebook/book.yaml)"
    )
    p.add_argument("--repo", metavar="URL", help="git repository the hub clones for the Launch links")
    p.add_argument("--branch", metavar="NAME", help="its branch (default: book.yaml's, else main)")
    # ---- the author's options (issue 10) ----
    p.add_argument(
        "--only",
        action="append",
        metavar="SLUG",
        help="build just this chapter (repeatable); the others come from the cache or the previous build",
    )
    p.add_argument("--cases", help="folder holding the case folders (default: ./cases)")
    p.add_argument("--no-cache", action="store_true", help="execute every chapter and render every page anew")
    p.add_argument("--cache-dir", help="the build cache (default: cache/ beside --out, i.e. build/cache)")
    p.set_defaults(func=cmd_build)
    # ---- authoring: levelii new, levelii strip
    p = sub.add_parser(
        "new",
        help="start a new case: case.yaml skeleton and chapter notebook",
        description="Write cases/SLUG/case.yaml (a commented skeleton that passes levelii check; replace "
        "its TODOs) and cases/SLUG/SLUG.ipynb (the standard chapter, generated from the case file). "
        "Never overwrites.",
    )
    p.add_argument("slug", help="the case's folder name: lower-case letters, digits and underscores")
    p.add_argument("--title", help="the chapter's title (default: the slug in words)")
    p.add_argument("--part", help="a part of casebook/toc.yaml (default: its last part)")
    p.add_argument("--order", type=int, help="position within the part (default: after its last chapter)")
    p.add_argument("--cases", help="folder holding the case folders (default: the project's cases/)")
    p.add_argument(
        "--notebook-only",
        action="store_true",
        help="write only SLUG.ipynb, generated from the existing cases/SLUG/case.yaml",
    )
    p.set_defaults(func=cmd_new)
    p = sub.add_parser(
        "strip",
        help="clear notebooks' outputs",
        description="Clear the outputs and execution counts of notebooks in place (cells, tags and ids "
        "are kept), so that they can be committed. PATH: a notebook, a case folder or a folder of cases.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="notebooks or folders")
    p.set_defaults(func=cmd_strip)
    # -------------------------------------------------------------- handouts
    p = sub.add_parser(
        "handouts",
        help="print a case's role-play handouts to PDF",
        description="Write one PDF with the instructor's cover sheet (roles to groups, timing, what to collect), "
        "general instructions, each role's confidential brief on its own pages, and an outcome form per group. "
        "Printed by headless Chromium (/usr/bin/chromium) with no outside request. Needs teaching.roles in the "
        "case file.",
    )
    p.add_argument("slug", help="case slug (see levelii list) or path to a case file")
    p.add_argument("-o", "--output", help="the PDF (default build/handouts/SLUG.pdf)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--groups", type=int, help="number of groups, one outcome form each (default 4)")
    size.add_argument(
        "--students", type=int, help="class size: split into groups of the session's group size, as evenly as possible"
    )
    p.add_argument("--paper", choices=("A4", "Letter"), default="A4", help="paper size (default A4)")
    p.set_defaults(func=cmd_handouts)
    # -------------------------------------------------------------- slides
    p = sub.add_parser(
        "slides",
        help="write a chapter's debrief slides (reveal.js)",
        description="Write a reveal.js deck for a class debrief of a chapter: title and learning goals, the story "
        "with its sources, the actor map, the baseline, one slide per helping move with its figure, the ledger, the "
        "interactive what-if figure, the debrief questions; speaker notes from the instructor notes (press S). "
        "Writes OUT.html and a folder levelii-deck/ beside it (reveal.js, plotly.js); works offline from file://.",
    )
    p.add_argument("slug", help="case slug (see levelii list) or path to a case file")
    p.add_argument("-o", "--output", help="the deck's HTML file (default build/slides/SLUG/index.html)")
    p.set_defaults(func=cmd_slides)

    # ---------------------------------------------------------------------------- levelii class (live session)
    p = sub.add_parser(
        "class",
        help="run a live class session for a chapter",
        description="Serve a chapter's live class session: students answer its prediction prompts and record "
        "their group's outcome on a phone-sized page; the instructor's page shows live aggregates over the model's "
        "win-sets and ZOPA. Binds 127.0.0.1 unless --host says otherwise: serving the room's network "
        "(--host 0.0.0.0) is your explicit choice.",
    )
    p.add_argument("slug", help="case slug (see levelii list)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=None, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--db", default=None, help="the session's SQLite file (default build/class/SLUG.sqlite3)")
    p.add_argument("--no-browser", action="store_true", help="do not open the instructor's page")
    p.set_defaults(func=cmd_class)
    # ------------------------------------------------------------------------------------------------------------
    return parser


def main(argv=None) -> int:
    """Entry point of the ``levelii`` console script.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 on success; 1 for an invalid case file (one line per problem); 2 for any other
        user error (one line); 130 when interrupted.
    """
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except CaseError as exc:
        for problem in exc.problems:
            print(f"levelii: error: {problem}", file=sys.stderr)
        return 1
    except LeveliiError as exc:
        print(f"levelii: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("levelii: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

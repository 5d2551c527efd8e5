"""The debrief deck (levelii slides) without a browser: its slides against the case files, escaping, paths, the CLI.

The browser tests (every chapter's deck in offline Chromium) are in tests/test_slides_browser.py; the instructor
edition's teaching package in tests/test_slides_package.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import levelii_kit as lk
from levelii_kit.book import slides
from levelii_kit.book.slides import (
    DeckError,
    build_deck,
    check_output,
    deck_html,
    deck_slides,
    move_effect_data,
    move_effect_figure,
    whatif_spec,
)
from levelii_kit.chapter import setup
from levelii_kit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SLUGS = sorted(p.parent.name for p in lk.list_cases())
TINY_ROLES = ROOT / "tests" / "fixtures" / "slides" / "tiny_roles" / "case.yaml"
TINY_BASICS = ROOT / "tests" / "fixtures" / "site" / "cases" / "tiny_basics" / "case.yaml"


def helping_moves(case):
    """The moves a chapter switches on by default: role help, not already on in the baseline (README)."""
    return [m for m in case.moves if m.role == "help" and not m.default]


@pytest.fixture(scope="module")
def decks():
    return {slug: deck_slides(slug) for slug in SLUGS}


@pytest.mark.parametrize("slug", SLUGS)
def test_the_deck_follows_the_case_file(decks, slug):
    case = lk.load_case(slug)
    deck = decks[slug]
    kinds = [s.kind for s in deck.slides]
    assert kinds[0] == "title" and deck.slides[0].title == " ".join(case.title.split())
    # learning goals, every one of them, on the slides after the title
    goals = [item for s in deck.slides if s.title.startswith("Learning goals") for item in s.items]
    assert goals == list(case.teaching["learning_goals"])
    # the story: every timeline entry, in order, with its fact's sources and its unverified flag
    facts = {f.id: f for f in case.facts}
    rows = [row for s in deck.slides if s.kind == "timeline" for row in s.items]
    expected = [
        (when, facts[fid].text, facts[fid].sources, facts[fid].status == "unverified") for when, fid in case.timeline
    ]
    if not expected:  # no timeline: the facts themselves
        expected = [(f.when or "", f.text, f.sources, f.status == "unverified") for f in case.facts]
    assert rows == expected
    # the actor map, the baseline's support and win-sets
    titles = [s.figure.title for s in deck.slides if s.figure is not None]
    assert any(t.startswith("Who sits at the table") or "table" in t.lower() for t in titles), titles
    # predict, then reveal: a slide per prompt, in order, with the model's answer in the words the casebook uses
    from levelii_kit.predictions import reveal_all

    predict = [s for s in deck.slides if s.kind == "predict"]
    assert [s.items[0] for s in predict] == [" ".join(p.prompt.split()) for p in case.predictions]
    assert [s.info["reveal"] for s in predict] == [r.text for r in reveal_all(case).values()]
    assert kinds.index("predict") < kinds.index("move") if predict and "move" in kinds else True
    # one slide per helping move, in the case file's order, each with a figure of its own
    moves = [s for s in deck.slides if s.kind == "move"]
    assert [s.title for s in moves] == [m.label for m in helping_moves(case)]
    for slide, move in zip(moves, helping_moves(case)):
        assert slide.figure is not None
        assert slide.info["category"] == move.category
        assert slide.info["sources"] == tuple(move.sources)
        assert slide.info["happened"] == " ".join(move.happened.split())
    # the what-if figure keeps its slider and buttons
    whatif = [s for s in deck.slides if s.figure is not None and s.figure.spec["layout"].get("sliders")]
    assert len(whatif) == 1
    layout = whatif[0].figure.spec["layout"]
    assert layout["updatemenus"][0]["buttons"] and len(layout["sliders"][0]["steps"]) >= 6
    # the debrief questions, all of them, numbered on
    debrief = [s for s in deck.slides if s.title.startswith("Debrief")]
    assert [q for s in debrief for q in s.items] == list(case.teaching["debrief"])
    assert [s.info["start"] for s in debrief] == [1 + 6 * k for k in range(len(debrief))]
    # speaker notes: the instructor notes on the title slide and with the debrief; the session plan on the title
    for slide in [deck.slides[0], *debrief]:
        for note in case.teaching["instructor_notes"]:
            assert note in slide.notes
    if case.session:
        assert (
            f"Session plan: {case.session.minutes} minutes, groups of {case.session.group_size}."
            in deck.slides[0].notes
        )
    # sources: every source the slides cite, with its citation, and no other
    cited = {sid for row in rows for sid in row[2]} | {sid for m in helping_moves(case) for sid in m.sources}
    listed = [src for s in deck.slides if s.kind == "sources" for src in s.items]
    assert {src.id for src in listed} == cited
    # every figure has a title (the slide's heading) and a summary (its caption and a line of the notes)
    for slide in deck.slides:
        if slide.figure is not None:
            assert slide.figure.title and slide.figure.summary
            assert slide.figure.summary in slide.notes
            assert slide.figure.spec["layout"]["title"]["text"] == ""


def test_the_baseline_and_the_move_in_numbers():
    """two_level_basics: B's hawks hold a veto (the default context move): the deal sits at 0.55; mollifying the
    hawks alone brings it back to 0.5 (hand-derived in tests/test_chapter_two_level_basics.py, README)."""
    deck = deck_slides("two_level_basics")
    support = next(s for s in deck.slides if s.title.startswith("Baseline") and "support" in s.title.lower())
    assert "Outcome: The single issue = 0.55" in support.items
    assert "Chance of agreement: 100%" in support.items
    data = move_effect_data(setup("two_level_basics"), "mollify_their_hawk")
    assert data["states"] == ["no help", "this move alone", "the other moves", "all the moves"]
    assert data["panels"][0]["outcome"][0] == pytest.approx(0.55)
    assert data["panels"][1]["outcome"][0] == pytest.approx(0.5)
    assert data["chance"][:2] == [pytest.approx(1.0), pytest.approx(1.0)]  # a crisp model: both deals are certain


def test_the_move_figure_switches_between_its_states():
    ch = setup("crowd_outside")
    data = move_effect_data(ch, "hear_him_out")
    fig = move_effect_figure(data)
    buttons = fig.layout.updatemenus[0].buttons
    per = len(fig.data) // len(buttons)
    assert [b.label for b in buttons] == data["states"]
    for k, button in enumerate(buttons):  # each button shows exactly its own state's traces
        assert list(button.args[0]["visible"]) == [k * per <= t < (k + 1) * per for t in range(len(fig.data))]
    assert [bool(t.visible) for t in fig.data] == [t < per for t in range(len(fig.data))]  # opens on "no help"
    with pytest.raises(KeyError, match="not one of the chapter's helping moves"):
        move_effect_data(ch, "nope")


def notebook_whatif(slug):
    """The constituency a chapter's own what-if figure varies, as its author chose it (the notebook's source)."""
    nb = json.loads((ROOT / "cases" / slug / f"{slug}.ipynb").read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    return re.search(r"whatif_data\(\s*ch,\s*\"(\w+)\"", source).group(1)


@pytest.mark.parametrize("slug", SLUGS)
def test_whatif_spec_picks_the_constituency_the_chapter_author_picked(slug):
    name, steps, sets = whatif_spec(setup(slug))
    assert name == notebook_whatif(slug)
    case = lk.load_case(slug)
    strength = case.scenario.constituency(name).strength
    assert steps == [pytest.approx(f * strength, rel=1e-2) for f in slides.WHATIF_FACTORS]
    ids = [m.id for m in helping_moves(case)]
    assert sets["no help"] == [] and sets["all helping moves"] == ids
    if len(ids) <= slides.WHATIF_SINGLE_MOVES and len(ids) > 1:
        assert sorted(v[0] for k, v in sets.items() if k.startswith("only ")) == sorted(ids)
    elif len(ids) > slides.WHATIF_SINGLE_MOVES:  # german_unification: nine moves in four categories
        categories = {m.category for m in helping_moves(case)}
        assert {k.removeprefix("only ") for k in sets if k.startswith("only ")} == categories


def test_a_case_without_moves_or_roles_still_gets_a_deck():
    deck = deck_slides(str(TINY_BASICS))
    kinds = [s.kind for s in deck.slides]
    assert "move" not in kinds and kinds[0] == "title"
    whatif = [s for s in deck.slides if s.figure is not None and s.figure.spec["layout"].get("sliders")]
    assert [b["label"] for b in whatif[0].figure.spec["layout"]["updatemenus"][0]["buttons"]] == ["no help"]


def test_case_text_is_escaped():
    """The fixture's title is '<b>fixture</b> & ...' and a debrief question says '<first>': shown as text."""
    html = deck_html(deck_slides(str(TINY_ROLES)))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None
    assert "Tiny roles: a <b>fixture</b> & its package" in soup.find("h1").get_text()
    assert "Which constituency binds <first>?" in soup.get_text()
    assert "&lt;b&gt;fixture&lt;/b&gt; &amp; its package" in html


def test_figure_json_cannot_end_its_script_element():
    nasty = {"data": [], "layout": {"title": {"text": "</script><script>alert(1)</script> & <!--"}}}
    text = slides._script_json(nasty)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == nasty
    html = deck_html(deck_slides(str(TINY_ROLES)))
    soup = BeautifulSoup(html, "html.parser")
    data = soup.find_all("script", type="application/json")
    assert len(data) == len(deck_slides(str(TINY_ROLES)).figures)
    for script in data:
        assert set(json.loads(script.string)) >= {"data", "layout"}


def test_deck_html_loads_nothing_from_a_network():
    soup = BeautifulSoup(deck_html(deck_slides("crowd_outside")), "html.parser")
    refs = [t.get("src") for t in soup.find_all("script") if t.get("src")] + [
        t.get("href") for t in soup.find_all("link")
    ]
    assert refs and not [r for r in refs if re.match(r"(https?:)?//", r)]
    assert [t.get("src") for t in soup.find_all("script") if t.get("src")] == [
        "levelii-deck/plotly.min.js",
        "levelii-deck/reveal/reveal.js",
        "levelii-deck/reveal/plugin/notes.js",
        "levelii-deck/deck.js",
    ]
    assert len(soup.select("aside.notes")) >= 3


def test_build_deck_writes_the_deck_and_its_assets(tmp_path):
    result = build_deck("cuban_missile_jupiters", tmp_path / "deck" / "cuban.html")
    assert result.path == tmp_path / "deck" / "cuban.html" and result.path.is_file()
    assets = tmp_path / "deck" / "levelii-deck"
    for name in ("reveal/reveal.js", "reveal/reveal.css", "reveal/theme/white.css", "reveal/plugin/notes.js"):
        assert (assets / name).is_file() and (assets / name).stat().st_size > 1000
    assert (assets / "reveal" / "LICENSE").read_text(encoding="utf-8").startswith("Copyright")
    assert (assets / "plotly.min.js").stat().st_size > 1_000_000
    assert not list((tmp_path / "deck").glob(".*.part"))  # no temporary file left behind


@pytest.mark.parametrize(
    "name, message",
    [
        ("deck.txt", "-o/--output must name an .html file, got"),
        ("afile/deck.html", "afile is not a folder"),
        ("folder.html", "is a folder; name the deck's .html file"),
    ],
)
def test_check_output_rejects_a_bad_path_in_one_line(tmp_path, name, message):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(DeckError, match=re.escape(message)) as info:
        check_output(tmp_path / name)
    assert "\n" not in str(info.value)


def test_a_missing_reveal_js_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(slides, "REVEAL_FILES", ("reveal.js", "no-such-file.js"))
    with pytest.raises(DeckError, match=r"reveal.js is not installed .*npm ci --prefix casebook"):
        slides.reveal_dir()


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["slides", "no_such_case"], 1, "no_such_case: no such case"),
        (["slides", "crowd_outside", "-o", "deck.pdf"], 2, "-o/--output must name an .html file, got 'deck.pdf'"),
        (["slides"], 2, "the following arguments are required: slug"),
    ],
)
def test_cli_user_errors_are_one_line(argv, code, message, capsys):
    assert main(argv) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and err[-1].startswith("levelii: error:")
    assert not any("Traceback" in line for line in err)


def test_cli_writes_the_deck(tmp_path, capsys):
    out = tmp_path / "crowd.html"
    assert main(["slides", "crowd_outside", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "slides" in printed
    assert (tmp_path / "levelii-deck" / "deck.js").is_file()

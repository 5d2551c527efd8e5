"""Case-file validation: every malformed file fails with a message naming the file and the field."""

import copy
import time
from pathlib import Path

import pytest
import yaml

import levelii_kit as lk
from levelii_kit.casefile import MAX_BYTES

GOOD = Path(__file__).resolve().parent.parent / "cases" / "two_level_basics" / "case.yaml"


@pytest.fixture(scope="module")
def good():
    return yaml.safe_load(GOOD.read_text())


def write(tmp_path, data, name="case.yaml"):
    folder = tmp_path / "two_level_basics"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data)
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def problems(path):
    with pytest.raises(lk.CaseError) as info:
        lk.load_case(path)
    lines = str(info.value).splitlines()
    assert all(line.startswith(str(path)) for line in lines), lines
    return lines


def mutate(good, fn):
    data = copy.deepcopy(good)
    fn(data)
    return data


def has(lines, path, *words):
    hits = [line for line in lines if f": {path}: " in line]
    assert hits, f"no problem reported at {path!r}: {lines}"
    assert any(all(w in line for w in words) for line in hits), hits


MALFORMED = [
    (
        "wrong type",
        lambda d: d["sides"][1]["constituencies"][2].update(strength="high"),
        "sides[1] (B).constituencies[2] (B_dove).strength",
        ("expected a number", "'high'"),
    ),
    (
        "out of range",
        lambda d: d["sides"][0]["constituencies"][1].update(blocking=1.5),
        "sides[0] (A).constituencies[1] (A_hawk).blocking",
        ("less than or equal to 1",),
    ),
    (
        "negative",
        lambda d: d["sides"][0]["constituencies"][0].update(tolerance=-0.1),
        "sides[0] (A).constituencies[0] (A_leader).tolerance",
        ("greater than or equal to 0",),
    ),
    (
        "nan",
        lambda d: d["sides"][1]["constituencies"][1].update(tolerance=float("nan")),
        "sides[1] (B).constituencies[1] (B_hawk).tolerance",
        ("finite",),
    ),
    (
        "inf",
        lambda d: d["sides"][1]["constituencies"][1].update(threat=float("inf")),
        "sides[1] (B).constituencies[1] (B_hawk).threat",
        ("finite",),
    ),
    (
        "unknown target",
        lambda d: d["interventions"][2].update(target="B_hawkk"),
        "interventions[2] (mollify_their_hawk).target",
        ("unknown constituency", "B_hawkk"),
    ),
    (
        "unknown source",
        lambda d: d["facts"][0].update(sources=["nobody2020"]),
        "facts[0] (f_two_levels).sources[0]",
        ("unknown source id", "nobody2020"),
    ),
    (
        "duplicate source id",
        lambda d: d["sources"].append(dict(d["sources"][0])),
        "sources[7] (putnam1988).id",  # two_level_basics lists 7 sources; the copy is the 8th
        ("duplicate id", "putnam1988"),
    ),
    (
        "duplicate constituency",
        lambda d: d["sides"][1]["constituencies"][2].update(name="A_dove"),
        "sides[1] (B).constituencies[2] (A_dove).name",
        ("duplicate constituency name",),
    ),
    (
        "duplicate intervention",
        lambda d: d["interventions"][1].update(id="our_hawk_veto"),
        "interventions[1] (our_hawk_veto).id",
        ("duplicate id",),
    ),
    ("missing title", lambda d: d.pop("title"), "title", ("required field is missing",)),
    (
        "missing ideal",
        lambda d: d["sides"][0]["constituencies"][0].pop("ideal"),
        "sides[0] (A).constituencies[0] (A_leader).ideal",
        ("required field is missing",),
    ),
    ("empty side", lambda d: d["sides"][0].update(constituencies=[]), "sides[0] (A).constituencies", ("at least 1",)),
    ("one side only", lambda d: d.update(sides=d["sides"][:1]), "sides", ("at least 2",)),
    (
        "unknown field",
        lambda d: d["sides"][0]["constituencies"][0].update(strenght=2),
        "sides[0] (A).constituencies[0] (A_leader).strenght",
        ("unknown field",),
    ),
    (
        "leader not in side",
        lambda d: d["sides"][0].update(leader="B_leader"),
        "sides[0] (A).leader",
        ("not one of this side's constituencies",),
    ),
    (
        "category mismatch",
        lambda d: d["interventions"][2].update(category="direct action"),
        "interventions[2] (mollify_their_hawk).category",
        ("statements",),
    ),
    (
        "term value for unknown constituency",
        lambda d: d["terms"][0]["values"].update(C_hawk=0.1),
        "terms[0] (assurance).values.C_hawk",
        ("unknown constituency",),
    ),
    (
        "ideal of the wrong length",
        lambda d: d["sides"][0]["constituencies"][0].update(ideal=[0.0, 0.2]),
        "sides[0] (A).constituencies[0] (A_leader).ideal",
        ("expected 1 value",),
    ),
    ("slug mismatch", lambda d: d.update(slug="another_case"), "slug", ("folder name",)),
    (
        "unknown intervention type",
        lambda d: d["interventions"][0].update(type="Bribe"),
        "interventions[0] (our_hawk_veto)",
        ("unknown intervention type", "Bribe"),
    ),
    (
        "bad rule preset",
        lambda d: d["sides"][1]["rule"].update(preset="landslide"),
        "sides[1] (B).rule.preset",
        ("simple_majority",),
    ),
    (
        "bad url",
        lambda d: d["sources"][0].update(url="javascript:alert(1)"),
        "sources[0] (putnam1988).url",
        ("pattern",),
    ),
    (
        "boolean as number",
        lambda d: d["sides"][0]["constituencies"][0].update(strength=True),
        "sides[0] (A).constituencies[0] (A_leader).strength",
        ("expected a number",),
    ),
    (
        "unknown move role",
        lambda d: d["interventions"][0].update(role="helper"),
        "interventions[0] (our_hawk_veto).role",
        ("'help'", "'context'", "'harm'", "'helper'"),
    ),
    (
        "source with neither citation nor title",
        lambda d: [d["sources"][0].pop(k, None) for k in ("citation", "title")],
        "sources[0] (putnam1988)",
        ("give a citation", "author, title and year"),
    ),
    (
        "source year not a year",
        lambda d: d["sources"][0].update(year="recent"),
        "sources[0] (putnam1988).year",
        ("'recent'",),
    ),
    (
        "tolerance without status quo",
        lambda d: d["sides"][0]["constituencies"][2].pop("tolerance"),
        "sides[0] (A).constituencies[2] (A_dove).tolerance",
        ("status_quo",),
    ),
]


@pytest.mark.parametrize("label, fn, path, words", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_field(tmp_path, good, label, fn, path, words):
    lines = problems(write(tmp_path, mutate(good, fn)))
    has(lines, path, *words)


def test_every_problem_is_reported_at_once(tmp_path, good):
    def many(d):
        d["sides"][1]["constituencies"][2]["strength"] = "high"
        d["sides"][0]["constituencies"][1]["blocking"] = 2
        d["interventions"][2]["target"] = "nobody"
        d["facts"][1]["sources"] = ["missing_source"]

    lines = problems(write(tmp_path, mutate(good, many)))
    assert len(lines) == 4, lines


def test_yaml_syntax_error(tmp_path):
    lines = problems(write(tmp_path, "title: [unclosed\nsides: 1\n"))
    assert "line 2, column 6" in lines[0] and "YAML error" in lines[0]


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    start = time.perf_counter()
    lines = problems(write(tmp_path, bomb))
    assert time.perf_counter() - start < 2.0
    assert "aliases" in lines[0] and "line 2" in lines[0]


def test_non_utf8(tmp_path):
    lines = problems(write(tmp_path, b"title: caf\xe9\n"))
    assert "not valid UTF-8" in lines[0] and "0xe9" in lines[0]


@pytest.mark.parametrize("text, kind", [("- 1\n- 2\n", "list"), ("just a string\n", "str"), ("", "empty")])
def test_non_mapping_document(tmp_path, text, kind):
    lines = problems(write(tmp_path, text))
    assert "must be a mapping" in lines[0] and kind in lines[0]


def test_oversized_file(tmp_path):
    lines = problems(write(tmp_path, "title: x\n" + "# padding\n" * (MAX_BYTES // 10 + 10)))
    assert f"at most {MAX_BYTES} bytes" in lines[0]


def test_python_tags_never_run(tmp_path):
    lines = problems(write(tmp_path, "title: !!python/object/apply:os.system ['echo pwned']\n"))
    assert "YAML error" in lines[0]


def test_unknown_slug_and_missing_file(tmp_path):
    with pytest.raises(lk.CaseError, match="no such case; known cases: .*two_level_basics"):
        lk.load_case("no_such_case")
    with pytest.raises(lk.CaseError, match="file not found"):
        lk.load_case(tmp_path / "missing.yaml")


def test_every_shipped_case_is_valid():
    paths = lk.list_cases()
    assert paths
    for path in paths:
        case = lk.load_case(path)
        assert case.slug == path.parent.name
        assert case.teaching["assumptions"], f"{path}: say that the model's numbers are teaching assumptions"
        for fact in case.facts:
            assert fact.sources


def test_loaded_case_is_frozen_and_text_is_plain():
    case = lk.load_case("two_level_basics")
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError
        case.title = "changed"
    assert case.scenario == lk.load_case(GOOD).scenario
    assert case.scenario_with(["mollify_their_hawk"]).constituency("B_hawk").threat == pytest.approx(0.0)
    with pytest.raises(KeyError, match="no move"):
        case.scenario_with(["nope"])


# ------------------------------------------------------------------------------------------- sources and roles
def test_a_source_with_only_a_citation_still_loads(tmp_path, good):
    """Backward compatible: an instructor's case with `citation` only (no author/title/year) is valid."""

    def citation_only(d):
        d["sources"] = [{"id": s["id"], "citation": f"A reference for {s['id']}."} for s in d["sources"]]

    case = lk.load_case(write(tmp_path, mutate(good, citation_only)))
    first = case.sources[0]
    assert first.citation == f"A reference for {first.id}."
    assert (first.author, first.title, first.year) == (None, None, None)


def test_citation_is_composed_from_the_fields(tmp_path, good):
    def fields_only(d):
        d["sources"][0] = {
            "id": d["sources"][0]["id"],
            "author": "Putnam, R. D.",
            "title": "Diplomacy and Domestic Politics: The Logic of Two-Level Games",
            "year": 1988,
            "container": "International Organization 42(3)",
            "pages": "427-460",
        }

    case = lk.load_case(write(tmp_path, mutate(good, fields_only)))
    src = case.sources[0]
    # written out by hand in the author-date style of the README's references
    assert src.citation == (
        "Putnam, R. D. (1988). Diplomacy and Domestic Politics: The Logic of Two-Level Games. "
        "International Organization 42(3): 427-460."
    )
    assert (src.author, src.year, src.pages) == ("Putnam, R. D.", "1988", "427-460")


def test_format_citation_books_and_chapters():
    fmt = lk.casefile.format_citation
    assert fmt("Schelling, T. C.", "The Strategy of Conflict", 1960, publisher="Harvard University Press") == (
        "Schelling, T. C. (1960). The Strategy of Conflict. Harvard University Press."
    )
    assert fmt("Kieninger, S.", "A chapter", "2019", container="An edited book", pages="ch. 11") == (
        "Kieninger, S. (2019). A chapter. An edited book: ch. 11."
    )
    assert fmt(title="Untitled note", pages="12-14") == "Untitled note. pp. 12-14."
    assert fmt("Only an author") == "Only an author."


def test_move_roles_default_to_help_and_are_exposed():
    case = lk.load_case("two_level_basics")
    roles = {m.id: m.role for m in case.moves}
    assert roles == {
        "our_hawk_veto": "harm",
        "their_hawk_veto": "context",
        "mollify_their_hawk": "help",
        "inflame_their_hawk": "harm",
        "offer_assurance": "help",
        "empower_their_doves": "help",
    }
    assert lk.casefile.ROLES == ("help", "context", "harm")


def test_every_shipped_move_has_a_role_and_harm_or_context_is_never_default_help():
    for path in lk.list_cases():
        case = lk.load_case(path)
        for m in case.moves:
            assert m.role in ("help", "context", "harm"), (case.slug, m.id)
        chosen = lk.chapter.check_parameters(case).moves
        assert all(case.move(m).role == "help" and not case.move(m).default for m in chosen), case.slug

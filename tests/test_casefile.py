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
        "sources[6] (putnam1988).id",
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

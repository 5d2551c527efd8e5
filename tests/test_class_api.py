"""The live class session's API, in process (the real app, middleware included): valid, invalid and unauthorised.

Model values are derived by hand from the canonical classroom scenario (casebook/front_matter/model.md §10,
two_level_basics): the chapter starts with B's hawks' veto on, so the ZOPA is [0.55, 0.6] and the deal at 0.55 with
certainty; with A's gloating too, no deal.
"""

from __future__ import annotations

import csv
import io
import socket
import sqlite3
import warnings

import pytest

import levelii_kit as lk
from levelii_kit.book.classroom import ClassError, ClassStore, Limits, create_app
from levelii_kit.book.classroom.schema import example_body

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx; the client works
    from fastapi.testclient import TestClient

TOKEN = "test-token-Zx9"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLUG = "two_level_basics"


@pytest.fixture
def session(tmp_path):
    case = lk.load_case(SLUG)
    store = ClassStore(tmp_path / "class.sqlite3", case.slug)
    app = create_app(case, store, TOKEN, "http://127.0.0.1:9/")
    with TestClient(app) as client:
        yield client, store
    store.close()


def pred(participant, question, answer, name="Ada"):
    return {"kind": "prediction", "participant": participant, "name": name, "question": question, "answer": answer}


def outcome(participant, group, deal, point, moves=(), a=True, b=True, name="Bo"):
    return {
        "kind": "outcome",
        "participant": participant,
        "name": name,
        "group": group,
        "deal": deal,
        "point": point,
        "moves": list(moves),
        "ratified": {"A": a, "B": b},
    }


# ------------------------------------------------------------------------------------------------ valid
def test_every_post_is_a_row_and_aggregates_use_the_latest(session):
    client, store = session
    ids = []
    for answer in ("yes", "no", "yes", "no"):  # p1 changes its mind three times: four rows, one answer (no)
        r = client.post("/api/responses", json=pred("participant1", "gloat_after_veto", answer))
        assert r.status_code == 201
        ids.append(r.json()["id"])
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert client.post("/api/responses", json=pred("participant2", "gloat_after_veto", "yes")).status_code == 201
    for pid, x in (("participant1", 0.4), ("participant2", 0.6), ("participant3", 0.5)):
        assert client.post("/api/responses", json=pred(pid, "their_veto_outcome", x)).status_code == 201
    data = client.get("/api/results", headers=AUTH).json()
    assert data["count"] == 8 == store.count()
    assert data["participants"] == 3
    q = {item["id"]: item for item in data["questions"]}
    assert (q["gloat_after_veto"]["n"], q["gloat_after_veto"]["yes"], q["gloat_after_veto"]["no"]) == (2, 1, 1)
    point = q["their_veto_outcome"]
    assert point["values"] == [0.4, 0.5, 0.6]
    assert point["median"] == pytest.approx(0.5) and point["mean"] == pytest.approx(0.5)
    assert point["histogram"]["counts"] == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    # the model's values beside them (casebook/front_matter/model.md §10): 0.55 with B's hawks' veto; no deal after
    # the gloating
    assert point["model"]["value"] == pytest.approx(0.55)
    assert q["gloat_after_veto"]["model"]["answer"] == "no"


def test_group_outcomes_beside_the_model(session):
    client, _ = session
    posts = [
        outcome("participant1", "Table 1", True, 0.5, ["mollify_their_hawk"]),
        # the same table (names compared without case or extra spaces), reported later: it replaces the first
        outcome("participant2", "  table   1 ", True, 0.45, [], a=True, b=False),
        outcome("participant3", "Table 2", False, None, ["inflame_their_hawk"], a=False, b=False),
    ]
    for body in posts:
        assert client.post("/api/responses", json=body).status_code == 201
    out = client.get("/api/results", headers=AUTH).json()["outcomes"]
    assert out["n_groups"] == 2 and out["deals"] == 1 and out["ratified"] == 0
    assert out["share_ratified"] == 0.0
    assert out["side_share"] == {"A": 0.5, "B": 0.0}
    # the chapter starts with B's hawks' veto on (tolerance 0.7, threat 0.1: they accept from 0.55) and A's side
    # ratifies up to 0.6, so with no moves the ZOPA is [0.55, 0.6] and the midpoint 0.5 is clipped to a certain
    # deal at 0.55; gloating raises the hawks' threat and empties the ZOPA: no deal, chance 0
    by = {tuple(m["moves"]): m for m in out["by_moves"]}
    assert by[()]["model_chance"] == 1.0 and by[()]["model_point"] == pytest.approx(0.55)
    assert by[("inflame_their_hawk",)]["model_chance"] == 0.0
    assert by[("inflame_their_hawk",)]["model_agreed"] is False
    assert out["model_chance"] == pytest.approx(0.5)


def test_model_overlay_is_the_library_s(session):
    client, _ = session
    model = client.get("/api/results", headers=AUTH).json()["model"]
    base = model["baseline"]
    # A's leader and doves (2 of 3) accept up to 0.6; B's hawks veto everything below 0.55; the issue runs over [0, 1]
    assert base["win_sets"]["A"] == [[0.0, pytest.approx(0.6)]]
    assert base["win_sets"]["B"] == [[pytest.approx(0.55), 1.0]]
    assert base["zopa"] == [[pytest.approx(0.55), pytest.approx(0.6)]]
    assert base["point"] == pytest.approx(0.55) and base["chance"] == 1.0
    case = lk.load_case(SLUG)
    helped = case.scenario_with([m.id for m in case.moves])
    assert model["helped"]["zopa"] == [list(iv) for iv in lk.zopa(helped).intervals_of(0)]


def test_openapi_example_is_valid_for_the_chapter(session):
    client, store = session
    doc = client.get("/openapi.json").json()
    schema = doc["paths"]["/api/responses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    examples = schema["examples"]
    assert examples[0] == example_body(lk.load_case(SLUG))
    assert {e["kind"] for e in examples} == {"prediction", "outcome"}
    for body in examples:
        assert client.post("/api/responses", json=body).status_code == 201
    assert store.count() == 2
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_pages_and_assets_are_local(session):
    client, _ = session
    student = client.get("/")
    assert student.status_code == 200 and "text/html" in student.headers["content-type"]
    assert "default-src 'self'" in student.headers["content-security-policy"]
    assert client.get("/instructor").status_code == 200
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    for page in (student.text, client.get("/instructor").text):
        assert "http://" not in page and "https://" not in page
    qr = client.get("/api/qr.svg")
    assert qr.status_code == 200 and qr.text.lstrip().startswith(("<?xml", "<svg"))


# ---------------------------------------------------------------------------------------------- invalid
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (pred("participant1", "nope", "yes"), "expected kind 'outcome', or kind 'prediction' with a question"),
        ({"kind": "vote", "participant": "participant1", "name": "A"}, "expected kind 'outcome'"),
        (pred("participant1", "gloat_after_veto", "maybe"), "answer: Input should be 'yes' or 'no'"),
        (pred("participant1", "their_veto_outcome", "0.5"), "answer: Input should be a valid number"),
        (pred("participant1", "their_veto_outcome", True), "answer: Input should be a valid number"),
        (pred("participant1", "their_veto_outcome", 1.5), "answer: Input should be less than or equal to 1"),
        (pred("short", "gloat_after_veto", "yes"), "participant: String should match pattern"),
        (pred("participant1", "gloat_after_veto", "yes", name=""), "name: String should have at least 1 character"),
        (pred("participant1", "gloat_after_veto", "yes", name="x" * 41), "name: String should have at most 40"),
        (pred("participant1", "gloat_after_veto", "yes", name="a\nb"), "name: String should match pattern"),
        ({**pred("participant1", "gloat_after_veto", "yes"), "extra": 1}, "extra: unknown field"),
        ({"kind": "prediction", "participant": "participant1", "question": "gloat_after_veto"}, "required field"),
        (outcome("participant1", "T", True, None), "point is required when deal is true"),
        (outcome("participant1", "T", False, 0.5), "point must be null when there was no deal"),
        (outcome("participant1", "T", False, None, a=True), "no side can ratify when there was no deal"),
        (outcome("participant1", "T", True, 0.5, ["offer_assurance"] * 2), "a move is listed twice"),
        (outcome("participant1", "T", True, 0.5, ["fly_to_the_moon"]), "moves.0: Input should be"),
        ({**outcome("participant1", "T", True, 0.5), "ratified": {"A": True}}, "ratified.B: required field"),
        ({**outcome("participant1", "T", True, 0.5), "ratified": {"A": 1, "B": 0}}, "ratified.A: Input should be"),
        ([1, 2], "expected kind 'outcome'"),
        ("__import__('os').system('true')", "expected kind 'outcome'"),
    ],
)
def test_bad_responses_get_a_422_with_one_line(session, body, message):
    client, store = session
    r = client.post("/api/responses", json=body)
    assert r.status_code == 422, r.text
    assert message in r.json()["error"], r.json()["error"]
    assert "\n" not in r.json()["error"]
    assert store.count() == 0


def test_non_json_missing_and_oversized_bodies(session):
    client, store = session
    r = client.post("/api/responses", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "the body is not valid JSON"
    r = client.post("/api/responses", content=b"kind=prediction", headers={"content-type": "text/plain"})
    assert 400 <= r.status_code < 500
    r = client.post("/api/responses")
    assert r.status_code == 422 and r.json()["error"] == "a JSON body is required"
    big = pred("participant1", "gloat_after_veto", "yes", name="x" * 40)
    big["pad"] = "y" * 5000
    r = client.post("/api/responses", json=big)
    assert r.status_code == 413 and "at most 4096 bytes" in r.json()["error"]

    def chunks():  # no content-length: the limit still holds while the body streams in
        for _ in range(10):
            yield b"x" * 1000

    r = client.post("/api/responses", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert store.count() == 0


def test_rate_limit_is_per_participant_not_per_address(tmp_path):
    case = lk.load_case(SLUG)
    store = ClassStore(tmp_path / "rate.sqlite3", case.slug)
    app = create_app(case, store, TOKEN, "http://127.0.0.1:9/", Limits(burst=3, rate=0.001))
    with TestClient(app) as client:
        codes = [client.post("/api/responses", json=pred("flooder01", "gloat_after_veto", "yes")).status_code]
        codes += [client.post("/api/responses", json=pred("flooder01", "gloat_after_veto", "no")).status_code]
        codes += [client.post("/api/responses", json=pred("flooder01", "gloat_after_veto", "no")).status_code]
        r = client.post("/api/responses", json=pred("flooder01", "gloat_after_veto", "yes"))
        assert codes == [201, 201, 201]
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert "too many responses" in r.json()["error"]
        # the same address, another participant: accepted
        assert client.post("/api/responses", json=pred("neighbour", "gloat_after_veto", "yes")).status_code == 201
    assert store.count() == 4
    store.close()


def test_global_ceiling(tmp_path):
    case = lk.load_case(SLUG)
    store = ClassStore(tmp_path / "rate.sqlite3", case.slug)
    app = create_app(case, store, TOKEN, "http://127.0.0.1:9/", Limits(global_burst=5, global_rate=0.001))
    with TestClient(app) as client:
        codes = [
            client.post("/api/responses", json=pred(f"participant{i:03d}", "gloat_after_veto", "yes")).status_code
            for i in range(7)
        ]
    assert codes == [201] * 5 + [429] * 2
    store.close()


def test_rate_limiter_refills():
    from levelii_kit.book.classroom import RateLimiter

    limiter = RateLimiter(burst=2, rate=1.0)
    assert limiter.allow("p", now=0.0) == 0 and limiter.allow("p", now=0.0) == 0
    assert limiter.allow("p", now=0.0) == pytest.approx(1.0)  # empty: one token a second
    assert limiter.allow("p", now=1.0) == 0


# ----------------------------------------------------------------------------------------- unauthorised
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer ünï".encode("latin-1")},
    ],
)
def test_instructor_routes_need_the_token(session, headers):
    client, store = session
    client.post("/api/responses", json=pred("participant1", "gloat_after_veto", "yes"))
    for method, path, kwargs in (
        ("get", "/api/results", {}),
        ("get", "/api/export.csv", {}),
        ("put", "/api/reveal/gloat_after_veto", {"json": {"revealed": True}}),
        ("delete", "/api/responses", {}),
    ):
        r = getattr(client, method)(path, headers=headers, **kwargs)
        assert r.status_code == 401, (path, r.status_code)
        assert r.headers["WWW-Authenticate"] == "Bearer"
        assert "count" not in r.text and "yes" not in r.text
    assert store.count() == 1 and store.reveals() == {}


def test_students_see_only_what_was_revealed(session):
    client, _ = session
    client.post("/api/responses", json=pred("participant1", "gloat_after_veto", "yes"))
    client.post("/api/responses", json=pred("participant1", "their_veto_outcome", 0.3))
    client.post("/api/responses", json=outcome("participant1", "T1", True, 0.5))
    hidden = client.get("/api/public").json()
    assert hidden == {"questions": [], "outcomes": None, "model": None}
    r = client.get("/api/compare", params={"question": "gloat_after_veto", "guess": "yes"})
    assert r.status_code == 403
    assert client.put("/api/reveal/gloat_after_veto", json={"revealed": True}, headers=AUTH).status_code == 200
    shown = client.get("/api/public").json()
    assert [q["id"] for q in shown["questions"]] == ["gloat_after_veto"]
    assert shown["questions"][0]["yes"] == 1 and shown["outcomes"] is None
    assert "Ada" not in str(shown)  # no names reach the room
    line = client.get("/api/compare", params={"question": "gloat_after_veto", "guess": "yes"}).json()["line"]
    assert (
        line == "You said yes; in the model there is no deal (empty ZOPA: no deal is ratified on both sides), so: no."
    )
    assert client.get("/api/compare", params={"question": "their_veto_outcome", "guess": "0.3"}).status_code == 403
    assert client.get("/api/compare", params={"question": "nope", "guess": "1"}).status_code == 404
    client.put("/api/reveal/outcomes", json={"revealed": True}, headers=AUTH)
    assert client.get("/api/public").json()["outcomes"]["n_groups"] == 1
    client.put("/api/reveal/gloat_after_veto", json={"revealed": False}, headers=AUTH)
    assert [q["id"] for q in client.get("/api/public").json()["questions"]] == []
    assert client.put("/api/reveal/nope", json={"revealed": True}, headers=AUTH).status_code == 404
    assert client.put("/api/reveal/outcomes", json={"revealed": "yes"}, headers=AUTH).status_code == 422


def test_export_and_clear(session):
    client, store = session
    client.post("/api/responses", json=pred("participant1", "gloat_after_veto", "yes", name="=HYPERLINK(1)"))
    client.post("/api/responses", json=outcome("participant2", "@T1", True, 0.5, ["offer_assurance"], b=False))
    r = client.get("/api/export.csv", headers=AUTH)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["kind"] for row in rows] == ["prediction", "outcome"]
    assert rows[0]["name"] == "'=HYPERLINK(1)" and rows[0]["answer"] == "yes"  # no spreadsheet formula
    assert rows[1]["group"] == "'@T1" and rows[1]["point"] == "0.5" and rows[1]["moves"] == "offer_assurance"
    assert (rows[1]["ratified_A"], rows[1]["ratified_B"]) == ("True", "False")
    assert client.delete("/api/responses", headers=AUTH).json() == {"deleted": 2}
    assert store.count() == 0 and client.get("/api/results", headers=AUTH).json()["count"] == 0


def test_unknown_routes_and_methods_are_4xx(session):
    client, _ = session
    assert client.get("/api/nothing").status_code == 404
    assert client.patch("/api/responses", json={}).status_code == 405
    assert client.get("/docs").status_code == 404  # no CDN-backed docs page


# ---------------------------------------------------------------------------------------------- storage
def test_store_is_wal_with_a_schema_version(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = ClassStore(path, SLUG)
    store.add("participant1", "Ada", "prediction", "q", {"answer": "yes"})
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert dict(con.execute("SELECT key, value FROM meta"))["slug"] == SLUG
    assert con.execute("SELECT count(*) FROM responses").fetchone()[0] == 1  # committed, visible to others
    con.close()
    store.close()
    again = ClassStore(path, SLUG)
    assert again.count() == 1
    again.close()


def test_store_refuses_the_wrong_file(tmp_path):
    path = tmp_path / "s.sqlite3"
    ClassStore(path, SLUG).close()
    with pytest.raises(ClassError, match=r"belongs to the case 'two_level_basics', not 'crowd_outside'"):
        ClassStore(path, "crowd_outside")
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version=9")
    con.commit()
    con.close()
    with pytest.raises(ClassError, match=r"made by a newer version of levelii \(schema 9"):
        ClassStore(path, SLUG)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ClassError, match="not a class-session database"):
        ClassStore(junk, SLUG)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(ClassError, match="an SQLite file, but not a class-session database"):
        ClassStore(other, SLUG)


# -------------------------------------------------------------------------------------------------- CLI
def test_cli_user_errors_are_one_line(tmp_path, capsys):
    from levelii_kit.cli import build_parser, main

    args = build_parser().parse_args(["class", SLUG])
    assert args.host == "127.0.0.1" and args.port is None and args.db is None  # loopback unless told otherwise
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["class", SLUG, "--db", str(blocker / "x.sqlite3"), "--no-browser"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"levelii: error: --db {blocker / 'x.sqlite3'}: cannot open")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        code = main(["class", SLUG, "--port", str(port), "--db", str(tmp_path / "c.sqlite3"), "--no-browser"])
    finally:
        busy.close()
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"levelii: error: cannot listen on 127.0.0.1:{port}: Address already in use; pick another with --port"
    ]
    assert main(["class", SLUG, "--port", "70000", "--db", str(tmp_path / "c.sqlite3"), "--no-browser"]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err
    assert main(["class", "no_such_case", "--no-browser"]) == 1
    assert "no such case" in capsys.readouterr().err


def test_a_failed_commit_is_not_acknowledged(session):
    from levelii_kit.book.classroom.store import StorageError

    client, store = session
    store._db.execute("PRAGMA query_only=1")  # every write now fails inside the writer's transaction
    with pytest.raises(StorageError, match="could not store it"):
        store.add("participant1", "Ada", "prediction", "gloat_after_veto", {"answer": "yes"})
    r = client.post("/api/responses", json=pred("participant1", "gloat_after_veto", "yes"))
    assert r.status_code == 503 and "could not store it" in r.json()["error"]
    store._db.execute("PRAGMA query_only=0")
    assert store.count() == 0
    assert client.post("/api/responses", json=pred("participant1", "gloat_after_veto", "yes")).status_code == 201

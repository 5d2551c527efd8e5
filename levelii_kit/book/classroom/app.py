"""The class session's web app (FastAPI on uvicorn): the students' page, the instructor's page and their API.

Routes (the API is described by the app's own ``/openapi.json``):

* ``GET /``: the students' page (phone-sized; a display name, the prediction prompts, the group outcome form);
* ``GET /instructor``: the instructor's page (it reads the token from ``?token=`` and sends it as a header);
* ``GET /api/chapter``: the chapter's prompts, issue, sides and moves (public);
* ``POST /api/responses``: one response (a prediction, or a group outcome); 201 with the stored row's ``id``;
* ``GET /api/public``: what the instructor has revealed to the room, and nothing else;
* ``GET /api/compare``: one line putting a guess beside the model, for a revealed prompt only;
* ``GET /api/results``: every aggregate, with ``count`` (the number of stored rows); instructor only;
* ``PUT /api/reveal/{question}``, ``GET /api/export.csv``, ``DELETE /api/responses``: reveal or hide a question,
  export every row as CSV, clear the session; instructor only;
* ``GET /api/qr.svg``: the QR code of the students' URL; ``GET /api/ping``: a trivial endpoint (benchmark baseline).

Security: the instructor's token is random per session (:func:`secrets.token_urlsafe`) and compared in constant
time (:func:`secrets.compare_digest`). Request bodies above :attr:`Limits.max_body` bytes get a 413 before they are
parsed; a participant who floods gets a 429 (the limit is per participant, not per address: a classroom's phones
often share one address behind NAT), and so does the whole session past a global ceiling. Bad input gets a 4xx with
a one-line ``error``; nothing from a request is evaluated, and the pages show every name with ``textContent``.
"""

import csv
import io
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from ... import predictions as pr
from ...casefile import Case
from .aggregates import ModelView, outcome_summary, prediction_summary
from .schema import RevealIn, choice_moves, example_body, outcome_example, request_models
from .store import ClassError, ClassStore, StorageError

__all__ = ["create_app", "Limits", "STATIC"]

#: The pages, their script and style sheet.
STATIC = Path(__file__).resolve().parent / "static"

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Limits:
    """Input limits of a class session.

    Attributes
    ----------
    max_body : int
        Largest request body in bytes (a response is a few hundred).
    burst, rate : float
        Per participant: a token bucket of ``burst`` responses refilled at ``rate`` a second.
    global_burst, global_rate : float
        The same for the whole session (a ceiling for floods that rotate participant ids).
    """

    max_body: int = 4096
    burst: float = 30.0
    rate: float = 0.5
    global_burst: float = 3000.0
    global_rate: float = 1000.0


class RateLimiter:
    """Token buckets keyed by participant (at most ``max_keys`` kept; the least recently used is dropped).

    Parameters
    ----------
    burst : float
        Bucket size: how many requests may arrive at once.
    rate : float
        Tokens added per second.
    max_keys : int
        Most buckets kept; the least recently used is dropped first.
    """

    def __init__(self, burst: float, rate: float, max_keys: int = 50_000):
        self.burst, self.rate, self.max_keys = float(burst), float(rate), int(max_keys)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> float:
        """Take a token for ``key``; return 0 when allowed, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


def _json_error(status: int, message: str, headers=None, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


class BodyLimit:
    """ASGI middleware: a 413 for request bodies above ``limit`` bytes, before anything parses them."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, int(limit)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_big = _json_error(413, f"request body too large: at most {self.limit} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.limit:
                    return await too_big(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await too_big(scope, receive, send)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy and friends on every response; no caching of the API."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        api = scope.get("path", "").startswith("/api/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", _CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, with_headers)


def _where(loc) -> str:
    parts = [str(p) for p in loc if p != "body" and not str(p).startswith(("prediction:", "outcome"))]
    if loc and str(loc[-1]) == "outcome" and len(parts) == 0:
        return ""
    return ".".join(parts)


def _first_error(errors) -> str:
    if not errors:
        return "invalid request"
    err = errors[0]
    kind = err.get("type", "")
    if kind == "json_invalid":
        return "the body is not valid JSON"
    if kind == "missing" and tuple(err.get("loc", ())) == ("body",):
        return "a JSON body is required"
    if kind == "model_attributes_type" and tuple(err.get("loc", ())) == ("body",):
        return "the body must be a JSON object"
    where = _where(err.get("loc", ()))
    msg = err.get("msg", "invalid value")
    if kind == "extra_forbidden":
        msg = "unknown field"
    elif kind == "missing":
        msg = "required field is missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"{where}: {msg}" if where else msg


def _csv_text(value) -> str:
    """A user's text for a CSV cell: a leading =, +, -, @ or tab is neutralised (spreadsheet formula injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def create_app(case: Case, store: ClassStore, token: str, student_url: str, limits: Limits | None = None) -> FastAPI:
    """The class session's ASGI app for one case.

    Parameters
    ----------
    case : Case
        The chapter served (its prediction prompts, sides, moves and issue).
    store : ClassStore
        Where responses go.
    token : str
        The instructor's token (random per session).
    student_url : str
        The URL students open (shown and encoded in the QR code).
    limits : Limits, optional

    Returns
    -------
    fastapi.FastAPI
    """
    limits = limits or Limits()
    view = ModelView(case)
    body_type, _ = request_models(case)
    per_participant = RateLimiter(limits.burst, limits.rate)
    everyone = RateLimiter(limits.global_burst, limits.global_rate, max_keys=1)
    question_ids = [p.id for p in case.predictions]
    issue = case.scenario.issues[0]
    secret = token.encode("utf-8")
    cache: dict[str, bytes] = {}

    app = FastAPI(
        title=f"levelii class: {case.title}",
        version="1",
        description=(
            "The live class session of the levelii casebook for the chapter "
            f"'{case.slug}'. Students post predictions and group outcomes; the instructor reads the aggregates "
            "with the token that `levelii class` printed."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store, app.state.view, app.state.case = store, view, case

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in errors[:10]]
        return _json_error(422, _first_error(errors), detail=detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _json_error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    bearer = HTTPBearer(auto_error=False, description="the instructor's token, as printed by `levelii class`")

    def instructor(credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]):
        given = credentials.credentials.encode("utf-8") if credentials is not None else b""
        if not secrets.compare_digest(given, secret):
            raise HTTPException(
                401, "the instructor's token is required: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"}
            )

    Instructor = Annotated[None, Depends(instructor)]

    # ------------------------------------------------------------------------------------------ pages
    @app.get("/", include_in_schema=False)
    def student_page():
        return FileResponse(STATIC / "student.html", media_type="text/html")

    @app.get("/instructor", include_in_schema=False)
    def instructor_page():
        return FileResponse(STATIC / "instructor.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js():
        if "plotly" not in cache:
            from plotly.offline import get_plotlyjs  # the installed plotly's own bundle: no CDN

            cache["plotly"] = get_plotlyjs().encode("utf-8")
        return Response(cache["plotly"], media_type="application/javascript")

    # ------------------------------------------------------------------------------------------ public API
    @app.get("/api/ping", summary="A trivial endpoint (the benchmark's baseline)")
    async def ping():
        """Answer at once: no validation, no database (the benchmark's baseline)."""
        return {"ok": True}

    @app.get("/api/chapter", summary="The chapter: prompts, issue, sides and moves")
    def chapter():
        return {
            "slug": case.slug,
            "title": case.title,
            "issue": {
                "name": issue.name,
                "label": issue.label,
                "low": issue.low,
                "high": issue.high,
                "low_label": issue.low_label,
                "high_label": issue.high_label,
            },
            "sides": [{"name": s.name, "label": s.label} for s in case.scenario.sides],
            "moves": [{"id": m.id, "label": m.label, "category": m.category} for m in choice_moves(case)],
            "questions": [
                {"id": p.id, "prompt": p.prompt, "answer": p.answer, "quantity": p.quantity} for p in case.predictions
            ],
        }

    examples = [example_body(case)]
    if examples[0]["kind"] != "outcome":
        examples.append(outcome_example(case))

    @app.post(
        "/api/responses",
        status_code=201,
        summary="Store one response: a prediction or a group outcome",
        responses={
            409: {"description": "the session is full"},
            413: {"description": "body too large"},
            422: {"description": "invalid response"},
            429: {"description": "too many responses"},
        },
    )
    async def post_response(response: Annotated[body_type, Body(examples=examples)]):  # type: ignore[valid-type]
        """Store one response as its own row; 201 with the row's ``id`` once it is committed."""
        wait = everyone.allow("*") or per_participant.allow(response.participant)
        if wait:
            raise HTTPException(
                429, "too many responses: wait a moment and send again", {"Retry-After": str(max(1, round(wait)))}
            )
        name = " ".join(response.name.split())
        if response.kind == "prediction":
            question, payload = response.question, {"answer": response.answer}
        else:
            question = "outcome"
            payload = {
                "group": " ".join(response.group.split()),
                "deal": response.deal,
                "point": response.point,
                "moves": list(response.moves),
                "ratified": response.ratified.model_dump(),
            }
        try:
            row = await store.add_async(response.participant, name, response.kind, question, payload)
        except ClassError as exc:
            raise HTTPException(409, str(exc)) from None
        except StorageError as exc:
            raise HTTPException(503, str(exc)) from None
        return {"id": row.id, "received": row.received}

    def _summaries(revealed_only: bool):
        reveals = store.reveals()
        if revealed_only and not any(reveals.values()):
            return [], None
        rows = store.latest()
        questions = prediction_summary(case, view, rows, reveals)
        outcomes = outcome_summary(case, view, rows, reveals.get("outcomes", False))
        if revealed_only:
            questions = [q for q in questions if q["revealed"]]
            outcomes = outcomes if outcomes["revealed"] else None
        return questions, outcomes

    @app.get("/api/public", summary="What the instructor has revealed to the room")
    def public():
        questions, outcomes = _summaries(revealed_only=True)
        return {"questions": questions, "outcomes": outcomes, "model": view.settings if outcomes else None}

    @app.get(
        "/api/compare",
        summary="One line putting a guess beside the model, for a revealed prompt",
        responses={403: {"description": "not revealed yet"}, 404: {"description": "no such prompt"}},
    )
    def compare(
        question: Annotated[str, Query(max_length=64)],
        guess: Annotated[str, Query(max_length=32)],
    ):
        if question not in question_ids:
            raise HTTPException(404, f"no prediction {question!r} in this chapter")
        if not store.reveals().get(question, False):
            raise HTTPException(403, "the instructor has not revealed this question yet")
        p = case.prediction(question)
        value: object = guess
        if p.answer != "yes_no":
            try:
                value = float(guess)
            except ValueError:
                raise HTTPException(422, f"guess: expected a number, got {guess!r}") from None
        try:
            return {"line": pr.compare(case, question, value, view.reveals[question])}
        except pr.GuessError as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get("/api/qr.svg", summary="QR code of the students' URL", response_class=Response)
    def qr():
        if "qr" not in cache:
            import segno

            out = io.BytesIO()
            segno.make(student_url, error="m").save(out, kind="svg", scale=6, border=2, title="students' page")
            cache["qr"] = out.getvalue()
        return Response(cache["qr"], media_type="image/svg+xml")

    # ------------------------------------------------------------------------------------------ instructor API
    @app.get(
        "/api/results",
        summary="Every aggregate beside the model (instructor)",
        responses={401: {"description": "token missing or wrong"}},
    )
    def results(_: Instructor):
        questions, outcomes = _summaries(revealed_only=False)
        recent = [
            {
                "id": r.id,
                "received": r.received,
                "name": r.name,
                "kind": r.kind,
                "question": r.question,
                "answer": r.payload.get("answer") if r.kind == "prediction" else r.payload,
            }
            for r in store.recent(20)
        ]
        return {
            "count": store.count(),
            "participants": store.participants(),
            "questions": questions,
            "outcomes": outcomes,
            "model": view.settings,
            "recent": recent,
            "student_url": student_url,
            "updated": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }

    @app.put(
        "/api/reveal/{question}",
        summary="Reveal or hide a question's results to the room (instructor)",
        responses={401: {"description": "token missing or wrong"}, 404: {"description": "no such question"}},
    )
    def reveal(question: str, body: RevealIn, _: Instructor):
        if question not in question_ids and question != "outcomes":
            raise HTTPException(404, f"no question {question!r}; expected one of {question_ids + ['outcomes']}")
        store.set_reveal(question, body.revealed)
        return {"question": question, "revealed": body.revealed}

    @app.get(
        "/api/export.csv",
        summary="Every stored response as CSV (instructor)",
        response_class=Response,
        responses={401: {"description": "token missing or wrong"}},
    )
    def export(_: Instructor):
        sides = [s.name for s in case.scenario.sides]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["id", "received", "participant", "name", "kind", "question", "answer", "group", "deal", "point", "moves"]
            + [f"ratified_{s}" for s in sides]
        )
        for r in store.all_rows():
            p = r.payload
            if r.kind == "prediction":
                tail = [p.get("answer"), "", "", "", ""] + [""] * len(sides)
            else:
                ratified = p.get("ratified", {})
                tail = [
                    "",
                    _csv_text(p.get("group", "")),
                    p.get("deal"),
                    "" if p.get("point") is None else p["point"],
                    " ".join(p.get("moves", [])),
                ] + [ratified.get(s, "") for s in sides]
            writer.writerow([r.id, r.received, r.participant, _csv_text(r.name), r.kind, r.question] + tail)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{case.slug}-class.csv"'},
        )

    @app.delete(
        "/api/responses",
        summary="Clear the session: delete every response and reveal (instructor)",
        responses={401: {"description": "token missing or wrong"}},
    )
    def clear(_: Instructor):
        return {"deleted": store.clear()}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodyLimit, limit=limits.max_body)
    app.add_middleware(SecurityHeaders)
    return app

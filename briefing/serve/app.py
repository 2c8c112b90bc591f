"""make_app(): the archive browser as a Starlette application. [disk]

Read-only except one form: recording a judgment's outcome on /review (a POST with the CSRF token).
Every answer carries the security headers of security.py (no script may run, nothing may be
fetched from another origin); every page is a Jinja2 template of templates/serve/, rendered in the
handouts' sandboxed, autoescaped environment. Each request opens the archive for itself (SQLite in
WAL mode: a digest writing at the same time does not block the reader).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from briefing.archive.db import Archive, open_archive
from briefing.archive.queries import load_item
from briefing.archive.review import record_outcome
from briefing.archive.scoring import OUTCOMES
from briefing.digest_records import Digest
from briefing.errors import ArchiveError
from briefing.output.environment import make_output_environment
from briefing.output.render import render_briefing, render_digest
from briefing.output.templating import render_template
from briefing.records import BriefingResult
from briefing.serve import pages
from briefing.serve.security import (
    HEADERS,
    TOKEN_COOKIE,
    bearer,
    host_of,
    is_loopback,
    new_secret,
    origin_allowed,
    same,
)
from briefing.settings import builtin_dir

MAX_FORM_BYTES = 16_384


@dataclass
class ServeConfig:
    """What one server process serves, and how it lets requests in."""

    archive: Path
    loopback: bool = True  # bound to a loopback address: only loopback Host headers are answered
    token: str | None = None
    csrf: str = field(default_factory=new_secret)


def make_app(config: ServeConfig) -> Starlette:
    """The application for `config`: routes, the gatekeeping middleware, error pages."""
    env = make_output_environment("html", [builtin_dir("templates")])

    def page(name: str, status: int = 200, **context: object) -> HTMLResponse:
        html = render_template(
            env, f"serve/{name}.html.j2", {"archive_path": str(config.archive), "search": None, "hint": None, **context}
        )
        return HTMLResponse(html, status_code=status)

    def archive() -> Archive:
        return open_archive(config.archive)

    def days(request: Request) -> Response:
        with archive() as a:
            return page("days", days=pages.days_page(a, _page_number(request)))

    def digest(request: Request) -> Response:
        with archive() as a:
            item = load_item(a, f"d{request.path_params['id']}")
        assert isinstance(item, Digest)
        stories = [(f"Story {s.number}", s.archive_id) for s in item.stories if s.archive_id]
        return HTMLResponse(_with_nav(render_digest(item, "html"), stories))

    def briefing(request: Request) -> Response:
        with archive() as a:
            item = load_item(a, f"b{request.path_params['id']}")
            stories = [("Story timeline", s) for s in pages.stories_of(a, request.path_params["id"])]
        assert isinstance(item, BriefingResult)
        return HTMLResponse(_with_nav(render_briefing(item, "html"), stories))

    def story(request: Request) -> Response:
        with archive() as a:
            return page("story", story=pages.story_page(a, request.path_params["id"]))

    def actor(request: Request) -> Response:
        with archive() as a:
            return page("actor", actor=pages.actor_page(a, request.path_params["name"]))

    def search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        with archive() as a:
            result = pages.search_page(a, query, _page_number(request))
        # A query FTS5 cannot parse is answered with the page saying why (200: the page itself is fine).
        return page("search", search=result, next_query=urlencode({"q": query}))

    def review(request: Request) -> Response:
        with archive() as a:
            data = pages.review_page(a, datetime.date.today().isoformat())
        return page(
            "review", review=data, csrf=config.csrf, outcomes=OUTCOMES, recorded=request.query_params.get("recorded")
        )

    async def record(request: Request) -> Response:
        if not origin_allowed(request.headers.get("origin"), request.headers.get("host", "")):
            return page("error", 403, message="This form can only be sent from this server's own review page.")
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return page("error", 413, message="The form is too large.")
        try:
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), max_num_fields=8).items()}
        except ValueError:  # more fields than the form has
            return page("error", 400, message="The form has fields this page never sends.")
        if not same(form.get("csrf"), config.csrf):
            return page("error", 403, message="The form's security token is missing or out of date: reload the page.")
        note = form.get("note", "").strip()[:500] or None
        with archive() as a:
            judgment = record_outcome(a, form.get("judgment", ""), form.get("outcome", ""), note)
        return RedirectResponse(f"/review?recorded={quote(judgment.ref)}", status_code=303)

    def calibration(request: Request) -> Response:
        with archive() as a:
            return page("calibration", calibration=pages.calibration_page(a))

    async def not_found(request: Request, exc: Exception) -> Response:
        return page("error", 404, message="There is no such page in the archive browser.")

    async def archive_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ArchiveError)
        status = 404 if str(exc).startswith("no ") else 400
        return page("error", status, message=exc.message, hint=exc.hint)

    routes = [
        Route("/", days),
        Route("/digest/{id:int}", digest),
        Route("/briefing/{id:int}", briefing),
        Route("/story/{id}", story),
        Route("/actor/{name:path}", actor),
        Route("/search", search),
        Route("/review", review, methods=["GET"]),
        Route("/review", record, methods=["POST"]),
        Route("/calibration", calibration),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=_gatekeeper(config))],
        exception_handlers={404: not_found, ArchiveError: archive_error},
        max_body_size=MAX_FORM_BYTES * 4,
    )


def _gatekeeper(config: ServeConfig):
    """The middleware: Host check on loopback, the token, the security headers on every answer."""

    async def dispatch(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await _admit(request, config)
        if response is None:
            response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return dispatch


async def _admit(request: Request, config: ServeConfig) -> Response | None:
    """None to let the request through; otherwise the answer that refuses it."""
    if config.loopback and not is_loopback(host_of(request.headers.get("host", ""))):
        return Response("This server answers only on its loopback address.\n", 421, media_type="text/plain")
    if config.token is None:
        return None
    given = request.query_params.get("token")
    if given is not None and same(given, config.token):
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        redirect = RedirectResponse(target, status_code=303)
        redirect.set_cookie(TOKEN_COOKIE, config.token, httponly=True, samesite="strict", path="/")
        return redirect
    if same(bearer(request.headers.get("authorization")), config.token) or same(
        request.cookies.get(TOKEN_COOKIE), config.token
    ):
        return None
    return Response(
        "This archive needs its token: open the address `briefing serve` printed.\n", 401, media_type="text/plain"
    )


def _page_number(request: Request) -> int:
    try:
        return max(1, min(10_000, int(request.query_params.get("page", "1"))))
    except ValueError:
        return 1


def _with_nav(handout: str, stories: list[tuple[str, str]] | None = None) -> str:
    """The handout with a line of links to the browser's pages above it (a fixed string: safe)."""
    links = ['<a href="/">All days</a>', '<a href="/search">Search</a>', '<a href="/review">Review</a>']
    links += [f'<a href="/story/{quote(story)}">{escape(label)}</a>' for label, story in stories or []]
    nav = (
        '<nav class="browser-nav" style="max-width:54rem;margin:1rem auto 0;font:.9rem sans-serif;'
        'display:flex;gap:1.2rem">' + "".join(links) + "</nav>"
    )
    head, found, tail = handout.partition("<body>")
    return head + found + nav + tail if found else handout

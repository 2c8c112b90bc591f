"""The pipeline of one article, and the session (endpoint + client) that runs it.

    load_article -> build_messages -> request_briefing -> verify_briefing -> render -> write_output

`open_session()` decides where requests go (the embedded model, or a remote OpenAI-compatible
endpoint), starts the embedded server when needed and always stops it. `brief_article()` runs the
pure stages and the one network stage for one article and returns the result that is saved as JSON.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from briefing import __version__
from briefing.errors import GroundingError, MissingKeyError
from briefing.llm import MODES, Endpoint, make_client, request_briefing, request_reask
from briefing.models import Article, BriefingResult, ModelInfo, PromptInfo
from briefing.languages import translation_language
from briefing.prompts import PromptSet, build_messages, check_variable_names, prompt_sha256
from briefing.schema import build_schema
from briefing.settings import OPENAI_BASE_URL, Settings, redact_url
from briefing.verify import failed_items, verify_briefing

DEFAULT_MAX_TOKENS = 3000
EMBEDDED_TIMEOUT = 900.0
REMOTE_TIMEOUT = 120.0


@dataclass
class Session:
    """An open endpoint: the client, what it is, and what it has shown it supports."""

    endpoint: Endpoint
    client: object
    model_info: ModelInfo
    settings: Settings
    server: object | None = None
    progress: object | None = None
    modes: tuple[str, ...] = MODES
    requests: int = 0
    extra: dict = field(default_factory=dict)


@contextlib.contextmanager
def open_session(settings: Settings, *, http_client=None, progress=None) -> Iterator[Session]:
    """Open the configured endpoint (starting the embedded model if it is the one); always close it."""
    server = None
    if settings.embedded:
        from briefing.local import EMBEDDED_NOTE, EmbeddedServer, model_label, prepare_model

        path = prepare_model(str(settings.local_model), settings.home, progress=progress)
        if progress:
            progress(f"Loading the embedded model {model_label(str(settings.local_model))}…")
        server = EmbeddedServer(path)
        server.start()
        name = model_label(str(settings.local_model))
        endpoint = Endpoint(base_url=server.base_url, model=name, timeout=settings.timeout or EMBEDDED_TIMEOUT,
                            max_retries=settings.max_retries, embedded=True)
        info = ModelInfo(name=name, endpoint="embedded", embedded=True, note=EMBEDDED_NOTE.format(name=name))
    else:
        if not settings.api_key and (not settings.base_url or settings.base_url.rstrip("/") == OPENAI_BASE_URL):
            raise MissingKeyError(
                f"model {settings.remote_model!r} is served by OpenAI, which needs an API key",
                hint="set OPENAI_API_KEY, give --base-url for a local server, or drop --model to use the embedded model",
            )
        endpoint = Endpoint(base_url=settings.endpoint, model=settings.remote_model, api_key=settings.api_key,
                            timeout=settings.timeout or REMOTE_TIMEOUT, max_retries=settings.max_retries)
        info = ModelInfo(name=endpoint.model, endpoint=redact_url(endpoint.base_url))
    client = make_client(endpoint, http_client=http_client)
    try:
        yield Session(endpoint, client, info, settings, server=server, progress=progress)
    finally:
        client.close()
        if server is not None:
            server.stop()


def brief_article(article: Article, session: Session, prompt: PromptSet, *,
                  variables: dict[str, object] | None = None) -> BriefingResult:
    """Run the pipeline for one article: messages, request, verification (one grounding re-ask)."""
    settings = session.settings
    timings: dict[str, float] = {}
    t = time.perf_counter()
    variables = {**prompt_variables(settings), **(variables or {})}
    translate_to = quote_translation(article, settings)
    schema = build_schema(article, grounded=True, translate_to=translate_to)
    boundary = secrets.token_hex(8)
    messages = build_messages(article, prompt, variables=variables, boundary=boundary, translate_to=translate_to)
    timings["prompt"] = time.perf_counter() - t

    max_tokens = settings.max_tokens or DEFAULT_MAX_TOKENS
    with _watch(session, article.title):
        answer = request_briefing(session.client, messages, schema, endpoint=session.endpoint,
                                  max_tokens=max_tokens, temperature=settings.temperature,
                                  modes=session.modes, reasks=settings.reasks)
    session.modes = session.modes[session.modes.index(answer.mode):]  # skip modes the server rejected
    timings["request"] = answer.seconds
    usage = answer.usage

    t = time.perf_counter()
    briefing, grounding = verify_briefing(answer.briefing, article)
    timings["verify"] = time.perf_counter() - t
    failed = failed_items(grounding)
    if failed and settings.reasks > 0:
        with _watch(session, f"{article.title} (re-checking {len(failed)} item(s))"):
            again = request_reask(session.client, messages, briefing, failed, schema, endpoint=session.endpoint,
                                  mode=answer.mode, max_tokens=max_tokens, temperature=settings.temperature)
        usage.requests += again.usage.requests
        usage.reasks += 1
        usage.prompt_tokens += again.usage.prompt_tokens
        usage.completion_tokens += again.usage.completion_tokens
        timings["request"] += again.seconds
        second, second_grounding = verify_briefing(again.briefing, article)
        if len(failed_items(second_grounding)) < len(failed):
            briefing, grounding = second, second_grounding
        failed = failed_items(grounding)
    session.requests += usage.requests
    if failed and settings.strict:
        raise GroundingError(
            f"--strict: {len(failed)} item(s) could not be verified against {article.source}: " + "; ".join(failed)
        )
    return BriefingResult(
        generator=f"briefing {__version__}",
        article=article,
        briefing=briefing,
        grounding=grounding,
        model=session.model_info,
        prompt=PromptInfo(name=prompt.name, files=prompt.files(), sha256=prompt_sha256(messages, boundary),
                          structured_mode=answer.mode,
                          variables={k: str(v) for k, v in variables.items() if k != "vars"}),
        usage=usage,
        timings=timings,
    )


def prompt_variables(settings: Settings) -> dict[str, object]:
    """The variables every prompt receives from the settings (--audience, --language, --length, --var)."""
    custom = dict(settings.variables)
    check_variable_names(custom)
    return {
        "audience": settings.audience,
        "language": settings.language,
        "length": settings.length,
        **custom,
        "vars": custom,
    }


def quote_translation(article: Article, settings: Settings) -> str | None:
    """The language to translate the article's quotes into, or None (no quotes, or already in it)."""
    if not article.quotations:
        return None
    return translation_language(str(settings.language), article.text)


@contextlib.contextmanager
def _watch(session: Session, label: str):
    progress = session.progress
    if session.server is not None and progress is not None and hasattr(progress, "watch"):
        with progress.watch(session.server, f"Writing the briefing of “{label[:50]}”"):
            yield
    else:
        yield

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
from briefing.text.chunks import estimate_messages, shift_evidence, split_article
from briefing.errors import ContextLengthError
from briefing.llm.structured import MODES, Answer, request_briefing, request_reask
from briefing.llm.transport import Endpoint, make_client
from briefing.records import Article, Briefing, BriefingResult, ModelInfo, PromptInfo, Usage
from briefing.text.languages import translation_language
from briefing.prompts import PromptSet, build_merge_messages, build_messages, prompt_sha256
from briefing.output.variables import check_variable_names
from briefing.schema import build_schema
from briefing.redact import redact_url
from briefing.settings import OPENAI_BASE_URL, Settings
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
    # Threads sharing the session (a digest) take a slot for each request: at most that many in
    # flight, while verifying and preparing happen outside the slots. None: no bound.
    slots: contextlib.AbstractContextManager | None = None


@contextlib.contextmanager
def open_session(settings: Settings, *, http_client=None, progress=None) -> Iterator[Session]:
    """Open the configured endpoint (starting the embedded model if it is the one); always close it."""
    server = None
    if settings.embedded:
        from briefing.llm.embedded import EMBEDDED_NOTE, EmbeddedServer, model_label, prepare_model

        path = prepare_model(str(settings.local_model), settings.home, progress=progress)
        if progress:
            progress(f"Loading the embedded model {model_label(str(settings.local_model))}…")
        server = EmbeddedServer(path)
        server.start()
        if progress and hasattr(progress, "clear"):
            progress.clear()  # the next line on stderr says which model is in use
        extra = {"context_tokens": server.n_ctx}
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
        extra = {}
    client = make_client(endpoint, http_client=http_client)
    try:
        yield Session(endpoint, client, info, settings, server=server, progress=progress, extra=extra)
    finally:
        client.close()
        if server is not None:
            server.stop()


def brief_article(article: Article, session: Session, prompt: PromptSet, *,
                  variables: dict[str, object] | None = None, prepared: _Request | None = None) -> BriefingResult:
    """Run the pipeline for one article: messages, request, verification (one grounding re-ask).

    An article too long for the model's context is briefed in parts that each fit, and the parts'
    briefings are merged by one more request; evidence ids stay those of the whole article.
    `prepared` is this article's request already built with the settings' variables and no quote
    translation (the digest builds it for the cache key): used as is when that is what is needed.
    """
    settings = session.settings
    timings: dict[str, float] = {}
    t = time.perf_counter()
    variables = {**prompt_variables(settings), **(variables or {})}
    translate_to = quote_translation(article, settings)
    if prepared is not None and translate_to is None and variables == prepared.variables:
        request = prepared
    else:
        request = _Request(article, prompt, variables, translate_to=translate_to)
    timings["prompt"] = time.perf_counter() - t

    budget = _prompt_budget(session)
    if budget is not None and estimate_messages(request.messages) > budget:
        answer, asked = _brief_in_parts(article, session, prompt, variables, budget, translate_to)
    else:
        try:
            answer, asked = _ask(session, request), request
        except ContextLengthError as exc:
            # Never send the same oversized request again: cut the article to fit the window.
            window = exc.limit or estimate_messages(request.messages) // 2 + _max_tokens(session)
            answer, asked = _brief_in_parts(article, session, prompt, variables,
                                            max(512, int(0.9 * window) - _max_tokens(session)), translate_to)
            answer.usage.requests += 1
    timings["request"] = answer.seconds
    usage = answer.usage

    t = time.perf_counter()
    briefing, grounding = verify_briefing(answer.briefing, article)
    timings["verify"] = time.perf_counter() - t
    failed = failed_items(grounding)
    if failed and settings.reasks > 0:
        with _slot(session), _watch(session, f"{article.title} (re-checking {len(failed)} item(s))"):
            again = request_reask(session.client, asked.messages, briefing, failed, asked.schema,
                                  endpoint=session.endpoint, mode=answer.mode, max_tokens=_max_tokens(session),
                                  temperature=settings.temperature, prompt_schema=asked.prompt_schema)
        _add_usage(usage, again.usage)
        usage.reasks += 1
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
        prompt=PromptInfo(name=prompt.name, files=prompt.files(), sha256=request.sha256,
                          structured_mode=answer.mode,
                          variables={k: str(v) for k, v in variables.items() if k != "vars"}),
        usage=usage,
        timings=timings,
    )


def build_request(article: Article, prompt: PromptSet, settings: Settings) -> "_Request":
    """The request brief_article() sends for `article` with the settings' variables when its quotes need
    no translation; the digest builds it once for the cache key and passes it on as `prepared`."""
    return _Request(article, prompt, prompt_variables(settings))


# One fence boundary per run, not per request: as random (no article can know it), and the system
# prompt, which names the fence, is then the same for every article of a digest, so the embedded
# server reuses that processed prefix (its prompt cache) instead of reading ~900 tokens again.
_RUN_BOUNDARY = secrets.token_hex(8)


class _Request:
    """The messages and schemas of one briefing request (the fence boundary masked in its digest)."""

    def __init__(self, article: Article, prompt: PromptSet, variables: dict, messages=None, *,
                 translate_to: str | None = None) -> None:
        boundary = _RUN_BOUNDARY
        self.variables = variables
        self.schema = build_schema(article, grounded=True, translate_to=translate_to)
        self.prompt_schema = build_schema(article, grounded=False, translate_to=translate_to)
        self.messages = messages or build_messages(article, prompt, variables=variables, boundary=boundary,
                                                   translate_to=translate_to)
        self.sha256 = prompt_sha256(self.messages, boundary)
        self.label = article.title


def _ask(session: Session, request: _Request) -> Answer:
    settings = session.settings
    with _slot(session), _watch(session, request.label):
        answer = request_briefing(session.client, request.messages, request.schema, endpoint=session.endpoint,
                                  max_tokens=_max_tokens(session), temperature=settings.temperature,
                                  modes=session.modes, reasks=settings.reasks, prompt_schema=request.prompt_schema)
    session.modes = session.modes[session.modes.index(answer.mode):]  # skip modes the server rejected
    return answer


def _brief_in_parts(article: Article, session: Session, prompt: PromptSet, variables: dict,
                    budget: int, translate_to: str | None = None) -> tuple[Answer, _Request]:
    """Map: brief each part that fits `budget`; reduce: merge the parts' briefings."""
    overhead = estimate_messages(_Request(_empty_like(article), prompt, variables, translate_to=translate_to).messages)
    parts = split_article(article, max(256, budget - overhead))
    total = Usage()
    seconds = 0.0
    partials: list[Briefing] = []
    mode = session.modes[0]
    for part in parts:
        answer = _ask(session, _Request(part.article, prompt, variables, translate_to=translate_to))
        partials.append(shift_evidence(answer.briefing, part.offset))
        _add_usage(total, answer.usage)
        seconds += answer.seconds
        mode = answer.mode
    while len(partials) > 1:
        partials, merged_request, answers = _merge_round(article, session, prompt, variables, partials, budget,
                                                         translate_to)
        for answer in answers:
            _add_usage(total, answer.usage)
            seconds += answer.seconds
            mode = answer.mode
    if len(parts) == 1:
        merged_request = _Request(parts[0].article, prompt, variables, translate_to=translate_to)
    return Answer(partials[0], mode, total, seconds), merged_request


def _merge_round(article, session, prompt, variables, partials, budget, translate_to=None):
    """Merge as many consecutive partial briefings per request as fit; returns the merged list."""
    merged: list[Briefing] = []
    answers: list[Answer] = []
    i = 0
    request = None
    while i < len(partials):
        group = [partials[i]]
        while i + len(group) < len(partials):
            trial = [*group, partials[i + len(group)]]
            if estimate_messages(_merge_messages(article, prompt, variables, trial)) > budget and len(group) >= 2:
                break
            group = trial
        messages = _merge_messages(article, prompt, variables, group)
        request = _Request(article, prompt, variables, messages=messages, translate_to=translate_to)
        request.label = f"{article.title} (merging {len(group)} parts)"
        answers.append(_ask(session, request))
        merged.append(answers[-1].briefing)
        i += len(group)
    return merged, request, answers


def _merge_messages(article, prompt, variables, group):
    return build_merge_messages(article, [b.model_dump_json() for b in group], prompt, variables=variables)


def _empty_like(article: Article) -> Article:
    return article.model_copy(update={"sentences": [], "names": [], "quotations": []})


def _prompt_budget(session: Session) -> int | None:
    """Tokens the messages may take: the context window (known or configured) minus the answer's share."""
    window = session.settings.context_tokens or session.extra.get("context_tokens")
    if not window:
        return None
    return int(0.9 * window) - _max_tokens(session)


def _max_tokens(session: Session) -> int:
    return session.settings.max_tokens or DEFAULT_MAX_TOKENS


def _add_usage(total: Usage, more: Usage) -> None:
    total.requests += more.requests
    total.reasks += more.reasks
    total.prompt_tokens += more.prompt_tokens
    total.completion_tokens += more.completion_tokens


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


def _slot(session: Session) -> contextlib.AbstractContextManager:
    return session.slots if session.slots is not None else contextlib.nullcontext()


@contextlib.contextmanager
def _watch(session: Session, label: str):
    progress = session.progress
    if session.server is not None and progress is not None and hasattr(progress, "watch"):
        with progress.watch(session.server, f"Writing the briefing of “{label[:50]}”"):
            yield
    else:
        yield

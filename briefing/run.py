"""request_digest(): the day's stories in, one Digest out.   [net, disk]

    load_inputs -> build_stories -> per story: cache | brief_article -> cover -> order -> Digest
    [disk, net]        pure                    [disk]    [net]           [net]    pure

Briefings run in a thread pool over the session's one openai client (which is thread-safe), at
most `concurrency` at a time. Each validated result goes into the cache the moment it arrives, so a
digest that is killed resumes where it stopped. A story that fails is listed and the others go on;
an error that no further request can fix (quota gone, key rejected, model unknown) stops the whole
digest at once. One synthesis call then writes the cover across all stories.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from pydantic import ValidationError

from briefing import __version__
from briefing.cache import Cache, build_key, schema_sha256
from briefing.digest.changes import build_changes
from briefing.digest.cover import (
    build_cover_messages, build_cover_schema, build_fallback_cover, order_stories, verify_cover,
)
from briefing.digest.dedupe import StoryDraft
from briefing.errors import (
    AuthenticationError, BriefingError, DigestFailedError, GroundingError, ModelNotFoundError, QuotaExceededError,
    RetryLaterError,
)
from briefing.llm.structured import request_object
from briefing.records import (
    Article, BriefingResult, Cover, Digest, FailedInput, PromptInfo, Source, Story, Usage,
)
from briefing.brief import DEFAULT_MAX_TOKENS, Session, brief_article, build_request, prompt_variables
from briefing.progress import Progress
from briefing.prompts import PromptSet, prompt_sha256
from briefing.redact import redact_url
from briefing.settings import Settings
from briefing.verify import failed_items

REMOTE_CONCURRENCY = 4
# Errors that every later request would meet too: stop at once instead of paying for them.
FATAL = (QuotaExceededError, AuthenticationError, ModelNotFoundError, RetryLaterError)


@dataclass
class DigestPlan:
    """What a digest will brief: its stories (near-duplicates merged) and the inputs that already failed."""

    title: str
    date: str
    stories: list[StoryDraft]
    failures: list[FailedInput] = field(default_factory=list)
    previous: Digest | None = None


def default_concurrency(settings: Settings) -> int:
    """Parallel requests when --concurrency is not given: 1 for the embedded model, 4 for remote endpoints."""
    return 1 if settings.embedded else REMOTE_CONCURRENCY


def model_identity(settings: Settings) -> dict[str, str]:
    """The model and endpoint that answer, as they enter cache keys (known before any session opens)."""
    if settings.embedded:
        from briefing.llm.embedded import model_label

        return {"model": model_label(str(settings.local_model)), "endpoint": "embedded"}
    return {"model": settings.remote_model, "endpoint": redact_url(settings.endpoint)}


def briefing_key(article: Article, prompt: PromptSet, settings: Settings) -> str:
    """The cache key of one article's briefing: prompt as rendered, schema, model, parameters."""
    return _keyed_request(article, prompt, settings)[0]


def _keyed_request(article: Article, prompt: PromptSet, settings: Settings) -> tuple[str, object]:
    """The cache key, and the request it was computed from (brief_article reuses it: built once)."""
    request = build_request(article, prompt, settings)
    key = build_key(
        "briefing",
        prompt=request.sha256,
        schema=schema_sha256(request.schema),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens or DEFAULT_MAX_TOKENS,
        reasks=settings.reasks,
        **model_identity(settings),
    )
    return key, request


OpenEndpoint = Callable[[], contextlib.AbstractContextManager[Session]]


def request_digest(plan: DigestPlan, open_endpoint: OpenEndpoint, prompt: PromptSet, cover_prompt: PromptSet, *,
                   settings: Settings, cache: Cache, concurrency: int, strict: bool = False,
                   progress: Progress | None = None) -> Digest:
    """Brief every story (cache first, then concurrently), write the cover, and assemble the Digest.

    `open_endpoint()` is entered only if something is missing from the cache: a rerun whose results
    are all cached neither connects anywhere nor loads the embedded model.
    """
    progress = progress or Progress()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    progress.add_stories(len(plan.stories))
    keys: list[str] = []
    hits: dict[int, BriefingResult] = {}

    def misses():
        """(story, its prepared request) for each story the cache lacks, found one at a time: the first
        request goes out after one cache key, not after all of them."""
        for i, draft in enumerate(plan.stories):
            key, request = _keyed_request(draft.lead, prompt, settings)
            keys.append(key)
            hit = cache.load(key, BriefingResult)
            if hit is None:
                yield i, request
                continue
            # Same text and prompt, maybe another file name: keep today's article metadata.
            hits[i] = hit.model_copy(update={"article": draft.lead})
            progress.story_done(hit.briefing.title, cached=True)

    with contextlib.ExitStack() as stack:
        sessions: list[Session] = []

        def session() -> Session:
            if not sessions:
                sessions.append(stack.enter_context(open_endpoint()))
            return sessions[0]

        briefed, failures = _brief_stories(plan.stories, keys, misses(), session, prompt,
                                           cache=cache, concurrency=concurrency, progress=progress)
        briefed.update({i: (plan.stories[i], r, True) for i, r in hits.items()})
        failures = [*plan.failures, *(failures[i] for i in sorted(failures))]
        if strict:
            failures += _strict_failures(briefed)
        ordered = [briefed[i] for i in sorted(briefed)]
        timings["briefings"] = time.perf_counter() - started
        if not ordered:
            raise DigestFailedError(f"all {len(failures)} input(s) failed; no digest written", failures=failures)

        t = time.perf_counter()
        results = [result for _, result, _ in ordered]
        progress(f"Writing the cover across {len(results)} stor{'y' if len(results) == 1 else 'ies'}…")
        cover, cover_note, cover_usage = _cover(results, session, cover_prompt, settings, cache=cache,
                                                title=plan.title, date=plan.date)
        timings["cover"] = time.perf_counter() - t
        model, mode = (sessions[0].model_info, sessions[0].modes[0]) if sessions else \
            (results[0].model, results[0].prompt.structured_mode)

    cover, order = order_stories(cover)
    group_of = {n: g.name for g in cover.groups for n in g.stories}
    stories = []
    for number, old in enumerate(order, 1):
        draft, result, cached = ordered[old - 1]
        stories.append(Story(number=number, id=draft.id, group=group_of.get(number, ""), cached=cached,
                             sources=[_source(a) for a in draft.articles], result=result))
    return Digest(
        generator=f"briefing {__version__}",
        title=plan.title,
        date=plan.date,
        cover=cover,
        cover_note=cover_note,
        stories=stories,
        failures=failures,
        changes=build_changes(plan.previous, stories) if plan.previous else None,
        model=model,
        prompt=PromptInfo(name=prompt.name, files=[*prompt.files(), *cover_prompt.files()], structured_mode=mode,
                          variables={k: str(v) for k, v in prompt_variables(settings).items()}),
        usage=_total_usage([r for _, r, cached in ordered if not cached], cover_usage),
        timings=timings,
    )


def _brief_stories(drafts: list[StoryDraft], keys: list[str], todo: Iterator[tuple[int, object]],
                   session: Callable[[], Session], prompt: PromptSet, *, cache: Cache, concurrency: int,
                   progress: Progress):
    """Brief stories `todo` concurrently: {i: (draft, result, False)} and {i: FailedInput}.

    Each story is submitted as soon as `todo` yields it; the endpoint is opened (`session()`) at the
    first one, so a digest whose every story is cached opens nothing.
    """
    stop = threading.Event()

    def brief(i: int, request, endpoint: Session) -> BriefingResult:
        if stop.is_set():
            raise _Stopped()
        try:
            result = brief_article(drafts[i].lead, endpoint, prompt, prepared=request)
        except FATAL:
            stop.set()  # here, not in the main thread: this worker's next story must not be requested
            raise
        cache.write(keys[i], result)  # saved the moment it is valid: a killed digest resumes from here
        return result

    done: dict[int, tuple[StoryDraft, BriefingResult, bool]] = {}
    failed: dict[int, FailedInput] = {}
    pool: ThreadPoolExecutor | None = None
    try:
        futures = {}
        to_brief = 0
        for i, request in todo:
            to_brief += 1
            if stop.is_set():
                continue  # a fatal error: the story that met it raises it below; no more requests
            if pool is None:
                endpoint = session()
                endpoint.slots = _Slots(concurrency, stop)
                # Twice the workers of the requests in flight: when an answer arrives, a worker with its
                # request ready takes the slot at once, while the answered one is verified and cached.
                pool = ThreadPoolExecutor(max_workers=2 * max(1, concurrency), thread_name_prefix="brief")
            futures[pool.submit(brief, i, request, endpoint)] = i
        for future in as_completed(futures):
            i = futures[future]
            draft = drafts[i]
            try:
                result = future.result()
            except _Stopped:
                continue  # the fatal error that stopped it is in another future, and is raised from there
            except FATAL as exc:
                stop.set()
                raise type(exc)(f"{exc.message}; the digest stopped at once ({len(done)} of {to_brief} stories "
                                "to brief were done and are cached for the next run)", hint=exc.hint) from None
            except BriefingError as exc:
                failed[i] = FailedInput(source=draft.lead.source, stage="briefing", error=str(exc),
                                        duplicates=[a.source for a in draft.articles if a is not draft.lead])
                progress.story_done(draft.lead.source, error=str(exc))
                continue
            done[i] = (draft, result, False)
            progress.story_done(result.briefing.title)
    finally:
        stop.set()  # queued work that has not started must not make requests any more
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            endpoint.slots = None
    return done, failed


class _Slots:
    """At most `n` briefing requests in flight; once the digest is stopped, none more is sent."""

    def __init__(self, n: int, stop: threading.Event) -> None:
        self._free = threading.BoundedSemaphore(max(1, n))
        self._stop = stop

    def __enter__(self) -> None:
        self._free.acquire()
        if self._stop.is_set():
            self._free.release()
            raise _Stopped()

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None and issubclass(kind, FATAL):
            self._stop.set()  # before the slot is free: the worker waiting for it must not send
        self._free.release()


def _strict_failures(briefed: dict) -> list[FailedInput]:
    """--strict: stories with unverified items leave the digest (their results stay cached)."""
    failures = []
    for i in sorted(briefed):
        draft, result, _ = briefed[i]
        failed = failed_items(result.grounding)
        if failed:
            del briefed[i]
            error = GroundingError(f"--strict: {len(failed)} item(s) could not be verified against the article: "
                                   + "; ".join(failed[:3]))
            failures.append(FailedInput(source=draft.lead.source, stage="briefing", error=str(error),
                                        duplicates=[a.source for a in draft.articles if a is not draft.lead]))
    return failures


def _cover(results: list[BriefingResult], session: Callable[[], Session], prompt: PromptSet,
           settings: Settings, *, cache: Cache, title: str, date: str) -> tuple[Cover, str | None, Usage]:
    """The cover from the cache or one synthesis call; a plainer one built from the stories if that fails."""
    boundary = secrets.token_hex(8)
    messages = build_cover_messages(results, prompt, title=title, date=date,
                                    variables=prompt_variables(settings), boundary=boundary)
    schema = build_cover_schema(len(results))
    max_tokens = settings.max_tokens or DEFAULT_MAX_TOKENS
    key = build_key("cover", prompt=prompt_sha256(messages, boundary), schema=schema_sha256(schema),
                    temperature=settings.temperature, max_tokens=max_tokens, reasks=settings.reasks,
                    **model_identity(settings))
    cached = cache.load(key, Cover)
    if cached is not None:
        return verify_cover(cached, len(results)), None, Usage()
    try:
        endpoint = session()
        answer = request_object(endpoint.client, messages, schema, Cover, endpoint=endpoint.endpoint,
                                max_tokens=max_tokens, temperature=settings.temperature,
                                modes=endpoint.modes, reasks=settings.reasks)
        cover = verify_cover(answer.value, len(results))
    except FATAL:
        raise
    except BriefingError as exc:
        note = f"The synthesis call failed ({exc}); this cover lists the stories' own bottom lines and gravest risks."
        return build_fallback_cover(results, title=title), note, Usage(requests=1)
    except ValidationError:
        note = "The model's cover cited no existing story; this cover lists the stories' own bottom lines and gravest risks."
        return build_fallback_cover(results, title=title), note, Usage(requests=1)
    cache.write(key, cover)
    return cover, None, answer.usage


def _source(article: Article) -> Source:
    return Source(source=article.source, title=article.title, outlet=article.outlet, author=article.author,
                  published=article.published)


def _total_usage(results: list[BriefingResult], cover: Usage) -> Usage:
    total = cover.model_copy()
    for r in results:
        total.requests += r.usage.requests
        total.reasks += r.usage.reasks
        total.prompt_tokens += r.usage.prompt_tokens
        total.completion_tokens += r.usage.completion_tokens
    return total


class _Stopped(Exception):
    """A queued story found the digest stopped before its turn came."""

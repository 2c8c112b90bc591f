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

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from pydantic import ValidationError

from briefing import __version__
from briefing.cache import Cache, build_key, schema_sha256
from briefing.changes import build_changes
from briefing.cover import (
    COVER_PROMPT, build_cover_messages, build_cover_schema, build_fallback_cover, order_stories, verify_cover,
)
from briefing.dedupe import StoryDraft
from briefing.errors import (
    AuthenticationError, BriefingError, DigestFailedError, GroundingError, ModelNotFoundError, QuotaExceededError,
)
from briefing.llm import request_object
from briefing.models import (
    Article, BriefingResult, Cover, Digest, FailedInput, PromptInfo, Source, Story, Usage,
)
from briefing.pipeline import DEFAULT_MAX_TOKENS, Session, brief_article, prompt_variables
from briefing.progress import Progress
from briefing.prompts import PromptSet, build_messages, prompt_sha256
from briefing.schema import build_schema
from briefing.settings import Settings, redact_url
from briefing.verify import failed_items

REMOTE_CONCURRENCY = 4
# Errors that every later request would meet too: stop at once instead of paying for them.
FATAL = (QuotaExceededError, AuthenticationError, ModelNotFoundError)


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
        from briefing.local import model_label

        return {"model": model_label(str(settings.local_model)), "endpoint": "embedded"}
    return {"model": settings.remote_model, "endpoint": redact_url(settings.endpoint)}


def briefing_key(article: Article, prompt: PromptSet, settings: Settings) -> str:
    """The cache key of one article's briefing: prompt as rendered, schema, model, parameters."""
    boundary = secrets.token_hex(8)
    messages = build_messages(article, prompt, variables=prompt_variables(settings), boundary=boundary)
    return build_key(
        "briefing",
        prompt=prompt_sha256(messages, boundary),
        schema=schema_sha256(build_schema(article, grounded=True)),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens or DEFAULT_MAX_TOKENS,
        reasks=settings.reasks,
        **model_identity(settings),
    )


def request_digest(plan: DigestPlan, session: Session, prompt: PromptSet, cover_prompt: PromptSet, *,
                   cache: Cache, concurrency: int, strict: bool = False,
                   progress: Progress | None = None) -> Digest:
    """Brief every story (cache first, then concurrently), write the cover, and assemble the Digest."""
    progress = progress or Progress()
    settings = session.settings
    timings: dict[str, float] = {}
    started = time.perf_counter()
    briefed, failures = _brief_stories(plan.stories, session, prompt, cache=cache, concurrency=concurrency,
                                       strict=strict, progress=progress)
    timings["briefings"] = time.perf_counter() - started
    failures = [*plan.failures, *failures]
    if not briefed:
        raise DigestFailedError(f"all {len(failures)} input(s) failed; no digest written", failures=failures)

    t = time.perf_counter()
    results = [result for _, result, _ in briefed]
    progress(f"Writing the cover of {len(results)} stories…")
    cover, cover_note, cover_usage = _cover(results, session, cover_prompt, cache=cache, title=plan.title,
                                            date=plan.date)
    cover, order = order_stories(cover)
    timings["cover"] = time.perf_counter() - t

    group_of = {n: g.name for g in cover.groups for n in g.stories}
    stories = []
    for number, old in enumerate(order, 1):
        draft, result, cached = briefed[old - 1]
        stories.append(Story(number=number, id=draft.id, group=group_of.get(number, ""), cached=cached,
                             sources=[_source(a) for a in draft.articles], result=result))
    usage = _total_usage([r for _, r, cached in briefed if not cached], cover_usage)
    return Digest(
        generator=f"briefing {__version__}",
        title=plan.title,
        date=plan.date,
        cover=cover,
        cover_note=cover_note,
        stories=stories,
        failures=failures,
        changes=build_changes(plan.previous, stories) if plan.previous else None,
        model=session.model_info,
        prompt=PromptInfo(name=prompt.name, files=[*prompt.files(), *cover_prompt.files()],
                          structured_mode=session.modes[0],
                          variables={k: str(v) for k, v in prompt_variables(settings).items()}),
        usage=usage,
        timings=timings,
    )


def _brief_stories(drafts: list[StoryDraft], session: Session, prompt: PromptSet, *, cache: Cache,
                   concurrency: int, strict: bool, progress: Progress):
    """[(draft, result, cached)] in story order, and the stories that failed."""
    settings = session.settings
    stop = threading.Event()
    progress.add_stories(len(drafts))

    def brief(draft: StoryDraft) -> tuple[BriefingResult, bool]:
        key = briefing_key(draft.lead, prompt, settings)
        hit = cache.load(key, BriefingResult)
        if hit is not None:
            # Same text and prompt, maybe another file name: keep today's article metadata.
            return hit.model_copy(update={"article": draft.lead}), True
        if stop.is_set():
            raise _Stopped()
        try:
            result = brief_article(draft.lead, session, prompt)
        except FATAL:
            stop.set()  # here, not in the main thread: this worker's next story must not be requested
            raise
        cache.write(key, result)
        return result, False

    done: dict[int, tuple[StoryDraft, BriefingResult, bool]] = {}
    failed: dict[int, FailedInput] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="brief")
    try:
        futures = {pool.submit(brief, draft): i for i, draft in enumerate(drafts)}
        for future in as_completed(futures):
            i = futures[future]
            draft = drafts[i]
            try:
                result, cached = future.result()
                if strict and failed_items(result.grounding):
                    raise GroundingError(f"--strict: {len(failed_items(result.grounding))} item(s) could not "
                                         f"be verified against the article")
            except FATAL as exc:
                stop.set()
                raise type(exc)(f"{exc.message}; the digest stopped at once ({len(done)} of {len(drafts)} "
                                "stories done and cached for the next run)", hint=exc.hint) from None
            except BriefingError as exc:
                failed[i] = FailedInput(source=draft.lead.source, stage="briefing", error=str(exc),
                                        duplicates=[a.source for a in draft.articles if a is not draft.lead])
                progress.story_done(draft.lead.source, error=str(exc))
                continue
            done[i] = (draft, result, cached)
            progress.story_done(result.briefing.title, cached=cached)
    finally:
        stop.set()  # queued work that has not started must not make requests any more
        pool.shutdown(wait=True, cancel_futures=True)
    return [done[i] for i in sorted(done)], [failed[i] for i in sorted(failed)]


def _cover(results: list[BriefingResult], session: Session, prompt: PromptSet, *, cache: Cache, title: str,
           date: str) -> tuple[Cover, str | None, Usage]:
    """The cover from the cache or one synthesis call; a plainer one built from the stories if that fails."""
    settings = session.settings
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
        answer = request_object(session.client, messages, schema, Cover, endpoint=session.endpoint,
                                max_tokens=max_tokens, temperature=settings.temperature,
                                modes=session.modes, reasks=settings.reasks)
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

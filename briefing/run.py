"""run_briefings(): many articles through brief_article: cache, one session, concurrency, --strict.   [net, disk]

    per article: cache key -> cache hit | brief_article (concurrently) -> cache write -> --strict -> on_done
                    pure        [disk]         [net]                         [disk]       pure

The one run loop of `generate` (a digest without a cover) and `digest` (digest/build.py adds the
stories, the cover and what changed). Briefings run in a thread pool over the session's one openai
client (which is thread-safe), at most `concurrency` requests at a time. Each validated result goes
into the cache the moment it arrives, so a run that is killed resumes where it stopped. An article
that fails is listed and the others go on; an error that no further request can fix (quota gone,
key rejected, model unknown, a long Retry-After) stops the whole run at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from briefing.ask import DEFAULT_MAX_TOKENS, BriefingRequest, build_request
from briefing.brief import FATAL, brief_article
from briefing.cache import Cache, build_key, schema_sha256
from briefing.digest_records import FailedInput
from briefing.errors import BriefingError, GroundingError
from briefing.progress import Progress
from briefing.prompts import PromptSet
from briefing.records import Article, BriefingResult
from briefing.revise import flagged_items
from briefing.session import LazySession, Session, model_identity
from briefing.settings import Settings
from briefing.verify import failed_items


@dataclass
class Job:
    """One article to brief, and the sources of the near-duplicates it stands for (a digest's story)."""

    article: Article
    duplicates: list[str] = field(default_factory=list)


@dataclass
class Done:
    """A briefed article: its result, and whether it came from the cache."""

    job: Job
    result: BriefingResult
    cached: bool


@dataclass
class RunOutcome:
    """What a run made: {job index: Done} and {job index: FailedInput} (the others were not reached)."""

    done: dict[int, Done] = field(default_factory=dict)
    failed: dict[int, FailedInput] = field(default_factory=dict)
    errors: dict[int, BriefingError] = field(default_factory=dict)  # the error behind each failure


def briefing_key(article: Article, prompt: PromptSet, settings: Settings) -> str:
    """The cache key of one article's briefing: prompt as rendered, schema, model, parameters."""
    return keyed_request(article, prompt, settings)[0]


def keyed_request(article: Article, prompt: PromptSet, settings: Settings) -> tuple[str, BriefingRequest]:
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


def strict_error(result: BriefingResult) -> GroundingError | None:
    """--strict, the one rule: any unverified quote, actor or citation, or flagged text, fails; with this message."""
    failed = failed_items(result.grounding) + flagged_items(result.grounding)
    if not failed:
        return None
    shown = "; ".join(failed[:5]) + (f"; and {len(failed) - 5} more" if len(failed) > 5 else "")
    return GroundingError(
        f"--strict: {len(failed)} item(s) could not be verified against {result.article.source}: {shown}"
    )


def run_briefings(
    jobs: list[Job],
    lazy: LazySession,
    prompt: PromptSet,
    *,
    settings: Settings,
    cache: Cache,
    concurrency: int,
    strict: bool = False,
    progress: Progress | None = None,
    on_done: Callable[[int, Done], None] | None = None,
    noun: tuple[str, str] = ("run", "articles"),
    record: Callable[[BriefingResult], None] | None = None,
) -> RunOutcome:
    """Brief every job (cache first, then concurrently); `on_done(i, done)` runs in this thread as each lands.

    The session is opened (`lazy.get()`) at the first job the cache lacks, so a run whose every
    result is cached neither connects anywhere nor loads the embedded model. `settings.strict` is
    ignored: `strict` is applied here, after caching. `noun` names the run and its items in messages.
    `record` (the archive) gets each result that lands, cached or new, in this thread.
    """
    progress = progress or Progress()
    outcome = RunOutcome()

    def land(i: int, done: Done) -> None:
        error = strict_error(done.result) if strict else None
        if error is not None:
            outcome.failed[i], outcome.errors[i] = _failure(done.job, error), error
            progress.story_done(done.job.article.source, error=str(error))
            return
        outcome.done[i] = done
        if record is not None:
            record(done.result)  # one transaction each: a run killed later keeps what landed before
        progress.story_done(done.result.briefing.title, cached=done.cached)
        if on_done is not None:
            on_done(i, done)

    def misses() -> Iterator[tuple[int, str, BriefingRequest]]:
        """(index, key, prepared request) for each job the cache lacks, found one at a time: the first
        request goes out after one cache key, not after all of them."""
        for i, job in enumerate(jobs):
            key, request = keyed_request(job.article, prompt, settings)
            hit = cache.load(key, BriefingResult)
            if hit is None:
                yield i, key, request
                continue
            # Same text and prompt, maybe another file name: keep today's article metadata.
            land(i, Done(job, hit.model_copy(update={"article": job.article}), cached=True))

    _brief_concurrently(
        jobs,
        misses(),
        lazy,
        prompt,
        cache=cache,
        concurrency=concurrency,
        progress=progress,
        land=land,
        outcome=outcome,
        noun=noun,
    )
    return outcome


def _brief_concurrently(
    jobs: list[Job],
    todo: Iterator[tuple[int, str, BriefingRequest]],
    lazy: LazySession,
    prompt: PromptSet,
    *,
    cache: Cache,
    concurrency: int,
    progress: Progress,
    land: Callable[[int, Done], None],
    outcome: RunOutcome,
    noun: tuple[str, str],
) -> None:
    """Brief the jobs `todo` yields, each submitted as soon as it is yielded; results land as they arrive."""
    stop = threading.Event()

    def brief(i: int, key: str, request: BriefingRequest, session: Session) -> BriefingResult:
        if stop.is_set():
            raise _Stopped()
        try:
            result = brief_article(jobs[i].article, session, prompt, prepared=request)
        except FATAL:
            stop.set()  # here, not in the main thread: this worker's next article must not be requested
            raise
        cache.write(key, result)  # saved the moment it is valid: a killed run resumes from here
        return result

    pool: ThreadPoolExecutor | None = None
    session: Session = None  # type: ignore[assignment]  # opened with the pool, at the first miss
    landed = 0
    try:
        futures = {}
        for i, key, request in todo:
            if stop.is_set():
                continue  # a fatal error: the article that met it raises it below; no more requests
            if pool is None:
                session = lazy.get()
                session.slots = _Slots(concurrency, stop)
                # Twice the workers of the requests in flight: when an answer arrives, a worker with its
                # request ready takes the slot at once, while the answered one is verified and cached.
                pool = ThreadPoolExecutor(max_workers=2 * max(1, concurrency), thread_name_prefix="brief")
            futures[pool.submit(brief, i, key, request, session)] = i
        for future in as_completed(futures):
            i = futures[future]
            try:
                result = future.result()
            except _Stopped:
                continue  # the fatal error that stopped it is in another future, and is raised from there
            except FATAL as exc:
                stop.set()
                raise type(exc)(
                    f"{exc.message}; the {noun[0]} stopped at once ({landed} of {len(futures)} {noun[1]} "
                    "to brief were done and are cached for the next run)",
                    hint=exc.hint,
                ) from None
            except BriefingError as exc:
                outcome.failed[i], outcome.errors[i] = _failure(jobs[i], exc), exc
                progress.story_done(jobs[i].article.source, error=str(exc))
                continue
            landed += 1
            land(i, Done(jobs[i], result, cached=False))
    finally:
        stop.set()  # queued work that has not started must not make requests any more
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if session is not None:
            session.slots = None


def _failure(job: Job, error: BriefingError) -> FailedInput:
    return FailedInput(source=job.article.source, stage="briefing", error=str(error), duplicates=job.duplicates)


class _Slots:
    """At most `n` briefing requests in flight; once the run is stopped, none more is sent."""

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


class _Stopped(Exception):
    """A queued article found the run stopped before its turn came."""

"""request_digest(): the day's stories in, one Digest out.   [net, disk]

    stories -> run_briefings (cache | brief, concurrently) -> cover (cache | one request) -> order -> Digest
     pure              [disk, net]                                 [disk, net]              pure

One synthesis call writes the cover across all stories; if it fails, a plainer cover is built from
the stories and the digest says so.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from briefing import __version__
from briefing.ask import DEFAULT_MAX_TOKENS, add_usage, prompt_variables
from briefing.brief import FATAL
from briefing.cache import Cache, build_key, schema_sha256
from briefing.digest.changes import build_changes
from briefing.digest.cover import (
    build_cover_messages,
    build_cover_schema,
    build_fallback_cover,
    complete_top_lines,
    fix_citations,
    order_stories,
    verify_cover,
)
from briefing.digest.dedupe import StoryDraft
from briefing.digest.regions import place_by_region
from briefing.digest_records import Cover, Digest, FailedInput, Source, Story
from briefing.errors import BriefingError, DigestFailedError
from briefing.llm.structured import request_object
from briefing.progress import Progress
from briefing.prompts import PromptSet, prompt_sha256
from briefing.records import Article, BriefingResult, Issue, PromptInfo, Usage
from briefing.revise import keep_fixed, request_revisions
from briefing.run import Job, run_briefings
from briefing.session import LazySession, OpenEndpoint, model_identity
from briefing.settings import Settings
from briefing.verify.analytic import Flaw, cover_flaws

log = logging.getLogger(__name__)


@dataclass
class DigestPlan:
    """What a digest will brief: its stories (near-duplicates merged) and the inputs that already failed."""

    title: str
    date: str
    stories: list[StoryDraft]
    failures: list[FailedInput] = field(default_factory=list)
    previous: Digest | None = None
    compared_with: str = ""  # where `previous` came from: the --previous file, or archive:dN


def request_digest(
    plan: DigestPlan,
    open_endpoint: OpenEndpoint,
    prompt: PromptSet,
    cover_prompt: PromptSet,
    *,
    settings: Settings,
    cache: Cache,
    concurrency: int,
    strict: bool = False,
    progress: Progress | None = None,
    record: Callable[[BriefingResult], None] | None = None,
) -> Digest:
    """Brief every story (cache first, then concurrently), write the cover, and assemble the Digest.

    `open_endpoint()` is entered only if something is missing from the cache: a rerun whose results
    are all cached neither connects anywhere nor loads the embedded model. `record` (the archive)
    is given each briefing as it lands.
    """
    progress = progress or Progress()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    progress.add_stories(len(plan.stories))
    jobs = [Job(draft.lead, [a.source for a in draft.articles if a is not draft.lead]) for draft in plan.stories]
    with LazySession(open_endpoint) as lazy:
        outcome = run_briefings(
            jobs,
            lazy,
            prompt,
            settings=settings,
            cache=cache,
            concurrency=concurrency,
            strict=strict,
            progress=progress,
            noun=("digest", "stories"),
            record=record,
        )
        failures = [*plan.failures, *(outcome.failed[i] for i in sorted(outcome.failed))]
        ordered = [(plan.stories[i], outcome.done[i]) for i in sorted(outcome.done)]
        timings["briefings"] = time.perf_counter() - started
        if not ordered:
            raise DigestFailedError(f"all {len(failures)} input(s) failed; no digest written", failures=failures)

        t = time.perf_counter()
        results = [done.result for _, done in ordered]
        progress(f"Writing the cover across {len(results)} stor{'y' if len(results) == 1 else 'ies'}…")
        cover, cover_note, cover_usage, cover_issues = _cover(
            results, lazy, cover_prompt, settings, cache=cache, title=plan.title, date=plan.date
        )
        timings["cover"] = time.perf_counter() - t
        if lazy.session is not None:
            model, mode = lazy.session.model_info, lazy.session.modes[0]
        else:
            model, mode = results[0].model, results[0].prompt.structured_mode

    cover = fix_citations(cover, results)  # an item about one story that cites another cites the right one
    cover = place_by_region(cover, results)  # a story under a region none of its states is in moves
    cover, cover_issues = complete_top_lines(cover, results, cover_issues)  # one top line per story first
    cover, order = order_stories(cover)
    group_of = {n: g.name for g in cover.groups for n in g.stories}
    stories = []
    for number, old in enumerate(order, 1):
        draft, done = ordered[old - 1]
        stories.append(
            Story(
                number=number,
                id=draft.id,
                group=group_of.get(number, ""),
                cached=done.cached,
                sources=[_source(a) for a in draft.articles],
                result=done.result,
            )
        )
    return Digest(
        generator=f"briefing {__version__}",
        title=plan.title,
        date=plan.date,
        cover=cover,
        cover_note=cover_note,
        cover_issues=cover_issues,
        stories=stories,
        failures=failures,
        changes=build_changes(plan.previous, stories, compared_with=plan.compared_with) if plan.previous else None,
        model=model,
        prompt=PromptInfo(
            name=prompt.name,
            files=[*prompt.files(), *cover_prompt.files()],
            structured_mode=mode,
            variables={k: str(v) for k, v in prompt_variables(settings).items()},
        ),
        usage=_total_usage([done.result for _, done in ordered if not done.cached], cover_usage),
        timings=timings,
    )


def _cover(
    results: list[BriefingResult],
    lazy: LazySession,
    prompt: PromptSet,
    settings: Settings,
    *,
    cache: Cache,
    title: str,
    date: str,
) -> tuple[Cover, str | None, Usage, list[Issue]]:
    """The cover from the cache or one synthesis call; a plainer one built from the stories if that fails.

    Cover texts that fail the analytic checks are re-asked once, by themselves (revise.py); what
    still fails comes back as flagged issues, shown as marks in every format.
    """
    boundary = secrets.token_hex(8)
    messages = build_cover_messages(
        results, prompt, title=title, date=date, variables=prompt_variables(settings), boundary=boundary
    )
    schema = build_cover_schema(len(results))
    max_tokens = settings.max_tokens or DEFAULT_MAX_TOKENS
    key = build_key(
        "cover",
        prompt=prompt_sha256(messages, boundary),
        schema=schema_sha256(schema),
        temperature=settings.temperature,
        max_tokens=max_tokens,
        reasks=settings.reasks,
        **model_identity(settings),
    )
    cached = cache.load(key, Cover)
    if cached is not None:
        cover = verify_cover(cached, len(results))
        return cover, None, Usage(), _flagged(cover_flaws(cover))
    try:
        session = lazy.get()
        answer = request_object(
            session.client,
            messages,
            schema,
            Cover,
            endpoint=session.endpoint,
            max_tokens=max_tokens,
            temperature=settings.temperature,
            modes=session.modes,
            reasks=settings.reasks,
        )
        cover = verify_cover(answer.value, len(results))
    except FATAL:
        raise
    except BriefingError as exc:
        note = f"The synthesis call failed ({exc}); this cover lists the stories' own bottom lines and gravest risks."
        fallback = build_fallback_cover(results, title=title)
        return fallback, note, Usage(requests=1), _flagged(cover_flaws(fallback))
    except ValidationError:
        note = (
            "The model's cover cited no existing story; this cover lists the stories' own bottom lines "
            "and gravest risks."
        )
        fallback = build_fallback_cover(results, title=title)
        return fallback, note, Usage(requests=1), _flagged(cover_flaws(fallback))
    usage = answer.usage
    flaws = cover_flaws(cover)
    if flaws and settings.reasks > 0:
        try:
            texts, again = request_revisions(session, messages, cover, flaws, max_tokens=max_tokens)
        except FATAL:
            raise
        except BriefingError as exc:
            log.info("the cover's analytic re-ask failed (%s); its texts stay marked", exc)
            usage.requests += 1
        else:
            add_usage(usage, again.usage)
            with contextlib.suppress(ValidationError):  # a rewrite never costs the valid cover
                cover = verify_cover(keep_fixed(cover, texts, cover_flaws)[0], len(results))
        usage.reasks += 1
    cache.write(key, cover)
    return cover, None, usage, _flagged(cover_flaws(cover))


def _flagged(flaws: list[Flaw]) -> list[Issue]:
    return [Issue(path=f.path, status="flagged", message=f.reason, check=f.check) for f in flaws]


def _source(article: Article) -> Source:
    return Source(
        source=article.source,
        title=article.title,
        outlet=article.outlet,
        author=article.author,
        published=article.published,
    )


def _total_usage(results: list[BriefingResult], cover: Usage) -> Usage:
    total = cover.model_copy()
    for r in results:
        total.requests += r.usage.requests
        total.reasks += r.usage.reasks
        total.prompt_tokens += r.usage.prompt_tokens
        total.completion_tokens += r.usage.completion_tokens
    return total

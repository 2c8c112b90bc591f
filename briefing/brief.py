"""brief_article(): one article through the pipeline, from messages to a verified, saved-ready result.   [net]

    build_messages -> request_briefing -> verify_briefing -> (one grounding re-ask) -> BriefingResult
        pure              [net]               pure                 [net]

An article too long for the model's context is briefed in parts and merged (parts.py); evidence ids
stay those of the whole article. --strict is not applied here but by the run (run.py), after the
result is cached, so a strict rerun needs no new request.
"""

from __future__ import annotations

import logging
import time

from pydantic import ValidationError

from briefing import __version__
from briefing.ask import (
    BriefingRequest,
    add_usage,
    ask,
    max_tokens,
    prompt_variables,
    quote_translation,
    slot,
    watch,
)
from briefing.errors import (
    AuthenticationError,
    BriefingError,
    ContextLengthError,
    ModelNotFoundError,
    QuotaExceededError,
    RetryLaterError,
)
from briefing.llm.structured import request_reask
from briefing.parts import brief_in_parts, prompt_budget
from briefing.prompts import PromptSet
from briefing.records import Article, Briefing, BriefingResult, Grounding, PromptInfo, Usage
from briefing.revise import (
    MAX_REVISIONS,
    describe,
    keep_fixed,
    mark_flaws,
    reask_repairs,
    request_revisions,
    revision_messages,
)
from briefing.schema import DEPTH
from briefing.session import Session
from briefing.text.chunks import estimate_messages
from briefing.verify import failed_items, verify_briefing
from briefing.verify.analytic import Flaw, find_flaws, redundant_items
from briefing.verify.rewrite import drop_repeats, drop_strays, prose_paths, renumber, rewrite_by_rule, tidy

log = logging.getLogger(__name__)

# Errors that every later request would meet too: a run stops at once instead of paying for them.
FATAL = (QuotaExceededError, AuthenticationError, ModelNotFoundError, RetryLaterError)


def brief_article(
    article: Article,
    session: Session,
    prompt: PromptSet,
    *,
    variables: dict[str, object] | None = None,
    prepared: BriefingRequest | None = None,
) -> BriefingResult:
    """Run the pipeline for one article: messages, request, verification, one grounding re-ask.

    `prepared` is this article's request already built with the settings' variables and no quote
    translation (a run builds it for the cache key): used as is when that is what is needed.
    """
    settings = session.settings
    timings: dict[str, float] = {}
    t = time.perf_counter()
    variables = {**prompt_variables(settings), **(variables or {})}
    translate_to = quote_translation(article, settings)
    if prepared is not None and translate_to is None and variables == prepared.variables:
        request = prepared
    else:
        request = BriefingRequest(article, prompt, variables, translate_to=translate_to)
    timings["prompt"] = time.perf_counter() - t

    budget = prompt_budget(session)
    if budget is not None and estimate_messages(request.messages) > budget:
        answer, asked = brief_in_parts(article, session, prompt, variables, budget, translate_to)
    else:
        try:
            answer, asked = ask(session, request), request
        except ContextLengthError as exc:
            # Never send the same oversized request again: cut the article to fit the window.
            window = exc.limit or estimate_messages(request.messages) // 2 + max_tokens(session)
            answer, asked = brief_in_parts(
                article, session, prompt, variables, max(512, int(0.9 * window) - max_tokens(session)), translate_to
            )
            answer.usage.requests += 1
    timings["request"] = answer.seconds
    usage = answer.usage

    t = time.perf_counter()
    briefing, grounding = verify_briefing(answer.briefing, article)
    timings["verify"] = time.perf_counter() - t
    failed = failed_items(grounding)
    # A re-ask carries the first answer: never send one the context window cannot hold.
    budget = prompt_budget(session)
    reask_size = estimate_messages(asked.messages) + len(answer.briefing.model_dump_json()) // 3
    if failed and settings.reasks > 0 and (budget is None or reask_size <= budget):
        try:
            with slot(session), watch(session, f"{article.title} (re-checking {len(failed)} item(s))"):
                again = request_reask(
                    session.client,
                    asked.messages,
                    briefing,
                    failed,
                    asked.schema,
                    endpoint=session.endpoint,
                    mode=answer.mode,
                    max_tokens=max_tokens(session),
                    temperature=settings.temperature,
                    prompt_schema=asked.prompt_schema,
                )
        except FATAL:
            raise
        except BriefingError as exc:
            # The first answer was valid and is kept: what the re-ask could not fix stays marked.
            log.info("the grounding re-ask for %s failed (%s); keeping the first answer", article.source, exc)
            usage.requests += 1
            usage.reasks += 1
        else:
            add_usage(usage, again.usage)
            usage.reasks += 1
            timings["request"] += again.seconds
            second, second_grounding = verify_briefing(again.briefing, article)
            if len(failed_items(second_grounding)) < len(failed):
                briefing, grounding = second, second_grounding
    t, asked_before = time.perf_counter(), timings["request"]
    revised, revised_grounding = _revise(article, session, asked.messages, briefing, grounding, usage, timings)
    timings["verify"] += time.perf_counter() - t - (timings["request"] - asked_before)  # checks, not the re-ask
    try:  # every repair above keeps the result valid: a saved result must always load again
        Briefing.model_validate(revised.model_dump())
        briefing, grounding = revised, revised_grounding
    except ValidationError as exc:  # should one not, the verified answer stands, its flaws marked
        first = exc.errors()[0]
        where = "/".join(map(str, first["loc"]))
        log.warning(
            "repairs left %s invalid (%s: %s); keeping the verified answer", article.source, where, first["msg"]
        )
        flaws = find_flaws(briefing, article, instructions=_instructions(asked.messages))
        briefing, grounding = mark_flaws(briefing, grounding, flaws)
    session.requests += usage.requests
    return BriefingResult(
        generator=f"briefing {__version__}",
        article=article,
        briefing=briefing,
        grounding=grounding,
        model=session.model_info,
        prompt=PromptInfo(
            name=prompt.name,
            files=prompt.files(),
            sha256=request.sha256,
            structured_mode=answer.mode,
            variables={k: str(v) for k, v in variables.items() if k != "vars"},
        ),
        usage=usage,
        timings=timings,
    )


def _revise(
    article: Article,
    session: Session,
    messages: list[dict[str, str]],
    briefing: Briefing,
    grounding: Grounding,
    usage: Usage,
    timings: dict[str, float],
) -> tuple[Briefing, Grounding]:
    """Repair by rule; re-ask the texts failing the analytic checks once, by themselves; mark the rest."""
    briefing, rewritten = rewrite_by_rule(briefing)
    grounding = grounding.model_copy(update={"issues": [*grounding.issues, *rewritten]})
    instructions = _instructions(messages)

    def flaws_of(b: Briefing) -> list[Flaw]:
        return find_flaws(b, article, instructions=instructions)

    flaws = flaws_of(briefing)
    asked = flaws[:MAX_REVISIONS]  # the most important texts first (find_flaws' order)
    budget = prompt_budget(session)
    fits = budget is None or estimate_messages(revision_messages(messages, briefing, asked)) <= budget
    if asked and session.settings.reasks > 0 and fits:
        try:
            with slot(session), watch(session, f"{article.title} (rewriting {len(asked)} text(s))"):
                texts, answer = request_revisions(session, messages, briefing, asked, max_tokens=max_tokens(session))
        except FATAL:
            raise
        except BriefingError as exc:
            log.info("the analytic re-ask for %s failed (%s); the texts stay marked", article.source, exc)
            usage.requests += 1
            usage.reasks += 1
        else:
            log.debug("analytic re-ask for %s: %s", article.source, describe(texts))
            add_usage(usage, answer.usage)
            usage.reasks += 1
            timings["request"] = timings.get("request", 0.0) + answer.seconds
            # The same rules as the first answer's, then each rewrite is kept only where it passes.
            texts = {
                path: tidy(path, text)[0] if path in prose_paths(briefing) else text for path, text in texts.items()
            }
            kept, fixed = keep_fixed(briefing, texts, flaws_of)
            revised, revised_grounding = verify_briefing(kept, article)
            if len(failed_items(revised_grounding)) <= len(failed_items(grounding)):
                issues = [*revised_grounding.issues, *rewritten, *reask_repairs(briefing, fixed, asked)]
                briefing, grounding = revised, revised_grounding.model_copy(update={"issues": issues})
            flaws = flaws_of(briefing)
    depth = DEPTH.get(session.settings.length, DEPTH["standard"])
    # An item that still repeats another or copies the article after the re-ask goes, above its list's minimum.
    minimum = {field: low for field, (low, _) in depth.items()}
    briefing, dropped = drop_repeats(briefing, minimum, redundant_items(briefing, article))
    if dropped:
        recounted = verify_briefing(briefing, article)[1]  # the sections' counts without the dropped items
        issues = [*renumber(grounding.issues, dropped), *dropped]
        grounding = grounding.model_copy(update={"sections": recounted.sections, "issues": issues})
        flaws = flaws_of(briefing)
    # So do the gaps, indicators and signposts that copy the prompt's example, hold no words or repeat.
    briefing, strays = drop_strays(briefing, flaws, minimum.get("gaps", 0))
    if strays:
        grounding = grounding.model_copy(update={"issues": [*renumber(grounding.issues, strays), *strays]})
        flaws = flaws_of(briefing)
    return mark_flaws(briefing, grounding, flaws)


def _instructions(messages: list[dict[str, str]]) -> str:
    """The system prompt the briefing was asked with (the example checks compare texts with it)."""
    return messages[0]["content"] if messages and messages[0]["role"] == "system" else ""

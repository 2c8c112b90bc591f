"""brief_in_parts(): an article too long for the model's context, briefed in parts and merged.   [net]

Map: each part that fits the window is briefed on its own (evidence ids shifted back to the whole
article's numbering); reduce: consecutive partial briefings are merged, as many per request as fit,
until one is left.
"""

from __future__ import annotations

from briefing.ask import BriefingRequest, add_usage, ask, max_tokens
from briefing.llm.structured import Answer
from briefing.prompts import PromptSet, build_merge_messages
from briefing.records import Article, Briefing, Usage
from briefing.session import Session
from briefing.text.chunks import estimate_messages, shift_evidence, split_article


def prompt_budget(session: Session) -> int | None:
    """Tokens the messages may take: the context window (known or configured) minus the answer's share."""
    window = session.settings.context_tokens or session.extra.get("context_tokens")
    if not window:
        return None
    return int(0.9 * window) - max_tokens(session)


def brief_in_parts(
    article: Article, session: Session, prompt: PromptSet, variables: dict, budget: int, translate_to: str | None = None
) -> tuple[Answer, BriefingRequest]:
    """Map: brief each part that fits `budget`; reduce: merge the parts' briefings."""
    empty = BriefingRequest(_empty_like(article), prompt, variables, translate_to=translate_to)
    parts = split_article(article, max(256, budget - estimate_messages(empty.messages)))
    total = Usage()
    seconds = 0.0
    partials: list[Briefing] = []
    mode = session.modes[0]
    for part in parts:
        answer = ask(session, BriefingRequest(part.article, prompt, variables, translate_to=translate_to))
        partials.append(shift_evidence(answer.briefing, part.offset))
        add_usage(total, answer.usage)
        seconds += answer.seconds
        mode = answer.mode
    merged_request = BriefingRequest(parts[0].article, prompt, variables, translate_to=translate_to)
    while len(partials) > 1:
        partials, merged_request, answers = _merge_round(
            article, session, prompt, variables, partials, budget, translate_to
        )
        for answer in answers:
            add_usage(total, answer.usage)
            seconds += answer.seconds
            mode = answer.mode
    return Answer(partials[0], mode, total, seconds), merged_request


def _merge_round(
    article: Article,
    session: Session,
    prompt: PromptSet,
    variables: dict,
    partials: list[Briefing],
    budget: int,
    translate_to: str | None = None,
) -> tuple[list[Briefing], BriefingRequest, list[Answer]]:
    """Merge as many consecutive partial briefings per request as fit; returns the merged list."""
    merged: list[Briefing] = []
    answers: list[Answer] = []
    i = 0
    request = None
    while i < len(partials):
        group = [partials[i]]
        while i + len(group) < len(partials):
            trial = [*group, partials[i + len(group)]]
            if (
                estimate_messages(_merge_messages(article, prompt, variables, trial, budget)) > budget
                and len(group) >= 2
            ):
                break
            group = trial
        messages = _merge_messages(article, prompt, variables, group, budget)
        request = BriefingRequest(article, prompt, variables, messages=messages, translate_to=translate_to)
        request.label = f"{article.title} (merging {len(group)} parts)"
        answers.append(ask(session, request))
        merged.append(answers[-1].briefing)
        i += len(group)
    assert request is not None  # partials had at least two briefings
    return merged, request, answers


# What a partial briefing may leave out when a merge would not fit otherwise, least useful first: the
# quotes (the merged briefing's schema offers each actor's quotations again), then gaps and summary.
_LIGHTER: tuple[dict, ...] = (
    {},
    {"key_actors": {"__all__": {"quotes"}}},
    {"key_actors": {"__all__": {"quotes"}}, "gaps": True, "summary": True},
)


def _merge_messages(
    article: Article, prompt: PromptSet, variables: dict, group: list[Briefing], budget: int | None = None
) -> list[dict]:
    # Only what the model wrote: the verifier's flags and empty defaults would crowd the window.
    for exclude in _LIGHTER:
        partials = [b.model_dump_json(exclude_defaults=True, exclude_none=True, exclude=exclude) for b in group]
        messages = build_merge_messages(article, partials, prompt, variables=variables)
        if budget is None or estimate_messages(messages) <= budget:
            break
    return messages


def _empty_like(article: Article) -> Article:
    return article.model_copy(update={"sentences": [], "names": [], "quotations": []})

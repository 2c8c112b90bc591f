"""sample_result(): a made-up briefing that fills every field, to try output templates on. Pure.

`generate` renders the output templates with it before calling the model, so a misspelt variable
fails in milliseconds instead of after a paid request; `briefing templates show NAME --sample`
prints what a template makes of it.
"""

from __future__ import annotations

from briefing.records import (
    Actor,
    Article,
    Briefing,
    BriefingResult,
    Check,
    Grounding,
    Issue,
    KeyJudgment,
    Mention,
    ModelInfo,
    PromptInfo,
    Quotation,
    Quote,
    Risk,
    Scenario,
    SectionCount,
)
from briefing.text.quotations import quotable

_SENTENCES = [
    "The talks between the two governments collapsed on Monday.",
    '"We will not negotiate under pressure," said Foreign Minister Ana Duarte.',
    "Analysts expect military exercises to resume within weeks.",
]


def sample_result(article: Article | None = None, variables: dict[str, str] | None = None) -> BriefingResult:
    """A BriefingResult with every list filled and every kind of check, on `article` or a made-up one."""
    article = article or Article(
        source="https://example.org/news/talks",
        title="Talks collapse",
        text=" ".join(_SENTENCES),
        outlet="Example News",
        author="A. Writer",
        published="2025-01-06",
        sentences=list(_SENTENCES),
        names=[Mention(name="Ana Duarte", kind="person", sentences=[2])],
        quotations=[Quotation(text="We will not negotiate under pressure", sentences=[2], speaker="Ana Duarte")],
    )
    n = max(1, len(article.sentences))
    # An article's quotation can be longer than a Quote holds: the sample quotes it as a briefing would.
    quote_text = quotable(article.quotations[0].text) if article.quotations else "We will not negotiate under pressure"
    speaker = article.names[0].name[:80] if article.names else "Ana Duarte"
    weak = Check(status="weak", notes=["the cited sentences do not mention what the item says"], suggested=[n])
    briefing = Briefing(
        title="Sample: the talks have failed and pressure will rise",
        bluf="A sample bottom line: expect renewed pressure within weeks.",
        summary="A sample summary of what happened, as the model would write it.",
        key_judgments=[
            KeyJudgment(
                statement="Talks are unlikely to resume soon.",
                likelihood="likely",
                confidence="moderate",
                evidence=[1],
                check=Check(),
            ),
            KeyJudgment(
                statement="A sample judgment with weak sourcing.",
                likelihood="roughly even chance",
                confidence="low",
                evidence=[n],
                check=weak,
            ),
        ],
        key_actors=[
            Actor(
                name=speaker,
                kind="person",
                role="Foreign minister",
                stance="Refuses concessions.",
                evidence=[min(2, n)],
                check=Check(),
                quotes=[
                    Quote(text=quote_text, speaker=speaker, verified=True, translation="(translation)", check=Check())
                ],
            ),
            Actor(
                name="Unnamed officials",
                kind="group",
                role="Officials",
                stance="Unclear.",
                evidence=[1],
                quotes=[
                    Quote(
                        text="An invented quote",
                        speaker="Unnamed officials",
                        check=Check(status="unverified", notes=["does not occur in the article"]),
                    )
                ],
                check=Check(status="unverified", notes=["not named in the article"]),
            ),
        ],
        risks=[
            Risk(
                title="Military escalation",
                description="Exercises resume and incidents follow.",
                likelihood="likely",
                impact="high",
                timeframe="next weeks",
                indicators=["Exercise notices"],
                evidence=[min(3, n)],
                check=Check(),
            )
        ],
        outlook=[
            Scenario(
                development="Exercises resume.",
                likelihood="very likely",
                signposts=["Notices"],
                evidence=[min(3, n)],
                check=Check(),
            )
        ],
        gaps=["What each side offered."],
    )
    grounding = Grounding(
        sections={
            "key_judgments": SectionCount(verified=1, weak=1),
            "key_actors": SectionCount(verified=1, unverified=1),
            "quotes": SectionCount(verified=1, unverified=1),
            "risks": SectionCount(verified=1),
            "outlook": SectionCount(verified=1),
        },
        issues=[Issue(path="key_judgments/1", status="weak", message="the cited sentences do not mention it")],
    )
    return BriefingResult(
        generator="briefing (sample)",
        article=article,
        briefing=briefing,
        grounding=grounding,
        model=ModelInfo(name="sample-model", endpoint="https://example.org/v1", note=None),
        prompt=PromptInfo(name="policy", variables=dict(variables or {})),
    )

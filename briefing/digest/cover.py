"""The digest's cover: one synthesis call across all stories, checked and completed by code.

    build_cover_messages -> request_object(Cover) -> verify_cover -> complete_top_lines -> order_stories
          pure                  [net, llm.py]           pure            pure                  pure

The model sees each story's title, bottom line, judgments and risks (not the articles) between
fence lines with a random boundary, and cites stories by number. verify_cover() drops citations of
stories that do not exist and puts every story in exactly one group; order_stories() then numbers
the stories group by group, so the digest reads 1..n from top to bottom. When the call fails for
a reason that does not stop the whole digest, build_fallback_cover() assembles a plainer cover from
the stories' own bottom lines and gravest risks, and the digest says so.
"""

from __future__ import annotations

import secrets

from briefing.digest.dedupe import normalise_words
from briefing.digest_records import MAX_GROUPS, Cover, CoverRisk, StoryGroup, TopLine, WatchItem
from briefing.output.templating import render_template
from briefing.prompts import PromptSet, defang
from briefing.records import IMPACTS, LIKELIHOODS, BriefingResult, Issue
from briefing.schema import field_guide, strict_schema
from briefing.text.sentences import split_sentences

COVER_PROMPT = "cover"
OTHER_GROUP = "Other stories"


def build_cover_schema(n_stories: int) -> dict:
    """The Cover schema with story numbers narrowed to 1..n (grounding by construction).

    Depth by construction, as for briefings: a small model stops at a list's minimum, so the
    schema asks for a top line per story up to three, and at least two top risks and watch items.
    """
    schema = strict_schema(Cover)
    for field, low in (("top_lines", min(3, max(1, n_stories))), ("top_risks", 2), ("watch", 2)):
        schema["properties"][field]["minItems"] = low
    number = {"type": "integer", "minimum": 1, "maximum": max(1, n_stories)}
    for name in ("TopLine", "CoverRisk", "WatchItem", "StoryGroup"):
        prop = schema["$defs"][name]["properties"]["stories"]
        prop["items"] = number
        prop["maxItems"] = min(prop.get("maxItems", n_stories), max(1, n_stories))
    return schema


def build_cover_messages(
    results: list[BriefingResult],
    prompt: PromptSet,
    *,
    title: str,
    date: str,
    variables: dict[str, object],
    boundary: str | None = None,
) -> list[dict[str, str]]:
    """Render the cover prompt for stories numbered 1..n in the order of `results`."""
    prompt.files()
    env = prompt.environment()  # the same loaders as every prompt: `builtin/NAME` works here too
    fence = boundary or secrets.token_hex(8)
    stories = []
    for number, result in enumerate(results, 1):
        b = result.briefing
        stories.append(
            {
                "number": number,
                "title": defang(b.title),
                "outlets": defang(", ".join(o for o in [result.article.outlet] if o)),
                "bluf": defang(b.bluf),
                # Where it happens, for the region groups: the states the article names, most named first.
                "places": defang(", ".join(_states(result))),
                "judgments": [defang(f"{j.statement} ({j.likelihood})") for j in b.key_judgments],
                "risks": [
                    defang(f"{r.title}: {r.description} ({r.likelihood}; impact {r.impact}; {r.timeframe})")
                    for r in b.risks
                ],
            }
        )
    context = {
        **variables,
        "title": defang(title),
        "date": date,
        "stories": stories,
        "n_stories": len(stories),
        "fence_open": f"<<<STORIES {fence}",
        "fence_close": f"STORIES {fence}>>>",
        "field_guide": field_guide(build_cover_schema(len(stories))),
    }
    return [
        {"role": part, "content": render_template(env, f"{prompt.name}.{part}.j2", context).strip()}
        for part in ("system", "user")
    ]


def verify_cover(cover: Cover, n_stories: int) -> Cover:
    """Drop citations of stories that do not exist (and items left citing none); group every story once.

    Raises pydantic's ValidationError when too little is left to make a cover (no top line, say).
    """
    valid = set(range(1, n_stories + 1))

    def keep(numbers: list[int]) -> list[int]:
        return list(dict.fromkeys(n for n in numbers if n in valid))

    def cited(items):
        kept = (item.model_copy(update={"stories": keep(item.stories)}) for item in items)
        return [item for item in kept if item.stories]

    top_lines, top_risks, watch = cited(cover.top_lines), cited(cover.top_risks), cited(cover.watch)
    top_lines = [t.model_copy(update={"line": undouble(t.line)}) for t in top_lines]
    watch = [w.model_copy(update={"item": undouble(w.item)}) for w in watch]
    placed: set[int] = set()
    groups: list[StoryGroup] = []
    for g in cover.groups:
        members = [n for n in keep(g.stories) if n not in placed]
        placed.update(members)
        name = " ".join(g.name.split()) or OTHER_GROUP
        existing = next((x for x in groups if x.name.lower() == name.lower()), None)
        if existing:
            existing.stories.extend(members)
        elif members:
            groups.append(StoryGroup(name=name, stories=members))
    missing = sorted(valid - placed)
    if missing and len(groups) < MAX_GROUPS:
        groups.append(StoryGroup(name=OTHER_GROUP, stories=missing))
    elif missing:
        groups[-1].stories.extend(missing)
    # Validate again: a saved digest must always load, so the checked cover must still be a Cover.
    return Cover.model_validate(
        {**cover.model_dump(), "top_lines": top_lines, "top_risks": top_risks, "watch": watch, "groups": groups}
    )


def fix_citations(cover: Cover, results: list[BriefingResult]) -> Cover:
    """A top line, risk or watch item that cites one story but plainly comes from another cites that one.

    The small model miscites: a line about Rwanda cited the Kmart story. Each item's content words are
    compared with each story's (title, bottom line, judgments, risks, actor names); an item cites the
    story it shares the most words with when that story shares at least three and twice as many as
    the one cited. Items citing several stories are left as they are."""
    bags = [_words(_story_text(r)) for r in results]

    def fixed(text: str, stories: list[int]) -> list[int]:
        if len(stories) != 1 or not 1 <= stories[0] <= len(bags):
            return stories
        words = _words(text)
        shared = [len(words & bag) for bag in bags]
        best = max(range(len(bags)), key=lambda i: shared[i])
        cited = stories[0] - 1
        if best != cited and shared[best] >= 3 and shared[best] >= 2 * shared[cited]:
            return [best + 1]
        return stories

    return cover.model_copy(
        update={
            "top_lines": [t.model_copy(update={"stories": fixed(t.line, t.stories)}) for t in cover.top_lines],
            "top_risks": [
                r.model_copy(update={"stories": fixed(f"{r.title} {r.description}", r.stories)})
                for r in cover.top_risks
            ],
            "watch": [w.model_copy(update={"stories": fixed(w.item, w.stories)}) for w in cover.watch],
        }
    )


def _story_text(result: BriefingResult) -> str:
    b = result.briefing
    parts = [b.title, b.bluf, *(j.statement for j in b.key_judgments), *(a.name for a in b.key_actors)]
    parts += [f"{r.title} {r.description}" for r in b.risks]
    return " ".join(parts)


def _words(text: str) -> set[str]:
    """Content words: four letters or more, lowercased ("the", "and", "will" are not counted)."""
    return {w for w in normalise_words(text) if len(w) >= 4 and w.isalpha() and w not in _COMMON}


_COMMON = set(
    "that this with from will would could have been their they there which while after before about "
    "into over than also more most some such other these those what when where whose its".split()
)


def undouble(text: str) -> str:
    """ "A: A." -> "A.": the small model writes a line as title and text, both the same sentence."""
    head, sep, tail = text.partition(": ")
    if sep and head.strip(" .").lower() == tail.strip(" .").lower():
        return tail.strip()
    return text


def complete_top_lines(cover: Cover, results: list[BriefingResult], issues: list[Issue]) -> tuple[Cover, list[Issue]]:
    """One top line per story first: a line about a story that already has one gives way to the stories
    without any (gravest first), which get their own bottom line's first sentence. The cover's flagged
    texts follow their lines to their new places (a dropped line's flag goes with it)."""
    limit = 5  # Cover.top_lines holds five
    covered: set[int] = set()
    kept = []
    for t in cover.top_lines:
        if set(t.stories) <= covered:
            continue  # a second line about the same story
        covered.update(t.stories)
        kept.append(t)
    missing = sorted(
        (n for n in range(1, len(results) + 1) if n not in covered), key=lambda n: -_gravest(results[n - 1])
    )
    for n in missing[: max(0, limit - len(kept))]:
        kept.append(
            TopLine(line=_first_sentence(results[n - 1].briefing.bluf, results[n - 1].briefing.title), stories=[n])
        )
    dropped = [t for t in cover.top_lines if not any(t is k for k in kept)]
    while len(kept) < min(3, len(cover.top_lines)) and dropped:
        kept.append(dropped.pop(0))  # fewer stories than lines: keep what the model wrote
    if not kept:
        return cover, issues
    moved: dict[str, str | None] = {}
    for old, line in enumerate(cover.top_lines):
        new = next((j for j, k in enumerate(kept) if k is line), None)
        moved[f"top_lines/{old}/"] = None if new is None else f"top_lines/{new}/"
    followed = []
    for issue in issues:
        prefix = next((p for p in moved if issue.path.startswith(p)), None)
        target = moved.get(prefix) if prefix is not None else None
        if prefix is None:
            followed.append(issue)
        elif target is not None:
            followed.append(issue.model_copy(update={"path": target + issue.path[len(prefix) :]}))
    return cover.model_copy(update={"top_lines": kept}), followed


def _first_sentence(bluf: str, title: str) -> str:
    """The bottom line's first sentence ("U.S." does not end it), or the title when that is no line."""
    first = next(iter(split_sentences(bluf.strip())), "")
    if 20 <= len(first) <= 240:
        return first
    return title if title.endswith((".", "!", "?")) else f"{title}."


def order_stories(cover: Cover) -> tuple[Cover, list[int]]:
    """Renumber stories group by group; returns the cover in new numbers and the old number of each new one."""
    order = [n for g in cover.groups for n in g.stories]
    new_number = {old: new for new, old in enumerate(order, 1)}

    def renumber(numbers: list[int]) -> list[int]:
        return [new_number[n] for n in numbers if n in new_number]

    return cover.model_copy(
        update={
            "top_lines": [t.model_copy(update={"stories": renumber(t.stories)}) for t in cover.top_lines],
            "top_risks": [r.model_copy(update={"stories": renumber(r.stories)}) for r in cover.top_risks],
            "watch": [w.model_copy(update={"stories": renumber(w.stories)}) for w in cover.watch],
            "groups": [g.model_copy(update={"stories": renumber(g.stories)}) for g in cover.groups],
        }
    ), order


def build_fallback_cover(results: list[BriefingResult], *, title: str) -> Cover:
    """A cover assembled from the stories themselves, for when the synthesis call fails."""
    ranked = sorted(range(len(results)), key=lambda i: -_gravest(results[i]))
    risks = sorted(
        ((risk_rank(r.likelihood, r.impact), i + 1, r) for i, res in enumerate(results) for r in res.briefing.risks),
        key=lambda t: (-t[0], t[1]),
    )
    top_risks = [
        CoverRisk(title=r.title, description=r.description, likelihood=r.likelihood, impact=r.impact, stories=[n])
        for _, n, r in risks[:5]
    ]
    watch = [
        WatchItem(item=f"{r.title}: {r.indicators[0]}"[:240], stories=[n]) for _, n, r in risks[:5] if r.indicators
    ]
    return Cover(
        headline=title[:120],
        bluf=results[ranked[0]].briefing.bluf if results else "",
        top_lines=[TopLine(line=results[i].briefing.title, stories=[i + 1]) for i in ranked[:5]],
        top_risks=top_risks,
        watch=watch,
        groups=[StoryGroup(name="Stories", stories=list(range(1, len(results) + 1)))],
    )


def _states(result: BriefingResult, limit: int = 5) -> list[str]:
    named = [m for m in result.article.names if m.kind == "state"]
    named.sort(key=lambda m: -len(m.sentences))
    return [m.name for m in named[:limit]]


def risk_rank(likelihood: str, impact: str) -> int:
    """How grave a risk is: likelihood rank (0-6) plus twice the impact rank (0-3)."""
    return LIKELIHOODS.index(likelihood) + 2 * IMPACTS.index(impact)


def _gravest(result: BriefingResult) -> int:
    return max((risk_rank(r.likelihood, r.impact) for r in result.briefing.risks), default=0)

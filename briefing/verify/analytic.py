"""find_flaws(): the analytic checks: is each text of a briefing analysis, in whole sentences, said once? Pure.

The grounding checks prove that words come from the article; these catch what makes a briefing
bad even when it is grounded (ICD 203 tradecraft: what a judgment, a stance, an indicator is).
Each check is a named function with a one-line reason; `find_flaws` runs them all and returns one
Flaw per failing text (with every reason), addressed by its path in the briefing
("key_judgments/1/statement"), most important first, so the failing texts can be re-asked by
themselves and then marked.

Thresholds (rapidfuzz scores, 0-100, on case- and typography-folded text):
- COPIED 80 (`fuzz.ratio` of one sentence of the text against one article sentence): a sentence
  written in the analyst's own words shares far fewer characters in order with any one article
  sentence; a copy with a word changed or a clause trimmed stays above 80 (on the development
  set, copies scored 86-100 and paraphrases 45-75). A clause lifted whole out of a longer
  sentence counts too (`partial_ratio` >= 92 on at least half of that sentence).
- Copies of the prompt (its worked example, its rules): `partial_ratio` >= 92 of a sentence of five
  words or more against the system prompt; and words in a row that the prompt has and the article
  has not: two of four letters or more in a text under five words ("water rationing"), else five
  with three such ("return for a larger share"). On 993 texts of three development-set runs this
  found 16, each a real copy of the example or the rules.
- An indicator or signpost copying an article sentence (COPIED, as above) reports what has
  happened: it is no news still to come.
- DUPLICATE 85 (`token_sort_ratio` between two items of the same kind or a judgment and an outlook
  item): the same point reworded by word order only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefing.digest_records import Cover
from briefing.records import Article, Briefing
from briefing.verify.copies import copied_headline, copied_prompt, copied_sentence
from briefing.verify.index import normalise

DUPLICATE = 85.0


@dataclass(frozen=True)
class Flaw:
    """One text that fails an analytic check: where it is, which check, and why (for the re-ask and the mark)."""

    path: str
    check: str
    reason: str


# Talk about the source rather than the events. A report that is itself the news ("the UN report
# says") is fine, so "report" is not listed.
_META = re.compile(
    r"\b(?:the|this|that)\s+(?:article|text|piece|excerpt|passage|author|writer|news\s+(?:story|item)|source\s+text)\b"
    r"|\b(?:the|this)\s+story\s+(?:says|notes|mentions|highlights|describes|reports|discusses|suggests|states)\b"
    r"|\b(?:el|este|del|al)\s+(?:artículo|texto)\b|\bla\s+nota\b"
    r"|\b(?:l'|l’|quest'|questo\s+|dell'|dell’|nell'|nell’)articolo\b|\bil\s+testo\b"
    r"|\b(?:l'|l’|cet\s+|de\s+l'|de\s+l’)article\b|\ble\s+texte\b"
    r"|\b(?:der|dieser|des|im|den)\s+(?:Artikel|Artikels|Text|Beitrag)\b",
    re.IGNORECASE,
)

# Words that make a statement an assessment (what it means, why, what comes next) rather than a
# reported fact. A judgment with none of them reads as news, whatever likelihood is attached.
_ASSESSMENT = re.compile(
    r"\b(?:will|would|could|may|might|can|cannot|can't|won't|likely|unlikely|probably|possibly|expected|set to"
    r"|poised|risk|risks|threat|threatens|aim|aims|seek|seeks|seeking|intend|intends|intended|plan|plans"
    r"|signal|signals|suggest|suggests|indicate|indicates|show|shows|mean|means|implies|imply|because|since"
    r"|as a result|in order to|so that|reflect|reflects|driven by|designed|bid|strategy|leverage|pressure|unless"
    r"|if|until|before|ahead of|harder|difficult|strengthen|strengthens|weaken|weakens|undermine|undermines"
    r"|erode|erodes|boost|boosts|complicate|complicates|deepen|deepens|raise|raises|reduce|reduces|limit|limits"
    r"|more|less|greater|fewer|remain|remains|continue|continues|lasting|durable|fragile|sustain|sustained"
    r"|escalat\w*|de-?escalat\w*|prospect|prospects|chance|chances|outcome|consequence|consequences|impact"
    r"|implication|implications|likelihood|test|tests|gamble|calculat\w*|motivat\w*|primarily|largely|mainly"
    r"|chiefly|key|critical|decisive|crucial|only|unless|whether|depend|depends|hinge|hinges|shift|shifts"
    r"|gain|gains|lose|loses|cost|costs|benefit|benefits|favour|favours|favor|favors|need|needs|must|should"
    r"|probable|improbable|appear|appears|seem|seems|point|points|sign|signs|reinforce|reinforces|push|pushes"
    r"|sera|serait|pourrait|probable|podría|será|probablemente|potrebbe|sarà|probabilmente|wird|würde|könnte"
    r"|wahrscheinlich)\b",
    re.IGNORECASE,
)

# Words a phrase cannot end on (a text cut mid-phrase): English and the article languages briefings
# are asked for most.
_DANGLING = frozenset(
    """and or but nor of the a an to in on for with by as at from into onto over under than that which who whose
    whom its their his her our your this these those such about after before between during without within
    is are was were be been has have had will would can could may might must should not no very more most
    y o de del la el los las en con por para que un una
    et ou de du des la le les un une en avec par pour que
    e o di del della il lo la gli le un una in con per che
    und oder der die das den dem des ein eine einen mit von zu für auf im""".split()
)
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘(\[]?[A-ZÀ-Ý0-9])")
_WORD = re.compile(r"[^\W\d_]{3,}")


# Talk about the briefing's own fields, which a re-ask echoes: "The bluf states that ...", "The risk 0
# timeframe is ...", "key_judgments/2 says ...".
_FIELD = r"(?:bluf|bottom\s+line|summary|title|gap|risk|outlook|judge?ment|key\s+judge?ment|indicator|signpost|stance)"
_SELF = re.compile(
    rf"^\W*(?:the\s+)?{_FIELD}s?(?:\s*/?\s*\d+)+(?:\s+[a-z_]+(?:/\d+)*)?\s+(?:states|says|reads|is|are|notes)\b"
    rf"|^\W*(?:the\s+)?{_FIELD}\s+(?:states|says|reads|notes|mentions)\b"
    r"|\b(?:key_judgments|key_actors|risks|outlook|gaps)/\d+",
    re.IGNORECASE,
)


def meta_talk(text: str) -> str | None:
    """Talk about the source ("the article says") or about the briefing's own fields ("The risk 0
    states that ...") instead of the events."""
    found = _META.search(text)
    if found:
        return f"talks about the source ({found.group(0)!r}) instead of the events"
    found = _SELF.search(text)
    return (
        f"talks about the briefing's own fields ({found.group(0).strip()!r}) instead of the events" if found else None
    )


def reported_fact(statement: str) -> str | None:
    """A judgment that restates what happened instead of assessing what it means or what comes next."""
    if _ASSESSMENT.search(statement):
        return None
    return "reads as a reported fact, not an assessment of what it means, why it happened or what comes next"


def cut_sentence(text: str) -> str | None:
    """A text meant to be whole sentences that stops mid-sentence."""
    stripped = text.strip()
    if not stripped or _SENTENCE_END.search(stripped):
        return None
    return f"ends mid-sentence ({stripped[-30:]!r})"


def cut_phrase(text: str) -> str | None:
    """A short phrase (a title, an indicator) that stops on a comma or a word that needs a continuation."""
    stripped = text.strip()
    words = re.findall(r"[\w'’-]+", stripped.lower())
    if stripped.endswith((",", ";", ":", "-", "–", "(")) or (words and words[-1] in _DANGLING and len(words) > 1):
        return f"stops mid-phrase ({stripped[-30:]!r})"
    return None


# Pieces of the answer's JSON inside a text: "evidence':[14,16]},{", "]}]}**Note:** ...".
_DEBRIS = re.compile(r"[\[\]{}]{2}|[\]}],\s*[{\[]|[\"']\w+[\"']\s*:\s*[\[{\"\d]|\*\*Note:?\*\*")


def wordless(text: str) -> str | None:
    """An indicator or signpost with no words (sentence numbers, ids or punctuation only), or with
    pieces of the answer's JSON in it."""
    if len(_WORD.findall(re.sub(r"\bS\d+\b", " ", text))) < 2 or _DEBRIS.search(text):
        return f"{text.strip()[:40]!r} is not an observable event in words"
    return None


def thin_stance(stance: str) -> str | None:
    """A stance of one or two words ("opposed"), which says nothing about what the actor wants."""
    if len(re.findall(r"[^\W_]+", stance)) < 3:
        return f"the stance {stance.strip()!r} is a word, not the actor's position or interests in a phrase"
    return None


def title_repeated(title: str, description: str) -> str | None:
    """A risk whose description only repeats its title."""
    t, d = normalise(title), normalise(description)
    if len(t.split()) >= 2 and (d.startswith(t) or fuzz.ratio(t, d) >= DUPLICATE):
        return "the description repeats the risk's title instead of saying what could happen and why"
    return None


def duplicates(texts: list[tuple[str, str]]) -> list[Flaw]:
    """Flaws for each (path, text) that says the same as an earlier one."""
    flaws = []
    for i, (path, text) in enumerate(texts):
        for other_path, other in texts[:i]:
            if fuzz.token_sort_ratio(normalise(text), normalise(other)) >= DUPLICATE:
                said = " ".join(other.split())[:80]
                reason = f'says the same as {other_path} ("{said}"): make a different point'
                flaws.append(Flaw(path, "duplicate", reason))
                break
    return flaws


def redundant_items(b: Briefing, article: Article) -> dict[str, str]:
    """The judgments, risks and outlook items that add nothing, by item path ("outlook/2"), with why: a
    judgment or outlook item that repeats an earlier judgment, risk title or outlook item or copies an
    article sentence, or a risk that repeats an earlier risk. A risk whose title only restates a
    judgment keeps its description, so it is not one of them."""
    points = [(f"key_judgments/{i}/statement", j.statement) for i, j in enumerate(b.key_judgments)]
    points += [(f"risks/{i}/title", r.title) for i, r in enumerate(b.risks)]
    points += [(f"outlook/{i}/development", s.development) for i, s in enumerate(b.outlook)]
    risks = [(f"risks/{i}/description", f"{r.title} {r.description}") for i, r in enumerate(b.risks)]
    found: dict[str, str] = {}
    for path, text in points:
        number = None if path.startswith("risks/") else copied_sentence(text, article)
        if number:
            found[path.rsplit("/", 1)[0]] = f"copies article sentence S{number}"
    for flaw in [*duplicates(points), *duplicates(risks)]:
        if not flaw.path.startswith("risks/") or flaw.path.endswith("/description"):
            found.setdefault(flaw.path.rsplit("/", 1)[0], "repeats an earlier item")
    return found


def find_flaws(b: Briefing, article: Article, *, instructions: str = "") -> list[Flaw]:
    """Every text of `b` that fails an analytic check, one Flaw per text (the first check it fails).

    `instructions` is the system prompt the briefing was written from: a text copied out of it
    (the worked example's facts, say) is flagged too.
    """
    found: dict[str, Flaw] = {}

    def add(path: str, check: str, reason: str | None) -> None:
        # One Flaw per text, named by the first check it fails, with every reason (the re-ask reads them all).
        if reason and path not in found:
            found[path] = Flaw(path, check, reason)
        elif reason and reason not in found[path].reason:
            found[path] = Flaw(path, found[path].check, f"{found[path].reason}; {reason}")

    def prose(path: str, text: str, *, copy_check: bool = True) -> None:
        add(path, "example", copied_prompt(text, instructions, article.text))
        add(path, "meta-talk", meta_talk(text))
        add(path, "cut", cut_sentence(text))
        if copy_check:
            number = copied_sentence(text, article)
            add(path, "copied", f"copies article sentence S{number} instead of assessing it" if number else None)

    def phrase(path: str, text: str) -> None:
        add(path, "example", copied_prompt(text, instructions, article.text))
        add(path, "meta-talk", meta_talk(text))
        add(path, "cut", cut_phrase(text))

    def watched(path: str, text: str) -> None:  # an indicator or a signpost
        add(path, "indicator", wordless(text))
        phrase(path, text)
        number = copied_sentence(text, article)
        add(
            path, "copied", f"copies article sentence S{number}: an indicator is news still to come" if number else None
        )

    phrase("title", b.title)
    add("title", "copied", copied_headline(b.title, article.title))
    prose("bluf", b.bluf)
    prose("summary", b.summary, copy_check=False)
    summary_copies = [p for p in _SENTENCE_SPLIT.split(b.summary.strip()) if copied_sentence(p, article)]
    if summary_copies and len(summary_copies) * 2 > len(_SENTENCE_SPLIT.split(b.summary.strip())):
        add("summary", "copied", "most of its sentences copy the article's instead of compressing them")
    for i, j in enumerate(b.key_judgments):
        path = f"key_judgments/{i}/statement"
        prose(path, j.statement)
        add(path, "fact", reported_fact(j.statement))
    stances: dict[str, int] = {}
    for i, a in enumerate(b.key_actors):
        path = f"key_actors/{i}/stance"
        add(path, "example", copied_prompt(a.stance, instructions, article.text))
        add(path, "meta-talk", meta_talk(a.stance))
        add(path, "stance", thin_stance(a.stance))
        add(path, "cut", cut_phrase(a.stance))
        key = normalise(a.stance)
        if key in stances:
            add(path, "stance", f"the same stance as key_actors/{stances[key]}: say what this actor wants")
        stances.setdefault(key, i)
    for i, r in enumerate(b.risks):
        phrase(f"risks/{i}/title", r.title)
        prose(f"risks/{i}/description", r.description, copy_check=False)
        add(f"risks/{i}/description", "repeated", title_repeated(r.title, r.description))
        for k, indicator in enumerate(r.indicators):
            watched(f"risks/{i}/indicators/{k}", indicator)
    for i, s in enumerate(b.outlook):
        prose(f"outlook/{i}/development", s.development)
        for k, signpost in enumerate(s.signposts):
            watched(f"outlook/{i}/signposts/{k}", signpost)
    for i, gap in enumerate(b.gaps):
        prose(f"gaps/{i}", gap, copy_check=False)
    # One point made once: judgments, then risks (a risk that restates a judgment says nothing new),
    # then outlook items; and a summary that repeats the bottom line.
    points = [(f"key_judgments/{i}/statement", j.statement) for i, j in enumerate(b.key_judgments)]
    points += [(f"risks/{i}/title", r.title) for i, r in enumerate(b.risks)]
    points += [(f"outlook/{i}/development", s.development) for i, s in enumerate(b.outlook)]
    if fuzz.token_sort_ratio(normalise(b.bluf), normalise(b.summary)) >= DUPLICATE:
        add("summary", "duplicate", "repeats the bottom line instead of saying what happened")
    for flaw in [
        *duplicates(points),
        *duplicates([(f"risks/{i}/description", f"{r.title} {r.description}") for i, r in enumerate(b.risks)]),
        *duplicates([(f"gaps/{i}", g) for i, g in enumerate(b.gaps)]),
        *duplicates(
            [(f"risks/{i}/indicators/{k}", t) for i, r in enumerate(b.risks) for k, t in enumerate(r.indicators)]
            + [(f"outlook/{i}/signposts/{k}", t) for i, o in enumerate(b.outlook) for k, t in enumerate(o.signposts)]
        ),
    ]:
        add(flaw.path, flaw.check, flaw.reason)
    # The worked example's facts in this briefing are the worst: re-asked first, then by field.
    return sorted(
        found.values(),
        key=lambda flaw: (flaw.check != "example", _RANK.get(re.sub(r"/\d+", "", flaw.path), len(_RANK))),
    )


# The order in which flawed texts are re-asked (at most MAX_REVISIONS in one request): what a
# reader reads first and what carries the analysis before titles, stances and indicators.
_RANK = {
    field: rank
    for rank, field in enumerate(
        [
            "bluf",
            "key_judgments/statement",
            "risks/description",
            "outlook/development",
            "summary",
            "title",
            "gaps",
            "risks/title",
            "key_actors/stance",
            "risks/indicators",
            "outlook/signposts",
        ]
    )
}


def cover_flaws(cover: Cover) -> list[Flaw]:
    """The digest cover's texts that fail the checks that need no article: source talk, cut text, repeats."""
    flaws: list[Flaw] = []
    seen: set[str] = set()

    def add(path: str, check: str, reason: str | None) -> None:
        if reason and path not in seen:
            seen.add(path)
            flaws.append(Flaw(path, check, reason))

    def prose(path: str, text: str) -> None:
        add(path, "meta-talk", meta_talk(text))
        add(path, "cut", cut_sentence(text))

    add("headline", "meta-talk", meta_talk(cover.headline))
    add("headline", "cut", cut_phrase(cover.headline))
    prose("bluf", cover.bluf)
    for i, t in enumerate(cover.top_lines):
        prose(f"top_lines/{i}/line", t.line)
    for i, r in enumerate(cover.top_risks):
        add(f"top_risks/{i}/title", "cut", cut_phrase(r.title))
        prose(f"top_risks/{i}/description", r.description)
        add(f"top_risks/{i}/description", "repeated", title_repeated(r.title, r.description))
    for i, w in enumerate(cover.watch):
        prose(f"watch/{i}/item", w.item)
    for flaw in [
        *duplicates([(f"top_lines/{i}/line", t.line) for i, t in enumerate(cover.top_lines)]),
        *duplicates(
            [(f"top_risks/{i}/description", f"{r.title} {r.description}") for i, r in enumerate(cover.top_risks)]
        ),
        *duplicates([(f"watch/{i}/item", w.item) for i, w in enumerate(cover.watch)]),
    ]:
        add(flaw.path, flaw.check, flaw.reason)
    return flaws

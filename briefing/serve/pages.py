"""What each page of the archive browser shows, read from the archive. [disk]

Each function takes an open Archive and returns plain data for one template; nothing here knows
about HTTP. Texts stay as the archive holds them (model output, untrusted): the templates escape
them, and model text goes through the handout's sanitizing `markdown` filter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from briefing.archive.db import Archive
from briefing.archive.queries import Item, recent, search
from briefing.archive.review import Judgment, count_pending, due_judgments, scored_judgments
from briefing.archive.scoring import Score, build_score, build_scores
from briefing.archive.timeline import Timeline, build_timeline
from briefing.serve.charts import PALETTE, Point, Series, calibration_chart, likelihood_chart

PER_PAGE = 20
MATCH_START, MATCH_END = "\x02", "\x03"  # never in archived text: text/controls.py removes control characters
SAME_JUDGMENT = 60  # rapidfuzz token_set_ratio at which two days' judgments count as one judgment followed


@dataclass
class DigestRow:
    ref: str
    id: int
    date: str
    title: str
    headline: str
    bluf: str
    stories: int
    model: str


@dataclass
class Days:
    digests: list[DigestRow]
    stories: list[Item]
    page: int
    more: bool
    briefings: int


def days_page(archive: Archive, page: int = 1) -> Days:
    """The digests, newest day first (PER_PAGE a page), and the stories seen most recently."""
    conn = archive.conn
    rows = conn.execute(
        "SELECT d.id, d.date, d.title, d.headline, d.bluf, d.model,"
        " (SELECT count(*) FROM digest_stories WHERE digest_id = d.id) AS stories FROM digests d"
        " ORDER BY d.date DESC, d.recorded_at DESC, d.id DESC LIMIT ? OFFSET ?",
        (PER_PAGE + 1, (page - 1) * PER_PAGE),
    ).fetchall()
    digests = [
        DigestRow(f"d{r['id']}", r["id"], r["date"], r["title"], r["headline"], r["bluf"], r["stories"], r["model"])
        for r in rows[:PER_PAGE]
    ]
    stories = recent(archive, limit=12, kind="story") if page == 1 else []
    briefings = conn.execute("SELECT count(*) FROM briefings").fetchone()[0]
    return Days(digests, stories, page, len(rows) > PER_PAGE, briefings)


def stories_of(archive: Archive, briefing_id: int) -> list[str]:
    """The ids of the stories a briefing ran in."""
    rows = archive.conn.execute(
        "SELECT DISTINCT story_id FROM digest_stories WHERE briefing_id = ? ORDER BY story_id", (briefing_id,)
    )
    return [r["story_id"] for r in rows]


@dataclass
class StoryPage:
    timeline: Timeline
    chart: str
    series: list[Series]
    dates: list[str]
    actors: list[dict]
    palette: tuple[str, ...] = PALETTE  # the chart's colours, for the legend's swatches


def story_page(archive: Archive, story_id: str) -> StoryPage:
    """A story's days (ArchiveError if there is no such story), its judgments charted across them."""
    timeline = build_timeline(archive, story_id)
    dates = [d.date for d in timeline.days]
    series = follow_judgments([[(j.statement, j.likelihood) for j in d.judgments] for d in timeline.days])
    chart = likelihood_chart(dates, series, title=f"Judgment likelihoods of story {story_id}, day by day")
    actors: list[dict] = []
    if timeline.days:
        latest = int(timeline.days[-1].briefing.removeprefix("archive:b"))
        row = archive.conn.execute("SELECT json FROM briefings WHERE id = ?", (latest,)).fetchone()
        actors = json.loads(row["json"])["briefing"]["key_actors"] if row else []
    return StoryPage(timeline, str(chart), series, dates, actors)


def follow_judgments(days: list[list[tuple[str, str]]]) -> list[Series]:
    """One series per judgment followed across days: a day's judgment continues the series whose last
    statement it resembles most (token_set_ratio >= SAME_JUDGMENT), else it starts a new one."""
    series: list[Series] = []
    last: list[str] = []
    for day, judgments in enumerate(days):
        taken: set[int] = set()
        for statement, likelihood in judgments:
            scores = [
                (fuzz.token_set_ratio(statement.lower(), last[i].lower()), i)
                for i in range(len(series))
                if i not in taken and series[i].points[-1].day < day
            ]
            best = max(scores, default=(0.0, -1))
            if best[0] >= SAME_JUDGMENT:
                i = best[1]
            else:
                series.append(Series(label=f"J{len(series) + 1}"))
                last.append(statement)
                i = len(series) - 1
            series[i].points.append(Point(day, likelihood, statement))
            last[i] = statement
            taken.add(i)
    return series


@dataclass
class Mention:
    briefing: str
    date: str
    title: str
    kind: str
    role: str
    stance: str
    stories: list[str]


@dataclass
class SpokenQuote:
    text: str
    speaker: str
    verified: bool
    attribution: str | None
    briefing: str
    date: str
    title: str


@dataclass
class ActorPage:
    name: str
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[SpokenQuote] = field(default_factory=list)


def actor_page(archive: Archive, name: str, limit: int = 200) -> ActorPage:
    """Every archived briefing whose key actors or quotations name `name` (case-insensitive), newest first."""
    wanted = " ".join(name.split()).casefold()
    page = ActorPage(name=" ".join(name.split()))
    rows = archive.conn.execute(
        "SELECT DISTINCT b.id, b.made_on, b.title, b.json FROM briefings b,"
        " json_each(b.json, '$.briefing.key_actors') a LEFT JOIN json_each(a.value, '$.quotes') q"
        " WHERE lower(json_extract(a.value, '$.name')) = lower(?)"
        " OR lower(json_extract(q.value, '$.speaker')) = lower(?)"
        " ORDER BY b.made_on DESC, b.id DESC LIMIT ?",
        (page.name, page.name, limit),
    ).fetchall()
    for r in rows:
        ref = f"b{r['id']}"
        stories = stories_of(archive, r["id"])
        for actor in json.loads(r["json"])["briefing"]["key_actors"]:
            if " ".join(actor["name"].split()).casefold() == wanted:
                page.mentions.append(
                    Mention(ref, r["made_on"], r["title"], actor["kind"], actor["role"], actor["stance"], stories)
                )
            for q in actor.get("quotes", []):
                if " ".join(q["speaker"].split()).casefold() == wanted:
                    quote = SpokenQuote(
                        q["text"],
                        q["speaker"],
                        bool(q.get("verified")),
                        q.get("attribution"),
                        ref,
                        r["made_on"],
                        r["title"],
                    )
                    page.quotes.append(quote)
    return page


@dataclass
class Hit:
    item: Item
    href: str
    snippet: list[tuple[str, bool]]  # (text, matched)
    stories: list[str]


@dataclass
class SearchPage:
    query: str
    hits: list[Hit]
    page: int
    more: bool
    error: str | None = None
    hint: str | None = None


def search_page(archive: Archive, query: str, page: int = 1) -> SearchPage:
    """The archive's full-text search, PER_PAGE results a page, snippets split into matched and plain text."""
    from briefing.errors import ArchiveQueryError

    query = query.strip()
    if not query:
        return SearchPage(query, [], page, False)
    try:
        items = search(archive, query, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE, marks=(MATCH_START, MATCH_END))
    except ArchiveQueryError as exc:
        return SearchPage(query, [], page, False, error=exc.message, hint=exc.hint)
    hits = []
    for item in items[:PER_PAGE]:
        number = int(item.ref[1:])
        stories: list[str] = []
        if item.kind == "briefing":
            href = f"/briefing/{number}"
            stories = stories_of(archive, number)
        else:
            href = f"/digest/{number}"
        hits.append(Hit(item, href, split_snippet(item.snippet), stories))
    return SearchPage(query, hits, page, len(items) > PER_PAGE)


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """'a \\x02b\\x03 c' -> [('a ', False), ('b', True), (' c', False)], for the template to escape and mark."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(MATCH_START)):
        if i == 0:
            parts.append((chunk, False))
            continue
        matched, _, rest = chunk.partition(MATCH_END)
        parts += [(matched, True), (rest, False)]
    return [(text.replace(MATCH_END, ""), matched) for text, matched in parts if text]


@dataclass
class ReviewPage:
    as_of: str
    due: list[Judgment]
    reviewed: list[Judgment]
    pending: int
    later: int


def review_page(archive: Archive, as_of: str) -> ReviewPage:
    """Judgments past their horizon without an outcome, and the latest ones with an outcome."""
    due = due_judgments(archive, as_of=as_of, limit=200)
    reviewed = [j for j in due_judgments(archive, as_of=as_of, reviewed=True, limit=500) if j.outcome][-50:]
    pending, later = count_pending(archive, as_of=as_of)
    return ReviewPage(as_of, due, list(reversed(reviewed)), pending, later)


@dataclass
class CalibrationPage:
    overall: Score
    chart: str
    by_model: list[Score]
    by_prompt: list[Score]


def calibration_page(archive: Archive) -> CalibrationPage:
    """The review report: Brier score and calibration, overall, by model and by prompt."""
    scored = scored_judgments(archive)
    overall = build_score("all judgments", scored)
    chart = calibration_chart(overall.rows, title="Calibration: stated likelihood against how often it came true")
    return CalibrationPage(overall, str(chart), build_scores(scored, "model"), build_scores(scored, "prompt"))

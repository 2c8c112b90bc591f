"""load_inputs(): what a digest was given -> articles, and the inputs that failed.   [disk, net]

An input is a file, a folder (searched recursively for .txt, .md and .html files), a glob, '-' (a
list of inputs on stdin, one per line), a URL or a feed URL. A feed becomes its entries (after
--since and --limit) and each entry's page is fetched. HTML, from a file or the web, goes through
the same extraction. One bad input never stops the others: it becomes a FailedInput.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefing.digest_records import FailedInput
from briefing.errors import BriefingError, FetchError, InputError
from briefing.ingest.feeds import Feed, FeedEntry, build_feed, looks_like_feed, select_entries
from briefing.ingest.fetch import FetchPolicy, request_url
from briefing.ingest.files import build_file_article, build_text_article, read_source, title_from_filename
from briefing.ingest.html import build_web_article, looks_like_html
from briefing.progress import Progress
from briefing.records import Article
from briefing.redact import public_url, redact_url

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
FETCH_WORKERS = 8
_GLOB_CHARS = set("*?[")


@dataclass
class Loaded:
    """The articles a digest will brief, in input order, and the inputs that failed."""

    articles: list[Article] = field(default_factory=list)
    failures: list[FailedInput] = field(default_factory=list)


@dataclass(frozen=True)
class _Entries:
    """A feed's selected entries, still to be fetched."""

    feed: Feed
    url: str
    entries: list[FeedEntry]


def load_inputs(
    inputs: list[str],
    *,
    policy: FetchPolicy = FetchPolicy(),
    since: datetime | None = None,
    limit: int | None = None,
    stdin=None,
    progress: Progress | None = None,
) -> Loaded:
    """Expand and load every input; feeds are expanded into their entries' pages."""
    progress = progress or Progress()
    items, failures = expand_inputs(inputs, stdin=stdin)
    progress.add_inputs(len(items) + len(failures))
    for failure in failures:
        progress.input_done(failure.source, error=failure.error)

    def load(item: str):
        return _guard(shown_input(item), lambda: _load_item(item, policy, since, limit), progress)

    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        first = list(pool.map(load, items))
        # Feed entries form a second wave: a worker never waits on work queued behind it.
        seen = {item for item in items}
        wave: list[tuple[int, str, object]] = []
        for position, outcome in enumerate(first):
            if isinstance(outcome, _Entries):
                fresh = [e for e in outcome.entries if not e.link or e.link not in seen]
                seen.update(e.link for e in fresh if e.link)
                progress.add_inputs(len(fresh))
                wave += [(position, shown_input(e.link or f"{outcome.url}#{e.title}"), (outcome, e)) for e in fresh]
        entries = list(pool.map(lambda w: _guard(w[1], lambda: _load_entry(*w[2], policy), progress), wave))  # type: ignore[call-arg]

    loaded = Loaded(failures=list(failures))
    by_position: dict[int, list] = {}
    for (position, _, _), outcome in zip(wave, entries):
        by_position.setdefault(position, []).append(outcome)
    for position, outcome in enumerate(first):
        outcomes = by_position.get(position, []) if isinstance(outcome, _Entries) else [outcome]
        for one in outcomes:
            if isinstance(one, FailedInput):
                loaded.failures.append(one)
            else:
                loaded.articles.append(one)
    return loaded


def load_url_article(url: str, policy: FetchPolicy = FetchPolicy()) -> Article:
    """Fetch one web page (or plain-text document) and extract its article, exactly as a digest does.

    A feed is refused: it is many articles, and `briefing digest` briefs them.
    """
    if not is_url(url):
        scheme = url.partition("://")[0] or "no scheme"
        raise FetchError(f"{redact_url(url)}: only http and https URLs are fetched, not {scheme}")
    outcome = _load_item(url, policy, None, None)
    if isinstance(outcome, _Entries):
        raise InputError(
            f"{redact_url(url)}: this is a feed, not an article", hint="brief its entries with `briefing digest URL`"
        )
    return outcome


def expand_inputs(inputs: list[str], *, stdin=None) -> tuple[list[str], list[FailedInput]]:
    """Files, folders, globs, '-' and URLs -> a list of files and URLs (no repeats), and failures."""
    items: list[str] = []
    failures: list[FailedInput] = []
    for raw in _with_stdin_list(inputs, stdin):
        found, errors = _expand_one(raw)
        for where, error in errors:
            failures.append(FailedInput(source=shown_input(where), stage="input", error=error))
        items.extend(found)
    return list(dict.fromkeys(items)), failures


def is_url(text: str) -> bool:
    """True for an http(s) URL (other schemes are not inputs)."""
    return text.lower().startswith(("http://", "https://"))


def shown_input(item: str) -> str:
    """An input as it is shown and saved: a URL without its credentials (redact.public_url)."""
    return public_url(item) if "://" in item else item


def _with_stdin_list(inputs: list[str], stdin) -> list[str]:
    out: list[str] = []
    for raw in inputs:
        if raw != "-":
            out.append(raw)
            continue
        stream = stdin if stdin is not None else sys.stdin
        text = stream.read()
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        out += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return out


def _expand_one(raw: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The files and URLs `raw` stands for, and (where, why) for each part of it that cannot be read."""
    if is_url(raw):
        return [raw], []
    if "://" in raw:
        return [], [(raw, "only http and https URLs are fetched")]
    path = Path(raw).expanduser()
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return [], [(raw, "permission denied (a folder on its path cannot be entered)")]
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        found, errors = _folder_files(path)
        if not found and not errors:
            errors = [(raw, "no .txt, .md or .html files in this folder")]
        return found, errors
    if mode is not None:
        # A file, or what reads like one: a named pipe, `<(cat a.txt)` (/dev/fd/63), /dev/stdin.
        return [str(path)], []
    if _GLOB_CHARS & set(raw):
        matches = sorted(glob.glob(str(path), recursive=True))
        found, errors = [], []
        for match in matches:
            more, why = _folder_files(Path(match)) if Path(match).is_dir() else ([match], [])
            found += more
            errors += why
        return found, errors if found or errors else [(raw, "no file matches")]
    return [], [(raw, "no such file or folder")]


def _folder_files(folder: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The article files under `folder` (hidden ones skipped), and the folders that could not be read."""
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        errors.append((str(exc.filename or folder), f"cannot read this folder: {exc.strerror or exc}"))

    for top, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        try:
            info = os.stat(top)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(top) / name
            if not name.startswith(".") and path.suffix.lower() in ARTICLE_SUFFIXES and _is_file(path):
                files.append(str(path))
    return sorted(files), errors


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()  # not a named pipe in a folder: reading it could wait for ever
    except OSError:
        return True  # listed but cannot be looked at: reading it says why, as a failed input


def _guard(source: str, load, progress: Progress):
    """Run one load; a BriefingError becomes a FailedInput and the progress hears of it."""
    try:
        outcome = load()
    except BriefingError as exc:
        error = str(exc).removeprefix(f"{source}: ").removeprefix(f"{source} ")  # listed beside the error anyway
        progress.input_done(source, error=error)
        return FailedInput(source=source, stage="input", error=error)
    if not isinstance(outcome, _Entries):
        progress.input_done(source)
    return outcome


def _load_item(item: str, policy: FetchPolicy, since, limit) -> Article | _Entries:
    if is_url(item):
        page = request_url(item, policy)  # the one place the URL is used as given, credentials and all
        return _from_bytes(
            page.data,
            source=shown_input(item),
            url=page.final_url,
            content_type=page.content_type,
            since=since,
            limit=limit,
        )
    data, name = read_source(item)
    suffix = Path(item).suffix.lower()
    if suffix in TEXT_SUFFIXES:  # text, or an HTML page saved under a text name; never a feed
        return build_file_article(data, source=item, name=name)
    content_type = "text/html" if suffix in (".html", ".htm") else ""  # else sniffed: HTML, a feed, or text
    return _from_bytes(
        data,
        source=item,
        url=None,
        content_type=content_type,
        since=since,
        limit=limit,
        title=title_from_filename(name),
    )


def _from_bytes(
    data: bytes, *, source: str, url: str | None, content_type: str, since, limit, title: str | None = None
) -> Article | _Entries:
    """Decide what the bytes are (feed, HTML page, plain text) and load them as such."""
    if looks_like_feed(data, content_type):
        feed = build_feed(data, source=source, base_url=url)  # relative links resolve against the real URL
        return _Entries(
            feed, public_url(url) if url else source, select_entries(feed.entries, since=since, limit=limit)
        )
    if looks_like_html(data, content_type):
        return build_web_article(data, source=source, url=public_url(url) if url else None, title=title)
    if content_type and not content_type.startswith("text/") and content_type not in ("application/octet-stream",):
        raise InputError(f"{source}: a {content_type} document is neither an article nor a feed")
    return build_text_article(data, source=source, name=title or Path(source).name)


def _load_entry(feed: _Entries, entry: FeedEntry, policy: FetchPolicy) -> Article:
    published = entry.published.date().isoformat() if entry.published else None
    if not entry.link:
        source = f"{feed.url}#{entry.title}"
        return build_web_article(
            f"<html><body>{entry.content}</body></html>".encode(),
            source=source,
            title=entry.title,
            outlet=feed.feed.title,
            published=published,
        )
    source = shown_input(entry.link)
    if not is_url(entry.link):
        raise FetchError(f"{source}: feed entry link is not an http(s) URL")
    page = request_url(entry.link, policy)
    if looks_like_feed(page.data, page.content_type):
        raise InputError(f"{source}: a feed entry that links to another feed")
    if looks_like_html(page.data, page.content_type):
        return build_web_article(
            page.data,
            source=source,
            url=public_url(page.final_url),
            title=entry.title,
            outlet=feed.feed.title,
            published=published,
        )
    article = build_text_article(page.data, source=source, name=entry.title)
    return article.model_copy(update={"outlet": feed.feed.title, "published": published})

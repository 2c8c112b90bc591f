"""load_article(): a file, '-' (stdin) or raw bytes -> Article.   [disk]

Decoding (text/decode.py) is strict about what is not text; HTML files are extracted like web
pages (ingest/html.py); the rest is plain text or Markdown whose first line may be the title.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest.html import build_web_article, looks_like_html
from briefing.records import Article
from briefing.text.article import build_article
from briefing.text.decode import decode_text

MAX_ARTICLE_BYTES = 5_000_000


def load_article(source: str, *, stdin=None) -> Article:
    """Read an article from a file path or '-' (stdin) and build it: text, Markdown or an HTML page."""
    data, name = read_source(source, stdin=stdin)
    return build_file_article(data, source=source, name=name)


def build_file_article(data: bytes, *, source: str, name: str) -> Article:
    """An article from a file's bytes: an HTML page (by its name or how it starts) is extracted like a
    web page, scripts and hidden text dropped; anything else is decoded as plain text or Markdown."""
    utf8 = decode_text(data, source).encode("utf-8")  # sniff UTF-16 and cp1252 pages too
    if Path(name).suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(utf8):
        return build_web_article(utf8, source=source, title=title_from_filename(name))
    return build_text_article(utf8, source=source, name=name)


def build_text_article(data: bytes, *, source: str, name: str) -> Article:
    """Decode plain-text or Markdown article bytes; the first line is the title when it reads like one."""
    text = decode_text(data, source)
    title, body = _split_title(text, fallback=title_from_filename(name))
    return build_article(source=source, title=title, text=body)


def read_source(source: str, *, stdin=None) -> tuple[bytes, str]:
    """The bytes of a file path or '-' (stdin), at most MAX_ARTICLE_BYTES, and a name for them."""
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_ARTICLE_BYTES + 1)
        name = "stdin"
    else:
        path = Path(source)
        if path.is_dir():
            raise InputError(f"{source} is a folder; `briefing digest {source}` briefs every article in it")
        try:
            with path.open("rb") as f:
                data = f.read(MAX_ARTICLE_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"{source}: no such file") from None
        except PermissionError:
            raise InputError(f"{source}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
        name = path.name
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"{source}: larger than {MAX_ARTICLE_BYTES // 1_000_000} MB; is this really one article?")
    return data, name


def _split_title(text: str, *, fallback: str) -> tuple[str, str]:
    """Take the first line as the title when it reads like a headline; else use `fallback`."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = first.strip().lstrip("#").strip()
    looks_like_headline = (
        rest.strip() and 0 < len(first) <= 160 and len(first.split()) <= 24 and not first.endswith((".", ",", ";", ":"))
    )
    if looks_like_headline:
        return first, rest
    return fallback, stripped


def title_from_filename(name: str) -> str:
    """A readable title from a file name: 'korea-talks_collapse.txt' -> 'Korea talks collapse'."""
    stem = Path(name).stem if name != "stdin" else ""
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled article"

"""load_article(): a file, '-' (stdin) or raw bytes -> Article.   [disk]

Decoding is strict about what is not text: empty input, NUL bytes and known binary formats are
refused before any request is made, UTF-16/32 need their byte-order mark, and other encodings are
detected (charset-normalizer) or refused with a message naming the fix.
"""

from __future__ import annotations

import bisect
import codecs
import re
import sys
from pathlib import Path

from briefing.errors import BinaryInputError, EmptyInputError, EncodingError, InputError
from briefing.records import Article, Mention, Quotation
from briefing.text.names import find_names
from briefing.text.quotations import find_quotations
from briefing.text.sentences import sentence_spans

MAX_ARTICLE_BYTES = 5_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document", "extract its text first, e.g. `pdftotext FILE.pdf -`"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)", "save it as plain text first"),
    (b"\x89PNG", "a PNG image", None),
    (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF87a", "a GIF image", None),
    (b"GIF89a", "a GIF image", None),
    (b"\x1f\x8b", "a gzip archive", "decompress it first"),
    (b"\x7fELF", "a program", None),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "save it as plain text first"),
)


def load_article(source: str, *, stdin=None) -> Article:
    """Read an article from a file path or '-' (stdin) and build it: text, Markdown or an HTML page."""
    data, name = read_source(source, stdin=stdin)
    return build_file_article(data, source=source, name=name)


def build_file_article(data: bytes, *, source: str, name: str) -> Article:
    """An article from a file's bytes: an HTML page (by its name or how it starts) is extracted like a
    web page, scripts and hidden text dropped; anything else is decoded as plain text or Markdown."""
    # extract.py builds on this module, so it is imported here rather than at the top.
    from briefing.ingest.html import build_web_article, looks_like_html

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


def decode_text(data: bytes, source: str = "input") -> str:
    """Decode article bytes to text, or raise a one-line InputError saying why not."""
    if not data:
        raise EmptyInputError(f"{source} is empty; there is nothing to brief")
    if not data.strip():
        raise EmptyInputError(f"{source} holds only whitespace; there is nothing to brief")
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            raise BinaryInputError(f"{source} is {what}, not a text article", hint=fix)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise EncodingError(f"{source} starts with a {encoding} byte-order mark but is not valid {encoding}") from None
            return _clean(text, source)
    if b"\x00" in data:
        raise BinaryInputError(f"{source} contains NUL bytes: it is binary, not a text article",
                               hint="UTF-16 text needs a byte-order mark")
    try:
        return _clean(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    return _clean(_decode_legacy(data, source), source)


def _decode_legacy(data: bytes, source: str) -> str:
    """Text in an 8-bit or East Asian legacy encoding, as charset-normalizer reads it, with one correction.

    Short Western text is ambiguous between the Windows code pages, and the detector often picks a
    Baltic or Nordic one that turns "à" into "ā". Windows-1252, the legacy encoding of English and
    Western European news, is taken whenever it reads as cleanly, unless the detector recognised a
    language that Windows-1252 cannot write.
    """
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise EncodingError(f"{source} is neither UTF-8 nor a text encoding that can be recognised",
                            hint="convert it to UTF-8, e.g. `iconv -f cp1252 -t utf-8`")
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes that Windows-1252 leaves undefined
        return str(best)
    if best.language not in _NOT_WESTERN and mess_ratio(western, 1.0) <= best.chaos + 0.1:
        return western
    return str(best)


# Languages the detector names for text that Windows-1252 cannot spell (Central and Eastern Europe, Baltic).
_NOT_WESTERN = {
    "Czech", "Slovak", "Polish", "Hungarian", "Romanian", "Croatian", "Slovene", "Serbian", "Bosnian",
    "Turkish", "Lithuanian", "Latvian", "Estonian", "Russian", "Ukrainian", "Bulgarian", "Belarusian",
    "Macedonian", "Greek", "Kazakh",
}


def build_article(*, source: str, title: str, text: str, outlet: str | None = None,
                  author: str | None = None, published: str | None = None) -> Article:
    """Split `text` into numbered sentences and find its names and quotations. Pure."""
    text = text.strip()
    if not text:
        raise EmptyInputError(f"{source} has a title but no article text")
    spans = sentence_spans(text)
    names = find_names(text, spans)
    quotations = []
    for found in find_quotations(text, names):
        numbers = [i for i, (a, b) in enumerate(spans, 1) if a < found.end and b > found.start]
        quotations.append(Quotation(text=found.text, sentences=numbers, speaker=found.speaker))
    from briefing.text.names import ALIASES

    starts = [a for a, _ in spans]
    mentions = []
    for name in names:
        forms = [name.text, *(alias for alias, full in ALIASES.items() if full == name.text)]
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in forms))
        where = [i for i in _sentences_holding(text, forms, spans, starts) if pattern.search(text, *spans[i - 1])]
        # A person's quotations name them by pronoun ("he declared"): those sentences count too.
        where += [n for q in quotations if q.speaker == name.text for n in q.sentences]
        mentions.append(Mention(name=name.text, kind=name.kind, sentences=sorted(set(where))))
    return Article(
        source=source,
        title=title,
        text=text,
        outlet=outlet,
        author=author,
        published=published,
        sentences=[text[a:b] for a, b in spans],
        names=mentions,
        quotations=quotations,
    )


def _sentences_holding(text: str, forms: list[str], spans: list[tuple[int, int]], starts: list[int]) -> list[int]:
    """The numbers of the sentences that contain one of `forms` as a substring, in order: the only
    ones the word-bounded pattern can match in (str.find over the text, not a regex per sentence)."""
    found: set[int] = set()
    for form in forms:
        at = text.find(form)
        while at != -1:
            k = bisect.bisect_right(starts, at) - 1
            if k >= 0 and at + len(form) <= spans[k][1]:
                found.add(k + 1)
            at = text.find(form, at + 1)
    return sorted(found)


_CONTROLS_COUNTED = re.compile(r"[\x00-\x08\x0b\x0d-\x1f]")  # below 32, except tab, newline, form feed


def _clean(text: str, source: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Control characters other than tab and newline are binary noise in a news article.
    controls = len(_CONTROLS_COUNTED.findall(text))
    if controls > max(8, len(text) // 100):
        raise BinaryInputError(f"{source} is full of control characters: it is binary, not a text article")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    if not text.strip():
        raise EmptyInputError(f"{source} holds only whitespace; there is nothing to brief")
    return text


def _split_title(text: str, *, fallback: str) -> tuple[str, str]:
    """Take the first line as the title when it reads like a headline; else use `fallback`."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    first = first.strip().lstrip("#").strip()
    looks_like_headline = (
        rest.strip()
        and 0 < len(first) <= 160
        and len(first.split()) <= 24
        and not first.endswith((".", ",", ";", ":"))
    )
    if looks_like_headline:
        return first, rest
    return fallback, stripped


def title_from_filename(name: str) -> str:
    """A readable title from a file name: 'korea-talks_collapse.txt' -> 'Korea talks collapse'."""
    stem = Path(name).stem if name != "stdin" else ""
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled article"

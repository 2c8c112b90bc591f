"""decode_text(): article bytes -> text, strict about what is not text. Pure.

Empty input, NUL bytes and known binary formats are refused before any request is made, UTF-16/32
need their byte-order mark, and other encodings are detected (charset-normalizer) or refused with a
message naming the fix.
"""

from __future__ import annotations

import codecs
import re

from briefing.errors import BinaryInputError, EmptyInputError, EncodingError
from briefing.text.controls import clean_text, strip_invisible

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
                raise EncodingError(
                    f"{source} starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from None
            return _clean(text, source)
    if b"\x00" in data:
        raise BinaryInputError(
            f"{source} contains NUL bytes: it is binary, not a text article", hint="UTF-16 text needs a byte-order mark"
        )
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
        raise EncodingError(
            f"{source} is neither UTF-8 nor a text encoding that can be recognised",
            hint="convert it to UTF-8, e.g. `iconv -f cp1252 -t utf-8`",
        )
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes that Windows-1252 leaves undefined
        return str(best)
    if best.language not in _NOT_WESTERN and mess_ratio(western, 1.0) <= best.chaos + 0.1:
        return western
    return str(best)


# Languages the detector names for text that Windows-1252 cannot spell (Central and Eastern Europe, Baltic).
_NOT_WESTERN = {
    "Czech",
    "Slovak",
    "Polish",
    "Hungarian",
    "Romanian",
    "Croatian",
    "Slovene",
    "Serbian",
    "Bosnian",
    "Turkish",
    "Lithuanian",
    "Latvian",
    "Estonian",
    "Russian",
    "Ukrainian",
    "Bulgarian",
    "Belarusian",
    "Macedonian",
    "Greek",
    "Kazakh",
}


_CONTROLS_COUNTED = re.compile(r"[\x00-\x08\x0b\x0d-\x1f]")  # below 32, except tab, newline, form feed


def _clean(text: str, source: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Control characters other than tab and newline are binary noise in a news article.
    controls = len(_CONTROLS_COUNTED.findall(text))
    if controls > max(8, len(text) // 100):
        raise BinaryInputError(f"{source} is full of control characters: it is binary, not a text article")
    text = strip_invisible(clean_text(text))  # C1 controls, bidi overrides and zero-width characters too
    if not text.strip():
        raise EmptyInputError(f"{source} holds only whitespace; there is nothing to brief")
    return text

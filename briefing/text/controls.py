"""clean_text(), clean_name(), one_line(): control, bidi-override and invisible characters out of untrusted text. Pure.

Article text and model answers are untrusted: an ESC or OSC sequence in a title repaints or retitles
the terminal it is printed to, a BEL rings it, a newline in a title forges a line of a cron log, a
right-to-left override (RLO) makes "exe.txt" read "txt.exe", and a zero-width space makes two names
that look the same compare different. So:

- clean_text() drops C0 controls but tab and newline, DEL, C1 controls (CSI \\x9b and friends) and
  the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). The marks LRM, RLM and
  ALM stay: Arabic and Hebrew text uses them, and they cannot reorder a line. Applied to article
  text as it is decoded and to every string of a model's answer before it is validated.
- clean_name() also drops zero-width characters (ZWSP, word joiner, BOM, soft hyphen), and ZWNJ and
  ZWJ except between two letters of a script that needs them (Persian, Urdu, the Indic scripts,
  Sinhala...), then folds whitespace: for names, speakers and titles.
- one_line() is clean_text() for one terminal or log line: every line break becomes a space.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u180e]")
_JOINERS = re.compile("[\u200c\u200d]")
# Scripts whose spelling uses ZWNJ / ZWJ inside words (Unicode character names start with these).
_JOINING_SCRIPTS = (
    "ARABIC",
    "SYRIAC",
    "NKO",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "MYANMAR",
    "KHMER",
    "MONGOLIAN",
    "TIBETAN",
)


def clean_text(text: str) -> str:
    """`text` without control characters (tab and newline kept) and bidi embeddings, overrides, isolates."""
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def clean_name(text: str) -> str:
    """A name or title: clean_text, zero-width characters out (joiners kept inside words that need them),
    whitespace folded to single spaces."""
    text = _INVISIBLE.sub("", clean_text(text))
    if _JOINERS.search(text):
        text = "".join(ch for i, ch in enumerate(text) if not _JOINERS.match(ch) or _joins_word(text, i))
    return " ".join(text.split())


def strip_invisible(text: str) -> str:
    """Long text (an article): zero-width characters out as in clean_name, lines and spacing kept."""
    text = _INVISIBLE.sub("", text)
    if _JOINERS.search(text):
        text = "".join(ch for i, ch in enumerate(text) if not _JOINERS.match(ch) or _joins_word(text, i))
    return text


def one_line(text: object) -> str:
    """`text` fit for one line of a terminal or a log: clean_text, every line break a space."""
    return _LINE_BREAKS.sub(" ", clean_text(str(text)))


def _joins_word(text: str, i: int) -> bool:
    """True when the joiner at `i` sits between two letters (or marks) of a script that needs joiners."""
    if i == 0 or i + 1 >= len(text):
        return False
    return _needs_joiner(text[i - 1]) and _needs_joiner(text[i + 1])


def _needs_joiner(ch: str) -> bool:
    if unicodedata.category(ch)[0] not in "LM":
        return False
    return unicodedata.name(ch, "").startswith(_JOINING_SCRIPTS)

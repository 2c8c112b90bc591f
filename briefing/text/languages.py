"""Languages: what the user asked for (`--language French`) and what the article is written in. Pure.

Quotes stay verbatim in the article's language; when the briefing is written in another language
the model adds a translation beside each quote (schema.py adds the field). Deciding "another
language" needs both sides as ISO 639-1 codes: `language_code()` reads the user's words (English or
native names, or a code), `detect_language()` counts common function words, which is reliable on
news text of a few sentences. Languages outside this table are never "the same", so their quotes
are always translated: an extra field costs little, a missing translation costs the reader.
"""

from __future__ import annotations

import re
from collections import Counter

# code: (names people type, common function words of the language)
LANGUAGES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "en": (
        ("english", "anglais", "englisch", "inglés", "ingles", "inglese", "inglês", "engels"),
        frozenset("the of and to in is that for it was with as on be by this are at from have has not but".split()),
    ),
    "fr": (
        ("french", "français", "francais", "französisch", "francés", "frances", "francese", "francês", "frans"),
        frozenset("le la les des et est une dans que pour qui sur pas par avec du au sont ce aux mais il elle".split()),
    ),
    "de": (
        ("german", "deutsch", "allemand", "alemán", "aleman", "tedesco", "alemão", "alemao", "duits"),
        frozenset("der die das und ist nicht mit den von zu ein eine sich auf für dem des im auch wird sie".split()),
    ),
    "es": (
        ("spanish", "español", "espanol", "castellano", "espagnol", "spanisch", "spagnolo", "espanhol", "spaans"),
        frozenset("el la los las y en que de es por con para una del se no su al como más pero".split()),
    ),
    "it": (
        ("italian", "italiano", "italien", "italienisch", "italiaans"),
        frozenset("il di che è la le per non un una del della con sono gli nel alla anche ma si".split()),
    ),
    "pt": (
        ("portuguese", "português", "portugues", "portugais", "portugiesisch", "portugués", "portoghese", "portugees"),
        frozenset("o a os as de que e do da em um uma para com não no na por mais se são foi".split()),
    ),
    "nl": (
        ("dutch", "nederlands", "néerlandais", "neerlandais", "niederländisch", "neerlandés", "olandese", "holandês"),
        frozenset("de het een en van is dat niet op te in met voor zijn aan ook maar er die".split()),
    ),
    "ru": (
        ("russian", "русский", "russe", "russisch", "ruso", "russo", "russisch"),
        frozenset("и в не на что с по как это он она они но из за от к для же".split()),
    ),
}
_MIN_HITS = 5


def language_code(language: str) -> str | None:
    """The ISO 639-1 code of a language as a user names it ('French', 'français', 'fr', 'fr-CA')."""
    words = language.strip().lower().replace("_", "-").split()
    if not words:
        return None
    word = words[0]
    base = word.split("-")[0]
    if base in LANGUAGES:
        return base
    for code, (names, _) in LANGUAGES.items():
        if word in names:
            return code
    return None


def detect_language(text: str, *, max_words: int = 3000) -> str | None:
    """The code of the language `text` is written in, or None when too little of it is recognised."""
    words = re.findall(r"\w+", text.lower())[:max_words]
    hits: Counter[str] = Counter()
    for word in words:
        for code, (_, common) in LANGUAGES.items():
            if word in common:
                hits[code] += 1
    if not hits:
        return None
    (best, count), *rest = hits.most_common(2) + [("", 0)]
    runner_up = rest[0][1]
    return best if count >= _MIN_HITS and count >= 1.5 * runner_up else None


def translation_language(language: str, article_text: str) -> str | None:
    """The language quotes must be translated into for a briefing in `language`, or None if they are in it."""
    target = language_code(language)
    if target is not None and target == detect_language(article_text):
        return None
    return language

"""Capitalised runs in one sentence, cut into candidate names: the rules' half of the name finder. Pure.

A run is a stretch of capitalised words (with "of", "von der", "al-" inside names) that ends at a
sentence's end, a lowercase word or punctuation. Each run is cut at titles ("Former South Korean
National Security Advisor Suh Hoon" gives the titled "Suh Hoon"; "Foreign Affairs Ministry" stays a
body; "Secretary of State John Kerry" gives "John Kerry") and possessives, and demonyms and
sentence-opening words are peeled. names.py decides which candidates are names and of what kind.
"""

from __future__ import annotations

import re

from briefing.text.gazetteer import (
    COMMON_OPENERS,
    CONNECTORS,
    DEMONYMS,
    KNOWN_BODIES,
    ORG_HEADS,
    ORG_WORDS,
    PLACES,
    PORTFOLIOS,
    TITLE_WORDS,
)
from briefing.text.kinds import ROMANCE_BODIES, is_known
from briefing.text.speech import SAY_VERBS
from briefing.text.world import GIVEN_NAMES


def is_demonym(words: str) -> bool:
    """'Korean', 'South Korean', 'North African': a nationality adjective, not a name."""
    parts = words.split()
    if len(parts) == 2 and parts[0] in (
        "North",
        "South",
        "East",
        "West",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
    ):
        parts = parts[1:]
    return len(parts) == 1 and parts[0] in DEMONYMS


_LINKING = {"of", "for", "on", "the"}

_KNOWN_BODIES_TUPLE = tuple(KNOWN_BODIES)  # str.startswith takes a tuple: one C call, not a loop

# "al-Sudani", "el-Sisi", "bin" and "von der" stay inside names; other lowercase words end them.
_UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())  # "Á" of "Álvarez", "Ö", "Ł"
_PARTICLE_NAME = rf"(?:al|el|ad|as|ash|at|an|ar|az|bin|ibn|abu|ben)-[{_UPPER}][\w'’-]*"
_LOWER = rf"(?:(?![{_UPPER}])[^\W\d_])+"  # "européenne" whole, not "europ" and "enne"
_TOKEN_RE = re.compile(rf"{_PARTICLE_NAME}|[{_UPPER}][\w'’.-]*|{_LOWER}|[^\w\s]|\d[\w.,]*", re.UNICODE)


_GLUED = re.compile(r"([A-Z][a-zà-ÿ]{2,}[\w'’-]*)\.([A-Z][\w'’.-]*)")


_ACTS = SAY_VERBS | {"has", "have", "had", "will", "would", "wants", "accused", "rejected", "agreed", "refused"}
_GERMAN_ARTICLES = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"}
_GERMAN_ARTICLES |= {"zur", "zum", "im", "am", "vom", "beim", "ins"}
_PLACE_NOUN_WORDS = {"town", "city", "village", "province", "region", "district", "county", "commune", "ville"}
# Prepositions of place: a name only ever seen after one of these is a place ("in Goma", "dans la Dordogne").
_LOCATIVE = {"in", "at", "near", "à", "en", "dans", "la", "le", "nach", "im", "a", "di", "da", "from", "de"}


# A French or Italian body's adjectives follow its noun in lowercase: "Union européenne", "Direzione
# distrettuale antimafia", "Parti socialiste", "Nations unies".
_ROMANCE_ADJECTIVE = re.compile(
    r"[a-zà-ÿ]{2,}(?:éen|éenne|éens|éennes|ienne|iens|ien|aine|ain|ale|ales|al|aux|ali|elle|el|ique|iques|ico|ica|"
    r"ici|iche|aire|aires|ario|aria|ari|ano|ana|ani|ane|ense|ensi|ese|esi|aise|ais|oise|ois|ivo|iva|ivi|ive|if|"
    r"ile|ili|eo|ea|ei|iste|ista|isti)|uni[es]?|unies|unit[ei]|unid[ao]s|anti[a-zà-ÿ]+"
)
_ELIDED = re.compile(r"(?:l|d|qu|dell|all|nell|dall|sull|un|s|n|j|c)$")  # "l'Union", "dell'Unione"


def runs(sentence: str, *, german: bool = False, romance: bool = False):
    """Yield (name, at_sentence_start, had_title, acts) for each capitalised run in one sentence."""
    tokens: list[str] = []
    elisions: set[int] = set()  # the apostrophes of "l'Union", "d'Europe": no quotation opens there
    end = -1
    for m in _TOKEN_RE.finditer(sentence):
        if m.group(0) in "'’" and m.start() == end and tokens and _ELIDED.fullmatch(tokens[-1]):
            elisions.add(len(tokens))
        end = m.end()
        glued = _GLUED.fullmatch(m.group(0))  # "Bolton.He": a sentence's end glued to the next one's start
        tokens += [glued.group(1) + ".", glued.group(2)] if glued else [m.group(0)]
    # Words that open the sentence or a quoted sentence inside it are capitalised anyway.
    quotes = "\"“‘'«„¿¡"
    starts = {0} | {k + 1 for k, t in enumerate(tokens) if (t in quotes and k not in elisions) or t in ".!?:"}
    i = 0
    while i < len(tokens):
        if not _is_name_token(tokens[i]):
            i += 1
            continue
        j = i
        run: list[str] = []
        while j < len(tokens):
            if _is_name_token(tokens[j]):
                run.append(tokens[j])
                j += 1
                if _ends_sentence(tokens[j - 1]):
                    break  # "... in Bolton. He said": the town, then the next sentence
                continue
            # Connectors inside names: "Organization of the Petroleum...", "Ursula von der Leyen".
            k = j
            while k < len(tokens) and tokens[k].lower() in CONNECTORS:
                k += 1
            linking = any(t.lower() in _LINKING for t in tokens[j:k])
            if linking and _bare(run[-1]).lower() not in ORG_HEADS | TITLE_WORDS if run else True:
                break
            if k > j and k < len(tokens) and _is_name_token(tokens[k]) and run:
                run.extend(tokens[j:k])
                j = k
                continue
            break
        if romance and _bare(run[-1]).lower() in ROMANCE_BODIES:
            while j < len(tokens) and len(run) < 5 and _ROMANCE_ADJECTIVE.fullmatch(tokens[j]):
                run.append(tokens[j])
                j += 1
        if german and i and tokens[i - 1].lower() in _GERMAN_ARTICLES and _german_noun_first(run):
            # "die Mitunterzeichnerin", "den Anschlägen von Paris", "der Bundespräsident Christian Wulff":
            # the noun after an article is no name ("die Europäische Union" keeps its adjective)
            run = run[1:]
            while run and run[0].lower() in CONNECTORS:
                run = run[1:]
            if not run:
                i = j
                continue
        acts = j < len(tokens) and tokens[j].lower() in _ACTS and not (i and tokens[i - 1].lower() in _LOCATIVE)
        located = (
            bool(i)
            and tokens[i - 1].lower() in _LOCATIVE
            or (i > 1 and tokens[i - 1] in ("of", "de") and tokens[i - 2].lower() in _PLACE_NOUN_WORDS)
        )
        for k, (name, at_start, had_title) in enumerate(
            _split_run(run, at_start=(i in starts), followed_by=tokens[j : j + 3])
        ):
            yield name, at_start, had_title, acts, located and k == 0
        i = j


def _german_noun_first(run: list[str]) -> bool:
    """Whether a German run after an article opens with a common noun rather than an adjective of the name."""
    if len(run) == 1 or run[1].lower() in CONNECTORS or len(run) > 2:
        return True
    return not re.search(r"(?:e|en|er|es|em)$", run[0])


def _ends_sentence(token: str) -> bool:
    if not token.endswith(".") or _is_initialism(token) or len(token) <= 2:
        return False
    return token.lower() not in TITLE_WORDS and token.lower().rstrip(".") not in TITLE_WORDS


def _is_name_token(token: str) -> bool:
    return token[0].isupper() or bool(re.fullmatch(_PARTICLE_NAME, token))


def _split_run(run: list[str], *, at_start: bool, followed_by: list[str]):
    """Cut a capitalised run at titles and possessives, peel demonyms, and yield the names left.

    "Former South Korean National Security Advisor Suh Hoon" -> "Suh Hoon" (titled);
    "Germany's Chancellor Olaf Scholz" -> "Germany", then "Olaf Scholz" (titled);
    "Energy Minister Abdulaziz bin Salman" -> "Abdulaziz bin Salman" ("Energy" is part of the title).
    """
    segment: list[str] = []
    titled = False
    first = True
    pending_titles: list[str] = []
    for raw in run:
        word = _bare(raw)
        if pending_titles and not segment and (word.lower() in CONNECTORS or pending_titles[-1].lower() in CONNECTORS):
            pending_titles.append(word)  # "Secretary of State John Kerry", "Speaker of the House": the title goes on
            continue
        if word.lower() in ORG_HEADS | ORG_WORDS and pending_titles and not segment:
            # "Defence Ministry", "National Security Council": the title words were the body's name.
            segment, pending_titles, titled = [*pending_titles], [], False
        after_connector = len(segment) > 1 and segment[-1].lower() in CONNECTORS  # "Council on Foreign Relations"
        if pending_titles and not segment and word.lower() in PORTFOLIOS:
            pending_titles.append(word)  # "Foreign Affairs Minister", "Foreign Affairs Ministry"
            continue
        if raw is run[-1] and len(segment) == 1 and segment[0].lower() in GIVEN_NAMES and word.lower() in _SURNAMES:
            segment.append(word)  # "Patrick Head": a given name and a surname that is also a title word
            continue
        if _is_title(word) and not after_connector:
            pending_titles.append(word)
            # A lone word before a title is the title's portfolio ("Energy Minister"), unless it is a
            # state or body in its own right ("Japan Prime Minister" is rare, "Japan's" is handled below).
            if segment and not (len(segment) == 1 and segment[0] not in KNOWN_BODIES and not segment[0].isupper()):
                yield from _name_of(segment, at_start and first, titled, appositive=False)
            if segment:
                first = False
            segment = []
            titled = True
            continue
        if segment == [] and pending_titles and word.lower() not in ORG_HEADS:
            pending_titles = []
        segment.append(word)
        if word != raw.rstrip(".") and re.search(r"['’]s?$", raw):
            # "Germany's Chancellor": a possessive ends the name; "People's Liberation Army" goes on.
            if (
                " ".join(segment) in KNOWN_BODIES | PLACES
                or len(segment) > 1
                or raw is run[-1]
                or _next_is_title(run, raw)
            ):
                yield from _name_of(segment, at_start and first, titled, appositive=False)
                first, segment, titled = False, [], False
            elif _bare(run[-1]).lower() in ORG_HEADS | ORG_WORDS:
                segment[-1] = raw  # "People's Liberation Army": the possessive is part of the name
            else:
                yield from _name_of(segment, at_start and first, titled, appositive=False)
                first, segment, titled = False, [], False  # "Johnson's Brexit plan": Johnson, not more
    if segment:
        # "Gazprom, the Russian gas company, said" / "Hezbollah and the Houthis": a name, even at the start.
        appositive = followed_by[:2] in ([",", "the"], [",", "a"], [",", "an"]) or (
            followed_by[:1] == ["and"]
            and len(followed_by) > 1
            and (followed_by[1] == "the" or followed_by[1][:1].isupper())
        )
        yield from _name_of(segment, at_start and first, titled, appositive=appositive)


# German titles are compounds: "Bundesbankvorstandes Thilo Sarrazin", "Noch-Bundesbanker Thilo Sarrazin".
_GERMAN_TITLE_ENDINGS = (
    "minister", "ministerin", "präsident", "präsidentin", "kanzler", "kanzlerin", "sprecher", "sprecherin",
    "vorstand", "vorstands", "vorstandes", "chef", "chefin", "banker", "politiker", "politikerin", "vorsitzende",
    "vorsitzender", "bürgermeister", "bürgermeisterin", "abgeordnete", "abgeordneter", "botschafter",
    "botschafterin", "direktor", "direktorin", "leiter", "leiterin", "experte", "expertin",
)  # fmt: skip


# Title words that are surnames too, after a given name at a run's end: "Patrick Head", "Ben Chief".
_SURNAMES = {"head", "chief", "major", "king", "speaker", "justice", "judge", "chair", "brother", "saint", "late"}

# Numbers open no name: "Deux Sèvres (28)" in a tally of départements is no person.
_NUMBERS = {"two", "three", "four", "five", "deux", "trois", "quatre", "cinq", "dos", "tres", "cuatro", "cinco"}
_NUMBERS |= {"due", "tre", "quattro", "cinque", "zwei", "drei", "vier", "fünf"}


def _is_title(word: str) -> bool:
    low = word.lower()
    return (
        low in TITLE_WORDS or low.rstrip(".") in TITLE_WORDS or (len(low) > 8 and low.endswith(_GERMAN_TITLE_ENDINGS))
    )


def _next_is_title(run: list[str], raw: str) -> bool:
    i = run.index(raw)
    return i + 1 < len(run) and _bare(run[i + 1]).lower() in TITLE_WORDS


def _name_of(words: list[str], at_start: bool, titled: bool, *, appositive: bool):
    k = 0
    if words and words[0].lower() in ("the", "a", "an"):
        k = 1
    while (
        k < len(words) - 1 and not titled
    ):  # demonyms before more words: "South Korean officials", not "European Union"
        rest = " ".join(words[k:])
        if rest.startswith(_KNOWN_BODIES_TUPLE) or words[-1].lower() in ORG_WORDS:
            break
        pair = " ".join(words[k : k + 2])
        if k + 2 < len(words) and is_demonym(pair):
            k += 2
        elif is_demonym(words[k]):
            k += 1
        else:
            break
    rest = words[k:]  # type: ignore[assignment]  # a list of words from here on
    while len(rest) > 1 and rest[0].lower() in _NUMBERS:
        rest = rest[1:]
    if len(rest) > 2 and re.match(r"[LlDd]['’]", rest[0]):
        rest = rest[1:]  # "L'Écossaise Alisson Mackie": the article and its noun are not the name
    while at_start and len(rest) > 1 and (rest[0].lower() in COMMON_OPENERS or len(rest[0]) == 1):
        if is_known(" ".join(rest)):
            break
        rest = rest[1:]  # "Avec le Brexit" opens a sentence: "Brexit"; "R Paraguay" (an interview's answer)
    while rest and rest[-1].lower() in CONNECTORS:
        rest = rest[:-1]
    if rest:
        yield " ".join(rest), at_start and k == 0 and not appositive, titled


def _bare(word: str) -> str:
    """Strip a possessive and a sentence-final period: "Korea's" -> "Korea", "Jr." stays."""
    word = re.sub(r"(?:['’]s|['’])$", "", word)
    if word.endswith(".") and not _is_initialism(word) and word.lower() not in TITLE_WORDS:
        word = word.rstrip(".")
    return word


def _is_initialism(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,}", word))

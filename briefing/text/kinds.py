"""What kind of actor a name is, by the house rules: people, states, organisations, outlets, places. Pure.

House rules (ANALYSIS.md): places are not actors unless they are states; outlets are organisations
and never speakers of what they report; a capital or a building standing for a government keeps
the article's wording but is an organisation, never a person; a party nickname is the party.
"""

from __future__ import annotations

import re

from briefing.text.gazetteer import BODIES_NOT_STATES, KNOWN_BODIES, ORG_WORDS, PLACES
from briefing.text.world import (
    CITIES,
    CLUB_WORDS,
    GIVEN_NAMES,
    GOVERNMENT_SEATS,
    OUTLET_WORDS,
    OUTLETS,
    PARTY_NICKNAMES,
    PLACE_HEADS,
    PLACE_WORDS,
    REGIONS,
    STATES,
)

ALL_STATES = STATES | (KNOWN_BODIES - BODIES_NOT_STATES)
ALL_PLACES = (PLACES | CITIES | REGIONS) - ALL_STATES
_ORG_LAST = ORG_WORDS | CLUB_WORDS | {"corp", "corp.", "co", "co.", "plc", "llc", "ag", "sa", "nv", "gmbh", "spa"}
_ORG_ANY = {
    # bodies in the languages briefing reads: "Comunidad de Madrid", "Carabinieri di Bari"
    "gobierno",
    "gouvernement",
    "governo",
    "regierung",
    "comunidad",
    "comisión",
    "commissione",
    "kommission",
    "tribunal",
    "tribunale",
    "gericht",
    "congreso",
    "senado",
    "sénat",
    "senato",
    "assemblée",
    "ayuntamiento",
    "mairie",
    "comune",
    "procura",
    "carabinieri",
    "polizia",
    "polizei",
    "policía",
    "fundación",
    "fondation",
    "fondazione",
    "stiftung",
    "agencia",
    "agence",
    "agenzia",
    "asociación",
    "verband",
    "ministry",
    "ministère",
    "ministerio",
    "ministero",
    "ministerium",
    "party",
    "parti",
    "partido",
    "partito",
    "partei",
    "bank",
    "banque",
    "banco",
    "bund",
    "verein",
    "council",
    "conseil",
    "consejo",
    "consiglio",
    "commission",
    "committee",
    "union",
    "unión",
    "league",
    "federation",
    "association",
    "institute",
    "university",
    "université",
    "universidad",
    "università",
    "universität",
    "agency",
    "airlines",
    "airways",
    "motors",
    "holdings",
    "group",
    "exchange",
    "securities",
    "forces",
    "army",
    "navy",
    "police",
    "court",
    "assembly",
    "parliament",
    "senate",
    "congress",
    "house",
    "office",
    "department",
}

# The nouns that open a body in French, Italian, Spanish and Portuguese, with its adjectives after it.
ROMANCE_BODIES = set(
    """
    gouvernement governo gobierno comisión commissione commission tribunal tribunale congreso senado
    sénat senato assemblée assemblea asamblea ayuntamiento comune procura fiscalía parquet polizia
    policía police agence agenzia agencia ministère ministero ministerio parti partito partido banque
    banca banco conseil consiglio consejo union unione unión parlement parlamento direzione direction
    dirección comando commandement nations naciones nazioni gendarmerie armée esercito ejército cour
    corte fonds fondo institut istituto instituto organisation organizzazione organización
    confédération confederazione confederación fédération federazione federación syndicat sindacato
    sindicato mouvement movimento movimiento autorité autorità autoridad guardia conférence conferenza
    conferencia front fronte frente chambre camera cámara
    """.split()
)
_ORG_ANY |= ROMANCE_BODIES - {"front", "police", "union"}


def is_outlet(name: str) -> bool:
    """'Reuters', 'Radio Free Asia', 'The Japan Times', 'Asia Times Online': a news outlet."""
    bare = name.removeprefix("The ").strip()
    words = bare.split()
    if not words:
        return False
    if name in OUTLETS or bare in OUTLETS:
        return True
    low = [w.lower() for w in words]
    return len(words) > 1 and (low[0] in ("radio", "tv", "daily") or low[-1] in OUTLET_WORDS - {"press", "agency"})


def is_place(name: str) -> bool:
    """A city, region, street or sea that is not a state and does not stand for a government."""
    if name in GOVERNMENT_SEATS or is_state(name):
        return False
    if name in ALL_PLACES or name.title() in ALL_PLACES:
        return True
    words = name.lower().split()
    if len(words) > 1 and (words[0] in PLACE_HEADS or words[-1] in PLACE_HEADS):
        return True  # "Vorort Molenbeek", "Stadtteil Molenbeek", "Pariser Vorort"
    return len(words) > 1 and words[-1] in PLACE_WORDS and words[0] not in ("national", "federal")


def is_state(name: str) -> bool:
    return name in ALL_STATES or (name.isupper() and name.title() in ALL_STATES)


def party_of(name: str) -> str | None:
    """'Tories' -> 'Conservative Party': the party a nickname names, or None."""
    return PARTY_NICKNAMES.get(name)


def guess_kind(name: str, *, titled: bool) -> str:
    """'person', 'state', 'organisation' or 'group' for a name the finder keeps."""
    if is_state(name):
        return "state"
    words = name.split()
    low = [w.lower().strip(".,") for w in words]
    if name in GOVERNMENT_SEATS or name in CITIES or party_of(name) or is_outlet(name):
        return "organisation"  # kept only when it acts: "Downing Street said", "Beijing warned", "the Tories"
    if name in KNOWN_BODIES or set(low) & _ORG_ANY or low[-1] in _ORG_LAST:
        return "organisation"
    if len(words) > 1 and low[0] in CLUB_WORDS:
        return "organisation"  # "Real Madrid", "Inter Milan"
    if _is_acronym(name):
        return "organisation"
    if titled or low[0] in GIVEN_NAMES:
        return "person"
    if "-" in name and len(words) == 1 and not name[0].isupper():
        return "person"  # al-Sudani
    if len(words) in (2, 3) and all(_looks_like_name_word(w) for w in words):
        return "person"
    return "group"


def _is_acronym(name: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z][A-Z0-9&]{1,6}", name))


def _looks_like_name_word(word: str) -> bool:
    return bool(_NAME_WORD.fullmatch(word))


# "Olaf", "Jae-sik", "M'Hand", "O'Brien", "J.", and the particles inside names.
_NAME_WORD = re.compile(
    r"[A-ZÀ-Þ][a-zà-ÿ]?['’]?[A-Za-zà-ÿ]+(?:-[A-Za-zà-ÿ]+)?|[A-Z]\.|de|van|von|bin|al|da|del|di|la|le|De"
)


def is_known(name: str) -> bool:
    """A state, body, outlet, government seat or place the word lists know."""
    return (
        name in KNOWN_BODIES
        or is_state(name)
        or is_outlet(name)
        or name.title() in KNOWN_BODIES
        or name in GOVERNMENT_SEATS
        or is_place(name)
    )


def known_parts(run: str) -> list[str]:
    """'JAPAN GET LUCKY WIN' -> ['JAPAN']: the known names inside a run of capitals."""
    words, out, i = run.split(), [], 0
    while i < len(words):
        for n in (3, 2, 1):
            part = " ".join(words[i : i + n])
            if len(words[i : i + n]) == n and is_known(part):
                out.append(part)
                i += n
                break
        else:
            i += 1
    return out


def is_shouting(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    words = re.findall(r"[A-Z]{3,}", sentence)
    return len(words) >= 2 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


_LIST = re.compile(
    r"(?:[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, )+[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?,? (?:and|or|et|y|e|und) "
    r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
)
_PLACE_NOUNS = re.compile(
    r"\b(?:constituenc|seats?\b|towns?\b|cities\b|city\b|districts?\b|villages?\b|regions?\b|provinces?\b|"
    r"communes?\b|wards?\b|boroughs?\b|counties\b|municipalit)",
    re.IGNORECASE,
)


def place_list(sentence: str) -> set[str]:
    """The items of a list of places ("the seats of Bolton, Bury and Wigan"): none of them an actor."""
    out: set[str] = set()
    for m in _LIST.finditer(sentence):
        items = [i.strip() for i in re.split(r",\s*|\s(?:and|or|et|y|e|und)\s", m.group(0)) if i.strip()]
        if any(is_place(i) for i in items) or _PLACE_NOUNS.search(sentence[: m.start()]):
            out |= set(items)
    return out


# "the D'Abramo-Sforza clan", "clan mafioso D’Abramo-Sforza", "el cártel de Sinaloa": the name of a group.
_GROUP_NOUNS = r"(?:clans?|cartels?|cartel(?:li|lo)|cárteles|cártel|cosca|cosche|gangs?|milices?|milizi[ae]|milicias?)"
_CLAN = re.compile(
    rf"\b{_GROUP_NOUNS}\s+(?:[a-zà-ÿ]+\s+){{0,2}}([A-ZÀ-Þ][\w'’-]+(?:\s[A-ZÀ-Þ][\w'’-]+)?)"
    rf"|\b([A-ZÀ-Þ][\w'’-]+)\s+{_GROUP_NOUNS}\b"
)


def clan_names(sentence: str) -> set[str]:
    """The names a group noun introduces in `sentence`: each a group, even named once."""
    return {(m.group(1) or m.group(2)) for m in _CLAN.finditer(sentence)}

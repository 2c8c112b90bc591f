"""The words of reported speech the speaker finder reads, per language: verbs of saying, pronouns, roles. Pure data.

English, Spanish, Italian, French and German. Verbs are written as the forms news copy uses (past and
present, participles, French inversions are handled by the reader: "a-t-il rappelé", "dit-elle").
"""

from __future__ import annotations

# Verbs (and their usual forms) that report speech or writing: "said X", "X told", "sagte X".
SAY_VERBS = set(
    """
    said says say stated states declared declares asserted asserts remarked remarks commented comments
    emphasized emphasised emphasizes emphasises added adds told tells warned warns noted notes explained
    explains insisted insists argued argues cautioned cautions urged urges claimed claims announced
    announces wrote writes tweeted posted replied replies continued acknowledged admitted observed
    concluded recalled stressed stresses suggested predicted responded answered countered confirmed
    denied vowed pledged promised conceded maintained reiterated proclaimed advised assured answered
    complained recounted quipped testified agreed disagreed objected protested demanded
    declaring saying adding warning noting insisting calling telling writing arguing stressing urging
    estimant affirmant expliquant soulignant ajoutant assurant jugeant rappelant déclarant
    afirmando señalando asegurando explicando añadiendo declarando
    affermando spiegando sottolineando aggiungendo dichiarando

    dijo dice afirmó afirma aseguró asegura señaló señala explicó explica añadió añade declaró declara
    indicó indica manifestó manifiesta advirtió advierte sostuvo sostiene subrayó subraya comentó
    comenta agregó agrega insistió insiste reconoció reconoce apuntó apunta precisó precisa destacó
    destaca escribió escribe respondió responde concluyó recordó recuerda lamentó lamenta

    detto dichiarato spiegato aggiunto affermato sottolineato raccontato commentato ribadito scritto
    risposto precisato osservato dice afferma spiega aggiunge sottolinea racconta commenta ribadisce
    scrive risponde precisa osserva dichiara

    dit déclaré déclare affirmé affirme expliqué explique ajouté ajoute souligné souligne estimé estime
    regretté regrette raconté raconte décrit décrite déploré déplore rappelé rappelle poursuivi poursuit
    asséné insisté insiste précisé précise assuré assure confié confie indiqué indique lancé lance
    martelé martèle observé observe noté note prévenu prévient reconnu reconnaît jugé juge conclu
    conclut répondu répond écrit trouve

    sagte sagt erklärte erklärt betonte betont warnte warnt meinte meint schrieb schreibt berichtete
    berichtet kritisierte kritisiert forderte fordert sprach spricht antwortete antwortet ergänzte
    ergänzt fügte räumte teilte versicherte versichert bekräftigte bekräftigt
    """.split()
)

# Participles: the clause they open belongs to the sentence's subject ("Britain urged ..., warning").
PARTICIPLE_ENDINGS = ("ing", "ant", "ando", "iendo", "endo")

# Words that introduce a source before its words: "according to X, ...", "selon X", "laut X".
ACCORDING_TO = ("according to", "según", "segun", "secondo", "selon", "laut", "zufolge")

# Subject pronouns by language, each with its gender (None: either, or plural).
PRONOUNS: dict[str, dict[str, str | None]] = {
    "en": {"he": "m", "she": "f", "they": None},
    "fr": {"il": "m", "elle": "f"},
    "de": {"er": "m", "sie": "f"},
    "es": {"él": "m", "ella": "f"},
    "it": {"lui": "m", "lei": "f"},
}

# Articles that open a descriptor ("the minister", "la maire", "die Mitunterzeichnerin").
DEFINITE = {"the", "le", "la", "l", "les", "el", "los", "las", "il", "lo", "gli", "der", "die", "das", "dem"}
INDEFINITE = {"a", "an", "one", "another", "un", "une", "una", "uno", "ein", "eine", "einer"}

# What a document says is what its author wrote: "said the letter" gives the letter's writer.
DOCUMENTS = set(
    """
    letter statement report e-mail email memo note communiqué message post tweet document release
    lettre carta lettera brief schreiben mitteilung erklärung comunicado comunicato déclaration
    """.split()
)

# Words for a person by role, in the five languages, for "la maire" -> the mayor named before.
ROLES = set(
    """
    minister president spokesman spokeswoman spokesperson official chief leader mayor governor
    secretary director chairman chairwoman senator ambassador envoy commander general premier
    strategist analyst economist professor lawyer prosecutor judge diplomat
    ministre président présidente maire élu élue porte-parole chef directeur directrice secrétaire
    ministro ministra presidente portavoz alcalde alcaldesa sindaco portavoce segretario
    minister ministerin präsident präsidentin sprecher sprecherin bürgermeister bürgermeisterin
    kanzler kanzlerin intendantin initiatorin studentin mitunterzeichnerin
    """.split()
)

# Titles that say a person is a woman or a man (for "he" / "she" agreement).
FEMININE_TITLES = {"mrs", "ms", "miss", "mme", "madame", "frau", "señora", "sra", "signora", "la", "die", "dame"}
MASCULINE_TITLES = {"mr", "m", "monsieur", "herr", "señor", "sr", "signor", "le", "der", "sir"}

# Words that open a clause before its subject: "As a senior official told ...", "But his brother said".
CLAUSE_OPENERS = set(
    """
    as but and while when yet so then also mais et alors pero y cuando mientras ma e quando mentre aber und als
    """.split()
)

# Prepositions a name follows when it is an object, not the one speaking ("told reporters of Kim").
OBJECT_WORDS = set(
    """
    to of by with from at in on for about against than par de d à au aux avec pour contre von mit für
    gegen an zu por para con contra di da del della al ai per
    """.split()
)

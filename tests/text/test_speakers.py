"""Speaker attribution: the article's wording, five languages, and a status that never overstates."""

from __future__ import annotations

import pytest

from briefing.text.names import find_names
from briefing.text.speakers import CONFIRMED, UNCONFIRMED, Attribution, attribute_speaker, check_speaker


def speaker(text, mark=0):
    """The attribution of the `mark`-th quotation mark that opens a quotation in `text`."""
    opens = [i for i, c in enumerate(text) if c in '"“«' or text.startswith("``", i)]
    return attribute_speaker(text, opens[mark], find_names(text))


@pytest.mark.parametrize(
    "text, mark, who, status",
    [
        # verbs of saying after the quotation, in five languages
        ('"We will not back down," said Prime Minister Anna Berg.', 0, "Anna Berg", CONFIRMED),
        ("“Rates stay high,” said the bank's chief economist, Ana Ruiz.", 0, "Ana Ruiz", CONFIRMED),
        ('"Es ist vorbei", sagte Olaf Scholz in Berlin.', 0, "Olaf Scholz", CONFIRMED),
        ('"Il faut agir", a-t-il déclaré. Edouard Philippe partit.', 0, None, UNCONFIRMED),
        ('Edouard Philippe parla longtemps. "Il faut agir", a-t-il déclaré.', 0, "Edouard Philippe", CONFIRMED),
        ('"No habrá acuerdo", dijo Pedro Sánchez.', 0, "Pedro Sánchez", CONFIRMED),
        ('"Non ci sarà accordo", ha detto Giorgia Meloni.', 0, "Giorgia Meloni", CONFIRMED),
        # before the quotation: a colon, "according to", a verb of saying and its subject
        ('Minister Anna Berg said: "The plan is dead."', 0, "Anna Berg", CONFIRMED),
        (
            'According to a senior strategist at Sony, "Japan is disappointed," he told Asia Times.',
            0,
            "A senior strategist at Sony",
            CONFIRMED,
        ),
        ("Darleen Druyun wrote to Secretary Jim Roche, ``I read it with disgust.''", 0, "Darleen Druyun", CONFIRMED),
        (
            'Zur Rolle seines Bruders sagte Mohamed Abdeslam: "Salah ist sehr intelligent."',
            0,
            "Mohamed Abdeslam",
            CONFIRMED,
        ),
        # a pronoun goes to the person the sentences before made their subject
        ('Omar Haddad met the envoy of Kim Lee. "It is bad news," he said.', 0, "Omar Haddad", CONFIRMED),
        # a definite role goes to the person named with that role before
        (
            'La maire Lydie Brionne parle. "Il va falloir trouver deux candidats", souligne la maire.',
            0,
            "Lydie Brionne",
            CONFIRMED,
        ),
        # a quotation that continues the one before in the same paragraph is the same speaker's
        ('"We are ready," said Ammar Dweik. "All we need is a decree."', 1, "Ammar Dweik", CONFIRMED),
        # an outlet is never the speaker of what it reports
        ('"We are ready," he told CNN.', 0, None, UNCONFIRMED),
        # a document is not a source: its author, if any, is a guess
        ('Paul Kagame wrote to the union. "We will leave soon," said the letter.', 0, "Paul Kagame", UNCONFIRMED),
        # no wording at all: a guess at most, never confirmed
        ('Olaf Scholz arrived. Later the talks ended. "Nothing is settled."', 0, "Olaf Scholz", UNCONFIRMED),
        # a town glued to the next sentence's "He" is not a speaker
        ('The minister Anna Berg spoke in Bolton.He said: "The town matters."', 0, "Anna Berg", CONFIRMED),
    ],
)
def test_attribution(text, mark, who, status):
    found = speaker(text, mark)
    assert (found.speaker, found.status) == (who, status), found


@pytest.mark.parametrize(
    "claimed, found, expected",
    [
        ("Anna Berg", Attribution("Anna Berg", CONFIRMED, "verb"), ("confirmed", "Anna Berg")),
        ("Berg", Attribution("Anna Berg", CONFIRMED, "verb"), ("confirmed", "Berg")),
        ("Downing Street", Attribution("Anna Berg", CONFIRMED, "verb"), ("corrected", "Anna Berg")),
        ("Anna Berg", Attribution("Anna Berg", UNCONFIRMED, "nearest"), ("unconfirmed", "Anna Berg")),
        ("Anna Berg", Attribution(None, UNCONFIRMED, "none"), ("unconfirmed", "Anna Berg")),
    ],
)
def test_check_speaker(claimed, found, expected):
    assert check_speaker(claimed, found) == expected


def test_a_position_inside_a_quotation_finds_it_and_one_outside_finds_nothing():
    text = '"We will not back down," said Anna Berg. The talks ended.'
    names = find_names(text)
    assert attribute_speaker(text, 5, names).speaker == "Anna Berg"
    assert attribute_speaker(text, len(text) - 3, names) == Attribution(None, UNCONFIRMED, "none")

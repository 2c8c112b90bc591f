"""The name finder: real names, no junk, titles peeled off, short forms folded."""

from __future__ import annotations

import pytest

from briefing.text.names import find_names
from tests.conftest import SEED


def test_seed_names_are_real_and_clean():
    names = {n.text: n.kind for n in find_names(SEED.read_text())}
    assert names == {
        "South Korea": "state",
        "North Korea": "state",
        "Yoon Suk-yeol": "person",
        "Min Jae-sik": "person",
        "United States": "state",
        "Kim Yo-jong": "person",
        "Kim Jong-un": "person",
        "Japan": "state",
        "Fumio Kishida": "person",
        "Suh Hoon": "person",
        "United Nations": "organisation",
    }


def test_titles_demonyms_and_possessives_are_peeled():
    text = (
        "Former South Korean National Security Advisor Suh Hoon met Germany's Chancellor Olaf Scholz. "
        "Scholz said little. The European Union's envoy watched."
    )
    names = [n.text for n in find_names(text)]
    assert names == ["Suh Hoon", "Germany", "Olaf Scholz", "European Union"]


def test_sentence_initial_common_words_are_not_names():
    text = "Tensions rose. Despite tensions, Analysts met. Nothing happened. Dialogue helps dialogue."
    assert find_names(text) == []


def kinds(text):
    return {n.text: n.kind for n in find_names(text)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # a radio station is an outlet: an organisation, never a person
        ("Radio Mashaal reported the attack. The station said three people died.", {"Radio Mashaal": "organisation"}),
        # a street standing for a government office is an organisation, never a person
        (
            "Downing Street said the prime minister would not resign. Aides at Downing Street were silent.",
            {"Downing Street": "organisation"},
        ),
        # a list of constituencies is places, not groups; the party is an organisation
        (
            "Labour won the seats of Bolton, Bury and Wigan. Keir Starmer said it was a good night.",
            {"Labour": "organisation", "Keir Starmer": "person"},
        ),
        # a party nickname is the party
        (
            "The Tories lost ground. Prime Minister Rishi Sunak said the Conservative Party would recover.",
            {"Rishi Sunak": "person", "Conservative Party": "organisation"},
        ),
        ("The Tories lost ground in the north.", {"Tories": "organisation"}),
        # a town glued to the next sentence's "He" (text extracted without the space) is neither a name nor a speaker
        ("The minister spoke in Bolton.He said the town mattered.", {}),
        ("Olaf Scholz visited the town of Ashford. He praised its mayor.", {"Olaf Scholz": "person"}),
        # a sentence-initial word is not a name, in any of five languages
        (
            "Avec le Brexit, Lydie Brionne a peur. Later Andy Burnham agreed.",
            {"Lydie Brionne": "person", "Andy Burnham": "person"},
        ),
        # a capital standing for its government is an organisation; a capital as a place is no actor
        ("Beijing warned Washington on Tuesday. Diplomats met in Geneva.", {"Beijing": "organisation"}),
        # states named once, at the start of a sentence, are states
        ("Britain has urged Rwanda to hold back.", {"Britain": "state", "Rwanda": "state"}),
        # a portfolio before a body is the body's name, not a title before a person
        (
            "As the Foreign Affairs Ministry said, the aid is shrinking. Critics of the Foreign Affairs Ministry agree.",
            {"Foreign Affairs Ministry": "organisation"},
        ),
        ("Foreign Affairs Minister Wang Yi said talks would go on.", {"Wang Yi": "person"}),
        # a title with "of" goes on to the name: no "State John Kerry", no "House Nancy Pelosi"
        (
            "Secretary of State John Kerry met Speaker of the House Nancy Pelosi.",
            {"John Kerry": "person", "House": "organisation", "Nancy Pelosi": "person"},
        ),
        ("The Ministry of Foreign Affairs said it was concerned.", {"Ministry of Foreign Affairs": "organisation"}),
        # a word that opens a quoted sentence is not part of the name after it
        (
            'An official told the Daily Yomiuri, "Whenever Japan runs for a seat, it wins."',
            {"Daily Yomiuri": "organisation", "Japan": "state"},
        ),
        # "Class A war criminals": a class, not a person
        ("The shrine honours war dead, including Class A war criminals.", {}),
        # someone in a city that is no capital speaks, not the city: no "Goma" standing for a government
        ("The head of the mission in the eastern town of Goma told journalists of clashes.", {}),
        # the house rules over any guess: a state stays a state, a body's word makes a body; "the Center" alone is none
        (
            "Former U.S. President and Carter Center Chair Jimmy Carter asked for records. The Center watched.",
            {"U.S.": "state", "Carter Center Chair": "organisation", "Jimmy Carter": "person"},
        ),
        # German: a place word opens or ends a place, a date stops a name, a compound title is a title
        (
            "Salah Abdeslam wohnte im Vorort Molenbeek. Die Polizei suchte Abdeslam Anfang Oktober im Stadtteil "
            "Molenbeek. Der Noch-Bundesbanker Thilo Sarrazin schwieg.",
            {"Salah Abdeslam": "person", "Thilo Sarrazin": "person"},
        ),
        # a name does not end on "&": "Sears, Roebuck & Co." gives no "Roebuck &"
        (
            "Kmart Holding Corp will buy Sears, Roebuck & Co.",
            {"Kmart Holding Corp": "organisation", "Sears": "organisation"},
        ),
        # French and Italian bodies keep their adjectives; "l'Union" opens no sentence; a number opens no name;
        # a group noun makes a group of a name said once; a title word after a given name is a surname
        (
            "Trois ans après la décision des Britanniques de quitter l'Union européenne, le Brexit est intervenu. "
            "Ils résident pour la plupart dans le Sud-Ouest : Hérault (30), Deux Sèvres (28), Gers (26). Dans la "
            "Manche, Patrick Head , originaire du Wiltshire, va ainsi terminer son mandat et il ne sera pas candidat.",
            {"Union européenne": "organisation", "Patrick Head": "person"},
        ),
        (
            "Questa mattina i carabinieri hanno arrestato più di 50 persone accusate di essere affiliate al clan "
            "mafioso D’Abramo-Sforza. L’operazione è stata disposta su richiesta della Direzione distrettuale "
            "antimafia di Bari.",
            {"D’Abramo-Sforza": "group", "Direzione distrettuale antimafia": "organisation"},
        ),
        ("John Major met Patrick Head.", {"John Major": "person", "Patrick Head": "person"}),
        ("Oil prices rose as the OPEC cartel met in Vienna.", {"OPEC": "organisation"}),  # a body stays a body
        # an all-capitals headline keeps only names known anyway
        ("SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .", {"JAPAN": "state", "CHINA": "state"}),
    ],
)
def test_junk_cases_and_house_rules(text, expected):
    assert kinds(text) == expected


def test_a_possessive_ends_the_name():
    found = kinds("Boris Johnson's Brexit deal passed, and Johnson's allies cheered Jacob Rees-Mogg.")
    assert found["Boris Johnson"] == found["Jacob Rees-Mogg"] == "person"
    assert not [name for name in found if "'s" in name or "Brexit" in name and name != "Brexit"]


def test_wire_ticker_links_are_no_people():
    from briefing.text.article import build_article

    article = build_article(
        source="x",
        title="Deal",
        text="Discount retailer Kmart Holding Corp. (KMRT.O: Quote, Profile, Research) will buy Sears Holdings.",
    )
    assert "(KMRT.O)" in article.text and "Profile" not in article.text
    assert {m.name for m in article.names} == {"Kmart Holding Corp", "Sears Holdings"}


def test_a_persons_short_form_counts_as_a_mention_and_prompts_list_the_most_mentioned_first():
    from briefing.prompts import by_salience
    from briefing.text.article import build_article

    text = (
        "Israel freed prisoners on Monday. Rival Fatah leader Marwan Barghouti said he would run. "
        "Israel said it would not release him. Barghouti's wife said he was serious. Barghouti is in jail."
    )
    article = build_article(source="x", title="Run", text=text)
    mentions = {m.name: m.sentences for m in article.names}
    assert mentions["Marwan Barghouti"] == [2, 4, 5]  # "Barghouti" alone is him too
    assert [m.name for m in by_salience(article.names)][:2] == ["Marwan Barghouti", "Israel"]

"""Language names, detection, and when quotes need a translation."""

from __future__ import annotations

import pytest

from briefing.text.languages import detect_language, language_code, translation_language

ENGLISH = "The talks collapsed on Monday, and the two governments said that they would not return to the table."
FRENCH = "Les négociations ont échoué lundi et les deux gouvernements ont dit qu'ils ne reviendraient pas à la table pour le moment."
GERMAN = "Die Gespräche sind am Montag gescheitert, und die beiden Regierungen sagten, dass sie nicht an den Tisch zurückkehren."
SPANISH = (
    "Las conversaciones fracasaron el lunes y los dos gobiernos dijeron que no volverían a la mesa por el momento."
)


@pytest.mark.parametrize(
    "name, code",
    [
        ("French", "fr"),
        ("français", "fr"),
        ("Francais", "fr"),
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("FR_fr", "fr"),
        ("German", "de"),
        ("Deutsch", "de"),
        ("Español", "es"),
        ("castellano", "es"),
        ("Italian", "it"),
        ("Português", "pt"),
        ("Nederlands", "nl"),
        ("English", "en"),
        ("русский", "ru"),
        ("Klingon", None),
        ("", None),
        ("French (Canada)", "fr"),
    ],
)
def test_language_code(name, code):
    assert language_code(name) == code


@pytest.mark.parametrize(
    "text, code",
    [
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        (GERMAN, "de"),
        (SPANISH, "es"),
        ("Kim Jong-un", None),
        ("", None),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("English", ENGLISH, None),  # same language: no translation
        ("French", ENGLISH, "French"),
        ("fr", FRENCH, None),
        ("English", FRENCH, "English"),  # a French article briefed in English
        ("Klingon", ENGLISH, "Klingon"),  # unknown: translate rather than risk a missing translation
        ("English", "Kim Jong-un.", "English"),  # too little text to tell
    ],
)
def test_translation_language(language, text, expected):
    assert translation_language(language, text) == expected

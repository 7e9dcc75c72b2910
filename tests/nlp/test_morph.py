"""Lemmas, name parts and nominative forms from pymorphy3's Ukrainian dictionary."""

from __future__ import annotations

import pymorphy3
import pytest

from strichka.nlp.morph import Morphology, with_case_of


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return Morphology(pymorphy3.MorphAnalyzer(lang="uk"))


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("року", "рік"),  # not рок
        ("році", "рік"),
        ("світу", "світ"),  # not світа
        ("мати", "мати"),  # not мата
        ("дорогу", "дорога"),  # noun before adjective
        ("до", "до"),  # the preposition, not the musical note
        ("людей", "людина"),
        ("ракет", "ракета"),
        ("Венесуелі", "венесуела"),
        ("Путіна", "путін"),
        ("Сторі", "сторі"),  # an unknown surname keeps its form, not стор
        ("Bloomberg", "bloomberg"),
    ],
)
def test_lemma(morph: Morphology, word: str, lemma: str) -> None:
    assert morph.lemma(word) == lemma


@pytest.mark.parametrize(
    ("word", "part"),
    [
        ("Володимира", "first"),
        ("Ніколаса", "first"),
        ("Путіна", "surname"),
        ("Цзіньпіну", "surname"),
        ("Івановича", "patronymic"),
        ("Венесуелі", None),
        ("Також", None),
        ("Сторі", None),  # only dictionary readings count
    ],
)
def test_is_name_part(morph: Morphology, word: str, part: str | None) -> None:
    assert morph.is_name_part(word) == part


@pytest.mark.parametrize(
    ("word", "nominative"),
    [
        ("Володимира", "Володимир"),
        ("Путіна", "Путін"),
        ("Цзіньпіну", "Цзіньпін"),
        ("Зеленської", "Зеленська"),
        ("Трампом", "Трамп"),
        ("Мадуро", "Мадуро"),  # indeclinable
        ("Веласкес", "Веласкес"),  # already nominative
        ("Венесуелі", None),  # not a person's name
        ("водночас", None),
    ],
)
def test_nominative(morph: Morphology, word: str, nominative: str | None) -> None:
    assert morph.nominative(word) == nominative


def test_parses_is_the_analyser_output(morph: Morphology) -> None:
    assert {p.normal_form for p in morph.parses("року")} == {"рік", "рок"}


def test_with_case_of() -> None:
    assert with_case_of("сша", "США") == "США"
    assert with_case_of("путін", "Путіна") == "Путін"
    assert with_case_of("косач-квітка", "Косач-Квітки") == "Косач-Квітка"
    assert with_case_of("рік", "року") == "рік"


@pytest.mark.parametrize("word", ["", "🔥", "123", "a" * 10_000, "ЬЪ", "Kyiv-Київ"])
def test_odd_words_do_not_crash(morph: Morphology, word: str) -> None:
    assert isinstance(morph.lemma(word), str)
    morph.is_name_part(word)
    morph.nominative(word)


def test_characters_without_a_unicode_name_have_no_readings(morph: Morphology) -> None:
    assert morph.parses("𗀀") == ()
    assert morph.lemma("𗀀") == "𗀀"

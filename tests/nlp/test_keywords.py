"""Keywords: lemmatised nouns, adjectives and names ranked by weighted frequency."""

from __future__ import annotations

from pathlib import Path

import pymorphy3
import pytest

from strichka.nlp.keywords import keywords
from strichka.nlp.morph import Morphology


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return Morphology(pymorphy3.MorphAnalyzer(lang="uk"))


def test_seed_article_keywords(morph: Morphology, seeds_dir: Path) -> None:
    text = (seeds_dir / "000_3e1ff92a3d920351.txt").read_text(encoding="utf-8")
    found = keywords(text, morph=morph, limit=10)
    assert len(found) == 10
    for expected in ("Венесуела", "Мадуро", "Путін", "США", "Трамп"):
        assert expected in found
    for junk in ("Коротко", "коротко", "Також", "Водночас", "до", "про", "рік", "The"):
        assert junk not in found


def test_lemmas_merge_inflected_forms(morph: Morphology) -> None:
    text = (
        "Уряд затвердив програму відновлення мостів.\n"
        "Відновлення мостів почнеться навесні, заявили в уряді. "
        "Перші мости відновлять у Харківській області."
    )
    found = keywords(text, morph=morph, limit=5)
    assert found[0] == "міст"
    assert "уряд" in found
    assert "відновлення" in found


def test_sentence_initial_capital_is_not_a_name(morph: Morphology) -> None:
    text = "Музика звучала весь вечір. Музика Баха лунала в залі філармонії."
    found = keywords(text, morph=morph)
    assert "музика" in found
    assert "Музика" not in found
    assert "Бах" in found


@pytest.mark.parametrize("text", ["", "   ", "🔥🔥🔥", "а" * 1_000_000, "123 456 ... !!!"])
def test_bad_input(morph: Morphology, text: str) -> None:
    assert isinstance(keywords(text, morph=morph), list)

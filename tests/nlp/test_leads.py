"""Leads as readers see them in lists, feeds and timelines."""

from __future__ import annotations

from strichka.nlp.leads import lead_of
from strichka.records import Article, Block


def article(*paragraphs: str, lead: str | None = None) -> Article:
    blocks = tuple(Block("paragraph", p) for p in paragraphs)
    return Article(id="a", title="Заголовок", lead=lead, blocks=blocks)


def test_the_outlets_own_lead_comes_first() -> None:
    assert lead_of(article("Перше речення.", lead="Дано.")) == "Дано."


def test_without_a_lead_the_first_sentences_are_the_lead() -> None:
    item = article("Перше речення. Друге речення. Третє речення.", "Інший абзац.")
    assert lead_of(item) == "Перше речення. Друге речення."


def test_a_second_sentence_joins_only_while_the_lead_stays_short() -> None:
    first = "Перше речення " + "дуже " * 55 + "довге."
    assert lead_of(article(f"{first} Друге речення.")) == first


def test_a_long_first_sentence_is_kept_whole() -> None:
    long_sentence = "Довге речення " + "про подію, " * 200 + "що скінчилося."
    assert lead_of(article(f"{long_sentence} Друге речення. Третє.")) == long_sentence
    many = " ".join(f"Речення номер {n} про подію." for n in range(300))
    assert lead_of(article(many)) == "Речення номер 0 про подію. Речення номер 1 про подію."


def test_an_article_without_text_has_no_lead() -> None:
    assert lead_of(article()) == ""


def test_an_agency_dateline_is_not_the_lead() -> None:
    item = article(
        "КИЇВ. 5 липня. УНН. У «Газпромі» стверджують, що суд не відновив арешт акцій. "
        "Нафтогаз заперечує."
    )
    assert lead_of(item) == (
        "У «Газпромі» стверджують, що суд не відновив арешт акцій. Нафтогаз заперечує."
    )

"""Tokens and sentences: exact offsets, Ukrainian punctuation conventions, linear time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from strichka.nlp.tokens import Sentence, Token, split_sentences, tokenize


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def _assert_offsets(text: str, tokens: list[Token] | tuple[Token, ...]) -> None:
    for token in tokens:
        assert text[token.start : token.end] == token.text


def test_words_keep_apostrophes_and_hyphens() -> None:
    text = "Це пов'язано з п’ятьма пʼятницями: військово-транспортний Іл-76 і COVID-19."
    words = [t.text for t in tokenize(text) if t.kind == "word"]
    assert "пов'язано" in words
    assert "п’ятьма" in words
    assert "пʼятницями" in words
    assert "військово-транспортний" in words
    assert "Іл-76" in words
    assert "COVID-19" in words
    _assert_offsets(text, tokenize(text))


def test_numbers_percent_units_and_ordinals() -> None:
    text = "Понад 10% сил, дрони з дальністю до 1000 км, 3,5 млн і 2025-го року, 12.10.2025."
    tokens = tokenize(text)
    pairs = [(t.text, t.kind) for t in tokens]
    assert ("10", "number") in pairs
    assert ("%", "symbol") in pairs
    assert ("1000", "number") in pairs
    assert ("км", "word") in pairs
    assert ("3,5", "number") in pairs
    assert ("2025-го", "number") in pairs
    assert ("12.10.2025", "number") in pairs
    assert pairs[-1] == (".", "punct")


def test_quotes_are_punctuation_tokens() -> None:
    text = 'Він назвав це «ялинкою», "лапками" і „лапками“.'
    punct = [t.text for t in tokenize(text) if t.kind == "punct"]
    assert punct == ["«", "»", ",", '"', '"', "„", "“", "."]


def test_offset_shifts_positions() -> None:
    tokens = tokenize("Київ, Львів", offset=100)
    assert [(t.start, t.end) for t in tokens] == [(100, 104), (104, 105), (106, 111)]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = (
        "Так звана т.зв. «спецоперація» триває, м. Київ, вул. Хрещатик, ст. 15 і 5 тис. "
        "осіб, 2 млн. гривень. В. Зеленський зустрівся з Дж. Байденом у 2023 р. у Вашингтоні. "
        "Школа ім. Шевченка працює."
    )
    assert _texts(text) == [
        "Так звана т.зв. «спецоперація» триває, м. Київ, вул. Хрещатик, ст. 15 і 5 тис. "
        "осіб, 2 млн. гривень.",
        "В. Зеленський зустрівся з Дж. Байденом у 2023 р. у Вашингтоні.",
        "Школа ім. Шевченка працює.",
    ]


def test_sentence_may_end_with_closing_quote_and_direct_speech_continues() -> None:
    text = (
        "Він сказав: «Ми переможемо!» Потім пішов. "
        '"Ні", - сказала вона. "Чому?" - спитав він. «Так.» Кінець і т. д. Далі.'
    )
    assert _texts(text) == [
        "Він сказав: «Ми переможемо!»",
        "Потім пішов.",
        '"Ні", - сказала вона.',
        '"Чому?" - спитав він.',
        "«Так.»",
        "Кінець і т. д.",
        "Далі.",
    ]


def test_newlines_always_end_sentences() -> None:
    text = "Росія співпрацює з Венесуелою\nWP звернуло увагу на це\n\nІнші новини:"
    assert _texts(text) == [
        "Росія співпрацює з Венесуелою",
        "WP звернуло увагу на це",
        "Інші новини:",
    ]


def test_seed_article_sentences(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_3e1ff92a3d920351.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text)
    for sentence in sentences:
        _assert_offsets(text, sentence.tokens)
        assert sentence.start == sentence.tokens[0].start
        assert sentence.end == sentence.tokens[-1].end
    found = _texts(text)
    assert (
        "WP звернуло увагу, що в неділю, 26 жовтня, в Каракас прибув російський "
        "військово-транспортний літак Іл-76."
    ) in found
    assert "За день до цього Москва затвердила новий стратегічний договір із Каракасом." in found
    assert (
        '"Той факт, що ми перекинули понад 10% наших військово-морських сил до Карибського '
        "басейну - вже свого роду перемога для Путіна."
    ) in found
    assert any(
        s.startswith('"Ні", - сказала глава Білого дому 31 жовтня на борту Air Force One')
        and s.endswith("військових об'єктах.")
        for s in found
    )
    assert "Про це повідомляє The Washington Post." in found
    assert "Одна з причин - війна РФ проти України." in found


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", "🔥🇺🇦👇🏻", "«««", 'Незакриті «лапки і "ще', "Mixed Київ-Kyiv ьЪ ABCабв"],
)
def test_bad_input_does_not_crash(text: str) -> None:
    sentences = split_sentences(text)
    assert all(isinstance(s, Sentence) and s.tokens for s in sentences)
    _assert_offsets(text, tokenize(text))


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("а", 5_000_000),  # 5 MB of one word
        ("а-", 5_000_000),  # one hyphenated word
        ("1.", 5_000_000),  # one dotted number
        ("x", 5_000_000),  # after http:// below: one URL
        ("ab. ", 1_000_000),  # abbreviation-like periods, a token every two characters
        ("Іл-76 ", 1_000_000),
    ],
)
def test_linear_time(text: str, size: int) -> None:
    text = text * (size // len(text))
    if text.startswith("x"):
        text = "http://" + text
    started = time.perf_counter()
    split_sentences(text[: size // 10])
    small = time.perf_counter() - started
    started = time.perf_counter()
    sentences = split_sentences(text)
    large = time.perf_counter() - started
    assert sentences
    # Ten times the text may take at most ~40 times as long: quadratic would be ~100 times.
    # The slack is for a loaded machine; this guards against hangs, it is no benchmark.
    assert large < max(40 * small, 2.0)

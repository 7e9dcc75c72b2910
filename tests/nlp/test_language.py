"""Language identification: uk/ru/en/other/und, per article and per paragraph."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from strichka.evaluation.language import evaluate_language
from strichka.nlp.language import (
    MIN_WORDS,
    detect_language,
    detect_paragraph_languages,
    letter_word_count,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Венесуельський лідер Ніколас Мадуро попросив у Путіна військову допомогу.", "uk"),
        ("Президент заявив, що переговори тривають і будуть продовжені.", "uk"),
        ("Президент заявил, что переговоры продолжаются и будут продолжены.", "ru"),
        ("Более сотни бойцов переместились в сторону границы", "ru"),
        ("The president said that the talks would continue next week.", "en"),
        ("Der Präsident sagte, dass die Gespräche weitergehen werden.", "other"),
        ("Президентът каза, че преговорите ще продължат и утре.", "other"),
        ("这是一个测试 句子 用于 检测语言", "other"),
        ("Нічого", "und"),
        ("Так, звісно", "und"),
        ("", "und"),
        ("🔥🔥🔥 👇🏻 🇺🇦", "und"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_links_and_hashtags_do_not_vote() -> None:
    text = (
        "Жінці, яка здавала позиції, суд дозволив вийти під заставу "
        "https://kh.example.ua/ukr/news/a1230019-zhintsi-jaka-zdavala-pozitsiji-sud-dozvoliv "
        "#news #breaking @channel"
    )
    assert detect_language(text) == "uk"


def test_latin_homoglyph_i_in_cyrillic_words() -> None:
    assert detect_language("Вci новини Укрaїни тут i зараз для вас") == "uk"


def test_mixed_scripts_decided_by_the_cyrillic_prose() -> None:
    text = "Коротко. Війна. День 571. Відеодайджест\nBriefly. War. Day 571. Video digest"
    assert detect_language(text) == "uk"


def test_short_paragraphs_take_the_article_language() -> None:
    paragraphs = [
        "Коротко:",
        "Венесуельський лідер Ніколас Мадуро попросив у Путіна військову допомогу.",
        "Також у листі містилося прохання про постачання ракет.",
        "Так.",
        "Как сообщает издание, это было не так уж и просто.",
    ]
    assert detect_paragraph_languages(paragraphs) == ["uk", "uk", "uk", "uk", "ru"]
    assert detect_paragraph_languages([]) == []
    assert detect_paragraph_languages(["Так.", "Ні."]) == ["und", "und"]


def test_linear_time_on_five_megabytes() -> None:
    for text in ("а" * 5_000_000, "слово і ще " * 100_000, "a@" * 2_500_000, "@" * 5_000_000):
        started = time.perf_counter()
        detect_language(text)
        assert time.perf_counter() - started < 5


def test_telegram_posts_of_four_words(shared_data: Path) -> None:
    path = shared_data / "telegram-lang" / "posts-dev.jsonl"
    total = correct = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            post = json.loads(line)
            if letter_word_count(post["content"]) < MIN_WORDS:
                continue
            total += 1
            correct += detect_language(post["content"]) == post["lang"]
    assert total > 1000
    assert correct / total >= 0.995


def test_evaluation_report(shared_data: Path) -> None:
    report = evaluate_language(shared_data)
    assert report["telegram_4plus_words"]["accuracy"] >= 0.995
    assert report["slavicner_uk"]["total"] > 200
    assert report["slavicner_uk"]["accuracy"] >= 0.995
    assert report["slavicner_ru"]["total"] > 500
    assert report["slavicner_ru"]["accuracy"] >= 0.995

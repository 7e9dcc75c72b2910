"""Dates: each form on written cases and on real sentences, non-dates, bad input."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest

from strichka.nlp.dates import find_dates

REF = date(2025, 11, 1)  # a Saturday


def _values(text: str, reference: date | None = REF) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in find_dates(text, reference_date=reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("у неділю, 26 жовтня", [("неділю", "2025-10-26"), ("26 жовтня", "2025-10-26")]),
        ("31 жовтня", [("31 жовтня", "2025-10-31")]),
        ("у 2024 році", [("2024 році", "2024")]),
        ("з 2025 року", [("2025 року", "2025")]),
        ("в жовтні", [("жовтні", "2025-10")]),
        ("у грудні минулого року", [("грудні минулого року", "2024-12")]),
        ("вчора", [("вчора", "2025-10-31")]),
        ("Сьогодні", [("Сьогодні", "2025-11-01")]),
        ("позавчора", [("позавчора", "2025-10-30")]),
        ("минулого тижня", [("минулого тижня", "2025-10-20/2025-10-26")]),
        ("наступного місяця", [("наступного місяця", "2025-12")]),
        ("кілька місяців тому", [("кілька місяців тому", None)]),
        ("два роки тому", [("два роки тому", "2023")]),
        ("26.10.2025", [("26.10.2025", "2025-10-26")]),
        ("2025-10-26", [("2025-10-26", "2025-10-26")]),
        ("26-28 жовтня", [("26-28 жовтня", "2025-10-26/2025-10-28")]),
        ("у 2006-2007 роках", [("2006-2007 роках", "2006/2007")]),
        ("навесні 2012 року", [("навесні 2012 року", "2012-03/2012-05")]),
        ("наприкінці 2015 року", [("наприкінці 2015 року", "2015")]),
        ("у 90-х", [("90-х", "1990/1999")]),
        ("XX століття", [("XX століття", "1901/2000")]),
        ("Третього січня", [("Третього січня", "2026-01-03")]),
    ],
)
def test_forms(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _values(text) == expected


def test_anaphoric_counts_from_the_last_date() -> None:
    found = _values("26 жовтня прибув літак. За день до цього Москва затвердила договір.")
    assert found[-1] == ("За день до цього", "2025-10-25")


def test_past_reading_without_year() -> None:
    assert _values("26 грудня", date(2026, 1, 5)) == [("26 грудня", "2025-12-26")]
    assert _values("15 грудня", date(2025, 11, 1)) == [("15 грудня", "2025-12-15")]


def test_without_reference_the_text_year_places_days() -> None:
    assert _values("У 2015 році, 26 жовтня, вчора", None) == [
        ("2015 році", "2015"),
        ("26 жовтня", "2015-10-26"),
        ("вчора", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "понад 10% наших сил",
        "дрони з дальністю до 1000 км",
        "літак Іл-76",
        "понад 10 000 людей",
        "2000 гривень",
        "понад 1500 років",
        "учні 10-х класів",
        "ч. 2 ст. 5 закону",
        "грудні діти",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_dates(text, reference_date=REF) == []


@pytest.mark.parametrize(
    ("text", "reference", "weekday"),
    [
        # no reference date: the weekday is the date beside it, whose year the text gives
        (
            "У 2025 році вибори призначили. Голосування відбулося в неділю, 26 жовтня.",
            None,
            "2025-10-26",
        ),
        # a reference two weeks later: «в неділю» alone would be the last Sunday before it
        ("Голосування відбулося в неділю, 26 жовтня.", date(2025, 11, 12), "2025-10-26"),
        ("Засідання відбудеться у п'ятницю (7 листопада).", REF, "2025-11-07"),
        # 26 October 2025 is no Monday: the two do not name one day, the weekday stays its own
        ("Нараду провели в понеділок, 26 жовтня.", REF, "2025-10-27"),
    ],
)
def test_weekday_in_apposition_is_that_date(
    text: str, reference: date | None, weekday: str
) -> None:
    assert _values(text, reference)[-2][1] == weekday


def test_offsets_point_into_the_text() -> None:
    text = "Росія. WP звернуло увагу, що в неділю, 26 жовтня, прибув Іл-76."
    for found in find_dates(text, reference_date=REF):
        assert text[found.start : found.end] == found.text


_REAL_FORMS = {
    "day and month": r"\b\d{1,2} (?:січня|лютого|березня|квітня|травня|червня|липня|серпня"
    r"|вересня|жовтня|листопада|грудня)\b",
    "year word": r"\b(?:19|20)\d\d (?:року|році|рік)\b",
    "month alone": r"\b[уУвВ] (?:січні|лютому|березні|квітні|травні|червні|липні|серпні|вересні"
    r"|жовтні|листопаді|грудні)\b",
    "weekday": r"\b[уУвВ] (?:понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю)\b",
    "relative day": r"\b(?:вчора|учора|сьогодні|позавчора)\b",
    "relative period": r"\b(?:минулого|наступного|цього) (?:тижня|місяця|року)\b",
    "ago": r"\b(?:(?:\d+|два|три|кілька) (?:роки|років|місяців|тижнів|днів)|рік|місяць|тиждень)"
    r" тому\b",
    "numeric": r"(?<![\w.\-])\d\d\.\d\d\.(?:19|20)\d\d\b",
}


def _bruk_texts(shared_data: Path) -> list[str]:
    path = shared_data / "bruk-press" / "bruk-press.jsonl"
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("form", sorted(_REAL_FORMS))
def test_real_sentences_per_form(shared_data: Path, form: str) -> None:
    """Every sentence of the press corpus that shows the form gets a date over it."""
    pattern = re.compile(_REAL_FORMS[form])
    checked = 0
    for text in _bruk_texts(shared_data):
        for match in pattern.finditer(text):
            found = find_dates(text, reference_date=date(2019, 6, 1))
            assert any(d.start < match.end() and match.start() < d.end for d in found), (
                form,
                text[max(0, match.start() - 60) : match.end() + 60],
            )
            checked += 1
            if checked >= 25:
                return
    assert checked > 0, f"no sentence with {form} in bruk-press"


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "😀🇺🇦 26 жовтня 😀", "«незакрита 26 жовтня", "ґ" * 10_000, "1" * 10_000],
)
def test_bad_input_does_not_crash(text: str) -> None:
    for found in find_dates(text, reference_date=REF):
        assert text[found.start : found.end] == found.text


def test_five_megabytes_of_one_word_in_linear_time() -> None:
    started = time.perf_counter()
    find_dates("слово" * 1_000_000, reference_date=REF)
    find_dates("26 жовтня " * 20_000, reference_date=REF)  # 200 KB, every word a date
    assert time.perf_counter() - started < 10

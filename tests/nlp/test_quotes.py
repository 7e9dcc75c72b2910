"""Quotes: each quotation style, speakers by name, role and pronoun; real sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from strichka.nlp.entities import EntityResources, recognise
from strichka.nlp.quotes import find_quotes, quoted_spans
from strichka.nlp.roles import find_roles
from strichka.nlp.tokens import split_sentences

from .test_claims import load_resources


@pytest.fixture(scope="module")
def resources() -> EntityResources:
    return load_resources()


def _quotes(text: str, resources: EntityResources) -> list[tuple[str | None, str]]:
    mentions = recognise(text, resources=resources)
    roles = find_roles(
        text, mentions=mentions, sentences=split_sentences(text), resources=resources
    )
    found = find_quotes(text, mentions=mentions, roles=roles, lexicon=resources.lexicon)
    return [(q.speaker, q.text) for q in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Ні", - сказав Дональд Трамп.', ("Дональд Трамп", "Ні")),
        ("«Ми готові», — заявив Володимир Зеленський.", ("Володимир Зеленський", "Ми готові")),
        ("„Це перемога“, - наголосив Джеймс Сторі.", ("Джеймс Сторі", "Це перемога")),
        (
            "Володимир Зеленський заявив: «Ми не здамося».",
            ("Володимир Зеленський", "Ми не здамося"),
        ),
        ("За словами Дональда Трампа, «угода близько».", ("Дональд Трамп", "угода близько")),
        ("«Реформу відкладено», - йдеться у повідомленні.", (None, "Реформу відкладено")),
        ("У мережі з'явилося повідомлення: «Міст закрито».", (None, "Міст закрито")),
    ],
)
def test_styles(resources: EntityResources, text: str, expected: tuple[str | None, str]) -> None:
    assert _quotes(text, resources) == [expected]


def test_speaker_by_role_of_the_office(resources: EntityResources) -> None:
    text = (
        "Водночас президент США Дональд Трамп спростував інформацію ЗМІ. "
        '"Ні", - сказала глава Білого дому 31 жовтня.'
    )
    assert ("Дональд Трамп", "Ні") in _quotes(text, resources)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Радниця Наталка Попович розповіла про виставу з Олегом Скрипкою: «Ми готові».",
            "Наталка Попович",
        ),
        (
            "Володимир Зеленський, який зустрівся з Джо Байденом, сказав: «Ми переможемо».",
            "Володимир Зеленський",
        ),
        (
            "Про це заявив Дональд Трамп у розмові з Емманюелем Макроном: «Угода є».",
            "Дональд Трамп",
        ),
        (
            "Колеги вважають, що Іван Петренко, про якого Олена Коваль казала: «Він нас підвів».",
            "Олена Коваль",
        ),
    ],
)
def test_speaker_is_the_subject_of_the_speech_verb(
    resources: EntityResources, text: str, speaker: str
) -> None:
    """Other people the attributing clause names (whom one spoke with, about) do not speak."""
    assert [who for who, _ in _quotes(text, resources)] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Дональд Трамп прибув до Києва. «Ми готові», – сказав Д. Трамп.", "Дональд Трамп"),
        (
            "Заступник мера Леонід Чурсинов відповів на питання.\n"
            "– Схема проста, – пояснює Л. Чурсинов. Але платити треба.",
            "Леонід Чурсинов",
        ),
        ("– Ремонт почнеться влітку, – розповіла Radio.Svoboda Олена Коваль.", "Олена Коваль"),
    ],
)
def test_a_period_inside_the_attributing_clause(
    resources: EntityResources, text: str, speaker: str
) -> None:
    """An initial's period, or one inside a name, does not end the clause before its speaker."""
    assert [who for who, _ in _quotes(text, resources)] == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Олена Коваль зустрілася з Віктором Путренком.\n"
            "«Це важко?» - запитала вона у Віктора Путренка.",
            "Олена Коваль",
        ),
        (
            "– Так, – розповідає начальник відділу ЦНАП Витвицької ОТГ Наталія Юсип.",
            "Наталія Юсип",
        ),
        (
            "Інспектор Віктор Путренко працює з 2003 року.\n"
            "- Чи важко вам? - поцікавилися ми в інспектора Путренка.",
            None,
        ),
    ],
)
def test_after_the_quote_the_speaker_is_the_subject(
    resources: EntityResources, text: str, speaker: str | None
) -> None:
    """A name in another case is whom one spoke to or of, and «ми» is the author asking."""
    assert [who for who, _ in _quotes(text, resources)] == [speaker]


def test_pronoun_speaker(resources: EntityResources) -> None:
    text = 'Про це говорив Джеймс Сторі. "Це вже перемога", - сказав він.'
    assert _quotes(text, resources) == [("Джеймс Сторі", "Це вже перемога")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'Іван Петренко привітав Олену Коваль. "Ремонт почнеться влітку", - сказав він.',
            "Іван Петренко",
        ),
        (
            'Олена Коваль привітала Івана Петренка. "Ремонт почнеться влітку", - сказала вона.',
            "Олена Коваль",
        ),
    ],
)
def test_pronoun_speaker_of_its_gender(resources: EntityResources, text: str, speaker: str) -> None:
    """«він» is the last man named, «вона» the last woman, not merely the last person."""
    assert [who for who, _ in _quotes(text, resources)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        'Мадуро просив про "розширення військового співробітництва", щоб протистояти.',
        "Компанія «Укртрансгаз» виграла тендер.",
        'Головним "наркобароном" президент "призначив" Мадуро.',
        '"Ні, - сказав він',  # unbalanced
    ],
)
def test_not_speech(resources: EntityResources, text: str) -> None:
    assert _quotes(text, resources) == []


@pytest.mark.parametrize(
    "text",
    [
        "«Нафтогаз» – зазначив голова правління Андрій Коболєв – виплатить дивіденди.",
        "Гурт «Океан Ельзи» – розповів продюсер Іван Петренко – готує новий альбом.",
        "Це наслідок «тіньової економіки», — зазначає економістка Лариса Масюк.",
        "За словами Хайко Мааса, «нормандські» міністри домовилися продовжити переговори.",
    ],
)
def test_names_and_words_in_quotation_marks_are_not_speech(
    resources: EntityResources, text: str
) -> None:
    """A quoted name, or a quoted word inside the author's own sentence, is nobody's speech."""
    assert _quotes(text, resources) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "– Ми готові до переговорів, – сказав Зеленський.",
            [("Володимир Зеленський", "Ми готові до переговорів")],
        ),
        (
            "— Це провокація, — заявив Дмитро Пєсков журналістам. — Ми відповімо.",
            [("Дмитро Пєсков", "Це провокація"), ("Дмитро Пєсков", "Ми відповімо.")],
        ),
        (
            "- Ремонт почнеться влітку, - розповіла Олена Коваль, - а завершиться восени.",
            [
                ("Олена Коваль", "Ремонт почнеться влітку"),
                ("Олена Коваль", "а завершиться восени."),
            ],
        ),
        ("– Ми не здамося! – наголосив Іван Петренко.", [("Іван Петренко", "Ми не здамося!")]),
        (
            "– Близько 90% абонентів – це абоненти передоплати, – розповіла Вікторія Рубан.",
            [("Вікторія Рубан", "Близько 90% абонентів – це абоненти передоплати")],
        ),
        (
            "Зарплати платять у «конвертах».\n— Це біда всієї держави, — зазначає Лариса Масюк.",
            [("Лариса Масюк", "Це біда всієї держави")],
        ),
        ("– «Так», – сказав Іван Петренко.", [("Іван Петренко", "Так")]),
    ],
)
def test_dash_dialogue(
    resources: EntityResources, text: str, expected: list[tuple[str | None, str]]
) -> None:
    """A paragraph that opens with a dash is speech up to the author's words, and again after
    them; a dash inside the speech is part of it, and a quotation in it is found once."""
    assert _quotes(text, resources) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "– Звичайно, хвилююся за сина, – зізнається Борис Мінько.",
            ("Борис Мінько", "Звичайно, хвилююся за сина"),
        ),
        (
            "«У аптеці немає ліків», – поскаржилася Олена Коваль.",
            ("Олена Коваль", "У аптеці немає ліків"),
        ),
        ("– Реформа вдалася, – резюмує Іван Петренко.", ("Іван Петренко", "Реформа вдалася")),
        (
            "– Коли відкриють міст? – поцікавився Іван Петренко.",
            ("Іван Петренко", "Коли відкриють міст?"),
        ),
    ],
)
def test_confessing_complaining_summing_up_asking_are_speech(
    resources: EntityResources, text: str, expected: tuple[str | None, str]
) -> None:
    assert _quotes(text, resources) == [expected]


def test_dash_dialogue_speaker_by_pronoun_of_its_gender(resources: EntityResources) -> None:
    text = (
        "Іван Петренко привітав Олену Коваль.\n"
        "– Ситуація складна, – зазначила вона, додавши, що ремонт триватиме до осені."
    )
    assert _quotes(text, resources) == [("Олена Коваль", "Ситуація складна")]


@pytest.mark.parametrize(
    "text",
    [
        "Документи:\n- правила внутрішнього розпорядку, - посадові інструкції;\n"
        "- Штатний розпис, - відомості про зарплату.",
        "– Куди ти йдеш?\n– Додому, – усміхнулася вона.",
        "– Коли почнеться ремонт?\n– Влітку. Гроші вже є.",
        "Проєкт, – зазначив мер Іван Петренко, – завершать восени.",
        "Голова ради – Іван Петренко – сказав, що ремонт почнеться влітку.",
    ],
)
def test_dashes_that_are_not_speech(resources: EntityResources, text: str) -> None:
    """List items, dialogue or an interview without a speech verb, and dashes inside a
    sentence are nobody's quote."""
    assert _quotes(text, resources) == []


def test_real_dash_dialogue(shared_data: Path, resources: EntityResources) -> None:
    """An agronomist's words in a Poltava paper, around «– розповідає … Тамара Бєлова. –»."""
    article = next(
        record
        for raw in (shared_data / "bruk-press" / "bruk-press.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if (record := json.loads(raw))["id"]
        == "A_Poltavskyi_visnyk_Rudenko_Chomu_ne_vrodyv_druhyi_khlib_2012"
    )
    found = _quotes(article["text"], resources)
    said = [text for speaker, text in found if speaker == "Тамара Бєлова"]
    assert said[0].startswith("Картоплю знищили занадто високі температури")
    assert said[1].startswith("При температурі, вищій за 30 градусів, бульба не росте.")


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            '"Звіт "Укрзалізниці" хибний, а дані "Укрзалізниці" про вагони застаріли", - '
            "йдеться в заяві міністерства.",
            'Звіт "Укрзалізниці" хибний, а дані "Укрзалізниці" про вагони застаріли',
        ),
        ('Міністр Іван Петренко заявив: "Тариф "Укрпошти" зросте".', 'Тариф "Укрпошти" зросте'),
    ],
)
def test_straight_quotes_around_a_quoted_name_make_one_quote(
    resources: EntityResources, text: str, quote: str
) -> None:
    """A name's closing mark opens no quote of the words after it («про вагони застаріли»),
    nor does its opening mark close the quote before it («Тариф»)."""
    assert [said for _, said in _quotes(text, resources)] == [quote]


def test_nested_quotes_belong_to_the_outer_one() -> None:
    text = "«Він сказав „так“ і пішов»"
    assert [text[a:b] for a, b in quoted_spans(text)] == ["Він сказав „так“ і пішов"]


_STYLES = {
    "guillemets after": r"«[^«»\n]{5,200}»,?\s+[-–—]\s+(?:сказа|заяви|зазначи|наголоси|додав)",
    "guillemets before": r"(?:заяви|сказа|зазначи)\w*:\s+«[^«»\n]{5,200}»",
    "straight after": r'"[^"\n]{5,200}",?\s+[-–—]\s+(?:сказа|заяви|зазначи|наголоси|додав)',
}


@pytest.mark.parametrize("style", sorted(_STYLES))
def test_real_quotes_per_style(shared_data: Path, resources: EntityResources, style: str) -> None:
    """Real attributed quotes of the press corpus are found, with the quoted text."""
    pattern = re.compile(_STYLES[style])
    lines = [
        line
        for raw in (shared_data / "bruk-press" / "bruk-press.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        for line in json.loads(raw)["text"].split("\n")
    ]
    checked = 0
    for line in lines:
        match = pattern.search(line)
        if match is None:
            continue
        found = [text for _, text in _quotes(line, resources)]
        assert any(text in match.group() for text in found), line
        checked += 1
        if checked >= 20:
            break
    if checked == 0:
        pytest.skip(f"no {style} quote in bruk-press")

"""The aggregator reader against the golden my.ua item and the shapes items really take."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strichka.errors import MalformedItem
from strichka.extract.aggregator import parse_image_line, read_aggregator_text
from strichka.records import Article

SEED = "000_3e1ff92a3d920351"
LIMITS = {"max_title_chars": 1000, "max_body_chars": 1_000_000}


def read(text: str) -> Article:
    return read_aggregator_text(text, source="item.txt", **LIMITS)


@pytest.fixture
def golden(seeds_dir: Path) -> tuple[Article, dict[str, object]]:
    article = read((seeds_dir / f"{SEED}.txt").read_text(encoding="utf-8"))
    expected = json.loads((seeds_dir / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    return article, expected["must"]


def test_golden_title_lead_and_body(golden: tuple[Article, dict[str, object]]) -> None:
    article, must = golden
    assert article.title == must["title"]
    assert article.lead == must["summary_given"]
    assert article.paragraphs[0].startswith(str(must["body_first_sentence"]))
    assert article.paragraphs[-1].endswith(str(must["body_last_sentence"]))
    assert list(article.headings) == must["subheadings"]


def test_golden_drops_boilerplate(golden: tuple[Article, dict[str, object]]) -> None:
    article, must = golden
    everything = "\n".join([article.title, article.lead or "", article.body_text])
    for marker in must["boilerplate_dropped"]:  # type: ignore[attr-defined]
        assert marker not in everything


def test_golden_image_and_aggregator(golden: tuple[Article, dict[str, object]]) -> None:
    article, must = golden
    image = must["image"]
    assert isinstance(image, dict)
    assert article.image is not None
    assert article.image.url == image["url"]
    assert article.aggregator == image["aggregator"]
    assert article.feed_id == image["feed_id"]
    assert article.image.content_id == image["content_id"]
    assert article.source_format == "aggregator-text"


def test_headings_keep_their_place_between_paragraphs(
    golden: tuple[Article, dict[str, object]],
) -> None:
    article, _ = golden
    kinds = [b.kind for b in article.blocks]
    first_heading = kinds.index("heading")
    assert kinds[first_heading - 1] == kinds[first_heading + 1] == "paragraph"
    assert article.blocks[first_heading + 1].text.startswith("WP звернуло увагу")


def test_item_without_image_lead_or_trailer_still_imports() -> None:
    article = read("Уряд ухвалив бюджет\nВерховна Рада проголосувала за бюджет на 2026 рік.\n")
    assert article.title == "Уряд ухвалив бюджет"
    assert article.image is None and article.lead is None and article.aggregator is None
    assert article.paragraphs == ("Верховна Рада проголосувала за бюджет на 2026 рік.",)


def test_lead_on_the_marker_line_and_trailer_dropped() -> None:
    article = read(
        "Заголовок новини\nКоротко: Стисло про подію.\nПерший абзац тексту.\n"
        "Інші новини:\nІнша новина про щось\nЩе одна новина\n"
    )
    assert article.lead == "Стисло про подію."
    assert article.paragraphs == ("Перший абзац тексту.",)


def test_same_text_same_id_other_text_other_id() -> None:
    one = read("Заголовок\nАбзац тексту.")
    assert read("  Заголовок \n\nАбзац   тексту.\n").id == one.id
    assert read("Заголовок\nІнший абзац.").id != one.id


def test_title_alone_is_not_an_article() -> None:
    with pytest.raises(MalformedItem, match="no lead and no body"):
        read("Лише заголовок")


def test_huge_title_is_refused_with_its_size() -> None:
    with pytest.raises(MalformedItem, match="102400 characters"):
        read("Т" * 102_400 + "\nАбзац.")


@pytest.mark.parametrize(
    ("line", "url", "aggregator", "feed_id", "content_id"),
    [
        (
            "/https%3A%2F%2Fs3.eu-central-1.amazonaws.com%2Fmedia.my.ua%2Ffeed%2F7%2Fab12.png)",
            "https://s3.eu-central-1.amazonaws.com/media.my.ua/feed/7/ab12.png",
            "my.ua",
            7,
            "ab12",
        ),
        (
            "https://media.my.ua.s3.amazonaws.com/feed/42/ff00.webp",
            "https://media.my.ua.s3.amazonaws.com/feed/42/ff00.webp",
            "my.ua",
            42,
            "ff00",
        ),
        (
            "![](https://cdn.example.ua/photo.jpg)",
            "https://cdn.example.ua/photo.jpg",
            None,
            None,
            None,
        ),
    ],
)
def test_image_lines(
    line: str, url: str, aggregator: str | None, feed_id: int | None, content_id: str | None
) -> None:
    image = parse_image_line(line)
    assert image is not None
    assert (image.url, image.aggregator, image.feed_id, image.content_id) == (
        url,
        aggregator,
        feed_id,
        content_id,
    )


@pytest.mark.parametrize(
    "line",
    [
        "Звичайний заголовок",
        "javascript:alert(1).jpg",
        "file:///etc/passwd.png",
        "/x.jpg",
        "/https%3A%2F%2F[",
    ],
)
def test_lines_that_are_not_images(line: str) -> None:
    assert parse_image_line(line) is None


def test_html_entities_left_in_scraped_text_are_read_as_characters() -> None:
    text = (
        "Суд у Швейцарії відновив арешт акцій &quot;Газпрому&quot;&nbsp\n"
        "Вищий суд кантону Цуг відновив арешт акцій &#171;Північного потоку&#187;. "
        "Компанії AT&T і R&D-відділ тут ні до чого.\n"
    )
    article = read(text)
    assert article.title == 'Суд у Швейцарії відновив арешт акцій "Газпрому"'
    assert article.paragraphs == (
        "Вищий суд кантону Цуг відновив арешт акцій «Північного потоку». "
        "Компанії AT&T і R&D-відділ тут ні до чого.",
    )


def test_see_also_lines_are_not_article_text() -> None:
    article = read(
        "Мей попросила ЄС про відстрочку\n"
        "Прем'єрка Тереза Мей попросила ЄС відкласти Brexit.\n"
        "Читайте також: Міністри уряду Мей подали у відставку\n"
        "Читайте такожКоронавірус почав мутувати\n"
        "Рішення ухвалять на саміті в четвер.\n"
        "Читайте нас у Telegram\n"
        "Також читайте: Мей можуть висловити недовіру\n"
    )
    assert article.paragraphs == (
        "Прем'єрка Тереза Мей попросила ЄС відкласти Brexit.",
        "Рішення ухвалять на саміті в четвер.",
    )


def test_a_cookie_notice_is_neither_title_nor_text() -> None:
    article = read(
        "Наш сайт использует файлы Cookie, чтобы предоставлять вам персонализированную "
        "информацию. Подробности - в Положении о защите личных данных.\n"
        "Німеччина вакцинувала від COVID-19 один відсоток населення\n"
        "Станом на сьогодні щеплення отримали понад 800 тисяч людей.\n"
        "Продовжуючи переглядати сайт, Ви підтверджуєте, що згодні з використанням "
        "файлів cookie.\n"
        "Єврокомісія вимагає від сайтів питати згоди на файли cookie.\n"
    )
    assert article.title == "Німеччина вакцинувала від COVID-19 один відсоток населення"
    assert article.paragraphs == (
        "Станом на сьогодні щеплення отримали понад 800 тисяч людей.",
        "Єврокомісія вимагає від сайтів питати згоди на файли cookie.",
    )


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("09.07.2018 18:09 : Борис Джонсон пішов у відставку", "Борис Джонсон пішов у відставку"),
        ("11:35 Суд у Пакистані виправдав Асію Бібі", "Суд у Пакистані виправдав Асію Бібі"),
        ("Безвихідний вихід для Терези Мей 16.11 18:30", "Безвихідний вихід для Терези Мей"),
        ("Матч почнеться о 18:30", "Матч почнеться о 18:30"),
        ("98:87 — Україна обіграла Латвію", "98:87 — Україна обіграла Латвію"),
    ],
)
def test_a_listing_time_stamp_around_the_title_is_not_the_title(
    first_line: str, title: str
) -> None:
    article = read(f"{first_line}\nПерший абзац новини про подію, яка сталася сьогодні.\n")
    assert article.title == title

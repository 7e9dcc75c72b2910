"""JSON Lines: strichka's own export and the simple corpus form, line by line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from strichka.extract.jsonl import read_json_records
from strichka.records import Article, Block, Image, Rejected

KYIV = ZoneInfo("Europe/Kyiv")


def read(text: str) -> list[Article | Rejected]:
    return list(
        read_json_records(
            text, source="in.jsonl", default_tz=KYIV, max_title_chars=1000, max_body_chars=10**6
        )
    )


def test_simple_form_keeps_id_and_uses_meaningful_fields() -> None:
    line = json.dumps(
        {
            "id": "corpus-1",
            "title": "Хочете знати англійську",
            "outlet": "Час Київщини",
            "url": "http://chask.net/?p=50702",
            "year": "2016",
            "author": "Геннадій Карпюк",
            "place": "Київ",
            "published_at": "2016-03-01T10:00:00",
            "text": "Перший абзац.\nДругий абзац.",
        },
        ensure_ascii=False,
    )
    (article,) = read(line)
    assert isinstance(article, Article)
    assert article.id == "corpus-1"
    assert article.outlet == "Час Київщини"
    assert article.authors == ("Геннадій Карпюк",)
    assert article.paragraphs == ("Перший абзац.", "Другий абзац.")
    assert article.published_at == datetime(2016, 3, 1, 10, tzinfo=KYIV)
    assert article.metadata == {"year": "2016", "place": "Київ"}


def test_export_form_round_trips_without_loss() -> None:
    original = Article(
        id="abc123",
        title="Заголовок",
        lead="Коротко про подію.",
        blocks=(
            Block("paragraph", "Абзац."),
            Block("heading", "Підзаголовок"),
            Block("paragraph", "Ще."),
        ),
        url="https://example.ua/news/1",
        canonical_url="https://example.ua/news/1",
        outlet="Приклад",
        outlet_domain="example.ua",
        aggregator="my.ua",
        feed_id=131,
        image=Image("https://example.ua/i.jpg", "ff00", "e3b0c442"),
        published_at=datetime(2025, 10, 26, 8, 30, tzinfo=UTC),
        language="uk",
        authors=("Авторка",),
        source_format="html",
        raw_sha256="00ff",
        metadata={"place": "Київ"},
    )
    (article,) = read(json.dumps(original.to_dict(), ensure_ascii=False))
    assert article == original


def test_bad_lines_are_rejected_by_line_number_and_the_rest_imports() -> None:
    lines = [
        json.dumps({"title": "Добра новина", "text": "Текст."}),
        "[1, 2, 3]",
        "{not json",
        json.dumps({"title": "Без тексту"}),
        json.dumps({"title": ["список"], "text": "Текст."}),
        json.dumps({"title": "Ще одна", "text": "Текст два."}),
    ]
    items = read("\n".join(lines))
    assert [type(i).__name__ for i in items] == ["Article", *["Rejected"] * 4, "Article"]
    reasons = {i.source: i.reason for i in items if isinstance(i, Rejected)}
    assert "not an object" in reasons["in.jsonl:2"]
    assert "not valid JSON" in reasons["in.jsonl:3"]
    assert "no text" in reasons["in.jsonl:4"]
    assert "in.jsonl:5" in reasons


def test_a_json_array_of_articles() -> None:
    text = json.dumps([{"title": "Один", "text": "А."}, {"title": "Два", "text": "Б."}])
    assert [a.title for a in read(text) if isinstance(a, Article)] == ["Один", "Два"]


def test_real_bruk_press_lines(shared_data: Path) -> None:
    path = shared_data / "bruk-press" / "bruk-press.jsonl"
    with path.open(encoding="utf-8") as handle:
        head = "".join(next(handle) for _ in range(20))
    items = read(head)
    assert all(isinstance(i, Article) for i in items)
    first = items[0]
    assert isinstance(first, Article)
    assert first.id == json.loads(head.splitlines()[0])["id"]
    assert first.outlet and first.paragraphs and first.metadata.get("year")


def test_a_bare_date_is_marked_day_only_and_a_time_is_not() -> None:
    """A corpus line dated «2025-10-20» was shown as published at midnight."""
    lines = [
        {"title": "Транзит газу", "text": "Україна припинить транзит газу.", "date": day}
        for day in ("2025-10-20", "2025-10-20T14:05:00+03:00")
    ]
    day_only, timed = read("\n".join(json.dumps(line, ensure_ascii=False) for line in lines))
    assert isinstance(day_only, Article) and isinstance(timed, Article)
    assert day_only.published_at == datetime(2025, 10, 20, tzinfo=KYIV)
    assert day_only.published_day_only
    assert not timed.published_day_only

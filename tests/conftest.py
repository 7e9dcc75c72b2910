"""Shared fixtures: where the read-only corpora live, a fresh store per test, and a big
story to page through."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from strichka.store import SQLiteStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _shared_path(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the clone")
        pytest.skip(f"{path} is absent (tests that read ../shared need it beside the repo)")
    return path


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A trained model in the user's data folder must not change what a test sees."""
    path = tmp_path_factory.mktemp("strichka-data")
    monkeypatch.setenv("STRICHKA_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: skips when absent, fails under CI."""
    return _shared_path("data")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """../shared/seeds: the golden aggregator item and its annotation."""
    return _shared_path("seeds")


class Flood(NamedTuple):
    """A story of near-copies of one report: its id, its article ids in the order its
    timeline lists them, and the outlets that published them (in turn)."""

    story_id: str
    article_ids: list[str]
    outlets: tuple[str, ...]


FLOOD_OUTLETS = ("Перша газета", "Друге радіо", "Третій канал", "Четверте видання")


def _flood_items(count: int) -> list[dict[str, str]]:
    """Every tenth is undated and several share a publication time, so the timeline's order
    needs all of its keys."""
    items = []
    for n in range(count):
        item = {
            "id": f"flood{n:03d}",
            "title": f"Повінь на Закарпатті: вода затопила села (оновлення {n})",
            "text": "Після тривалих злив річка Тиса вийшла з берегів і затопила десятки сіл на "
            "Закарпатті. Рятувальники евакуювали сотні мешканців, дороги перекрито. "
            f"Синоптики попереджають про нові зливи. Оновлення {n}.",
            "outlet": FLOOD_OUTLETS[n % 4],
            "url": f"https://example.org/flood/{n}",
        }
        if n % 10 != 3:
            item["published_at"] = f"2025-09-{1 + n * 7 % 28:02d}T{n * 5 % 24:02d}:00:00+03:00"
        items.append(item)
    return items


def _import_records(site: Any, folder: Path, *records: dict[str, Any]) -> list[str]:
    handle, name = tempfile.mkstemp(dir=folder, suffix=".jsonl")
    os.close(handle)
    path = Path(name)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    ids: list[str] = site.import_files(path)
    return ids


@pytest.fixture(scope="session")
def import_records() -> Callable[..., list[str]]:
    """`import_records(site, folder, *records)` writes the records as JSON Lines in `folder`
    and imports them into a test site (the API's or the web's) through the whole pipeline;
    returns the stored ids."""
    return _import_records


def _import_flood(site: Any, directory: Path, count: int) -> Flood:
    _import_records(site, directory, *_flood_items(count))
    with SQLiteStore(site.settings.db_path) as store:
        links = [store.story_link(f"flood{n:03d}") for n in range(count)]
        assert all(links) and len({link.story_id for link in links if link}) == 1
        story_id = store.resolve_story(links[0].story_id if links[0] else "")
        members = [
            (link, store.get_article(link.article_id)) for link, _ in store.story_members(story_id)
        ]
    assert len(members) == count
    # the order the story page always had: by the link's, else the article's, publication
    # time, undated first, then in assignment order
    epoch = datetime.min.replace(tzinfo=UTC)
    members.sort(key=lambda m: (m[0].published_at or m[1].published_at or epoch, m[0].seq))
    return Flood(story_id, [article.id for _, article in members], FLOOD_OUTLETS)


@pytest.fixture(scope="session")
def import_flood() -> Callable[[Any, Path, int], Flood]:
    """`import_flood(site, folder, count)` imports a story of `count` articles into a test
    site (the API's or the web's) through the whole pipeline."""
    return _import_flood


RETOLD = [
    {
        "id": f"ferry{n}",
        "title": title,
        "text": text,
        "outlet": FLOOD_OUTLETS[n],
        "published_at": f"2025-08-02T{9 + n:02d}:00:00+03:00",
        "url": f"https://example.org/ferry/{n}",
    }
    for n, (title, text) in enumerate(
        [
            (
                "Блискавка: зупинка на воді",
                "Пасажирський пором «Славутич» зупинився посеред Дніпра біля Києва через поломку "
                "двигуна. На борту було сорок пасажирів. Синоптики тим часом обіцяють спеку й "
                "грозу до кінця тижня.",
            ),
            (
                "Пором із сорока пасажирами зламався посеред Дніпра біля Києва",
                "Пором «Славутич» із сорока пасажирами зупинився посеред Дніпра біля Києва: "
                "зламався двигун. Рятувальники відбуксирували пором до причалу, ніхто не "
                "постраждав.",
            ),
            (
                "Рятувальники відбуксирували зламаний пором на Дніпрі до причалу",
                "Рятувальники відбуксирували до причалу пором «Славутич», що зламався посеред "
                "Дніпра біля Києва. Сорок пасажирів порома не постраждали, двигун ремонтують.",
            ),
        ]
    )
]


@pytest.fixture(scope="session")
def retold() -> list[dict[str, str]]:
    """Three reports of one event whose original (the earliest, `ferry0`) has an odd title,
    so the story's headline (its most typical title) is another report's."""
    return RETOLD

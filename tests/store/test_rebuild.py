"""What a story rebuild reads back: the replay order, a batch at a time, and where the
articles of each old story went. Batches of one or two cross every boundary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from strichka.records import DAY_PRECISION, Article, Block
from strichka.store import SQLiteStore
from strichka.store.base import FormerStory, StoryLink

KYIV = timezone(timedelta(hours=3))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "s.db") as opened:
        yield opened


def stored(
    store: SQLiteStore, key: str, published_at: datetime | None = None, **extra: object
) -> str:
    article = Article(
        id=key,
        title=f"Новина {key}",
        blocks=(Block("paragraph", f"Текст новини {key}."),),
        published_at=published_at,
        **extra,  # type: ignore[arg-type]
    )
    store.upsert_article(article)
    return key


def place(store: SQLiteStore, key: str, story: str, seq: int) -> None:
    link = StoryLink(key, story, None, None, False, seq)
    store.add_story_link(link, text_hash=key, minhash=b"", shingles=0, features="{}")


def test_story_members_replay_as_they_arrived_then_the_rest_earliest_published_first(
    store: SQLiteStore,
) -> None:
    noon = datetime(2024, 5, 1, 12, tzinfo=UTC)
    for seq, key in enumerate(["c-late", "a-early", "b-undated"]):
        published = {"c-late": noon, "a-early": noon - timedelta(days=1), "b-undated": None}[key]
        place(store, stored(store, key, published), "s1", seq)
    ten = datetime(2024, 5, 2, 10, tzinfo=KYIV)
    stored(store, "f-undated")
    # a day-only date is its day's end: after 10:00 that day, though stored as its midnight
    stored(store, "e-day", datetime(2024, 5, 2, tzinfo=KYIV), metadata=DAY_PRECISION)
    stored(store, "g-later", ten + timedelta(microseconds=500_000))
    stored(store, "d-ten", ten)
    stored(store, "h-first", noon)
    store.clear_stories()
    order = ["c-late", "a-early", "b-undated", "h-first", "d-ten", "g-later", "e-day", "f-undated"]
    assert [a.id for a in store.rebuild_order(batch=2)] == order
    assert [a.id for a in store.rebuild_order()] == order
    assert store.story_link("c-late") is None  # the stories themselves are forgotten
    store.end_rebuild()
    assert list(store.rebuild_order()) == []


def test_each_former_story_says_whether_it_is_back_and_where_most_of_it_went(
    store: SQLiteStore,
) -> None:
    noon = datetime(2024, 5, 1, 12, tzinfo=UTC)
    before = {"a": "s1", "b": "s1", "c": "s1", "d": "s2", "e": "s3", "f": "s3", "g": "s4"}
    dates = {"e": noon, "f": noon - timedelta(hours=1)}
    for seq, (key, story) in enumerate(before.items()):
        place(store, stored(store, key, dates.get(key)), story, seq)
    store.merge_story("s4", "s2")  # g's story was merged into d's before the rebuild
    store.clear_stories()
    after = {"a": "n1", "b": "n1", "c": "s1", "d": "n1", "e": "n2", "f": "n3", "g": "n1"}
    for seq, (key, story) in enumerate(after.items()):
        place(store, key, story, seq)
    expected = [
        FormerStory("s1", kept=True, most="n1"),
        FormerStory("s2", kept=False, most="n1"),
        # one each: the story holding the earlier published of them
        FormerStory("s3", kept=False, most="n3"),
    ]
    assert list(store.former_stories(batch=1)) == expected
    assert list(store.former_stories()) == expected

"""The article store contract, run against every backend (SQLite now; PostgreSQL to come)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from strichka.errors import NotFound, SchemaTooNew, StoreError
from strichka.records import Article, Block
from strichka.store import ArticleStore, SQLiteStore, Upsert
from strichka.store.migrations import MIGRATIONS


def article(**changes: object) -> Article:
    base = Article(
        id="a1b2c3d4e5f60718",
        title="Заголовок",
        blocks=(Block("paragraph", "Абзац тексту."),),
        url="https://example.ua/n/1",
        canonical_url="https://example.ua/n/1",
        published_at=datetime(2025, 10, 26, 9, tzinfo=UTC),
        language="uk",
        source_format="html",
    )
    return base.with_changes(**changes)


@pytest.fixture(params=["sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ArticleStore:
    """Each backend on a real, fresh database."""
    assert request.param == "sqlite"
    return SQLiteStore(tmp_path / "s.db")


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store.schema_version == len(MIGRATIONS)
    db = sqlite3.connect(tmp_path / "s.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_article_twice_is_stored_once(store: ArticleStore) -> None:
    assert store.upsert_article(article())[0] is Upsert.IMPORTED
    assert store.upsert_article(article())[0] is Upsert.UNCHANGED
    assert store.stats().articles == 1


def test_changed_article_updates_its_row_and_keeps_its_id(store: ArticleStore) -> None:
    store.upsert_article(article())
    changed = article(id="ffffffffffffffff", title="Оновлений заголовок")
    outcome, stored = store.upsert_article(changed)
    assert outcome is Upsert.UPDATED
    assert stored.id == "a1b2c3d4e5f60718"
    assert store.get_article("a1b2c3d4e5f60718").title == "Оновлений заголовок"
    assert store.stats().articles == 1


def test_get_by_unique_prefix_and_clear_errors(store: ArticleStore) -> None:
    store.upsert_article(article())
    store.upsert_article(article(id="a1b2ffff00000000", canonical_url=None, url=None))
    assert store.get_article("a1b2c3").id == "a1b2c3d4e5f60718"
    with pytest.raises(NotFound, match="ambiguous"):
        store.get_article("a1b2")
    with pytest.raises(NotFound, match="no article"):
        store.get_article("0000000000")


def test_list_is_newest_first_with_undated_last(store: ArticleStore) -> None:
    store.upsert_article(article())
    store.upsert_article(
        article(
            id="2", canonical_url="https://e.ua/2", published_at=datetime(2025, 11, 1, tzinfo=UTC)
        )
    )
    store.upsert_article(article(id="3", canonical_url="https://e.ua/3", published_at=None))
    assert [a.id for a in store.list_articles(limit=10)] == ["2", "a1b2c3d4e5f60718", "3"]


def test_failed_transaction_leaves_nothing_half_written(store: ArticleStore) -> None:
    store.upsert_article(article())
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_article(article(id="2", canonical_url="https://e.ua/2"))
        raise RuntimeError("crash in the middle of a batch")
    assert [a.id for a in store.iter_articles()] == ["a1b2c3d4e5f60718"]


def test_database_from_a_newer_strichka_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "new.db")
    db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(SchemaTooNew, match="upgrade strichka"):
        SQLiteStore(tmp_path / "new.db")


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(path)
    assert path.read_bytes().startswith(b"these are my notes")


def test_an_item_without_an_outlet_is_listed_under_its_domain_else_its_aggregator(
    store: ArticleStore,
) -> None:
    store.upsert_article(article(aggregator="my.ua"))
    store.upsert_article(
        article(
            id="b1",
            url="https://news.example/2",
            canonical_url="https://news.example/2",
            outlet_domain="news.example",
            aggregator="my.ua",
        )
    )
    assert {o.outlet: o.articles for o in store.list_outlets()} == {"my.ua": 1, "news.example": 1}
    [(found, _)] = store.list_articles_page(limit=5, outlet="my.ua")
    assert found.id == "a1b2c3d4e5f60718"
    assert found.outlet is None  # the record keeps what the source said


def test_upgrade_lists_stored_aggregator_items_under_the_aggregator(tmp_path: Path) -> None:
    """Databases from before migration 8 kept no outlet for such items."""
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.upsert_article(article(aggregator="my.ua"))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE articles SET outlet = NULL")
    db.execute("PRAGMA user_version = 7")
    db.close()
    with SQLiteStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [o.outlet for o in store.list_outlets()] == ["my.ua"]


def test_ids_an_input_gave_stay_two_articles_under_one_url(store: ArticleStore) -> None:
    """BRUK files several newspaper articles under one issue's PDF: none may overwrite another."""
    pdf = "https://press.example/issue-12.pdf"
    first = article(id="issue12-a", title="Зупинки вихідного дня", canonical_url=pdf, url=pdf)
    second = first.with_changes(
        id="issue12-b", title="З піснею і любов'ю", blocks=(Block("paragraph", "Інший текст."),)
    )
    for item in (first, second):
        assert store.upsert_article(item.with_changes(id_from_input=True))[0] is Upsert.IMPORTED
    assert store.get_article("issue12-a").title == "Зупинки вихідного дня"
    assert store.get_article("issue12-b").title == "З піснею і любов'ю"
    assert store.get_article("issue12-b").canonical_url == pdf  # the record keeps its URL
    again = second.with_changes(id_from_input=True)
    assert store.upsert_article(again)[0] is Upsert.UNCHANGED
    # A page reached under an id derived from elsewhere (a feed item's URL) is still the page
    # its canonical URL names: it updates that article instead of adding a third.
    fetched = first.with_changes(id="0123456789abcdef", title="Зупинки вихідного дня (оновлено)")
    outcome, stored = store.upsert_article(fetched)
    assert (outcome, stored.id) == (Upsert.UPDATED, "issue12-a")
    assert store.stats().articles == 2


def test_an_id_the_input_named_is_kept_when_another_article_holds_its_url(
    store: ArticleStore,
) -> None:
    """Whatever the order: a page polled first (its id derived from the URL), then two
    corpus records under that URL with ids of their own — three articles, none overwritten."""
    pdf = "https://press.example/issue-13.pdf"
    polled = article(id="0123456789abcdef", title="Номер 13", canonical_url=pdf, url=pdf)
    assert store.upsert_article(polled)[0] is Upsert.IMPORTED
    for n in (1, 2):
        named = polled.with_changes(id=f"issue13-{n}", title=f"Стаття {n}", id_from_input=True)
        assert store.upsert_article(named)[0] is Upsert.IMPORTED
    titles = [store.get_article(i).title for i in ("0123456789abcdef", "issue13-1", "issue13-2")]
    assert titles == ["Номер 13", "Стаття 1", "Стаття 2"]

"""Edited articles: a feed that shows an item updated later gets it fetched again.

Loopback feeds and pages into a real SQLite store, with the analysis and story stages on, so
the tests see what a reader would: the article's text, its id and its story.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from strichka.config import Settings
from strichka.ingest.http import FetchPolicy
from strichka.ingest.poller import PollOptions, PollReport
from strichka.ingest.sources import make_source
from strichka.nlp.analysis import LanguageResources
from strichka.pipeline import NO_STAGES, Stages, add_sources, run_ingest
from strichka.records import url_id
from strichka.search import search
from strichka.store import MediaStore, SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer

from .conftest import Reply, Server

FIRST = (
    "Київ. Уночі в столиці пролунали вибухи, працювала протиповітряна оборона, повідомив "
    "міський голова Віталій Кличко."
)
SECOND = "Уламки впали на дах житлового будинку в Дарницькому районі, там виникла пожежа."
UPDATE = "Оновлено: рятувальники ліквідували пожежу, постраждалих госпіталізовано, загиблих немає."


@pytest.fixture(scope="module")
def language() -> LanguageResources:
    return LanguageResources.load()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=str(tmp_path / "news.db"))


def page(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs * 3)
    return (
        "<html lang='uk'><head><meta charset='utf-8'><title>Вибухи в Києві</title></head>"
        f"<body><article><h1>Вибухи в Києві</h1>{body}</article></body></html>"
    ).encode()


def atom(link: str, *, updated: str) -> bytes:
    """An Atom feed of one entry, published at 08:00 and updated at `updated` (Kyiv time)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Тест</title><id>urn:test</id><updated>2025-11-01T{updated}+02:00</updated>"
        f'<entry><title>Вибухи в Києві</title><link href="{link}"/><id>{link}</id>'
        "<published>2025-11-01T08:00:00+02:00</published>"
        f"<updated>2025-11-01T{updated}+02:00</updated></entry></feed>"
    ).encode()


def poll(
    settings: Settings,
    policy: FetchPolicy,
    language: LanguageResources | None = None,
    *,
    max_refetches: int = 5,
) -> PollReport:
    with SQLiteStore(settings.db_path) as store:
        stages = NO_STAGES
        if language is not None:
            analyzer = Analyzer.sharing(language)
            stages = Stages(language, StoryEngine.load(store, analyzer), store)
        return run_ingest(
            store=store,
            media=MediaStore(settings.media_path),
            settings=settings,
            once=True,
            policy=policy,
            poll=PollOptions(
                min_interval=0, max_interval=0, item_concurrency=4, max_refetches=max_refetches
            ),
            handle_signals=False,
            stages=stages,
        )


@pytest.fixture
def news(server: Server, settings: Settings) -> Iterator[str]:
    """A source whose feed lists one article, first as updated at 08:00."""
    link = server.url("/news/vybukhy")
    server.routes["/feed"] = Reply(200, atom(link, updated="08:00:00"))
    server.routes["/news/vybukhy"] = Reply(200, page(FIRST, SECOND))
    with SQLiteStore(settings.db_path) as store:
        add_sources(
            store, [make_source("Тест", [server.url("/feed")], allow_local=True)], settings=settings
        )
    yield link


def article_text(settings: Settings, link: str) -> tuple[str, str | None]:
    """The stored article's body text and its story id."""
    with SQLiteStore(settings.db_path) as store:
        article = store.get_article(url_id(link))
        story = store.story_link(article.id)
    return article.body_text, story.story_id if story else None


def test_an_item_updated_later_is_fetched_again_into_the_same_article_and_story(
    server: Server,
    policy: FetchPolicy,
    settings: Settings,
    language: LanguageResources,
    news: str,
) -> None:
    first = poll(settings, policy, language)
    assert (first.new_items, first.updated, first.stored) == (1, 0, 1)
    text, story = article_text(settings, news)
    assert UPDATE not in text and story is not None
    with SQLiteStore(settings.db_path) as store:
        (before,) = store.iter_articles()

    # The outlet edits the article and says so in its feed.
    server.routes["/feed"] = Reply(200, atom(news, updated="09:30:00"))
    server.routes["/news/vybukhy"] = Reply(200, page(FIRST, SECOND, UPDATE))
    second = poll(settings, policy, language)

    assert (second.new_items, second.updated, second.stored) == (0, 1, 1)
    assert "items: 0 new, 1 edited (queued again), 1 stored, 0 failed" in second.summary()
    assert server.hits["/news/vybukhy"] == 2
    text, story_after = article_text(settings, news)
    assert UPDATE in text
    assert story_after == story
    with SQLiteStore(settings.db_path) as store:
        (after,) = store.iter_articles()  # replaced, not stored beside the old version
        # Search finds the article by words only the new version has.
        found = search(store, "рятувальники госпіталізовано", lemmatiser=language.morph)
    assert after.id == before.id == url_id(news)
    assert [hit.article.id for hit in found] == [after.id]


def test_an_item_shown_again_with_the_same_time_is_not_fetched_again(
    server: Server, policy: FetchPolicy, settings: Settings, news: str
) -> None:
    poll(settings, policy)
    # The page changes, but the feed still says 08:00: nothing tells us to fetch it again.
    server.routes["/news/vybukhy"] = Reply(200, page(FIRST, SECOND, UPDATE))
    again = poll(settings, policy)
    assert (again.new_items, again.updated, again.stored) == (0, 0, 0)
    assert server.hits["/news/vybukhy"] == 1
    assert UPDATE not in article_text(settings, news)[0]


def test_an_item_without_any_time_is_not_fetched_again_for_reappearing(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    link = server.url("/news/undated")
    server.routes["/rss"] = Reply(
        200,
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<item><title>Без дати</title><link>{link}</link></item></channel></rss>"
        ).encode(),
    )
    server.routes["/news/undated"] = Reply(200, page(FIRST, SECOND))
    with SQLiteStore(settings.db_path) as store:
        add_sources(
            store, [make_source("RSS", [server.url("/rss")], allow_local=True)], settings=settings
        )
    assert poll(settings, policy).stored == 1
    server.routes["/news/undated"] = Reply(200, page(FIRST, SECOND, UPDATE))
    for _ in range(2):
        assert poll(settings, policy).updated == 0
    assert server.hits["/news/undated"] == 1


def test_a_failed_refetch_keeps_the_stored_version(
    server: Server, policy: FetchPolicy, settings: Settings, news: str
) -> None:
    poll(settings, policy)
    stored_before, _ = article_text(settings, news)

    server.routes["/feed"] = Reply(200, atom(news, updated="09:30:00"))
    server.routes["/news/vybukhy"] = Reply(404, b"gone")
    report = poll(settings, policy)

    assert (report.updated, report.stored, report.failed) == (1, 0, 1)
    assert article_text(settings, news)[0] == stored_before
    with sqlite3.connect(settings.db_path) as db:
        state, error, article_id = db.execute(
            "SELECT state, error, article_id FROM fetch_queue"
        ).fetchone()
    # Still counted as fetched (the stored version stands), with the error kept to look at.
    assert (state, article_id) == ("done", url_id(news))
    assert error is not None and error.startswith("[E405]")
    with SQLiteStore(settings.db_path) as store:
        (health,) = store.source_health(now=0)
    assert health.failed == 0


def test_refetches_stop_after_the_configured_number(
    server: Server, policy: FetchPolicy, settings: Settings, news: str
) -> None:
    poll(settings, policy, max_refetches=1)
    server.routes["/feed"] = Reply(200, atom(news, updated="09:00:00"))
    assert poll(settings, policy, max_refetches=1).updated == 1
    server.routes["/feed"] = Reply(200, atom(news, updated="10:00:00"))
    server.routes["/news/vybukhy"] = Reply(200, page(FIRST, SECOND, UPDATE))
    assert poll(settings, policy, max_refetches=1).updated == 0
    assert server.hits["/news/vybukhy"] == 2
    assert UPDATE not in article_text(settings, news)[0]

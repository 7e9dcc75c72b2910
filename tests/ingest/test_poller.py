"""The poller end to end: loopback feeds and pages into a real SQLite store and media store."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from strichka.cli import main
from strichka.config import Settings
from strichka.ingest.http import FetchPolicy
from strichka.ingest.poller import PollOptions, next_interval, sniff_image
from strichka.ingest.sources import make_source
from strichka.pipeline import add_sources, run_ingest
from strichka.records import url_id
from strichka.store import MediaStore, SQLiteStore

from .conftest import Reply, Request, Server

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PARAGRAPH = "Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік, повідомили в Мінфіні."


def page(title: str, *, image: str | None = None, canonical: str | None = None) -> bytes:
    head = f"<title>{title}</title>"
    if image:
        head += f'<meta property="og:image" content="{image}">'
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    body = f"<p>{PARAGRAPH}</p>" * 6
    return (
        f"<html lang='uk'><head><meta charset='utf-8'>{head}</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def rss(items: list[tuple[str, str]], *, full_text: bool = False) -> str:
    entries = []
    for title, link in items:
        content = ""
        if full_text:
            content = f"<content:encoded><![CDATA[{f'<p>{PARAGRAPH}</p>' * 8}]]></content:encoded>"
        entries.append(f"<item><title>{title}</title><link>{link}</link>{content}</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Тест</title>'
        + "".join(entries)
        + "</channel></rss>"
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=str(tmp_path / "news.db"))


def ingest(settings: Settings, policy: FetchPolicy) -> str:
    with SQLiteStore(settings.db_path) as store:
        report = run_ingest(
            store=store,
            media=MediaStore(settings.media_path),
            settings=settings,
            once=True,
            policy=policy,
            poll=PollOptions(min_interval=0, max_interval=0, item_concurrency=4),
            handle_signals=False,
        )
    return report.summary()


def add_local_source(settings: Settings, feed_url: str) -> None:
    with SQLiteStore(settings.db_path) as store:
        add_sources(store, [make_source("Тест", [feed_url], allow_local=True)], settings=settings)


def queue(settings: Settings) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(settings.db_path) as db:
        return {
            url: (state, error)
            for url, state, error in db.execute("SELECT url, state, error FROM fetch_queue")
        }


def test_one_round_stores_articles_images_and_refuses_internal_targets(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    items = [
        ("Перша", server.url("/news/1?utm_source=rss")),
        ("Друга", server.url("/news/2")),
        ("Третя", server.url("/news/3")),
        ("Метадані", "http://169.254.169.254/latest/meta-data/iam/"),
    ]

    def feed(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"f1"':
            return Reply(304)
        return Reply(200, rss(items).encode(), headers={"ETag": '"f1"'})

    server.routes["/feed"] = feed
    server.routes["/news/1"] = Reply(200, page("Перша новина", image="/img/shared.png"))
    server.routes["/news/2"] = Reply(200, page("Друга новина", image="/img/shared.png"))
    server.routes["/news/3"] = Reply(200, page("Третя новина", image="/img/fake.png"))
    server.routes["/img/shared.png"] = Reply(200, PNG, headers={"Content-Type": "image/png"})
    server.routes["/img/fake.png"] = Reply(200, b"<svg onload=alert(1)>", headers={})
    add_local_source(settings, server.url("/feed"))

    summary = ingest(settings, policy)
    assert "3 stored, 1 failed" in summary

    with SQLiteStore(settings.db_path) as store:
        articles = {a.title: a for a in store.iter_articles()}
        health = store.source_health(now=time.time())
    assert set(articles) == {"Перша новина", "Друга новина", "Третя новина"}
    first = articles["Перша новина"]
    assert first.id == url_id(server.url("/news/1"))
    assert first.canonical_url == server.url("/news/1")
    media = MediaStore(settings.media_path)
    assert first.image is not None and first.image.media_sha256 is not None
    assert media.get(first.image.media_sha256) == PNG
    assert articles["Друга новина"].image.media_sha256 == first.image.media_sha256  # type: ignore[union-attr]
    assert articles["Третя новина"].image.media_sha256 is None  # type: ignore[union-attr]
    assert server.hits["/img/shared.png"] == 1
    assert first.raw_sha256 and b"<article>" in media.get(first.raw_sha256)

    state, error = queue(settings)["http://169.254.169.254/latest/meta-data/iam/"]
    assert state == "failed" and error is not None and error.startswith("[E401]")
    assert (health[0].items_24h, health[0].failed, health[0].pending) == (3, 1, 0)
    assert health[0].last_success_at is not None

    # The next round revalidates the feed: 304, nothing new, no page fetched again.
    assert (
        "feeds: 1 polled (1 unchanged), 0 failed; items: 0 new, 0 edited (queued again), 0 stored"
        in ingest(settings, policy)
    )
    assert server.requests[-1].headers.get("if-none-match") == '"f1"'
    assert server.hits["/news/1"] == 1


def test_full_text_items_need_no_page_fetch(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    server.routes["/full"] = Reply(
        200, rss([("Повний текст", server.url("/news/full"))], full_text=True).encode()
    )
    add_local_source(settings, server.url("/full"))
    assert "1 stored" in ingest(settings, policy)
    assert server.hits["/news/full"] == 0
    with SQLiteStore(settings.db_path) as store:
        (article,) = store.iter_articles()
    assert article.title == "Повний текст" and PARAGRAPH in article.body_text


def test_items_are_credited_to_their_source_not_to_the_host(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """A full-text item was credited to «127.0.0.1:PORT»: trafilatura names a page that
    declares no site name by its host, so the source's name never applied."""
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Тест",
        "items": [
            {
                "id": "1",
                "url": server.url("/news/json"),
                "title": "Новина з JSON Feed",
                "content_html": f"<p>{PARAGRAPH}</p>" * 8,
            }
        ],
    }
    server.routes["/feed.json"] = Reply(200, json.dumps(json_feed).encode())
    server.routes["/rss"] = Reply(
        200, rss([("Новина з RSS", server.url("/news/rss"))], full_text=True).encode()
    )
    server.routes["/links"] = Reply(200, rss([("Сторінка", server.url("/news/page"))]).encode())
    named = page("Сторінка з назвою сайту").replace(
        b"<title>", '<meta property="og:site_name" content="Інша назва"><title>'.encode()
    )
    server.routes["/news/page"] = Reply(200, named)
    feeds = [server.url("/feed.json"), server.url("/rss"), server.url("/links")]
    with SQLiteStore(settings.db_path) as store:
        add_sources(store, [make_source("Тест", feeds, allow_local=True)], settings=settings)

    assert "3 stored" in ingest(settings, policy)
    listed = CliRunner().invoke(main, ["list", "--db", settings.db_path]).output
    assert "127.0.0.1" not in listed and listed.count("Тест") == 3
    with SQLiteStore(settings.db_path) as store:
        assert {a.publisher for a in store.iter_articles()} == {"Тест"}


def test_a_feed_date_without_a_time_is_shown_as_the_day(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """A news sitemap's «2025-10-20» was stored as midnight UTC, listed as published at
    03:00 in Kyiv; a full-text JSON Feed item's the same way."""
    today = datetime.now(UTC).date().isoformat()  # within the poller's sitemap window
    server.routes["/news-sitemap.xml"] = Reply(
        200,
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{server.url('/news/page')}</loc><news:news><news:title>Сторінка"
            f"</news:title><news:publication_date>{today}</news:publication_date></news:news>"
            "</url></urlset>"
        ).encode(),
    )
    server.routes["/news/page"] = Reply(200, page("Сторінка без дати"))
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "url": server.url("/news/json"),
                "title": "Повний текст із днем",
                "content_html": f"<p>{PARAGRAPH}</p>" * 8,
                "date_published": today,
            }
        ],
    }
    server.routes["/feed.json"] = Reply(200, json.dumps(json_feed).encode())
    feeds = [server.url("/news-sitemap.xml"), server.url("/feed.json")]
    with SQLiteStore(settings.db_path) as store:
        add_sources(store, [make_source("Тест", feeds, allow_local=True)], settings=settings)
    assert "2 stored" in ingest(settings, policy)

    with SQLiteStore(settings.db_path) as store:
        articles = list(store.iter_articles())
    assert len(articles) == 2
    for article in articles:
        assert article.published_day_only and article.published_at is not None
        assert article.published_at.date().isoformat() == today
    listed = CliRunner().invoke(main, ["list", "--db", settings.db_path]).output
    assert len(re.findall(rf"  {today} +  Тест", listed)) == 2, listed


def test_a_sitemap_index_is_read_past_a_child_that_fails(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """One child of a sitemap index that failed (refused, gone, malformed) failed the whole
    index: the children that answered were not read, and the source showed no success."""
    children = [
        "http://169.254.169.254/latest/sitemap.xml",
        server.url("/gone.xml"),
        server.url("/broken.xml"),
        server.url("/news.xml"),
    ]
    server.routes["/index.xml"] = Reply(
        200,
        (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
            + "</sitemapindex>"
        ).encode(),
    )
    server.routes["/broken.xml"] = Reply(200, b"<urlset><url><loc>")
    server.routes["/news.xml"] = Reply(
        200,
        (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.url('/news/1')}</loc></url></urlset>"
        ).encode(),
    )
    server.routes["/news/1"] = Reply(200, page("Новина з карти сайту"))
    add_local_source(settings, server.url("/index.xml"))
    assert "feeds: 1 polled (0 unchanged), 0 failed; items: 1 new" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        assert [a.title for a in store.iter_articles()] == ["Новина з карти сайту"]
        (health,) = store.source_health(now=0)
    assert health.last_success_at is not None and health.last_error is None


def test_a_cp1251_feed_declaring_utf8(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    body = rss([("Новина з Харкова", server.url("/news/kh"))], full_text=True)
    server.routes["/cp"] = Reply(
        200, body.encode("cp1251"), headers={"Content-Type": "application/rss+xml; charset=utf-8"}
    )
    add_local_source(settings, server.url("/cp"))
    assert "1 stored" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        (article,) = store.iter_articles()
    assert article.title == "Новина з Харкова"


def test_a_page_whose_single_byte_charset_lies_is_stored_in_its_own(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """Any bytes decode under a single-byte charset, so a cp1251 page served as koi8-r or
    Latin-1, or a koi8-u one served as windows-1251, was stored as mojibake
    («гЮЦНКНБНЙ ЙЮФЕ…»), its title and text unreadable and unsearchable."""
    served = [
        ("/n/1", "Перша новина про бюджет", "cp1251", "koi8-r"),
        ("/n/2", "Друга новина про бюджет", "cp1251", "iso-8859-1"),
        ("/n/3", "Третя новина про бюджет", "koi8-u", "windows-1251"),
        ("/n/4", "Четверта новина про бюджет", "koi8-u", "koi8-u"),
    ]
    for path, title, encoding, declared in served:
        html = page(title).decode().replace("<meta charset='utf-8'>", "")
        server.routes[path] = Reply(
            200,
            html.encode(encoding),
            headers={"Content-Type": f"text/html; charset={declared}"},
        )
    server.routes["/feed"] = Reply(
        200, rss([(title, server.url(path)) for path, title, _, _ in served]).encode()
    )
    add_local_source(settings, server.url("/feed"))
    assert "4 stored, 0 failed" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        articles = list(store.iter_articles())
    assert sorted(a.title for a in articles) == sorted(title for _, title, _, _ in served)
    assert all(PARAGRAPH in a.body_text for a in articles)


def test_a_malformed_feed_is_a_source_error(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    server.routes["/bad"] = Reply(200, b"<html><body>moved</body></html>")
    add_local_source(settings, server.url("/bad"))
    # Downloaded but not parsed, it was counted twice: «1 polled (0 unchanged), 1 failed».
    assert "feeds: 0 polled (0 unchanged), 1 failed" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        (health,) = store.source_health(now=0)
    assert health.last_error is not None and "[E407]" in health.last_error
    assert health.last_success_at is None


def test_a_page_in_an_encoding_we_cannot_decode_fails_for_good(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """A Brotli page was a retryable E400: queued again and fetched again, to the same end."""
    server.routes["/feed"] = Reply(200, rss([("Брotli", server.url("/news/br"))]).encode())
    server.routes["/news/br"] = Reply(200, b"\x1b\x03\x00\xf8", {"Content-Encoding": "br"})
    add_local_source(settings, server.url("/feed"))
    assert "0 stored, 1 failed" in ingest(settings, policy)
    state, error = queue(settings)[server.url("/news/br")]
    assert state == "failed"
    assert error is not None and error.startswith("[E408]") and "'br'" in error


def test_a_link_with_a_bare_query_key_is_fetched_as_written(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """The feed linked /story?42 and the poller fetched /story?42=, a 404 here."""
    server.routes["/feed"] = Reply(200, rss([("Сорок друга", server.url("/story?42"))]).encode())
    server.routes["/story?42"] = Reply(200, page("Сорок друга новина"))
    add_local_source(settings, server.url("/feed"))
    assert "1 stored, 0 failed" in ingest(settings, policy)
    assert server.hits["/story?42"] == 1 and server.hits["/story?42="] == 0
    with SQLiteStore(settings.db_path) as store:
        [article] = store.iter_articles()
    assert article.id == url_id(server.url("/story?42"))


def test_a_character_that_is_no_character_does_not_stop_the_poll(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """«&#xd800;» in an RSS title made feedparser raise, and a JSON Feed's lone «\\ud800»
    could not be written to the queue: either ended the whole run with a traceback, before
    any other source was polled or any item stored."""
    server.routes["/refs"] = Reply(
        200,
        rss(
            [("Новина &#xd800; з &#x110000; &#99999999999; знаками", server.url("/news/r"))],
            full_text=True,
        ).encode(),
    )
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "url": server.url("/news/j"),
                "title": "Новина \ud800 з JSON Feed",
                "content_html": f"<p>{PARAGRAPH}</p>" * 8,
            }
        ],
    }
    server.routes["/feed.json"] = Reply(200, json.dumps(json_feed).encode())
    server.routes["/good"] = Reply(200, rss([("Звичайна", server.url("/news/g"))]).encode())
    server.routes["/news/g"] = Reply(200, page("Звичайна новина"))
    with SQLiteStore(settings.db_path) as store:
        add_sources(
            store,
            [
                make_source(
                    "Знаки", [server.url("/refs"), server.url("/feed.json")], allow_local=True
                ),
                make_source("Інше", [server.url("/good")], allow_local=True),
            ],
            settings=settings,
        )
    assert "feeds: 3 polled (0 unchanged), 0 failed" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        titles = sorted(a.title for a in store.iter_articles())
    assert titles == [
        "Звичайна новина",
        "Новина \ufffd з JSON Feed",
        "Новина \ufffd з \ufffd \ufffd знаками",
    ]


def test_a_json_feed_field_of_the_wrong_type_is_left_out(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """A JSON Feed item's «authors»: 5 ended the whole run in a TypeError; «content_html»: 7
    failed its item as an unexpected error (E999)."""
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "url": server.url("/news/1"),
                "title": "Перша",
                "authors": 5,
                "content_html": 7,
                "content_text": f"{PARAGRAPH}\n" * 8,
            },
            {
                "url": server.url("/news/2"),
                "title": "Друга",
                "content_html": f"<p>{PARAGRAPH}</p>" * 8,
            },
        ],
    }
    server.routes["/feed.json"] = Reply(200, json.dumps(json_feed).encode())
    add_local_source(settings, server.url("/feed.json"))
    assert "2 stored, 0 failed" in ingest(settings, policy)


def test_a_date_past_what_utc_can_hold_is_no_date(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """A feed's or a page's «9999-12-31T23:59:59-12:00» failed the item with an unexpected
    OverflowError (E999) where it was stored; like a date that does not parse, it is none."""
    never = "9999-12-31T23:59:59-12:00"
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "url": server.url("/news/json"),
                "title": "Повний текст",
                "content_html": f"<p>{PARAGRAPH}</p>" * 8,
                "date_published": never,
            }
        ],
    }
    server.routes["/feed.json"] = Reply(200, json.dumps(json_feed).encode())
    server.routes["/rss"] = Reply(200, rss([("Сторінка", server.url("/news/page"))]).encode())
    dated = page("Сторінка з датою").replace(
        b"<title>", f'<meta property="article:published_time" content="{never}"><title>'.encode()
    )
    server.routes["/news/page"] = Reply(200, dated)
    with SQLiteStore(settings.db_path) as store:
        feeds = [server.url("/feed.json"), server.url("/rss")]
        add_sources(store, [make_source("Тест", feeds, allow_local=True)], settings=settings)
    assert "2 stored, 0 failed" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        assert [a.published_at for a in store.iter_articles()] == [None, None]


def test_a_feed_that_breaks_feedparser_fails_alone(
    server: Server, policy: FetchPolicy, settings: Settings
) -> None:
    """An </item> inside a <link> made feedparser raise KeyError: 'links', which ended the
    whole run before the other sources were polled."""
    server.routes["/broken"] = Reply(
        200, b'<rss version="2.0"><channel><item><link>https://e.ua/</item>x</link></channel></rss>'
    )
    server.routes["/good"] = Reply(200, rss([("Звичайна", server.url("/news/g"))]).encode())
    server.routes["/news/g"] = Reply(200, page("Звичайна новина"))
    with SQLiteStore(settings.db_path) as store:
        add_sources(
            store,
            [
                make_source("Зламане", [server.url("/broken")], allow_local=True),
                make_source("Інше", [server.url("/good")], allow_local=True),
            ],
            settings=settings,
        )
    assert "feeds: 1 polled (0 unchanged), 1 failed; items: 1 new" in ingest(settings, policy)
    with SQLiteStore(settings.db_path) as store:
        errors = {h.name: h.last_error for h in store.source_health(now=0)}
    assert errors["Зламане"] is not None and "[E407]" in errors["Зламане"]
    assert "KeyError" in errors["Зламане"] and errors["Інше"] is None


def test_cli_source_add_discovers_then_run_and_health(
    server: Server, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRICHKA_PER_HOST_DELAY_MS", "0")
    monkeypatch.setenv("STRICHKA_CONTACT_URL", "https://example.org/who")
    server.routes["/"] = Reply(
        200,
        b'<html><head><link rel="alternate" type="application/rss+xml" title="RSS" '
        b'href="/rss.xml"></head><body>home</body></html>',
    )
    server.routes["/rss.xml"] = Reply(200, rss([("Новина", server.url("/n/1"))]).encode())
    server.routes["/n/1"] = Reply(200, page("Новина дня"))
    runner = CliRunner()
    db = ["--db", settings.db_path]

    refused = runner.invoke(main, ["source", "add", server.url("/"), "--name", "L", *db])
    assert refused.exit_code == 1 and "[E401]" in refused.output

    added = runner.invoke(
        main, ["source", "add", server.url("/"), "--name", "Локальне", "--allow-local", *db]
    )
    assert added.exit_code == 0, added.output
    assert server.url("/rss.xml") in added.output

    ran = runner.invoke(main, ["run", "--once", *db])
    assert ran.exit_code == 0, ran.output
    assert "1 stored" in ran.output
    assert "feed.polled" in ran.output and "item.stored" in ran.output

    health = runner.invoke(main, ["sources", *db]).output
    assert "Локальне" in health and "24h     1" in health

    # at once again: «0 polled» alone read as if polling were broken
    again = runner.invoke(main, ["run", "--once", *db])
    assert again.exit_code == 0 and "feeds: 0 polled" in again.output
    assert re.search(r"; 1 source not due yet \(the next in \d+ min\)$", again.output.strip())

    opml = tmp_path / "out.opml"
    assert runner.invoke(main, ["source", "export", "--opml", str(opml), *db]).exit_code == 0
    other = ["--db", str(tmp_path / "other.db")]
    imported = runner.invoke(main, ["source", "import", str(opml), *other])
    assert "1 sources imported" in imported.output
    exported = runner.invoke(main, ["source", "export", *other]).output
    assert 'name = "Локальне"' in exported and server.url("/rss.xml") in exported


def test_a_local_home_page_opens_no_other_private_host(
    server: Server, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every host of a local source's feeds may be reached on a private address, and a home
    page on the allowed host that announced http://127.0.0.2/… (or 169.254.169.254) made
    that host a feed of the source: the poller then read it and stored what it served."""
    monkeypatch.setenv("STRICHKA_PER_HOST_DELAY_MS", "0")
    elsewhere = ["http://127.0.0.2:8080/intranet.xml", "http://169.254.169.254/latest/feed"]
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{href}">'
        for href in [*elsewhere, "/rss.xml"]
    )
    server.routes["/"] = Reply(200, f"<html><head>{links}</head><body>home</body></html>".encode())
    server.routes["/away"] = Reply(
        200, f"<html><head>{links.replace('/rss.xml', elsewhere[0])}</head></html>".encode()
    )
    server.routes["/rss.xml"] = Reply(200, rss([("Новина", server.url("/n/1"))]).encode())
    db = ["--db", settings.db_path]

    added = CliRunner().invoke(main, ["source", "add", server.url("/"), "--allow-local", *db])
    assert added.exit_code == 0, added.output
    assert added.output.strip().endswith(server.url("/rss.xml"))
    with SQLiteStore(settings.db_path) as store:
        (source,) = store.list_sources()
    assert [feed.url for feed in source.feeds] == [server.url("/rss.xml")]

    away = CliRunner().invoke(main, ["source", "add", server.url("/away"), "--allow-local", *db])
    assert away.exit_code == 1
    assert "[E401]" in away.output and "127.0.0.2" in away.output


def test_a_feed_that_fails_is_counted_and_its_source_shows_no_success(
    server: Server, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline, `run --once` used to print «0 feeds polled … 0 failed» and `sources` «ok»."""
    monkeypatch.setenv("STRICHKA_PER_HOST_DELAY_MS", "0")
    server.routes["/robots.txt"] = Reply(404)
    server.routes["/gone.xml"] = Reply(410)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Зникле"\nfeeds = ["{server.url("/gone.xml")}"]\nallow_local = true\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    db = ["--db", settings.db_path]
    assert runner.invoke(main, ["source", "import", str(sources), *db]).exit_code == 0
    ran = runner.invoke(main, ["run", "--once", *db])
    assert "feeds: 0 polled (0 unchanged), 1 failed" in ran.output, ran.output
    health = runner.invoke(main, ["sources", *db]).output
    assert "last success never" in health and "[E405]" in health


def test_sources_show_their_times_on_the_users_clock(
    server: Server, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sources` printed the stored UTC stamp: three hours off for a reader in Kyiv."""
    monkeypatch.setenv("STRICHKA_PER_HOST_DELAY_MS", "0")
    monkeypatch.setenv("STRICHKA_TIMEZONE", "Asia/Kathmandu")  # UTC+05:45: no round hours
    server.routes["/rss.xml"] = Reply(200, rss([("Новина", server.url("/n/1"))]).encode())
    server.routes["/n/1"] = Reply(200, page("Новина дня"))
    server.routes["/gone.xml"] = Reply(410)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Жива"\nfeeds = ["{server.url("/rss.xml")}"]\nallow_local = true\n'
        f'[[source]]\nname = "Зникле"\nfeeds = ["{server.url("/gone.xml")}"]\nallow_local = true\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    db = ["--db", settings.db_path]
    runner.invoke(main, ["source", "import", str(sources), *db])
    runner.invoke(main, ["run", "--once", *db])
    stored = [
        json.loads(line)
        for line in runner.invoke(main, ["sources", "--json", *db]).output.splitlines()
    ]
    zone = ZoneInfo("Asia/Kathmandu")

    def on_clock(stamp: str) -> str:
        return datetime.fromisoformat(stamp).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    health = runner.invoke(main, ["sources", *db]).output
    alive, gone = stored
    assert f"last success {on_clock(alive['last_success_at'])}" in health
    assert f"last error {on_clock(gone['last_error_at'])}: [E405]" in health


def test_next_interval_adapts_within_bounds() -> None:
    assert next_interval(600, new_items=10, failed=False, min_s=120, max_s=3600) == 300
    assert next_interval(600, new_items=0, failed=False, min_s=120, max_s=3600) == 900
    assert next_interval(600, new_items=1, failed=False, min_s=120, max_s=3600) == 600
    assert next_interval(3000, new_items=0, failed=True, min_s=120, max_s=3600) == 3600
    assert next_interval(130, new_items=50, failed=False, min_s=120, max_s=3600) == 120


def test_image_sniffing() -> None:
    assert sniff_image(PNG) == "image/png"
    assert sniff_image(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_image(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None


def test_a_source_with_one_feed_failing_still_shows_its_last_success(
    server: Server, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One broken feed of two made `sources` say «last success never» while items arrived."""
    monkeypatch.setenv("STRICHKA_PER_HOST_DELAY_MS", "0")
    server.routes["/rss.xml"] = Reply(200, rss([("Новина", server.url("/n/1"))]).encode())
    server.routes["/n/1"] = Reply(200, page("Новина дня"))
    server.routes["/gone.xml"] = Reply(410)
    feeds = f'["{server.url("/rss.xml")}", "{server.url("/gone.xml")}"]'
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Напівжива"\nfeeds = {feeds}\nallow_local = true\n', "utf-8"
    )
    runner = CliRunner()
    db = ["--db", settings.db_path]
    runner.invoke(main, ["source", "import", str(sources), *db])
    assert "1 stored" in runner.invoke(main, ["run", "--once", *db]).output
    health = runner.invoke(main, ["sources", *db]).output
    assert "last success never" not in health and "24h     1" in health
    assert "last error" in health and "[E405]" in health

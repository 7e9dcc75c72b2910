"""Feed, sitemap and discovery parsing on fixture documents (no network)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from strichka.errors import MalformedFeed
from strichka.ingest.feeds import discover_feeds, parse_feed

BASE = "https://news.example.ua/rss"
BODY = "<p>" + "Уряд ухвалив рішення про бюджет на наступний рік. " * 20 + "</p>"

RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Новини</title><link>https://news.example.ua/</link>
<item><title>Перша новина</title><link>/news/1?utm_source=rss</link>
  <description>Коротко про першу</description>
  <pubDate>Tue, 02 Jan 2024 10:00:00 +0200</pubDate>
  <enclosure url="https://img.example.ua/1.jpg" type="image/jpeg" length="1"/>
  <content:encoded><![CDATA[{BODY}]]></content:encoded></item>
<item><title>Друга новина</title><link>https://news.example.ua/news/2</link>
  <media:content url="https://img.example.ua/2.png" medium="image"/></item>
<item><title>Шкідлива</title><link>file:///etc/passwd</link></item>
<item><title>Метадані</title><link>http://169.254.169.254/latest/meta-data/</link></item>
</channel></rss>"""


def test_rss2_items_links_dates_images_and_full_text() -> None:
    feed = parse_feed(RSS2.encode(), url=BASE)
    assert feed.kind == "rss20" and feed.title == "Новини"
    first, second, metadata = feed.items
    assert first.url == "https://news.example.ua/news/1"
    assert first.title == "Перша новина" and first.summary == "Коротко про першу"
    assert first.published_at == datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
    assert first.image_url == "https://img.example.ua/1.jpg"
    assert first.carries_full_text and not second.carries_full_text
    assert second.image_url == "https://img.example.ua/2.png"
    # file:// never becomes an item; an internal http address does, and the fetcher refuses it.
    assert feed.skipped == 1
    assert metadata.url == "http://169.254.169.254/latest/meta-data/"


def test_atom() -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Атом</title>
    <entry><title>Запис</title><link href="https://e.ua/a/1"/><id>urn:1</id>
    <updated>2024-03-01T12:00:00Z</updated><author><name>Олена Петренко</name></author>
    <content type="html">&lt;p&gt;Текст&lt;/p&gt;</content></entry></feed>"""
    feed = parse_feed(atom.encode(), url="https://e.ua/atom")
    (item,) = feed.items
    assert feed.kind == "atom10" and item.url == "https://e.ua/a/1"
    assert item.authors == ("Олена Петренко",)
    assert item.published_at == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert item.content_html is not None and "Текст" in item.content_html


def test_rss1_rdf() -> None:
    rdf = """<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
    <channel rdf:about="https://e.ua/"><title>RDF</title><link>https://e.ua/</link></channel>
    <item rdf:about="https://e.ua/r/1"><title>Один</title><link>https://e.ua/r/1</link></item>
    </rdf:RDF>"""
    feed = parse_feed(rdf.encode(), url="https://e.ua/rdf")
    assert feed.kind == "rss10" and [i.url for i in feed.items] == ["https://e.ua/r/1"]


def test_rss091() -> None:
    rss = """<rss version="0.91"><channel><title>Old</title>
    <item><title>Стара</title><link>https://e.ua/old/1</link></item></channel></rss>"""
    assert parse_feed(rss.encode(), url="https://e.ua/rss").items[0].title == "Стара"


def test_json_feed() -> None:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON новини",
        "items": [
            {
                "id": "1",
                "url": "https://e.ua/j/1#x",
                "title": "Джейсон",
                "content_text": "Перший абзац.\nДругий абзац.",
                "date_published": "2024-05-01T10:00:00+03:00",
                "image": "/img/1.webp",
                "authors": [{"name": "Іван"}],
            },
            {"id": "no-url", "title": "Без посилання"},
        ],
    }
    feed = parse_feed(json.dumps(data).encode(), url="https://e.ua/feed.json")
    (item,) = feed.items
    assert feed.kind == "json" and feed.skipped == 1
    assert item.url == "https://e.ua/j/1" and item.image_url == "https://e.ua/img/1.webp"
    assert item.content_html == "<p>Перший абзац.</p><p>Другий абзац.</p>"
    assert item.published_at == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert item.authors == ("Іван",)


def test_news_sitemap_and_plain_sitemap_window() -> None:
    news = """<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://e.ua/s/1</loc><news:news><news:title>Сайтмап</news:title>
      <news:publication_date>2024-06-01T09:00:00+03:00</news:publication_date></news:news></url>
    </urlset>"""
    feed = parse_feed(news.encode(), url="https://e.ua/news-sitemap.xml")
    assert feed.kind == "news-sitemap"
    assert feed.items[0].title == "Сайтмап" and feed.items[0].url == "https://e.ua/s/1"
    plain = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://e.ua/old</loc><lastmod>2010-01-01</lastmod></url>
    <url><loc>https://e.ua/new</loc><lastmod>2024-06-01T00:00:00Z</lastmod></url></urlset>"""
    since = datetime(2024, 1, 1, tzinfo=UTC)
    feed = parse_feed(plain.encode(), url="https://e.ua/sitemap.xml", since=since)
    assert [i.url for i in feed.items] == ["https://e.ua/new"] and feed.skipped == 1


def test_a_bare_day_in_a_sitemap_or_json_feed_is_marked_day_only() -> None:
    """«2025-10-20» was read as midnight UTC, shown as published at 03:00 in Kyiv."""
    news = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://e.ua/s/day</loc><news:news><news:title>День</news:title>
      <news:publication_date>2025-10-20</news:publication_date></news:news></url>
    <url><loc>https://e.ua/s/time</loc><news:news><news:title>Час</news:title>
      <news:publication_date>2025-10-20T09:00:00+03:00</news:publication_date></news:news></url>
    <url><loc>https://e.ua/s/lastmod</loc><lastmod>2025-10-21</lastmod></url>
    </urlset>"""
    day, timed, lastmod = parse_feed(news.encode(), url="https://e.ua/news-sitemap.xml").items
    assert day.published_at == datetime(2025, 10, 20, tzinfo=UTC) and day.published_day_only
    assert not timed.published_day_only
    assert lastmod.published_at == datetime(2025, 10, 21, tzinfo=UTC)
    assert lastmod.published_day_only
    assert type(day).from_dict(day.to_dict()) == day  # kept through the queue
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"url": "https://e.ua/j/day", "date_published": "2025-10-20"}],
    }
    (item,) = parse_feed(json.dumps(json_feed).encode(), url="https://e.ua/feed.json").items
    assert item.published_day_only


def test_sitemap_index_lists_children() -> None:
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://e.ua/sm-1.xml</loc></sitemap>
    <sitemap><loc>https://e.ua/sm-2.xml</loc></sitemap></sitemapindex>"""
    feed = parse_feed(index.encode(), url="https://e.ua/sitemap.xml")
    assert feed.kind == "sitemap-index"
    assert feed.sitemaps == ("https://e.ua/sm-1.xml", "https://e.ua/sm-2.xml")


def test_sitemap_entities_are_not_expanded() -> None:
    evil = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://e.ua/&e;</loc></url></urlset>"""
    feed = parse_feed(evil.encode(), url="https://e.ua/sitemap.xml")
    assert all("root:" not in i.url for i in feed.items)


def test_malformed_xml_is_salvaged_or_refused() -> None:
    broken = RSS2.replace("Друга новина", "Друга & новина <b>").encode()
    salvaged = parse_feed(broken, url=BASE)
    assert len(salvaged.items) >= 1 and salvaged.items[0].title == "Перша новина"
    with pytest.raises(MalformedFeed) as caught:
        parse_feed(b"<html><body><p>not a feed at all</p></body></html>", url=BASE)
    assert caught.value.code == "E407"
    with pytest.raises(MalformedFeed):
        parse_feed(b"<?xml version='1.0'?><rss><channel><item><title>", url=BASE)
    with pytest.raises(MalformedFeed):
        parse_feed(b'{"not": "a feed"}', url=BASE)
    with pytest.raises(MalformedFeed):
        parse_feed(b"\x00\x01\x02binary", url=BASE)


def test_a_feed_declaring_utf8_but_sending_cp1251() -> None:
    data = RSS2.encode("cp1251", errors="strict")
    assert b'encoding="UTF-8"' in data
    feed = parse_feed(data, url=BASE, charset="utf-8")
    assert [i.title for i in feed.items[:2]] == ["Перша новина", "Друга новина"]
    assert feed.title == "Новини"


def test_discovery_from_a_home_page() -> None:
    page = """<html><head>
    <link rel="alternate" type="application/rss+xml" href="/rss/all.xml?utm_source=x">
    <link rel="alternate" type="application/atom+xml" href="https://e.ua/atom">
    <link rel="alternate" type="application/feed+json" href="/feed.json">
    <link rel="alternate" hreflang="en" href="/en/">
    <link rel="stylesheet" type="text/css" href="/s.css">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>"""
    assert discover_feeds(page, base_url="https://e.ua/") == [
        "https://e.ua/rss/all.xml",
        "https://e.ua/atom",
        "https://e.ua/feed.json",
    ]


def test_items_carry_the_time_they_were_last_updated_apart_from_publication() -> None:
    """What re-fetching an edited article goes by: updated if the feed says, else published."""
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        '<entry><title>A</title><link href="https://news.example.ua/a"/>'
        "<published>2024-01-02T10:00:00+02:00</published>"
        "<updated>2024-01-02T11:30:00+02:00</updated></entry></feed>"
    )
    (edited,) = parse_feed(atom.encode(), url=BASE).items
    assert edited.published_at == datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
    assert edited.updated_at == edited.version_at == datetime(2024, 1, 2, 9, 30, tzinfo=UTC)

    first = parse_feed(RSS2.encode(), url=BASE).items[0]  # a pubDate and nothing else
    assert first.updated_at is None and first.version_at == first.published_at

    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "url": "https://news.example.ua/j",
                "date_published": "2024-01-02T08:00:00Z",
                "date_modified": "2024-01-02T09:00:00Z",
            }
        ],
    }
    (modified,) = parse_feed(json.dumps(json_feed).encode(), url=BASE).items
    assert modified.version_at == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)

    sitemap = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        "<loc>https://news.example.ua/s</loc><lastmod>2024-01-02T12:00:00Z</lastmod></url></urlset>"
    )
    (listed,) = parse_feed(sitemap.encode(), url=BASE).items
    assert listed.updated_at == datetime(2024, 1, 2, 12, 0, tzinfo=UTC)
    assert type(listed).from_dict(listed.to_dict()) == listed  # kept through the queue

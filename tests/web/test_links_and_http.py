"""What the pages do with untrusted article addresses and odd outlet names, how they answer
bad links and HEAD, and the dates the Atom feed gives (plain HTTP, as a feed reader or a
crawler sees them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import lxml.etree
import lxml.html
import pytest

from strichka.store import SQLiteStore
from strichka.web.routes import outlet_url, web_url

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT_URLS = ("javascript:alert(1)", " javascript:alert(2)", "JaVaScRiPt:alert(3)")
ODD_OUTLETS = ("https://www.newsnation.in", "Голос Карпат / Ужгород", "Радіо Свобода")


@pytest.fixture(scope="module")
def untrusted(
    site: Any, tmp_path_factory: pytest.TempPathFactory, import_records: Any
) -> list[str]:
    """Articles whose addresses and pictures are scripts, one whose canonical address is a
    script but whose own is fine, and one per odd outlet name."""
    topics = ("повінь у Закарпатті", "ремонт мосту в Києві", "врожай пшениці на Полтавщині")
    items: list[dict[str, Any]] = [
        {
            "id": f"scripturl{n}",
            "title": f"Стаття з хибним посиланням {n}: {topics[n]}",
            "text": f"Новина про {topics[n]}. Подробиці згодом.",
            "outlet": "Скриптова газета",
            "published_at": f"2025-10-2{n}T10:00:00+03:00",
            "url": url,
            "image": "javascript:alert('img')" if n else "data:image/svg+xml,<svg/>",
        }
        for n, url in enumerate(SCRIPT_URLS)
    ]
    items.append(
        {
            "id": "badcanonical",
            "title": "Канонічна адреса хибна, власна добра",
            "text": "Міська рада Львова ухвалила новий план забудови.",
            "published_at": "2025-10-25T10:00:00+03:00",
            "url": "https://example.org/lviv-plan",
            "canonical_url": "javascript:alert(4)",
            "image": "https://example.org/lviv.jpg",
        }
    )
    items += [
        {
            "id": f"oddoutlet{n}",
            "title": f"Новина видання номер {n} про вибори в Індії",
            "text": f"Виборча комісія оголосила результати туру {n}.",
            "outlet": name,
            "published_at": f"2025-10-1{n}T10:00:00+03:00",
            "url": f"https://example.org/odd/{n}",
        }
        for n, name in enumerate(ODD_OUTLETS)
    ]
    ids: list[str] = import_records(site, tmp_path_factory.mktemp("untrusted"), *items)
    return ids


def fetch(site: Any, path: str) -> tuple[httpx.Response, Any]:
    response = httpx.get(site.url + path, timeout=10)
    return response, lxml.html.fromstring(response.text)


def addresses(page: Any) -> list[str]:
    return [str(a) for a in page.xpath("//@href | //@src")]


def only_safe(urls: list[str]) -> bool:
    """Every address is on this site or http(s): nothing a click or a load could run."""
    return all(u.startswith(("/", "#", "?", "http://", "https://")) for u in urls)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/a", "HTTP://example.org/a"),
        ("javascript:alert(1)", None),
        (" https://example.org/a", None),
        ("data:image/png;base64,AAAA", None),
        ("//example.org/a", None),
        ("https:///nohost", None),
        (None, None),
    ],
)
def test_only_http_addresses_become_links(url: str | None, expected: str | None) -> None:
    assert web_url(url) == expected


def test_an_article_with_a_script_address_links_to_no_script(
    site: Any, untrusted: list[str]
) -> None:
    for article_id in untrusted[: len(SCRIPT_URLS)]:
        response, page = fetch(site, f"/articles/{article_id}")
        assert response.status_code == 200
        assert not page.xpath('//p[@class="original"]'), article_id
        assert not page.xpath('//article[@class="full"]//img')
        assert only_safe(addresses(page)), addresses(page)
    for path in ("/", "/outlets/" + quote("Скриптова газета"), "/search?q=посилання"):
        response, page = fetch(site, path)
        assert response.status_code == 200
        assert "javascript" not in response.text.lower() and "data:image" not in response.text
        assert only_safe(addresses(page)), path


def test_a_script_canonical_address_falls_back_to_the_articles_own(
    site: Any, untrusted: list[str]
) -> None:
    _, page = fetch(site, "/articles/badcanonical")
    assert page.xpath('//p[@class="original"]/a/@href') == ["https://example.org/lviv-plan"]
    assert page.xpath('//article[@class="full"]//img/@src') == ["https://example.org/lviv.jpg"]


@pytest.mark.parametrize("name", ODD_OUTLETS)
def test_any_outlet_name_links_to_its_own_page(site: Any, untrusted: list[str], name: str) -> None:
    article_id = f"oddoutlet{ODD_OUTLETS.index(name)}"
    _, article = fetch(site, f"/articles/{article_id}")
    [link] = article.xpath('//p[@class="meta"]/a[starts-with(@href, "/outlets/")]')
    assert link.get("href") == outlet_url(name)
    response, listing = fetch(site, link.get("href"))
    assert response.status_code == 200
    assert listing.xpath("//h1")[0].text_content() == name
    assert listing.xpath(f'//article[@class="item"]//a[@href="/articles/{article_id}"]')


@pytest.mark.parametrize(
    "path",
    ["/?page=0", "/?page=abc", "/outlets/X?page=1001", "/search?page=0", "/entities/x?page=-1"],
)
def test_a_bad_query_parameter_is_the_sites_400_page(site: Any, path: str) -> None:
    response, page = fetch(site, path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert page.xpath("//h1")[0].text_content() == "Хибне посилання"
    assert page.xpath('//a[@class="brand"]')  # the site's header: a page, not an API answer


def test_an_unknown_page_is_the_sites_404_page(site: Any) -> None:
    response, page = fetch(site, "/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page.xpath("//h1")[0].text_content() == "Не знайдено"


def test_a_wrong_method_on_a_page_is_an_html_405_that_says_what_is_allowed(site: Any) -> None:
    response = httpx.post(site.url + "/", timeout=10)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize("path", ["/", "/feeds/stories.xml", "/api/articles", "/static/style.css"])
def test_head_answers_as_get_without_a_body(site: Any, path: str) -> None:
    got = httpx.get(site.url + path, timeout=10)
    head = httpx.head(site.url + path, timeout=10)
    assert (head.status_code, got.status_code) == (200, 200)
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "content-security-policy"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_every_page_names_the_sites_icon_and_the_icon_is_served(site: Any) -> None:
    """Without it every page view is followed by a 404 for /favicon.ico."""
    page = lxml.html.fromstring(httpx.get(site.url + "/", timeout=10).text)
    [icon] = page.xpath("//link[@rel='icon']/@href")
    response = httpx.get(site.url + icon, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_head_with_a_known_etag_is_304(site: Any) -> None:
    etag = httpx.get(site.url + "/api/articles", timeout=10).headers["etag"]
    head = httpx.head(site.url + "/api/articles", headers={"If-None-Match": etag}, timeout=10)
    assert head.status_code == 304
    assert head.headers["etag"] == etag


def test_an_undated_story_in_the_feed_takes_the_feeds_time_not_1970(
    site: Any, tmp_path: Path, import_records: Any
) -> None:
    item = {
        "id": "undatedfeed",
        "title": "Недатована новина про відкриття зоопарку в Одесі",
        "text": "В Одесі відкрили новий зоопарк для відвідувачів.",
        "outlet": "Одеський вісник",
    }
    import_records(site, tmp_path, item)
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("undatedfeed")
    assert link is not None
    response = httpx.get(site.url + "/feeds/stories.xml", timeout=10)
    feed = lxml.etree.fromstring(response.content)
    updated = [str(u.text) for u in feed.iter(ATOM + "updated")]
    assert updated and not any(u.startswith("1970") for u in updated)
    [entry] = [
        e for e in feed.iter(ATOM + "entry") if e.findtext(ATOM + "id").endswith(link.story_id)
    ]
    assert entry.findtext(ATOM + "updated") == feed.findtext(ATOM + "updated")

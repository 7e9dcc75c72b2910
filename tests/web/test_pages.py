"""Page helpers that a reader notices when they are wrong, and the story page's timeline
served a page at a time (plain HTTP: the pages work without JavaScript)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import lxml.etree
import lxml.html
import pytest

from strichka.store import SQLiteStore
from strichka.web.routes import STORY_PAGE, plural


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 джерело"),
        (3, "3 джерела"),
        (5, "5 джерел"),
        (11, "11 джерел"),
        (21, "21 джерело"),
        (12, "12 джерел"),
        (22, "22 джерела"),
    ],
)
def test_counts_agree_with_their_noun_in_ukrainian(count: int, expected: str) -> None:
    assert plural(count, "джерело", "джерела", "джерел") == expected


FLOOD = STORY_PAGE + 13


@pytest.fixture(scope="module")
def flood(site: Any, tmp_path_factory: pytest.TempPathFactory, import_flood: Any) -> Any:
    return import_flood(site, tmp_path_factory.mktemp("flood"), FLOOD)


def fetch(site: Any, path: str) -> tuple[int, Any]:
    response = httpx.get(site.url + path, timeout=10)
    return response.status_code, lxml.html.fromstring(response.text)


def timeline_ids(page: Any) -> list[str]:
    hrefs = page.xpath('//ol[@class="timeline"]/li/a[not(@class="outlet")]/@href')
    return [str(href).removeprefix("/articles/") for href in hrefs]


def text(page: Any, xpath: str) -> str:
    """The text of the one element at `xpath`."""
    [found] = page.xpath(xpath)
    return str(found.text_content())


META = '//article[contains(@class, "story")]/p[@class="meta"]'
NEXT = '//nav[contains(@class, "timeline-pager")]/a[@rel="next"]'
RANGE = '//p[contains(@class, "timeline-range")]'


def test_a_big_story_page_shows_its_first_articles_and_links_to_the_rest(
    site: Any, flood: Any
) -> None:
    story_id, expected, outlets = flood
    status, page = fetch(site, f"/stories/{story_id}")
    assert status == 200
    meta = text(page, META)
    assert f"{FLOOD} статті" in meta and "4 джерела" in meta  # all of them, not the page's
    assert timeline_ids(page) == expected[:STORY_PAGE]
    # «першим» marks the earliest dated report: the undated ones, listed first, cannot be
    firsts = page.xpath('//ol[@class="timeline"]/li[span[@class="badge"][.="першим"]]')
    undated = sum(n % 10 == 3 for n in range(FLOOD))
    assert [li.getparent().index(li) for li in firsts] == [undated]
    assert text(page, RANGE) == f"Статті 1–{STORY_PAGE} з {FLOOD}"
    by_outlet = [li.text_content() for li in page.xpath('//ul[@class="by-outlet"]/li')]
    counts = [FLOOD // 4 + (i < FLOOD % 4) for i in range(4)]
    assert sorted(by_outlet) == sorted(
        f"{name}: {plural(count, 'стаття', 'статті', 'статей')}"
        for name, count in zip(outlets, counts, strict=True)
    )
    [more] = page.xpath(NEXT)
    assert more.text_content().startswith("Показати ще")

    status, second = fetch(site, more.get("href"))
    assert status == 200
    assert timeline_ids(second) == expected[STORY_PAGE:]
    assert second.xpath('//ol[@class="timeline"]/@start') == [str(STORY_PAGE + 1)]
    assert "першим" not in text(second, '//ol[@class="timeline"]')
    assert text(second, RANGE) == f"Статті {STORY_PAGE + 1}–{FLOOD} з {FLOOD}"
    assert not second.xpath(NEXT)  # the last page
    assert second.xpath('//nav[contains(@class, "timeline-pager")]/a/@href') == [
        f"/stories/{story_id}#timeline"
    ]
    assert f"{FLOOD} статті" in text(second, META)


def test_a_small_story_page_has_no_pager(site: Any, flood: Any) -> None:
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("hostile0")
    assert link is not None
    status, page = fetch(site, f"/stories/{link.story_id}")
    assert status == 200
    assert timeline_ids(page) == ["hostile0"]
    assert not page.xpath('//nav[contains(@class, "timeline-pager")]') and not page.xpath(RANGE)
    assert "1 стаття" in text(page, META)


def test_a_garbled_or_foreign_timeline_link_is_400(site: Any, flood: Any) -> None:
    story_id = flood.story_id
    _, page = fetch(site, f"/stories/{story_id}")
    [href] = page.xpath(NEXT + "/@href")
    cursor = href.split("cursor=")[1].split("#")[0]
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("hostile0")
    assert link is not None
    for path in (
        f"/stories/{story_id}?cursor=garbage",
        f"/stories/{story_id}?cursor={cursor[:-4]}",
        f"/stories/{link.story_id}?cursor={cursor}",  # another story's
    ):
        status, error = fetch(site, path)
        assert status == 400, path
        assert text(error, "//h1") == "Хибне посилання"
    assert fetch(site, f"/stories/nosuchstory?cursor={cursor}")[0] == 404


def test_article_lists_show_a_lead_where_the_outlet_gave_none(site: Any, flood: Any) -> None:
    status, page = fetch(site, "/outlets/" + quote(flood.outlets[1]))
    assert status == 200
    leads = [str(p.text_content()) for p in page.xpath('//article[@class="item"]/p[@class="lead"]')]
    assert len(leads) == len(page.xpath('//article[@class="item"]'))
    assert leads[0].startswith("Коротко: Після тривалих злив річка Тиса вийшла з берегів")
    # two sentences, not the whole text
    assert "Синоптики" not in leads[0]


def test_the_outlet_an_aggregator_item_names_lists_it(site: Any, seeds_dir: Path) -> None:
    """The golden my.ua item names no outlet of its own: its page credits the aggregator,
    and following that link finds the item (it used to be an empty «no articles» page)."""
    [golden] = site.import_files(seeds_dir / "000_3e1ff92a3d920351.txt")
    status, page = fetch(site, f"/articles/{golden}")
    assert status == 200
    [link] = page.xpath(
        '//article[@class="full"]/p[@class="meta"]/a[starts-with(@href, "/outlets/")]'
    )
    assert link.text_content() == "my.ua"
    status, listing = fetch(site, link.get("href"))
    assert status == 200
    assert listing.xpath(f'//article[@class="item"]//a[@href="/articles/{golden}"]')
    status, search = fetch(site, "/search")
    assert "my.ua" in search.xpath('//select[@id="outlet"]/option/text()')


def test_a_day_without_a_time_is_shown_as_the_day(
    site: Any, tmp_path: Path, import_records: Any
) -> None:
    """A page that names only its day is stored at midnight; the pages must not say 00:00."""
    record = {
        "id": "dayonly1",
        "title": "Громада відкрила новий міст через Черемош",
        "blocks": [{"kind": "paragraph", "text": "Міст через Черемош відкрили для руху."}],
        "published_at": "2025-06-03T00:00:00+03:00",
        "metadata": {"published_precision": "day"},
        "outlet": "Вісті Верховини",
    }
    import_records(site, tmp_path, record)
    status, page = fetch(site, "/articles/dayonly1")
    assert status == 200
    [moment] = page.xpath('//article[@class="full"]/p[@class="meta"]/time')
    assert (moment.text_content(), moment.get("datetime")) == ("03.06.2025", "2025-06-03")
    status, listing = fetch(site, "/outlets/" + quote("Вісті Верховини"))
    assert [t.text_content() for t in listing.xpath("//article//time")] == ["03.06.2025"]


def test_a_story_that_begins_or_ends_on_a_day_without_a_time_says_the_day(
    site: Any, tmp_path: Path, import_records: Any
) -> None:
    """A story's header said «з 03.06.2025 00:00» where its first report names only its day
    (stored at midnight); the front and entity pages did the same; the timeline did not."""
    gas = (
        "Міністр енергетики Герман Галущенко заявив, що Україна припинить транзит "
        "російського газу з 1 січня. «Ми не будемо продовжувати контракт з Газпромом», "
        "— сказав Галущенко журналістам у Києві."
    )
    budget = (
        "Прем'єр-міністр Денис Шмигаль заявив, що уряд спрямує додаткові кошти на "
        "відновлення шкіл у прифронтових громадах. «Кожна школа отримає укриття», "
        "— сказав Шмигаль на засіданні уряду."
    )
    began, ended = "з 02.06.2025 до 03.06.2025 14:05", "з 02.06.2025 14:05 до 03.06.2025"
    records = [
        ("began-day", "Україна припинить транзит газу", gas, "2025-06-02"),
        ("began-time", "Транзиту газу не буде", gas, "2025-06-03T14:05:00+03:00"),
        ("ended-time", "Уряд спрямує кошти на школи", budget, "2025-06-02T14:05:00+03:00"),
        ("ended-day", "Школи отримають укриття", budget, "2025-06-03"),
    ]
    import_records(
        site,
        tmp_path,
        *(
            {"id": i, "title": t, "text": body, "published_at": when}
            for i, t, body, when in records
        ),
    )
    with SQLiteStore(site.settings.db_path) as store:
        stories = {}
        for article_id in ("began-day", "ended-day"):
            link = store.story_link(article_id)
            assert link is not None
            stories[article_id] = f"/stories/{store.resolve_story(link.story_id)}"

    _, page = fetch(site, stories["began-day"])
    assert began in " ".join(text(page, META).split())
    _, page = fetch(site, stories["ended-day"])
    assert ended in " ".join(text(page, META).split())

    front_times = []
    for number in range(1, 20):
        _, front = fetch(site, f"/?page={number}")
        front_times = front.xpath(f'//li[.//h2/a[@href="{stories["began-day"]}"]]//time/text()')
        if front_times:
            break
    assert front_times == ["02.06.2025"]
    entity_href = page.xpath('//aside[@class="entities"]//a/@href')[0]
    _, entity = fetch(site, entity_href)
    href = stories["ended-day"]
    assert entity.xpath(f'//li[.//h3/a[@href="{href}"]]//time/text()') == ["03.06.2025"]


def test_a_story_of_articles_without_an_outlet_does_not_say_zero_sources(
    site: Any, tmp_path: Path, import_records: Any
) -> None:
    """Corpus texts may name no outlet and no URL: the story counts its articles instead."""
    body = "У Рахові відкрили музей гуцульського ліжника з колекцією з трьохсот виробів."
    items = [
        {"id": f"anon{n}", "title": "У Рахові відкрили музей ліжника", "text": f"{body} {n}"}
        for n in range(2)
    ]
    import_records(site, tmp_path, *items)
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("anon0")
    assert link is not None
    _, page = fetch(site, f"/stories/{link.story_id}")
    meta = text(page, META)
    assert "0 джерел" not in meta and "2 статті" in meta
    _, front = fetch(site, "/")
    counts = [c.text_content() for c in front.xpath('//span[@class="count"]')]
    assert "0 джерел" not in counts


def test_a_story_has_one_headline_in_lists_on_its_page_and_in_feeds(
    site: Any, tmp_path: Path, import_records: Any, retold: list[dict[str, str]]
) -> None:
    """Its most typical title, as `strichka story` shows it, never its original's in one place
    and another title elsewhere."""
    import_records(site, tmp_path, *retold)
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("ferry0")
        assert link is not None
        story_id = store.resolve_story(link.story_id)
        headline = site.context.stories.summary(store, story_id).headline
    assert headline != retold[0]["title"]  # the original's title is not the headline
    href = f"/stories/{story_id}"

    _, front = fetch(site, "/")
    assert [a.text_content() for a in front.xpath(f'//h2/a[@href="{href}"]')] == [headline]
    # the lines under the headline are that headline's article's, not the original's
    [told] = [item["text"] for item in retold if item["title"] == headline]
    [lead] = front.xpath(f'//li[.//h2/a[@href="{href}"]]//p[@class="lead"]')
    assert told.split(".")[0] in lead.text_content()
    _, page = fetch(site, href)
    assert text(page, "//h1") == headline
    assert text(page, "//title") == f"{headline} · стрічка"
    feed = lxml.etree.fromstring(httpx.get(site.url + "/feeds/stories.xml", timeout=10).content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [
        e.findtext(atom + "title")
        for e in feed.iter(atom + "entry")
        if e.findtext(atom + "id").endswith(href)
    ]
    assert titles == [headline]
    entity_href = page.xpath('//aside[@class="entities"]//a/@href')[0]
    _, entity = fetch(site, entity_href)
    assert [a.text_content() for a in entity.xpath(f'//h3/a[@href="{href}"]')] == [headline]


def test_a_list_page_past_its_last_is_not_found_not_other_articles(site: Any, flood: Any) -> None:
    """Past the last page of stories the front page once listed articles as if no story
    were built («Сюжети ще не зібрано»), and far past it said the store was empty."""
    status, front = fetch(site, "/")
    assert status == 200 and front.xpath('//ol[@class="stories"]/li')
    assert not front.xpath('//nav[@class="pager"]')  # every story fits on the first page
    _, story = fetch(site, f"/stories/{flood.story_id}")
    entity = story.xpath('//aside[@class="entities"]//a/@href')[0]
    outlet = "/outlets/" + quote(flood.outlets[0])
    for path in ("/?page=2", "/?page=1000", f"{entity}?page=2", f"{outlet}?page=50"):
        status, page = fetch(site, path)
        assert status == 404, path
        assert text(page, "//h1") == "Не знайдено"
        assert text(page, "//main/p[1]") == "Такої сторінки немає."
    assert fetch(site, f"{entity}?page=1")[0] == fetch(site, f"{outlet}?page=1")[0] == 200


def test_a_story_page_shows_what_each_outlet_added_with_a_link_to_its_article(
    site: Any, tmp_path: Path, import_records: Any, retold: list[dict[str, str]]
) -> None:
    import_records(site, tmp_path, *retold)
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link("ferry0")
        assert link is not None
        story_id = store.resolve_story(link.story_id)
    _, page = fetch(site, f"/stories/{story_id}")
    [item] = page.xpath('//section[@class="additions"]//li')
    assert item.xpath('string(.//span[@class="outlet"])') == retold[1]["outlet"]
    assert item.xpath(".//a/@href") == ["/articles/ferry1"]
    assert "відбуксирували пором до причалу" in item.text_content()

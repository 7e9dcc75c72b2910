"""HTML pages → Article: the body a reader would see, the page's facts, and only typed errors."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from strichka.errors import EmptyInput, InputError, MalformedItem
from strichka.extract.html import Candidate, choose_by_agreement, read_html
from strichka.records import Block, content_id, normalise_text, url_id

PARAGRAPHS = (
    "Київська міська рада у вівторок ухвалила програму відновлення шкіл, пошкоджених під час "
    "обстрілів, і виділила на неї понад два мільярди гривень із міського бюджету.",
    "За словами заступника міського голови, першими відремонтують укриття у сорока двох "
    "школах Дарницького та Деснянського районів, де навчання досі відбувається змішано.",
    "Депутати також підтримали поправку, яка зобов'язує підрядників щомісяця звітувати про "
    "витрати, а громадськість зможе стежити за ходом робіт на відкритій мапі.",
    "Батьки учнів, які прийшли під стіни ради, наголосили, що чекають на відкриття укриттів "
    "ще до початку нового навчального року і готові допомагати волонтерськими силами.",
    "Експерти з освітньої політики вважають, що програма може стати зразком для інших міст, "
    "якщо вдасться дотримати прозорих умов закупівель і не затягнути строки будівництва.",
    "Наступне засідання комісії з питань освіти заплановане на кінець місяця, коли мають "
    "представити перший звіт про використання коштів і перелік відремонтованих об'єктів.",
)
HEADINGS = ("Що зміниться для учнів", "Як контролюватимуть витрати")
TITLE = "Київрада виділила понад два мільярди гривень на відновлення шкіл"
DESCRIPTION = "Гроші підуть передусім на укриття в школах лівобережжя."
PAGE_URL = "https://news.example.ua/kyiv/2024/03/05/shkoly?utm_source=telegram"


def news_page(*, description: str = DESCRIPTION, extra_head: str = "") -> str:
    p = [f"<p>{text}</p>" for text in PARAGRAPHS]
    return f"""<!DOCTYPE html>
<html lang="uk-UA">
<head>
  <meta charset="utf-8">
  <title>{TITLE} | Новини Столиці</title>
  <meta property="og:title" content="{TITLE}">
  <meta property="og:description" content="{description}">
  <meta property="og:site_name" content="Новини Столиці">
  <meta property="og:image" content="/media/2024/03/shkola.jpg">
  <meta property="article:published_time" content="2024-03-05T14:30:00+02:00">
  <meta name="author" content="Олена Коваленко">
  <link rel="canonical" href="/kyiv/2024/03/05/shkoly">
  {extra_head}
</head>
<body>
  <nav><ul><li><a href="/">Головна</a></li><li><a href="/kyiv">Київ</a></li>
    <li><a href="/sport">Спорт</a></li><li><a href="/culture">Культура</a></li></ul></nav>
  <main>
    <article>
      <h1>{TITLE}</h1>
      <div class="byline">Олена Коваленко, 5 березня 2024</div>
      {p[0]}{p[1]}
      <h2>{HEADINGS[0]}</h2>
      {p[2]}{p[3]}
      <h2>{HEADINGS[1]}</h2>
      {p[4]}{p[5]}
    </article>
  </main>
  <aside><h3>Популярне</h3><ul><li><a href="/a">Погода на вихідні</a></li>
    <li><a href="/b">Курс валют</a></li></ul></aside>
  <footer><p>© 2024 Новини Столиці. Усі права захищено.</p></footer>
  <script>window.dataLayer = [];</script>
</body>
</html>"""


def test_ukrainian_news_page_reads_as_a_structured_article() -> None:
    article = read_html(news_page(), source="page.html", url=PAGE_URL)

    assert article.title == TITLE
    assert article.paragraphs == PARAGRAPHS
    assert article.headings == HEADINGS
    # Sub-headings stay where they stand in the text.
    kinds = [b.kind for b in article.blocks]
    assert (
        kinds
        == ["paragraph"] * 2 + ["heading"] + ["paragraph"] * 2 + ["heading"] + ["paragraph"] * 2
    )
    assert "Курс валют" not in article.body_text
    assert "Усі права захищено" not in article.body_text

    canonical = "https://news.example.ua/kyiv/2024/03/05/shkoly"
    assert article.canonical_url == canonical
    assert article.url == PAGE_URL
    assert article.id == url_id(canonical)
    assert article.image is not None
    assert article.image.url == "https://news.example.ua/media/2024/03/shkola.jpg"
    assert article.published_at == datetime(2024, 3, 5, 12, 30, tzinfo=UTC)
    assert article.published_at.utcoffset() == timedelta(hours=2)
    assert article.authors == ("Олена Коваленко",)
    assert article.language == "uk"
    assert article.outlet == "Новини Столиці"
    assert article.outlet_domain == "news.example.ua"
    assert article.lead == DESCRIPTION
    assert article.source_format == "html"


def test_a_page_that_names_no_site_is_credited_to_its_domain_not_its_host() -> None:
    """trafilatura names such a page by its host («127.0.0.1:8765», port included), which
    lists showed as the outlet."""
    page = news_page().replace('<meta property="og:site_name" content="Новини Столиці">', "")
    page = page.replace(f"{TITLE} | Новини Столиці", TITLE)
    for url in (PAGE_URL, "http://127.0.0.1:8765/news/1"):
        article = read_html(page, source="page.html", url=url)
        assert article.outlet is None
        assert article.publisher == article.outlet_domain
    titled = page.replace(f"<title>{TITLE}", f"<title>{TITLE} | news.example.ua")
    assert read_html(titled, source="page.html", url=PAGE_URL).publisher == "news.example.ua"


def test_description_that_repeats_the_first_paragraph_is_not_a_lead() -> None:
    cut_short = PARAGRAPHS[0][:90].rsplit(" ", 1)[0] + " вид…"
    for description in (PARAGRAPHS[0], cut_short):
        article = read_html(news_page(description=description), source="page.html")
        assert article.lead is None
        assert article.paragraphs[0] == PARAGRAPHS[0]


def test_a_cookie_notice_inside_the_article_is_not_its_text() -> None:
    notice = (
        "<p>Ми використовуємо файли cookie, щоб сайт працював краще. Продовжуючи перегляд, "
        "ви погоджуєтеся з Політикою конфіденційності.</p>"
    )
    page = news_page().replace("<article>", "<article>" + notice)
    article = read_html(page, source="page.html")
    assert article.blocks[0].text == PARAGRAPHS[0]
    assert not any("cookie" in block.text for block in article.blocks)


def test_page_without_any_url_gets_a_content_id() -> None:
    page = news_page().replace('<link rel="canonical" href="/kyiv/2024/03/05/shkoly">', "")
    article = read_html(page, source="page.html")
    assert article.canonical_url is None
    assert article.outlet_domain is None
    # A relative og:image cannot be resolved without the page's address.
    assert article.image is None
    expected = content_id(article.title, article.lead, article.blocks)
    assert article.id == expected
    # The same page read twice is the same article.
    assert read_html(page, source="again.html").id == expected


def test_json_ld_time_without_zone_takes_the_default_zone() -> None:
    page = news_page().replace(
        '<meta property="article:published_time" content="2024-03-05T14:30:00+02:00">',
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@graph": [{"@type": "NewsArticle", "datePublished": "2024-07-01T09:15:00"}]}</script>',
    )
    article = read_html(page, source="page.html", url=PAGE_URL, default_tz=UTC)
    assert article.published_at == datetime(2024, 7, 1, 9, 15, tzinfo=UTC)


def test_a_meta_tag_that_names_several_properties_gives_the_time() -> None:
    """The New York Times: property="article:published", itemprop="datePublished dateCreated";
    missing it left only trafilatura's guess of the day, shown as midnight."""
    page = news_page().replace(
        '<meta property="article:published_time" content="2024-03-05T14:30:00+02:00">',
        '<meta property="article:published" itemprop="datePublished dateCreated" '
        'content="2019-11-19T11:00:09.000Z">',
    )
    article = read_html(page, source="page.html", url=PAGE_URL)
    assert article.published_at == datetime(2019, 11, 19, 11, 0, 9, tzinfo=UTC)
    assert "published_precision" not in article.metadata


def test_truncated_page_keeps_the_text_that_arrived() -> None:
    page = news_page()
    cut = page.index(PARAGRAPHS[3]) + 40
    article = read_html(page[:cut], source="cut.html", url=PAGE_URL)
    assert article.paragraphs[:3] == PARAGRAPHS[:3]
    assert PARAGRAPHS[5] not in article.body_text


@pytest.mark.parametrize("fraction", [0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
def test_page_cut_anywhere_gives_an_article_or_a_typed_error(fraction: float) -> None:
    page = news_page()
    try:
        article = read_html(page[: int(len(page) * fraction)], source="cut.html")
    except InputError as error:
        assert error.source == "cut.html"
    else:
        assert article.body_text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><script>var a = 1; document.write('hi');</script></head></html>",
        "<html><body><script>app.render({items: []})</script><noscript>Enable JS</noscript>"
        "<div id='root'></div></body></html>",
        "<html><head><title>Заголовок</title></head><body></body></html>",
    ],
)
def test_page_without_article_text_is_malformed(page: str) -> None:
    with pytest.raises(MalformedItem) as caught:
        read_html(page, source="app.html")
    assert caught.value.source == "app.html"


@pytest.mark.parametrize("page", ["", "   \n\t  "])
def test_blank_page_is_empty_input(page: str) -> None:
    with pytest.raises(EmptyInput):
        read_html(page, source="blank.html")


@pytest.mark.parametrize(
    "page",
    [
        "<<<>>>&&&;;;</",
        "\x00\x01\x02 binary \ufffd\ufffd",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
        "<html><body>" + "<div>" * 5000 + "глибоко" + "</div>" * 5000 + "</body></html>",
        '<html><body><p title="' + "a" * 3_000_000 + '">Короткий текст.</p></body></html>',
        '<html><head><script type="application/ld+json">' + "[" * 10_000 + "</script></head>"
        "<body><p>текст</p></body></html>",
        '<html><head><link rel="canonical" href="http://[::1"></head><body>x</body></html>',
    ],
)
def test_hostile_input_only_ever_raises_typed_errors(page: str) -> None:
    try:
        article = read_html(page, source="hostile.html", url="http://[bad")
    except InputError as error:
        assert error.source == "hostile.html"
    else:
        assert article.body_text.strip()
        assert article.canonical_url is None  # nothing there is a usable address


def test_vote_prefers_the_body_the_other_extractors_confirm() -> None:
    article = tuple(Block("paragraph", p) for p in PARAGRAPHS)
    menu = (Block("paragraph", "Головна Київ Спорт Культура Погода на вихідні Курс валют"),)
    candidates = [
        Candidate("too-much", menu + article),
        Candidate("right", article),
        Candidate("too-little", article[:2]),
        Candidate("also-right", article),
    ]
    assert choose_by_agreement(candidates).name == "right"
    assert choose_by_agreement([Candidate("empty", ()), Candidate("x", article)]).name == "x"


BENCHMARK_PAGES = (
    "3c6d3381ef52ca26be2fbde19c1b0fe17d85682b726dfecf5e300c1ca34546b1",  # wday.ru, Russian
    "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34",
    "05844573ca7e1fba714d715bb11ca08c26e25328999c74a1cb3bc8a0e4399f0f",
)


@pytest.mark.parametrize("page_id", BENCHMARK_PAGES)
def test_real_pages_keep_the_gold_article_text(shared_data: Path, page_id: str) -> None:
    benchmark = shared_data / "extraction" / "article-extraction-benchmark"
    truth = json.loads((benchmark / "ground-truth.json").read_text(encoding="utf-8"))[page_id]
    html = gzip.decompress((benchmark / "html" / f"{page_id}.html.gz").read_bytes())
    article = read_html(html.decode("utf-8"), source=page_id, url=truth["url"])

    sentences = [s for s in re.split(r"(?<=[.!?])\s+", truth["articleBody"]) if len(s.split()) >= 8]
    body = normalise_text(article.body_text)
    assert normalise_text(sentences[0]) in body
    assert normalise_text(sentences[-1]) in body
    assert article.title
    assert article.canonical_url is not None
    assert article.canonical_url.startswith("https://")


def test_a_declared_day_without_a_time_is_marked_day_only() -> None:
    """`article:published_time` = «2024-03-05» was read as midnight and shown as «00:00»."""
    page = news_page().replace('content="2024-03-05T14:30:00+02:00"', 'content="2024-03-05"')
    article = read_html(page, source="page.html", url=PAGE_URL)
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2024-03-05"
    assert article.published_day_only

"""The REST API over a real uvicorn: reads, paging, caching, search, and guarded writes."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from strichka.store import SQLiteStore
from strichka.store.base import Lease

GOLDEN = "000_3e1ff92a3d920351.txt"


def get(site: Any, path: str, **params: Any) -> httpx.Response:
    return httpx.get(site.url + path, params=params, timeout=10)


def test_articles_page_by_cursor_through_every_article_once(site: Any) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = get(site, "/api/articles", **params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 26
    assert seen[0] == "hostile0"  # the newest
    assert seen.index("sample24") < seen.index("sample00")


def test_articles_filter_by_outlet(site: Any) -> None:
    items = get(site, "/api/articles", outlet=site.outlets[0], limit=100).json()["items"]
    assert items and {item["outlet"] for item in items} == {site.outlets[0]}


def test_article_by_id_has_stable_fields(site: Any) -> None:
    article = get(site, "/api/articles/sample03").json()
    assert {"id", "title", "lead", "outlet", "url", "published_at", "blocks", "image"} <= set(
        article
    )
    assert article["blocks"][0]["kind"] == "paragraph"


def test_an_article_without_a_lead_gets_its_first_sentences(site: Any, seeds_dir: Path) -> None:
    article = get(site, "/api/articles/sample03").json()
    assert article["lead"] == "Депутати обговорили бюджет на 2003 рік. Київ чекає рішення."
    assert article["lead_extracted"] is True
    listed = get(site, "/api/articles", limit=100).json()["items"]
    assert next(i for i in listed if i["id"] == "sample03")["lead"] == article["lead"]

    [golden] = site.import_files(seeds_dir / GOLDEN)
    given = get(site, f"/api/articles/{golden}").json()
    assert given["lead"].startswith("Венесуельський лідер Ніколас Мадуро попросив")
    assert given["lead_extracted"] is False
    # the analysis an analyst needs, with offsets into analysis_text
    text, analysis = given["analysis_text"], given["analysis"]
    putin = [e for e in analysis["entities"] if e["canonical"] == "Володимир Путін"]
    assert {text[e["start"] : e["end"]] for e in putin} >= {"Путіна", "Путіну"}
    assert {c["outlet"] for c in analysis["citations"] if c["kind"] == "outlet"} >= {
        "The Washington Post",
        "Bloomberg",
    }


def test_unknown_article_is_404_with_a_code(site: Any) -> None:
    response = get(site, "/api/articles/ffffffffffff")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "E202"


def test_etag_answers_304_when_unchanged(site: Any) -> None:
    first = get(site, "/api/articles/sample05")
    etag = first.headers["etag"]
    again = httpx.get(
        site.url + "/api/articles/sample05", headers={"If-None-Match": etag}, timeout=10
    )
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.content == b""


def test_search_finds_the_golden_item_in_any_inflection(site: Any, seeds_dir: Path) -> None:
    [golden] = site.import_files(seeds_dir / GOLDEN)
    for query in ("Путіну", "Путін", "Венесуела", "Венесуелі", '"військова допомога"'):
        items = get(site, "/api/search", q=query).json()["items"]
        assert golden in [item["article"]["id"] for item in items], query
    hit = get(site, "/api/search", q="Путіну").json()["items"][0]
    assert "<mark>Путіна</mark>" in hit["title_html"]


def test_search_operators_and_filters(site: Any) -> None:
    def ids(**params: Any) -> set[str]:
        return {
            item["article"]["id"] for item in get(site, "/api/search", **params).json()["items"]
        }

    assert ids(q="бюджету", limit=100) >= {f"sample{n:02d}" for n in range(25)}
    assert ids(q="бюдж*", limit=100) == ids(q="бюджет", limit=100)
    assert ids(q="бюджет NOT Київ") == set()
    assert ids(q="бюджет", outlet=site.outlets[1], limit=100) == {
        f"sample{n:02d}" for n in range(25) if n % 3 == 1
    }
    assert ids(
        q="бюджет", since="2025-10-20T00:00:00+03:00", until="2025-10-22T00:00:00+03:00"
    ) == {
        "sample19",
        "sample20",
    }


def test_search_pages_by_cursor(site: Any) -> None:
    first = get(site, "/api/search", q="бюджет", limit=10).json()
    second = get(site, "/api/search", q="бюджет", limit=10, cursor=first["next_cursor"]).json()
    assert not {i["article"]["id"] for i in first["items"]} & {
        i["article"]["id"] for i in second["items"]
    }


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "(Путін", "Путін)", "NOT Путін", "-Путін", "!!!", "x" * 600, 'AND OR "'],
)
def test_malformed_query_is_4xx_not_500(site: Any, query: str) -> None:
    response = get(site, "/api/search", q=query)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJrIjoieCJ9", "e30"])
def test_foreign_cursor_is_400(site: Any, cursor: str) -> None:
    assert get(site, "/api/articles", cursor=cursor).status_code == 400


def test_snippet_and_title_are_escaped(site: Any) -> None:
    hit = get(site, "/api/search", q="Венесуелу").json()["items"]
    hostile = next(item for item in hit if item["article"]["id"] == "hostile0")
    assert "<script>" not in hostile["title_html"]
    assert "&lt;script&gt;" in hostile["title_html"]
    assert "<img" not in hostile["snippet_html"]
    assert "<mark>Венесуелу</mark>" in hostile["snippet_html"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/sources", {"url": "https://example.org/feed.xml"}),
        ("/api/articles", [{"title": "Нове"}]),
        ("/api/poll", None),
    ],
)
@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_writes_without_the_key_are_401(site: Any, path: str, body: Any, key: str | None) -> None:
    headers = {"X-API-Key": key} if key else {}
    response = httpx.post(site.url + path, json=body, headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "E501"


def test_import_with_the_key_is_searchable_at_once(site: Any) -> None:
    item = {"title": "Рідкісне слово квазіпаротяг", "text": "Про квазіпаротяги.", "outlet": "X"}
    response = httpx.post(
        site.url + "/api/articles", json=[item], headers={"X-API-Key": site.api_key}, timeout=10
    )
    assert response.status_code == 200, response.text
    [article_id] = response.json()["ids"]
    items = get(site, "/api/search", q="квазіпаротяг").json()["items"]
    assert [i["article"]["id"] for i in items] == [article_id]


def test_invalid_write_bodies_are_4xx(site: Any) -> None:
    headers = {"X-API-Key": site.api_key}
    cases: list[tuple[str, Any]] = [
        ("/api/sources", {"url": "not a url"}),
        ("/api/sources", {"url": "https://a.example", "extra": 1}),
        ("/api/articles", [{"text": "no title"}]),
        ("/api/articles", {"title": "not a list"}),
    ]
    for path, body in cases:
        response = httpx.post(site.url + path, json=body, headers=headers, timeout=10)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["message"]


def test_a_loopback_source_is_refused_with_4xx(site: Any) -> None:
    response = httpx.post(
        site.url + "/api/sources",
        json={"url": "http://127.0.0.1:9/feed.xml"},
        headers={"X-API-Key": site.api_key},
        timeout=10,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "E401"


def test_request_bodies_are_capped(site: Any) -> None:
    big = [{"title": "x", "text": "слово " * 20_000}]
    response = httpx.post(
        site.url + "/api/articles", json=big, headers={"X-API-Key": site.api_key}, timeout=10
    )
    assert response.status_code == 413


def test_stories_are_listed_and_unknown_story_is_404(site: Any) -> None:
    assert get(site, "/api/stories").json()["next_cursor"] is None
    assert get(site, "/api/stories/nosuchstory").status_code == 404


def test_sources_list(site: Any) -> None:
    assert get(site, "/api/sources").json() == {"items": []}


def test_openapi_document_is_served(site: Any) -> None:
    document = get(site, "/api/openapi.json").json()
    assert {
        "/api/articles",
        "/api/search",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/related",
        "/api/articles/{article_id}/related",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/sources",
    } <= set(document["paths"])


@pytest.fixture
def golden(site: Any, seeds_dir: Path) -> str:
    """The golden item, imported (again: an unchanged import keeps its id and story)."""
    [article_id] = site.import_files(seeds_dir / GOLDEN)
    return article_id


def _golden_story(site: Any, golden: str) -> dict[str, Any]:
    for item in get(site, "/api/stories", limit=100).json()["items"]:
        story = get(site, f"/api/stories/{item['id']}").json()
        if golden in [a["id"] for a in story["articles"]]:
            return story
    raise AssertionError("the golden item is in no story")


def test_entities_by_kind_list_donald_trump_and_page_by_cursor(site: Any, golden: str) -> None:
    people = get(site, "/api/entities", kind="PER", limit=100).json()["items"]
    assert "Дональд Трамп" in [p["name"] for p in people]
    assert {p["kind"] for p in people} == {"PER"}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"kind": "LOC", "limit": 3} | (
            {"cursor": cursor} if cursor else {}
        )
        page = get(site, "/api/entities", **params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) > 3
    # a cursor of one kind's list is refused for another's
    first = get(site, "/api/entities", kind="LOC", limit=1).json()["next_cursor"]
    assert get(site, "/api/entities", kind="PER", cursor=first).status_code == 400
    assert get(site, "/api/entities", kind="nonsense").status_code == 422


def test_an_entity_has_aliases_mentions_and_its_stories(site: Any, golden: str) -> None:
    people = get(site, "/api/entities", kind="PER", limit=100).json()["items"]
    putin = next(p for p in people if p["name"] == "Володимир Путін")
    entity = get(site, f"/api/entities/{putin['id']}").json()
    assert "Путіна" in entity["aliases"]
    assert entity["mentions"] >= 5
    assert golden in [
        a["id"]
        for s in entity["stories"]
        for a in get(site, f"/api/stories/{s['id']}").json()["articles"]
    ]
    assert get(site, "/api/entities/nosuchentity").status_code == 404


def test_the_golden_story_carries_citations_quotes_claims_and_the_contradiction(
    site: Any, golden: str
) -> None:
    story = _golden_story(site, golden)
    assert len(story["korotko"]) >= 2
    cited = {c["outlet"]: c["citations"] for c in story["cited_outlets"]}
    assert cited["The Washington Post"] == 2
    assert "Джеймс Сторі" in [q["speaker"] for q in story["quotes"]]
    sources = [group["source"] for group in story["claims"]]
    assert {"Bloomberg", "The Wall Street Journal"} <= set(sources)
    pairs = [(c["denial"]["source"], c["report"]["source"]) for c in story["contradictions"]]
    assert ("Bloomberg", "The Wall Street Journal") in pairs
    wsj = next(g for g in story["claims"] if g["source"] == "The Wall Street Journal")
    assert wsj["claims"][0]["disputed"] is True
    assert "Ніколас Мадуро" in [e["name"] for e in story["entities"]]


PARADE = {
    "id": "parade01",
    "title": "Мадуро провів військовий парад у Каракасі",
    "text": "Президент Венесуели Ніколас Мадуро провів військовий парад у Каракасі з нагоди "
    "Дня незалежності. У параді взяли участь тисячі військових і нова техніка.",
    "outlet": "Четверте видання",
    "published_at": "2025-07-05T12:00:00+03:00",
    "url": "https://example.org/parade",
}


@pytest.fixture
def parade(site: Any, tmp_path: Path, import_records: Any) -> str:
    """The parade report, another story about Venezuela than the golden item's."""
    [stored] = import_records(site, tmp_path, PARADE)
    return str(stored)


def test_related_stories_never_include_the_story_itself(
    site: Any, golden: str, parade: str
) -> None:
    stories = get(site, "/api/stories", limit=100).json()["items"]
    assert len(stories) > 1
    related_somewhere = False
    for story in stories:
        response = get(site, f"/api/stories/{story['id']}/related", limit=5)
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["items"]]
        assert story["id"] not in ids and len(ids) <= 5
        related_somewhere |= bool(ids)
    assert related_somewhere
    assert get(site, "/api/stories/nosuchstory/related").status_code == 404


def test_an_articles_other_news_are_stories_like_its_own_never_its_own(
    site: Any, golden: str, parade: str
) -> None:
    own = _story_of(site, "parade01")["id"]
    golden_story = _golden_story(site, golden)["id"]
    assert own != golden_story

    response = get(site, "/api/articles/parade01/related", limit=3)
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert golden_story in ids  # Мадуро and Венесуела in both
    assert own not in ids and len(ids) <= 3
    assert get(site, "/api/articles/ffffffffffff/related").status_code == 404


def _story_of(site: Any, article_id: str) -> dict[str, Any]:
    for item in get(site, "/api/stories", limit=100).json()["items"]:
        story = get(site, f"/api/stories/{item['id']}").json()
        if article_id in [a["id"] for a in story["articles"]]:
            return story
    raise AssertionError(f"{article_id} is in no story")


def test_a_story_read_before_a_copy_arrived_shows_the_copy_after(
    site: Any, tmp_path: Path, import_records: Any
) -> None:
    """Story pages are kept between reads; a new member must still show on the next read."""
    item = {
        "id": "stadium1",
        "title": "У Львові відкрили новий стадіон на дванадцять тисяч місць",
        "text": "У Львові після трьох років будівництва відкрили стадіон на дванадцять тисяч "
        "глядачів. Першу гру на ньому зіграють місцеві команди в неділю.",
        "outlet": "Перша газета",
        "published_at": "2025-08-01T10:00:00+03:00",
        "url": "https://example.org/stadium",
    }
    import_records(site, tmp_path, item)
    before = _story_of(site, "stadium1")
    assert [a["id"] for a in before["articles"]] == ["stadium1"]
    assert before["why"] == []  # nothing is shared by a story of one article
    republished = item | {
        "id": "stadium2",
        "url": "https://example.net/copy",
        "outlet": "Друге радіо",
    }
    import_records(site, tmp_path, republished)
    after = get(site, f"/api/stories/{before['id']}").json()
    assert sorted(a["id"] for a in after["articles"]) == ["stadium1", "stadium2"]
    assert "стадіон" in after["why"]


def test_a_story_is_named_by_one_headline_in_every_list_and_on_its_own(
    site: Any, tmp_path: Path, import_records: Any, retold: list[dict[str, str]]
) -> None:
    """`headline` is the same wherever a story appears; `title` stays its original's."""
    import_records(site, tmp_path, *retold)
    story = _story_of(site, "ferry0")
    assert story["title"] == retold[0]["title"]
    assert story["headline"] in [item["title"] for item in retold[1:]]
    listed = get(site, "/api/stories", limit=100).json()["items"]
    [item] = [s for s in listed if s["id"] == story["id"]]
    assert (item["headline"], item["title"]) == (story["headline"], story["title"])


def test_a_story_begins_with_its_first_report_and_says_when_that_names_only_a_day(
    site: Any, tmp_path: Path, import_records: Any, retold: list[dict[str, str]]
) -> None:
    """A report dated by its day only (stored at its midnight) is first only over reports of
    earlier days; `first_at` is the first report's own time, as `first_outlet` is its outlet."""
    day_only = {**retold[0], "id": "ferry-day", "published_at": "2025-08-02",
                "url": "https://example.org/ferry/day", "outlet": "День"}  # fmt: skip
    import_records(site, tmp_path, *retold, day_only)
    story = _story_of(site, "ferry-day")
    listed = get(site, "/api/stories", limit=100).json()["items"]
    [item] = [s for s in listed if s["id"] == story["id"]]
    assert item["first_outlet"] == retold[0]["outlet"]
    assert item["first_at"] == retold[0]["published_at"]
    assert (item["first_day_only"], item["last_day_only"]) == (False, True)
    assert item["last_at"] == "2025-08-02T00:00:00+03:00"  # the day, at its midnight in Kyiv


FLOOD = 60


@pytest.fixture(scope="module")
def flood(site: Any, tmp_path_factory: pytest.TempPathFactory, import_flood: Any) -> Any:
    return import_flood(site, tmp_path_factory.mktemp("flood"), FLOOD)


def _page_through(site: Any, story_id: str, cursor: str | None, limit: int) -> list[str]:
    seen: list[str] = []
    while cursor is not None:
        response = get(site, f"/api/stories/{story_id}/articles", cursor=cursor, limit=limit)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["story_id"] == story_id and page["article_count"] == FLOOD
        assert 0 < len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
    return seen


def test_a_big_story_shows_its_first_page_and_counts_every_article(site: Any, flood: Any) -> None:
    story_id, expected, outlets = flood
    story = get(site, f"/api/stories/{story_id}").json()
    assert story["article_count"] == FLOOD
    assert [a["id"] for a in story["articles"]] == expected[:50]  # earliest first, as before
    assert story["next_cursor"]
    assert set(story["outlets"]) == set(outlets)
    # first: the earliest dated report, not an undated one listed before it
    dated = [a for a in story["articles"] if a["published_at"]]
    assert story["first_outlet"] == dated[0]["outlet"] != story["articles"][0]["outlet"]
    assert story["title"].startswith("Повінь на Закарпатті")
    assert story["headline"].startswith("Повінь на Закарпатті")
    page = httpx.get(site.url + f"/stories/{story_id}", timeout=10).text
    assert f"<h1>{story['headline']}</h1>" in page  # the page shows the API's headline
    short = get(site, f"/api/stories/{story_id}", limit=3).json()
    assert [a["id"] for a in short["articles"]] == expected[:3]
    assert short["korotko"] == story["korotko"]  # the summary is the whole story's


def test_a_big_story_pages_through_every_article_once_in_timeline_order(
    site: Any, flood: Any
) -> None:
    story_id, expected = flood.story_id, flood.article_ids
    story = get(site, f"/api/stories/{story_id}").json()
    rest = _page_through(site, story_id, story["next_cursor"], limit=7)
    assert [a["id"] for a in story["articles"]] + rest == expected
    # from the start, without a cursor, in pages of any size
    first = get(site, f"/api/stories/{story_id}/articles", limit=9).json()
    assert [a["id"] for a in first["items"]] == expected[:9]
    whole = [a["id"] for a in first["items"]] + _page_through(
        site, story_id, first["next_cursor"], limit=100
    )
    assert whole == expected and len(set(whole)) == FLOOD
    # the copies say what they copy
    items = get(site, f"/api/stories/{story_id}/articles", limit=100).json()["items"]
    originals = [item["id"] for item in items if item["duplicate_of"] is None]
    assert len(originals) == 1 and {i["duplicate_of"] for i in items} == {None, originals[0]}


def test_a_small_story_is_whole_on_its_first_page(site: Any) -> None:
    for item in get(site, "/api/stories", limit=100).json()["items"]:
        story = get(site, f"/api/stories/{item['id']}").json()
        if story["article_count"] <= 50:
            assert story["next_cursor"] is None
            assert len(story["articles"]) == story["article_count"] >= 1
            page = get(site, f"/api/stories/{item['id']}/articles").json()
            assert page["items"] == story["articles"] and page["next_cursor"] is None


def _cursor(**state: Any) -> str:
    raw = json.dumps(state).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def test_a_foreign_or_garbled_story_cursor_is_400(site: Any, flood: Any) -> None:
    story_id = flood.story_id
    path = f"/api/stories/{story_id}/articles"
    good = get(site, path, limit=5).json()["next_cursor"]
    state = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    other = next(
        s["id"] for s in get(site, "/api/stories", limit=100).json()["items"] if s["id"] != story_id
    )
    foreign = [
        "garbage",
        "e30",  # {}
        good[:-3],
        get(site, "/api/articles", limit=1).json()["next_cursor"],  # another list's
        _cursor(k="s", o=20),  # the story list's
        _cursor(**state | {"s": other}),  # another story's
        _cursor(**state | {"s": "nosuchstory"}),
        _cursor(**state | {"q": 2**70}),  # past what SQLite holds
        _cursor(**state | {"q": "1"}),
        _cursor(**state | {"o": -1}),
        _cursor(**state | {"u": None}),
        _cursor(**{key: value for key, value in state.items() if key != "i"}),
    ]
    for cursor in foreign:
        response = get(site, path, cursor=cursor)
        assert response.status_code == 400, (cursor, response.text)
        assert response.json()["error"]["code"] == "E502"
    # the story's own cursor works
    assert get(site, path, cursor=good).status_code == 200
    assert get(site, "/api/stories/nosuchstory/articles").status_code == 404
    assert get(site, path, cursor=good, limit=0).status_code == 422
    assert get(site, path, limit=101).status_code == 422


def test_story_paging_is_described_in_openapi(site: Any) -> None:
    document = get(site, "/api/openapi.json").json()
    articles = document["paths"]["/api/stories/{story_id}/articles"]["get"]
    parameters = {p["name"]: p for p in articles["parameters"]}
    assert {"story_id", "cursor", "limit"} <= set(parameters)
    assert parameters["cursor"]["description"] and parameters["limit"]["description"]
    story = document["paths"]["/api/stories/{story_id}"]["get"]
    assert {p["name"]: p for p in story["parameters"]}["limit"]["description"]
    fields = document["components"]["schemas"]["StoryOut"]["properties"]
    assert fields["next_cursor"]["description"] and fields["article_count"]["description"]
    page = document["components"]["schemas"]["StoryArticlePage"]["properties"]
    assert {"story_id", "items", "article_count", "next_cursor"} <= set(page)


def test_a_poll_while_another_poller_holds_the_database_is_409(site: Any) -> None:
    """`strichka run` and the API's poll must not fetch the same queue at once."""
    now = time.time()
    holder = Lease("another-host", 4242, "their-token", acquired_at=now, expires_at=now + 600)
    with SQLiteStore(site.settings.db_path) as store:
        store.acquire_lease(holder, now=now, holder_gone=lambda _: False)
    try:
        response = httpx.post(
            site.url + "/api/poll", headers={"X-API-Key": site.api_key}, timeout=10
        )
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "E203"
        assert "pid 4242 on host another-host" in error["message"]
    finally:
        with SQLiteStore(site.settings.db_path) as store:
            store.release_lease(holder.token)
    response = httpx.post(site.url + "/api/poll", headers={"X-API-Key": site.api_key}, timeout=30)
    assert response.status_code == 200
    assert response.json()["updated"] == 0


def test_a_story_says_what_each_outlet_added_to_the_first_report(
    site: Any, tmp_path: Path, import_records: Any, retold: list[dict[str, str]]
) -> None:
    import_records(site, tmp_path, *retold)
    story = _story_of(site, "ferry0")
    assert story["additions"] == [
        {
            "outlet": retold[1]["outlet"],
            "article_id": "ferry1",
            "sentence": "Рятувальники відбуксирували пором до причалу, ніхто не постраждав.",
            "published_at": "2025-08-02T10:00:00+03:00",
        }
    ]

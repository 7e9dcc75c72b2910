"""Assignment: copies link to their original, unrelated news stays apart, ids are stable."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from strichka.nlp.analysis import LanguageResources
from strichka.records import Article, stable_id
from strichka.store import SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer
from strichka.stories.index import StoryParams
from strichka.stories.summary import summarise

from .conftest import article, long_texts, paragraphs, press, seed_article, store_and_assign


def test_near_duplicates_of_real_articles_are_linked_to_the_original(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    engine = StoryEngine.load(store, analyzer)
    base = datetime(2024, 5, 1, 9, tzinfo=UTC)
    originals = long_texts(bruk, 3)
    for n, record in enumerate(originals):
        text = paragraphs(record)
        original = article(f"o{n}", record["title"], text, published_at=base)
        copies = [
            # the tail trimmed
            article(f"t{n}", record["title"], text[: max(3, len(text) * 2 // 3)]),
            # a reworded headline
            article(f"h{n}", "Терміново: " + record["title"].lower(), text),
            # a paragraph added
            article(f"p{n}", record["title"], [*text, "Читайте нас у Telegram."]),
        ]
        story = store_and_assign(store, engine, original)
        for offset, copy in enumerate(copies, start=1):
            copy = copy.with_changes(published_at=base + timedelta(hours=offset))
            _, stored = store.upsert_article(copy)
            assignment = engine.assign(stored)
            assert assignment.story_id == story
            assert assignment.duplicate_of == original.id, copy.title


def test_unrelated_articles_on_one_topic_stay_apart(store: SQLiteStore, analyzer: Analyzer) -> None:
    engine = StoryEngine.load(store, analyzer)
    first = article(
        "a",
        "У Львові водій маршрутки збив пішохода на вулиці Городоцькій",
        [
            "Увечері 3 травня у Львові на вулиці Городоцькій водій маршрутки №29 збив "
            "чоловіка, який переходив дорогу на червоне світло.",
            "Потерпілого госпіталізували, поліція відкрила провадження.",
        ],
    )
    second = article(
        "b",
        "На Київщині вантажівка зіткнулася з легковиком: двоє загиблих",
        [
            "На трасі Київ – Чоп поблизу Макарова вантажівка DAF виїхала на зустрічну смугу "
            "та зіткнулася з автомобілем Skoda.",
            "Водій і пасажир легковика загинули на місці, рятувальники деблокували тіла.",
        ],
    )
    assert store_and_assign(store, engine, first) != store_and_assign(store, engine, second)


def test_the_seed_item_under_two_urls_is_one_story_with_one_duplicate(
    store: SQLiteStore, analyzer: Analyzer, seeds_dir: Path, language: LanguageResources
) -> None:
    item = seed_article(seeds_dir, language)
    engine = StoryEngine.load(store, analyzer)
    assignments = []
    for n, url in enumerate(("https://my.ua/news/1", "https://example.org/mirror/1")):
        copy = item.with_changes(id=stable_id(f"url:{url}"), url=url, canonical_url=url)
        _, stored = store.upsert_article(copy)
        assignments.append(engine.assign(stored))
        assert len({a.story_id for a in assignments}) == 1, n
    assert [a.duplicate_of for a in assignments] == [None, assignments[0].article_id]
    summary = summarise(store, assignments[0].story_id, analyzer=analyzer, index=engine.index)
    assert summary.article_count == 2
    assert summary.headline == item.title
    assert len(summary.korotko) >= 2
    assert "Ніколас Мадуро" in [entity.name for entity in summary.top_entities]
    # the copy repeats the original's words: its quotes and claims are not counted again
    assert summary.cited_outlets[0] == ("The Washington Post", 2)
    assert len(summary.contradictions) == 2


def test_story_ids_are_stable_across_reimport_and_recluster(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    articles = press(bruk, 40)
    engine = StoryEngine.load(store, analyzer)
    first = [store_and_assign(store, engine, a) for a in articles]
    again = StoryEngine.load(store, analyzer)
    assert [store_and_assign(store, again, a) for a in articles] == first
    StoryEngine.load(store, analyzer).recluster()
    assert [store.story_link(a.id).story_id for a in articles] == first  # type: ignore[union-attr]


def test_a_rebuild_goes_on_past_stories_that_went_cold_while_it_replayed(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    """Ten days of unrelated news, five reports an hour: a story goes cold (and leaves memory)
    once the replay is two windows past it, yet every report still gets its story."""
    rng = random.Random(3)
    words = sorted({w for r in bruk for w in r["text"].split() if w.isalpha() and len(w) > 5})
    start = datetime(2024, 5, 1, tzinfo=UTC)
    for n in range(1100):
        store.upsert_article(
            article(
                f"cold{n}",
                " ".join(rng.sample(words, 6)),
                [" ".join(rng.sample(words, 40))],
                published_at=start + timedelta(minutes=12 * n),
            )
        )
    assert StoryEngine.load(store, analyzer).recluster() == 1100
    assert all(store.story_link(stable_id(f"cold{n}")) for n in range(1100))


def test_a_merged_story_id_still_resolves_also_after_a_rebuild(
    store: SQLiteStore, analyzer: Analyzer, tmp_path: Path
) -> None:
    engine = StoryEngine.load(store, analyzer)
    first, second, third = (
        article("m1", "Перша", ["Текст один про події."]),
        article("m2", "Друга", ["Інший текст про інше."]),
        article("m3", "Третя", ["Зовсім третій текст про щось."]),
    )
    a, b, c = (store_and_assign(store, engine, item) for item in (first, second, third))
    store.merge_story(b, a)
    store.merge_story(c, a)
    assert store.resolve_story(b) == store.resolve_story(c) == a
    # the rebuild opens b again (its article is unlike a's); c's article is gone, so c
    # stays what it was merged into
    with sqlite3.connect(tmp_path / "stories.db") as db:
        db.execute("DELETE FROM articles WHERE id = ?", (third.id,))
    StoryEngine.load(store, analyzer).recluster()
    assert (store.resolve_story(a), store.resolve_story(b), store.resolve_story(c)) == (a, b, a)


def test_a_copy_published_earlier_but_arriving_later_becomes_the_original(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    """Feeds deliver out of order: who reported first is decided by publication time."""
    engine = StoryEngine.load(store, analyzer)
    [record] = long_texts(bruk, 1)
    noon = datetime(2024, 5, 1, 12, tzinfo=UTC)
    late = article("late", record["title"], paragraphs(record), published_at=noon)
    early = article(
        "early", record["title"], paragraphs(record), published_at=noon - timedelta(hours=3)
    )
    story = store_and_assign(store, engine, late)
    assert store_and_assign(store, engine, early) == story  # the story keeps its id
    assert store.story_link(early.id).duplicate_of is None  # type: ignore[union-attr]
    assert store.story_link(late.id).duplicate_of == early.id  # type: ignore[union-attr]


def test_of_two_copies_equal_in_time_the_first_to_arrive_is_the_original(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    engine = StoryEngine.load(store, analyzer)
    unrelated, record = long_texts(bruk, 2)
    store_and_assign(store, engine, article("other", unrelated["title"], paragraphs(unrelated)))
    noon = datetime(2024, 5, 1, 12, tzinfo=UTC)
    for published_at in (None, noon):
        key = f"{published_at}"
        first, second = (
            article(f"{name}-{key}", record["title"], paragraphs(record), published_at=published_at)
            for name in ("first", "second")
        )
        story = store_and_assign(store, engine, first)
        assert store_and_assign(store, engine, second) == story
        assert store.story_link(first.id).duplicate_of is None  # type: ignore[union-attr]
        assert store.story_link(second.id).duplicate_of == first.id  # type: ignore[union-attr]


SCHOOLS = (
    "Кабмін виділив 2 мільярди гривень на ремонт шкіл у Харківській області",
    [
        "Кабінет міністрів виділив 2 мільярди гривень на відновлення шкіл Харківської "
        "області, пошкоджених обстрілами. Про це повідомив прем'єр-міністр Денис Шмигаль.",
        "Кошти спрямують на ремонт 120 шкіл до початку навчального року.",
    ],
)
SCHOOLS_AGAIN = (
    "Уряд спрямує 2 млрд гривень на відновлення 120 шкіл Харківщини",
    [
        "Уряд ухвалив рішення виділити 2 мільярди гривень на ремонт 120 шкіл у Харківській "
        "області, які постраждали від обстрілів.",
        "Як заявив Денис Шмигаль, роботи з відновлення шкіл мають завершити до вересня.",
    ],
)


@pytest.mark.parametrize(("days", "how"), [(1, "joined"), (20, "new")])
def test_a_reworded_report_joins_while_the_story_is_warm_and_not_after(
    store: SQLiteStore, analyzer: Analyzer, days: int, how: str
) -> None:
    """The same words weeks later are a new event (another school year, another budget)."""
    engine = StoryEngine.load(store, analyzer)
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    story = store_and_assign(store, engine, article("s1", *SCHOOLS, published_at=start))
    later = article("s2", *SCHOOLS_AGAIN, published_at=start + timedelta(days=days))
    _, stored = store.upsert_article(later)
    assignment = engine.assign(stored)
    assert assignment.how == how
    assert (assignment.story_id == story) is (how == "joined")


_ODESA = [
    (
        "od-late",
        "Удар по порту Одеси: Кіпер розповів про наслідки",
        [
            "Олег Кіпер розповів про наслідки нічної атаки ударних безпілотників на Одесу. "
            "За його даними, пошкоджено порт і зерновий термінал, троє людей поранені.",
            "Сили протиповітряної оборони знищили 17 дронів над Одеською областю.",
        ],
        11,
    ),
    (
        "od-early",
        "Росія вночі атакувала Одесу ударними дронами: пошкоджено порт",
        [
            "Уночі російські війська атакували Одесу ударними безпілотниками, повідомив "
            "начальник Одеської обласної військової адміністрації Олег Кіпер.",
            "Пошкоджено зерновий термінал у порту, троє людей поранені. Сили протиповітряної "
            "оборони знищили 17 дронів.",
        ],
        6,
    ),
    (
        "kh",
        "Харків атакували керовані авіабомби: загинула жінка",
        [
            "Російські війська вранці скинули на Харків дві керовані авіабомби. Загинула "
            "54-річна жінка, ще п'ятеро людей поранені, повідомив Ігор Терехов.",
        ],
        8,
    ),
]


def test_recluster_keeps_story_ids_when_an_earlier_report_arrived_later(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    """Online, the 11:00 report opened the story and the 06:00 one joined it later; a
    rebuild must not rename the story after the 06:00 report, and after a setting change
    every old id still resolves."""
    day = datetime(2025, 6, 3, tzinfo=UTC)
    items = [
        article(key, title, text, published_at=day + timedelta(hours=hour))
        for key, title, text, hour in _ODESA
    ]
    with SQLiteStore(tmp_path / "stories.db") as store:
        engine = StoryEngine.load(store, analyzer)
        ids = {item.id: store_and_assign(store, engine, item) for item in items}
        assert ids[items[0].id] == ids[items[1].id] != ids[items[2].id]
        StoryEngine.load(store, analyzer).recluster()
        assert {a.id: store.story_link(a.id).story_id for a in items} == ids  # type: ignore[union-attr]
        # after a setting change that splits or fuses stories, every old id still resolves
        # to a story holding some of its articles
        for params in (StoryParams(threshold=1.01, merge_threshold=1.01), StoryParams(0.01, 0.01)):
            StoryEngine.load(store, analyzer, params).recluster()
            now = {a.id: store.story_link(a.id).story_id for a in items}  # type: ignore[union-attr]
            for old in set(ids.values()):
                had = {now[key] for key, story in ids.items() if story == old}
                assert store.resolve_story(old) in had


def _greetings(key: str, where: str, city: str) -> Article:
    """One press release as each region's post office sends it out: the words are the
    template's, only the region differs."""
    return article(
        key,
        f"Листоноші {city} доставлять ветеранам привітання Президента",
        [
            f"З 6 по 8 травня працівники Укрпошти {where} доставлять ветеранам Другої "
            "світової війни персональні привітання від Президента України з Днем пам'яті та "
            "перемоги.",
            "Якщо листоноша не застане ветерана вдома, привітання можна буде отримати у "
            "відділенні зв'язку або домовитися про доставку заздалегідь.",
        ],
    )


def test_one_release_from_two_oblasts_is_two_stories_and_a_third_joins_its_own(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    """Not even a near-duplicate: the same words from another region are another event,
    whether the region is written «у Сумській області» or «на Сумщині»."""
    engine = StoryEngine.load(store, analyzer)
    poltava = store_and_assign(store, engine, _greetings("pl", "у Полтавській області", "Полтави"))
    _, sumy = store.upsert_article(_greetings("su", "на Сумщині", "Сум"))
    assignment = engine.assign(sumy)
    assert (assignment.how, assignment.duplicate_of) == ("new", None)
    assert assignment.story_id != poltava
    again = store_and_assign(store, engine, _greetings("pl2", "на Полтавщині", "Кременчука"))
    assert again == poltava

"""A story as readers get it: sources, quotes, claims, contradictions, related."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.store import SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer
from strichka.stories.summary import related_stories, summarise, typical_article

from .conftest import article, press, seed_article, store_and_assign


def test_the_seed_story_shows_its_sources_quotes_claims_and_the_contradiction(
    store: SQLiteStore, analyzer: Analyzer, seeds_dir: Path, language: LanguageResources
) -> None:
    engine = StoryEngine.load(store, analyzer)
    _, stored = store.upsert_article(seed_article(seeds_dir, language))
    summary = summarise(
        store, engine.assign(stored).story_id, analyzer=analyzer, index=engine.index
    )

    assert dict(summary.cited_outlets) == {
        "The Washington Post": 2,
        "Bloomberg": 1,
        "The Wall Street Journal": 1,
    }
    speakers = {quote.speaker for quote in summary.quotes}
    assert {"Джеймс Сторі", "Дональд Трамп"} <= speakers
    by_source = dict(summary.claims)
    assert [c.stance for c in by_source["Bloomberg"]] == ["denies"]
    assert "готуються завдати ударів" in by_source["The Wall Street Journal"][0].text

    pairs = {(c.denial.source, c.report.source) for c in summary.contradictions}
    assert ("Bloomberg", "The Wall Street Journal") in pairs
    # the denial is paired only with the report it is about, not with every claim that
    # names the United States or Venezuela (the Washington Post's, the documents')
    assert {report for _, report in pairs} == {"The Wall Street Journal"}
    bloomberg = next(c for c in summary.contradictions if c.denial.source == "Bloomberg")
    assert bloomberg.denial.text.startswith("Водночас президент США Дональд Трамп спростував")
    assert {"удар", "Венесуела"} <= set(bloomberg.shared)
    assert summary.disputed(bloomberg.report)
    assert not summary.disputed(by_source["Джеймс Сторі"][0])


def test_related_never_returns_the_story_itself(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    engine = StoryEngine.load(store, analyzer)
    stories = [store_and_assign(store, engine, item) for item in press(bruk, 60)]
    for story in set(stories):
        related = related_stories(store, engine.index, story, k=5)
        assert story not in {r.id for r in related}
        assert len(related) <= 5


METRO_LINE = (
    "Харківський метрополітен продовжить лінію до Салтівки",
    [
        "Виконком Харкова затвердив проєкт продовження лінії метрополітену до Салтівки. "
        "Будівництво тунелю почнеться навесні, гроші дасть кредит ЄІБ."
    ],
)
FARE = [
    "Виконком Харкова підняв тариф на проїзд у метрополітені до 20 гривень. "
    "У виконкомі кажуть, що метрополітен збитковий."
]


def test_related_are_on_the_same_subject_and_chance_overlaps_are_not_shown(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    """«Інші новини» for a Kharkiv metro story: the other metro story, not press texts that
    share a stray word with it."""
    engine = StoryEngine.load(store, analyzer)
    for item in press(bruk, 80):
        store_and_assign(store, engine, item)
    metro = store_and_assign(store, engine, article("metro1", *METRO_LINE))
    other = store_and_assign(
        store, engine, article("metro2", "У Харкові подорожчає проїзд у метрополітені", FARE)
    )
    assert metro != other
    related = related_stories(store, engine.index, metro, k=5)
    assert [r.id for r in related] == [other], [(r.title, r.score) for r in related]


def test_a_report_that_negates_what_a_denial_denies_agrees_with_it(
    store: SQLiteStore, analyzer: Analyzer, language: LanguageResources
) -> None:
    """УНН passing on Газпром's own «суд не відновив арешт» is not a second side."""
    engine = StoryEngine.load(store, analyzer)
    items = [
        article(
            "naftogaz",
            "Суд у Швейцарії відновив арешт акцій Газпрому",
            [
                "Учора «Нафтогаз» заявив, що вищий суд кантону Цуг відновив арешт акцій "
                "Nord Stream AG.",
                "У Газпромі стверджують, що суд не відновив арешт акцій Nord Stream AG, "
                "передає УНН.",
            ],
        ),
        article(
            "gazprom",
            "Газпром спростував відновлення арешту акцій Nord Stream AG",
            [
                "У Газпромі спростували інформацію, що суд відновив арешт акцій Nord Stream AG.",
            ],
        ),
    ]
    stories = {
        store_and_assign(store, engine, with_analysis(item, resources=language)) for item in items
    }
    assert len(stories) == 1
    summary = summarise(store, stories.pop(), analyzer=analyzer, index=engine.index)
    sides = {(c.denial.source, c.report.source) for c in summary.contradictions}
    assert ("Газпром", "Нафтогаз") in sides
    assert ("Газпром", "УНН") not in sides


def test_why_shows_words_a_reader_can_read(store: SQLiteStore, analyzer: Analyzer) -> None:
    """English terms are stems inside («hous», «medic»); «why» shows them as written, and
    Russian lemmas of names keep the capital the text gives them."""
    engine = StoryEngine.load(store, analyzer)
    english = [
        article(
            f"en{n}",
            title,
            [
                f"{opening} President Donald Trump spent the morning at Walter Reed medical "
                "centre in Washington for a routine physical, the White House said."
            ],
            language="en",
        )
        for n, (title, opening) in enumerate(
            [
                ("White House: Trump has a medical checkup", "On Saturday,"),
                ("Trump undergoes a medical checkup at Walter Reed", "This weekend"),
            ]
        )
    ]
    russian = [
        article(
            f"ru{n}",
            title,
            [
                "Депутат Госдумы Наталья Поклонская заявила журналистам в Москве, что "
                "уголовные дела против неё на Украине возбуждены из мести."
            ],
            language="ru",
        )
        for n, title in enumerate(
            ["Поклонская назвала местью уголовные дела", "Поклонская объяснила уголовные дела"]
        )
    ]
    stories = {store_and_assign(store, engine, item) for item in english + russian}
    assert len(stories) == 2
    why = {
        word
        for story in stories
        for word in summarise(store, story, analyzer=analyzer, index=engine.index).why
    }
    assert {"Walter", "Reed", "medical", "Washington"} <= why, why
    assert not {"hous", "medic"} & why
    assert {"Поклонская", "уголовный"} <= why


def test_korotko_takes_no_piece_of_a_quotation_that_runs_over_sentences(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    quoted = (
        '"Держава готова до отримання вакцин проти коронавірусу вже цього місяця. '
        "Сформована потреба в холодильниках, термобоксах та інструментах контролю "
        "температур\", - сказав прем'єр-міністр Денис Шмигаль на засіданні уряду."
    )
    plain = (
        "Україна отримає перші вакцини проти коронавірусу цього місяця, повідомив "
        "прем'єр-міністр Денис Шмигаль на засіданні уряду у середу."
    )
    engine = StoryEngine.load(store, analyzer)
    stories = {
        store_and_assign(
            store, engine, article(f"v{n}", "Шмигаль: Україна готова до вакцин", [text])
        )
        for n, text in enumerate([quoted + " " + plain, plain + " " + quoted])
    }
    [story] = stories
    korotko = summarise(store, story, analyzer=analyzer, index=engine.index).korotko
    assert korotko
    for sentence in korotko:
        assert sentence.count('"') % 2 == 0, sentence


def test_related_stories_are_named_by_their_headline(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    """«Інші новини» name a story as every list does (its most typical title), not by
    whichever of its articles arrived first."""
    engine = StoryEngine.load(store, analyzer)
    for item in press(bruk, 40):
        store_and_assign(store, engine, item)
    metro = store_and_assign(store, engine, article("metro1", *METRO_LINE))
    other = store_and_assign(store, engine, article("metro2", "Новини дня", FARE))
    again = article("metro3", "У Харкові подорожчає проїзд у метрополітені до 20 гривень", FARE)
    assert store_and_assign(store, engine, again) == other != metro
    typical = typical_article(store, engine.index, other)
    assert typical is not None and typical.title == again.title
    related = related_stories(store, engine.index, metro, k=5)
    assert [(r.id, r.title) for r in related] == [(other, again.title)]


def test_why_shows_a_full_name_once_not_also_its_words(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    """«Ігор Терехов» is one name: «why» does not list «Ігор» and «Терехов» beside it."""
    engine = StoryEngine.load(store, analyzer)
    texts = [
        (
            "Харків атакували керовані авіабомби: загинула жінка",
            "Російські війська вранці скинули на Салтівський район Харкова дві керовані "
            "авіабомби. Загинула жінка, п'ятеро людей поранені, повідомив міський голова "
            "Ігор Терехов.",
        ),
        (
            "Удар авіабомбами по Салтівці в Харкові: загинула жінка, п'ятеро поранених",
            "Внаслідок удару керованими авіабомбами по Салтівському району Харкова загинула "
            "жінка, поранені п'ятеро людей. Ігор Терехов уточнив, що пошкоджено багатоповерхівку.",
        ),
    ]
    [story] = {
        store_and_assign(store, engine, article(f"kh{n}", title, [text]))
        for n, (title, text) in enumerate(texts)
    }
    why = summarise(store, story, analyzer=analyzer, index=engine.index).why
    assert "Ігор Терехов" in why, why
    assert not {"Ігор", "Терехов"} & set(why), why


def test_an_outlet_naming_itself_is_neither_a_cited_outlet_nor_a_source(
    store: SQLiteStore, analyzer: Analyzer, language: LanguageResources
) -> None:
    engine = StoryEngine.load(store, analyzer)
    texts = [
        (
            "Суспільне",
            "Одеса після атаки дронів: пошкоджено зерновий термінал",
            "В Одесі внаслідок нічної атаки російських ударних дронів пошкоджено зерновий "
            "термінал у порту, повідомляє Суспільне. Троє людей поранені, повідомляє Reuters.",
        ),
        (
            "Укрінформ",
            "Росія вночі атакувала Одесу дронами: пошкоджено зерновий термінал",
            "Уночі російські війська атакували Одесу ударними дронами, пошкоджено зерновий "
            "термінал у порту, повідомляє Суспільне. Троє людей поранені.",
        ),
    ]
    [story] = {
        store_and_assign(
            store,
            engine,
            with_analysis(article(f"od{n}", title, [text], outlet=outlet), resources=language),
        )
        for n, (outlet, title, text) in enumerate(texts)
    }
    summary = summarise(store, story, analyzer=analyzer, index=engine.index)
    assert dict(summary.cited_outlets) == {"Суспільне": 1, "Reuters": 1}
    # nor does its own report count as a claim it is the source of
    sources = dict(summary.claims)
    assert "Reuters" in sources
    assert [c.text for c in sources["Суспільне"]] == [texts[1][2].split(" Троє")[0]]


def test_korotko_takes_no_sentence_that_points_back_to_the_one_before(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    opening = (
        "Російські дрони атакували порт в Одесі вночі, пошкоджено зерновий термінал і склад. "
        "Про це повідомив начальник обласної військової адміністрації Олег Кіпер у Telegram. "
        "За його словами, внаслідок атаки на порт в Одесі постраждали двоє працівників. "
        "Він додав, що пожежу на складі в порту Одеси вже загасили рятувальники."
    )
    other = (
        "Вночі дрони атакували одеський порт: пошкоджено зерновий термінал, двоє "
        "працівників порту поранені, пожежу на складі загасили."
    )
    engine = StoryEngine.load(store, analyzer)
    [story] = {
        store_and_assign(store, engine, article(f"o{n}", "Дрони атакували порт в Одесі", [text]))
        for n, text in enumerate([opening, other])
    }
    korotko = summarise(store, story, analyzer=analyzer, index=engine.index).korotko
    assert korotko
    for sentence in korotko:
        assert not sentence.startswith(("Про це", "За його словами", "Він")), sentence


_ATTACK = [
    (
        "Суспільне",
        "Росіяни вдарили авіабомбами по Салтівці в Харкові: загинула жінка",
        "Російські війська вранці скинули на Салтівський район Харкова дві керовані "
        "авіабомби. Загинула 54-річна жінка, п'ятеро людей поранені, повідомив міський "
        "голова Ігор Терехов.",
    ),
    (
        "Укрінформ",
        "Удар авіабомбами по Харкову: загинула жінка, є поранені",
        "Внаслідок удару керованими авіабомбами по Салтівському району Харкова загинула "
        "жінка, поранені п'ятеро людей, повідомив Ігор Терехов. Вибуховою хвилею вибито вікна "
        "у дитячому садку та сорока квартирах на вулиці Гвардійців-широнінців.",
    ),
    (
        "Радіо Свобода",
        "Харків: через удар авіабомбами загинула жінка",
        "Російські війська скинули на Салтівський район Харкова дві керовані авіабомби, "
        "загинула жінка, п'ятеро людей поранені. Нагадаємо, минулого тижня окупанти "
        "обстріляли Харків балістичними ракетами, зруйновано складські приміщення.",
    ),
]


def test_each_outlet_adds_what_earlier_reports_did_not_tell(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    """The first report is the story; a later one that tells something new is listed with
    that sentence; one that only retells (or recalls last week) adds nothing."""
    engine = StoryEngine.load(store, analyzer)
    start = datetime(2025, 6, 3, 7, tzinfo=UTC)
    [story] = {
        store_and_assign(
            store,
            engine,
            article(
                f"attack{n}",
                title,
                [text],
                outlet=outlet,
                published_at=start + timedelta(minutes=20 * n),
            ),
        )
        for n, (outlet, title, text) in enumerate(_ATTACK)
    }
    additions = summarise(store, story, analyzer=analyzer, index=engine.index).additions
    assert [(a.outlet, a.sentence) for a in additions] == [
        (
            "Укрінформ",
            "Вибуховою хвилею вибито вікна у дитячому садку та сорока квартирах на вулиці "
            "Гвардійців-широнінців.",
        )
    ]


_DNIPRO = [
    (
        "Укрінформ",
        "Росія вдарила ракетою по Дніпру, є загиблі",
        "Уранці російські війська завдали ракетного удару по житловому будинку в Дніпрі. "
        "Загинули п'ятеро людей, ще 18 поранені.",
    ),
    (
        "РБК-Україна",
        "Зеленський відреагував на ракетний удар по Дніпру",
        "Президент Володимир Зеленський відреагував на ракетний удар по житловому будинку "
        "в Дніпрі, унаслідок якого загинули п'ятеро людей.\n"
        "– Це черговий терор проти мирних людей. Росія має відповісти за кожне життя. Світ "
        "має посилити тиск на Москву, – сказав Зеленський.",
    ),
    (
        "Суспільне",
        "Удар по Дніпру: під завалами можуть бути люди",
        "Унаслідок ракетного удару по житловому будинку в Дніпрі загинули п'ятеро людей.\n"
        "– Під завалами можуть залишатися мешканці під'їзду, – повідомив він. – Рятувальники "
        "розбиратимуть конструкції всю ніч і завтра.\n"
        "– Ми чекаємо від партнерів нових систем протиповітряної оборони, – додав він.",
    ),
]


def test_dash_speech_is_added_whole_and_with_its_named_speaker_or_not_at_all(
    store: SQLiteStore, analyzer: Analyzer
) -> None:
    """Direct speech after a dash is told with the author's words that name who spoke, as a
    quotation in marks is: not a sentence of it alone («– Це черговий терор…» is nobody's
    words, «Світ має посилити тиск…, – сказав Зеленський.» half of them), nor with a «він»
    that points back to someone named before."""
    engine = StoryEngine.load(store, analyzer)
    start = datetime(2025, 6, 3, 7, tzinfo=UTC)
    [story] = {
        store_and_assign(
            store,
            engine,
            article(
                f"dnipro{n}",
                title,
                text.split("\n"),
                outlet=outlet,
                published_at=start + timedelta(minutes=40 * n),
            ),
        )
        for n, (outlet, title, text) in enumerate(_DNIPRO)
    }
    summary = summarise(store, story, analyzer=analyzer, index=engine.index)
    whole = (
        "– Це черговий терор проти мирних людей. Росія має відповісти за кожне життя. "
        "Світ має посилити тиск на Москву, – сказав Зеленський."
    )
    assert [(a.outlet, a.sentence) for a in summary.additions] == [("РБК-Україна", whole)]
    for sentence in summary.korotko:
        assert "–" not in sentence or sentence == whole, sentence

"""Named entities: the golden item's people, places and outlets with canonical names."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from strichka.nlp.entities import EntityResources, recognise
from strichka.records import Mention

SEED = "000_3e1ff92a3d920351"


def _morph() -> Any:
    import pymorphy3

    from strichka.nlp.morph import Morphology

    return Morphology(pymorphy3.MorphAnalyzer(lang="uk"))


@pytest.fixture(scope="module")
def resources() -> EntityResources:
    return EntityResources.load(morph=_morph())


@pytest.fixture(scope="module")
def russian() -> EntityResources:
    import pymorphy3

    from strichka.nlp.morph import Morphology

    return EntityResources.load(morph=Morphology(pymorphy3.MorphAnalyzer(lang="ru")), language="ru")


@pytest.fixture(scope="module")
def seed_mentions(resources: EntityResources) -> tuple[list[Mention], dict[str, Any]]:
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if not (seeds / f"{SEED}.txt").exists():
        pytest.skip("../shared/seeds is absent")
    text = (seeds / f"{SEED}.txt").read_text(encoding="utf-8")
    expected = json.loads((seeds / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    return recognise(text, resources=resources), expected["must"]


def _canonicals(mentions: list[Mention], label: str) -> set[str]:
    return {m.canonical for m in mentions if m.label == label}


def _check_aliases(mentions: list[Mention], aliases: dict[str, list[str]]) -> None:
    for canonical, surfaces in aliases.items():
        for surface in surfaces:
            found = {m.canonical for m in mentions if m.text == surface}
            assert found == {canonical}, f"{surface!r} resolved to {found}, not {canonical!r}"


def test_seed_persons(seeds_dir: Path, seed_mentions: tuple[list[Mention], dict[str, Any]]) -> None:
    mentions, must = seed_mentions
    assert set(must["persons"]) <= _canonicals(mentions, "PER")
    _check_aliases(mentions, must["person_aliases"])


def test_seed_places(seeds_dir: Path, seed_mentions: tuple[list[Mention], dict[str, Any]]) -> None:
    mentions, must = seed_mentions
    assert set(must["places"]) <= _canonicals(mentions, "LOC")
    _check_aliases(mentions, must["place_aliases"])


def test_seed_outlets(seeds_dir: Path, seed_mentions: tuple[list[Mention], dict[str, Any]]) -> None:
    mentions, must = seed_mentions
    assert set(must["cited_outlets"]) <= _canonicals(mentions, "ORG")
    _check_aliases(mentions, must["outlet_aliases"])


def test_seed_has_no_junk(
    seeds_dir: Path, seed_mentions: tuple[list[Mention], dict[str, Any]]
) -> None:
    mentions, _ = seed_mentions
    texts = {m.text for m in mentions}
    assert not texts & {"Коротко", "Також", "Водночас", "Той", "Крім", "Згідно", "Раніше", "Ні"}
    persons = _canonicals(mentions, "PER")
    assert persons <= {
        "Ніколас Мадуро",
        "Володимир Путін",
        "Сі Цзіньпін",
        "Рамон Селестіно Веласкес",
        "Джеймс Сторі",
        "Дональд Трамп",
    }


def test_offsets_point_into_the_text(resources: EntityResources) -> None:
    text = "Президент України Володимир Зеленський зустрівся з Емманюелем Макроном у Парижі."
    for mention in recognise(text, resources=resources):
        assert text[mention.start : mention.end] == mention.text


def test_inflected_forms_get_nominative_canonicals(resources: EntityResources) -> None:
    text = (
        "Міністр закордонних справ Андрій Сибіга провів переговори у Варшаві. "
        "Луганській області допомагає ТОВ «Укргеоекологія». Сибігу підтримали в НАТО."
    )
    by_text = {m.text: m for m in recognise(text, resources=resources)}
    assert by_text["Андрій Сибіга"].label == "PER"
    assert by_text["Андрій Сибіга"].role == "міністр закордонних справ"
    assert by_text["Варшаві"].canonical == "Варшава"
    assert by_text["Луганській області"].canonical == "Луганська область"
    assert by_text["ТОВ «Укргеоекологія»"].label == "ORG"
    assert by_text["НАТО"].label == "ORG"


def test_a_listed_name_is_one_entity_whatever_the_case_of_its_later_words(
    resources: EntityResources,
) -> None:
    """Ukrainian spelling varies in a name's later words («Європейський союз» / «Союз»,
    «Верховний суд» / «Суд»): both are the listed entity, not a second one."""
    text = (
        "Європейський союз продовжив санкції. У Європейському Союзі це пояснили війною. "
        "Верховний суд відхилив скаргу, а Кабінет міністрів оскаржив рішення."
    )
    canonical = {m.text: m.canonical for m in recognise(text, resources=resources)}
    assert canonical["Європейський союз"] == canonical["Європейському Союзі"]
    assert canonical["Верховний суд"] == "Верховний Суд"
    assert canonical["Кабінет міністрів"] == "Кабінет Міністрів України"


def test_unknown_surname_keeps_written_form(resources: EntityResources) -> None:
    text = "Заяву зробив посол Джеймс Сторі. Пізніше Сторі уточнив деталі."
    canonicals = {m.text: m.canonical for m in recognise(text, resources=resources)}
    assert canonicals["Джеймс Сторі"] == "Джеймс Сторі"
    assert canonicals["Сторі"] == "Джеймс Сторі"


def test_abbreviation_in_brackets_resolves_to_the_full_name(resources: EntityResources) -> None:
    text = (
        "Тендер оголосило Державне агентство лісових ресурсів (ДАЛР). Пізніше ДАЛР скасувало торги."
    )
    mentions = recognise(text, resources=resources)
    full = [m for m in mentions if m.text == "Державне агентство лісових ресурсів"]
    assert full and full[0].label == "ORG"
    short = [m for m in mentions if m.text == "ДАЛР"]
    assert len(short) == 2
    assert {m.canonical for m in short} == {"Державне агентство лісових ресурсів"}


@pytest.mark.parametrize(
    ("text", "abbreviation", "expected"),
    [
        (
            "Вакцину схвалило Європейське медичне агентство (EMA). Експерти EMA перевірили дані.",
            "EMA",
            ("ORG", "Європейське медичне агентство"),  # the original's, of a translated name
        ),
        (
            "Проєкт фінансує Консультативна місія Європейського Союзу (EUAM) до кінця року.",
            "EUAM",
            ("ORG", "EUAM"),  # the EU is listed, and its abbreviations with it
        ),
        (
            "На зустріч прийшов Олександр Драбинко (ПЦУ) разом з іншими.",
            "ПЦУ",
            ("ORG", "ПЦУ"),  # a person's church, not the person
        ),
    ],
)
def test_brackets_define_an_abbreviation_only_where_it_can_stand_for_the_name(
    resources: EntityResources, text: str, abbreviation: str, expected: tuple[str, str]
) -> None:
    found = {
        (m.label, m.canonical)
        for m in recognise(text, resources=resources)
        if m.text == abbreviation
    }
    assert found == {expected}


def test_an_abbreviation_is_the_name_the_text_spells_it_out_with(
    resources: EntityResources,
) -> None:
    """«Одеська ОВА» and «Одеська обласна військова адміністрація» are one organisation:
    the initials of the name's words after «Одеська» spell ОВА."""
    text = (
        "Одеська ОВА повідомила про нічну атаку. Як заявили в Одеській обласній військовій "
        "адміністрації, постраждалих немає. Голова Одеської ОВА попросив не знімати наслідки."
    )
    found = {(m.text, m.label, m.canonical) for m in recognise(text, resources=resources)}
    full = "Одеська обласна військова адміністрація"
    assert found == {
        ("Одеська ОВА", "ORG", full),
        ("Одеській обласній військовій адміністрації", "ORG", full),
        ("Одеської ОВА", "ORG", full),
    }


@pytest.mark.parametrize(
    ("text", "abbreviation", "canonical"),
    [
        (
            "Минулого тижня Українська асоціація футболу оштрафувала клуб. В УАФ пояснили чому.",
            "УАФ",
            "Українська асоціація футболу",
        ),
        (  # prepositions and conjunctions give no letter
            "Біржу перевірила Національна комісія з цінних паперів та фондового ринку. "
            "НКЦПФР знайшла порушення.",
            "НКЦПФР",
            "Національна комісія з цінних паперів та фондового ринку",
        ),
        (  # a listed abbreviation keeps its entry, whatever the text spells like it
            "Учора Спілка бджолярів України провела з'їзд. СБУ затримала агента.",
            "СБУ",
            "СБУ",
        ),
        (
            "Скаргу розглянув Європейський суд, а ЄС запровадив санкції.",
            "ЄС",
            "Європейський Союз",
        ),
        (  # two names spell it: the text does not say which
            "Угоду підписали Херсонський морський порт і Херсонська міська поліція. "
            "У ХМП це назвали успіхом.",
            "ХМП",
            "ХМП",
        ),
        ("Минулого тижня УАФ оштрафувала клуб.", "УАФ", "УАФ"),  # nothing defines it
    ],
)
def test_an_abbreviation_resolves_only_to_the_one_name_of_its_text_that_spells_it(
    resources: EntityResources, text: str, abbreviation: str, canonical: str
) -> None:
    found = {m.canonical for m in recognise(text, resources=resources) if m.text == abbreviation}
    assert found == {canonical}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🙂🙂🙂 Путін 🙂 «Київ",
        '«незакрита лапка ТОВ «Ромашка та "ще одна',
        "Ⅻ ⅻ ‼ ⁉ \u0301\u0301 Ї",
        "Kyiv Київ Κίεβο Киев 基辅",
    ],
)
def test_bad_input_does_not_crash(resources: EntityResources, text: str) -> None:
    for mention in recognise(text, resources=resources):
        assert text[mention.start : mention.end] == mention.text


def test_time_stays_linear(resources: EntityResources) -> None:
    word = "а" * (5 * 1024 * 1024)
    started = time.perf_counter()
    assert recognise(word, resources=resources) == []
    assert time.perf_counter() - started < 20

    def fastest_of_three(text: str) -> float:
        # the best of a few runs: a busy machine only ever makes a run slower
        times = []
        for _ in range(3):
            started = time.perf_counter()
            recognise(text, resources=resources)
            times.append(time.perf_counter() - started)
        return max(min(times), 1e-3)

    unit = "Президент Дональд Трамп прилетів до Києва «на переговори. "
    small, large = unit * 50, unit * 400
    # 8x the text: linear is 8x the time, quadratic 64x; 24x leaves room for noise
    assert fastest_of_three(large) < 8 * 3 * fastest_of_three(small)


def test_a_closing_quote_does_not_open_a_name(resources: EntityResources) -> None:
    text = (
        'Потрібні "глушники GPS" і "дрони з дальністю до 1000 км", '
        'а президент США "призначив" його.'
    )
    found = {(m.text, m.canonical) for m in recognise(text, resources=resources)}
    assert ("GPS", "GPS") in found
    assert all('"' not in canonical for _, canonical in found)


def test_straight_and_angle_quotes_give_one_organisation(resources: EntityResources) -> None:
    straight = recognise('Договір уклало ТОВ "Ромашка".', resources=resources)
    angle = recognise("Договір уклало ТОВ «Ромашка».", resources=resources)
    assert [m.nominative for m in straight] == [m.nominative for m in angle] == ["ТОВ «Ромашка»"]


def test_a_low_opening_quote_closes_with_a_high_one(resources: EntityResources) -> None:
    """In „…“ the high mark closes the name: no space before it (not «АТ „Укрпошта “»)."""
    mentions = recognise("Послуги надає АТ „Укрпошта“ у всіх містах.", resources=resources)
    assert [(m.nominative, m.canonical) for m in mentions] == [("АТ „Укрпошта“", "Укрпошта")]


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        (
            "НАК «Нафтогаз України» подала позов. У «Нафтогазі» розраховують на перемогу, "
            "а Нафтогаз України вже найняв юристів.",
            "Нафтогаз",
        ),
        (
            "ПАТ «Укрзалізниця» торік стало АТ «Укрзалізниця». Укрзалізниця купує вагони.",
            "Укрзалізниця",
        ),
        (
            "Землю отримало ТОВ «Укргеоекологія». Фахівці Укргеоекології приїдуть у травні.",
            "Укргеоекологія",
        ),
    ],
)
def test_legal_forms_and_short_forms_name_one_organisation(
    resources: EntityResources, text: str, organisation: str
) -> None:
    """An organisation's page gathers «ПАТ «Укрзалізниця»», «АТ «Укрзалізниця»» and
    «Укрзалізниці»: the legal form and the quotes make no separate organisation."""
    mentions = recognise(text, resources=resources)
    assert {(m.label, m.canonical) for m in mentions} == {("ORG", organisation)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Землю в оренду взяло ТОВ «Україна».", [("ORG", "ТОВ «Україна»")]),
        (
            "Керівник ТОВ «Саражинка» приїхав до села Саражинка.",
            [("ORG", "ТОВ «Саражинка»"), ("LOC", "Саражинка")],
        ),
    ],
)
def test_a_company_named_after_a_place_keeps_its_legal_form(
    resources: EntityResources, text: str, expected: list[tuple[str, str]]
) -> None:
    """Named after a place the gazetteer or the text knows, the company stays apart from it."""
    mentions = recognise(text, resources=resources)
    assert [(m.label, m.canonical) for m in mentions] == expected


def test_words_before_a_quoted_name_decline(resources: EntityResources) -> None:
    text = "Звіт Всеукраїнського товариства «Просвіта» вийшов учора."
    assert [m.canonical for m in recognise(text, resources=resources)] == [
        "Всеукраїнське товариство «Просвіта»"
    ]


def test_english_sentence_starts_are_not_names(resources: EntityResources) -> None:
    """In English text every sentence opens with a capital: «But», «They», «We» name nothing,
    while a Latin-script name in Ukrainian text is still found, «The» included."""
    english = (
        "Trump met the press in Washington. But the talks failed. They said it was over. "
        "Instead, Ukraine will wait. We know why, and these are facts. These are more. "
        "The Washington Post wrote."
    )
    found = {m.text for m in recognise(english, resources=resources)}
    assert found.isdisjoint({"But", "They", "Instead", "We", "These"})
    assert {"Trump", "Washington", "Ukraine", "The Washington Post"} <= found
    ukrainian = "Bloomberg повідомляє, що Трамп прилетів. The Guardian пише про це."
    found = {m.text for m in recognise(ukrainian, resources=resources)}
    assert {"Bloomberg", "The Guardian", "Трамп"} <= found


@pytest.mark.parametrize(
    ("written", "nominative"),
    [
        ("Петра Григоренка", "Петро Григоренко"),  # «Петра» is also a woman's name
        ("Петра Порошенко", "Петра Порошенко"),  # …and here it is one
        ("Зінаїди Тулуб", "Зінаїда Тулуб"),  # «Зінаїди» alone could be a plural
        ("Юлії Тимошенко", "Юлія Тимошенко"),
        ("Марії Захарової", "Марія Захарова"),
        ("Лесі Українки", "Леся Українка"),
        ("Ірини Фаріон", "Ірина Фаріон"),
        ("Миколи Азарова", "Микола Азаров"),
        ("Петром Григоровичем Григоренком", "Петро Григорович Григоренко"),
        ("Жан-Клодом Юнкером", "Жан-Клод Юнкер"),  # the surname is also a common noun
        ("Девіда Бондермана", "Девід Бондерман"),  # only the guesser knows the surname
        ("Асії Бібі", "Асії Бібі"),  # an unknown given name: «Бібі» is not «Біба»'s dative
        ("В. Путіна", "В. Путін"),  # an initial fixes no case; the surname still does
        ("Хайко Мааса", "Хайко Маас"),  # the dictionary's surname is only ever a man's genitive
        ("Валентину Вітеру", "Валентин Вітер"),  # an unknown surname follows its given name
    ],
)
def test_a_name_is_read_in_the_case_and_gender_its_parts_share(
    resources: EntityResources, written: str, nominative: str
) -> None:
    assert resources.lexicon.nominative(written.split(), "PER") == nominative


def test_namesakes_stay_apart_and_a_surname_is_the_one_named_last(
    resources: EntityResources,
) -> None:
    text = (
        "Інспектором гімназії був Олександр Данилович Тулуб. Його сина Данила Тулуба "
        "не пам'ятали. Онука Зінаїда Тулуб стала письменницею. Про Зінаїду Тулуб писали "
        "багато. Згадують і Олександра Тулуба: Тулуба шанували в місті."
    )
    names = {m.text: m.canonical for m in recognise(text, resources=resources)}
    assert names["Олександр Данилович Тулуб"] == "Олександр Тулуб"  # no patronymic
    assert names["Зінаїда Тулуб"] == names["Зінаїду Тулуб"] == "Зінаїда Тулуб"
    assert names["Олександра Тулуба"] == "Олександр Тулуб"
    assert names["Тулуба"] == "Олександр Тулуб"  # the Тулуб named just before


def test_inflected_full_names_resolve_to_the_nominative_the_text_writes(
    resources: EntityResources,
) -> None:
    """«Валентина Вітера» alone may be a woman; beside «Валентин Вітер» it is his genitive.
    «Олександра Тулуб» keeps the nominative surname, so she is not Олександр Тулуб."""
    text = (
        "Рішення Валентина Вітера оскаржать. Суддя Валентин Вітер відмовився коментувати. "
        "Валентину Вітеру погрожували, а Вітера охороняє поліція. Заяву Хайко Мааса "
        "прочитали вголос, Маас приїде завтра. Олександр Тулуб і Олександра Тулуб прийшли."
    )
    names = {m.text: m.canonical for m in recognise(text, resources=resources)}
    assert {names[t] for t in ("Валентина Вітера", "Валентину Вітеру", "Вітера")} == {
        "Валентин Вітер"
    }
    assert names["Хайко Мааса"] == names["Маас"] == "Хайко Маас"
    assert names["Олександра Тулуб"] == "Олександра Тулуб"
    assert names["Олександр Тулуб"] == "Олександр Тулуб"


def test_a_capitalised_adjective_after_a_role_is_no_person(resources: EntityResources) -> None:
    """«Голова Чернівецького осередку» names a branch's head, not a Mr Чернівецький; a
    surname of adjective form stays a person."""
    text = (
        "Голова Чернівецького осередку заявив, що партія піде на вибори. "
        "Заступник Шевченківського голови мовчав, а президент Зеленського не згадав."
    )
    persons = [m.text for m in recognise(text, resources=resources) if m.label == "PER"]
    assert persons == ["Зеленського"]


@pytest.mark.parametrize(
    ("written", "nominative"),
    [
        ("Міська рада Одеси", "Міська рада Одеси"),  # «рада» is no adjective («glad») here
        ("Верховна Рада України", "Верховна Рада України"),  # not plural «України»
        ("Одеській ОВА", "Одеська ОВА"),  # the abbreviation heads: the adjective agrees
        ("Національного банку", "Національний банк"),  # not «банку», the jar банка's accusative
        ("Національному банку", "Національний банк"),
        ("Кабінету Міністрів України", "Кабінет Міністрів України"),
        ("Головного управління", "Головне управління"),  # not «управління» the nominative
        ("Київської Русі", "Київська Русь"),  # not «рух»
        ("Кривому Розі", "Кривий Ріг"),  # not «роза»
        ("Жовті Води", "Жовті Води"),  # a plural name stays plural
    ],
)
def test_organisation_names_in_the_nominative(
    resources: EntityResources, written: str, nominative: str
) -> None:
    assert resources.lexicon.nominative(written.split(), "ORG") == nominative


def test_a_name_s_head_noun_is_read_as_its_adjectives_agree(resources: EntityResources) -> None:
    """«банку» is банк's genitive or dative, and also the jar банка's accusative: the
    adjectives before it say which, so every case form is one bank."""
    text = (
        "Кредит місту надав Європейський інвестиційний банк. Умови Європейського "
        "інвестиційного банку м'якші. Звіт передали Національному банку в четвер."
    )
    bank = "Європейський інвестиційний банк"
    found = {(m.text, m.nominative, m.canonical) for m in recognise(text, resources=resources)}
    assert found == {
        (bank, bank, bank),
        ("Європейського інвестиційного банку", bank, bank),
        ("Національному банку", "Національний банк", "НБУ"),  # the listed bank
    }


def test_a_name_with_two_particles_is_one_person(resources: EntityResources) -> None:
    text = "Заява Урсули фон дер Ляєн прозвучала вчора. Ляєн додала, що рішення буде."
    names = [(m.text, m.canonical) for m in recognise(text, resources=resources)]
    assert names == [
        ("Урсули фон дер Ляєн", "Урсула фон дер Ляєн"),
        ("Ляєн", "Урсула фон дер Ляєн"),
    ]


def test_a_legal_form_opens_a_new_organisation(resources: EntityResources) -> None:
    """The council and the company it leases land to are two organisations, and a verb
    («надала», never the surname Надал's genitive) is no part of either name."""
    text = "Минулого тижня Одеська міськрада надала ТОВ «Грімальді» ділянку в оренду."
    found = {m.text for m in recognise(text, resources=resources) if m.label == "ORG"}
    assert found == {"Одеська міськрада", "ТОВ «Грімальді»"}


@pytest.mark.parametrize(
    "text",
    ["У мережі з'явилося повідомлення «Міст закрито».", "Гасло «Весна переможе» знають усі."],
)
def test_a_quoted_phrase_with_a_verb_is_a_saying_not_an_organisation(
    resources: EntityResources, text: str
) -> None:
    assert [m.text for m in recognise(text, resources=resources) if m.label == "ORG"] == []


def test_russian_names_in_the_nominative_and_no_sentence_openers(russian: EntityResources) -> None:
    """Russian text is read with the Russian dictionary: names and places get their own
    nominative, and words that open a sentence («Напомним», «Ранее», «Министр») name nothing."""
    text = (
        "Министр иностранных дел Германии Хайко Маас встретился в Лондоне с Терезой Мэй. "
        "Напомним, что Великобритания покидает Евросоюз. Ранее Мэй посетила Брюссель, "
        "а представители Газпрома обсуждали поставки в ФРГ."
    )
    mentions = recognise(text, resources=russian)
    assert {(m.text, m.label, m.canonical) for m in mentions} == {
        ("Германии", "LOC", "Германия"),
        ("Хайко Маас", "PER", "Хайко Маас"),
        ("Лондоне", "LOC", "Лондон"),
        ("Терезой Мэй", "PER", "Тереза Мэй"),
        ("Великобритания", "LOC", "Великобритания"),
        ("Евросоюз", "LOC", "Евросоюз"),
        ("Мэй", "PER", "Тереза Мэй"),
        ("Брюссель", "LOC", "Брюссель"),
        ("Газпрома", "ORG", "Газпром"),
        ("ФРГ", "LOC", "ФРГ"),
    }


def test_russian_lone_surname_takes_its_likeliest_case(russian: EntityResources) -> None:
    """«Путина» alone is Путин's genitive far more often than a woman named Путина; a place
    the dictionary also knows as a rare first name is the place (Дании is Denmark's)."""
    mentions = recognise("Журналисты Дании спросили Путина о газе.", resources=russian)
    assert [(m.label, m.canonical) for m in mentions] == [("LOC", "Дания"), ("PER", "Путин")]


def test_russian_nominative_keeps_the_written_e(russian: EntityResources) -> None:
    """The dictionary writes ё; a name the text writes with е keeps е in its base form."""
    mentions = recognise("Премьер Соединенного Королевства выступил.", resources=russian)
    assert [m.canonical for m in mentions] == ["Соединенное Королевство"]


def test_english_dates_and_possessives_are_not_names(resources: EntityResources) -> None:
    """Weekdays, and months beside a number or after «in», «by», are dates; «May» alone may
    be Theresa May; «Johnson's» names Johnson."""
    text = (
        "Theresa May met Johnson's team on Monday in London. The vote is due in February "
        "and results come on 5 May. A deal is expected by March. May said no."
    )
    found = [m.text for m in recognise(text, resources=resources)]
    assert found == ["Theresa May", "Johnson", "London", "May"]


def test_oblasts_coordinated_before_one_head_are_each_a_place(resources: EntityResources) -> None:
    """«Сумській» alone reads as a surname; before «та Харківській областях» it is an oblast."""
    text = "Зеленський провів нараду щодо обстрілів у Сумській та Харківській областях."
    found = {(m.text, m.label, m.canonical) for m in recognise(text, resources=resources)}
    assert ("Сумській", "LOC", "Сумська область") in found
    assert ("Харківській областях", "LOC", "Харківська область") in found
    listed = recognise(
        "Тривога у Львівській, Волинській і Рівненській областях.", resources=resources
    )
    assert _canonicals(listed, "LOC") == {
        "Львівська область",
        "Волинська область",
        "Рівненська область",
    }
    # a surname in another gender than the oblast's adjective stays a person
    person = recognise("Петро Сумський і Харківська область", resources=resources)
    assert _canonicals(person, "PER") == {"Петро Сумський"}

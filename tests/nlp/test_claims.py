"""The golden item's attribution (dates, cited outlets, quotes, roles, claims); bad input."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from strichka.nlp.claims import Attribution, analyse_attribution, roles_by_person
from strichka.nlp.entities import EntityResources, recognise
from strichka.nlp.tokens import split_sentences

SEED = "000_3e1ff92a3d920351"


def load_resources() -> EntityResources:
    import pymorphy3

    from strichka.nlp.morph import Morphology

    return EntityResources.load(morph=Morphology(pymorphy3.MorphAnalyzer(lang="uk")))


def analyse(text: str, resources: EntityResources, reference: date | None = None) -> Attribution:
    return analyse_attribution(
        text,
        mentions=recognise(text, resources=resources),
        sentences=split_sentences(text),
        reference_date=reference,
        resources=resources,
    )


@pytest.fixture(scope="module")
def resources() -> EntityResources:
    return load_resources()


@pytest.fixture(scope="module")
def seed(resources: EntityResources) -> tuple[str, Attribution, dict[str, Any]]:
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if not (seeds / f"{SEED}.txt").exists():
        pytest.skip("../shared/seeds is absent")
    text = (seeds / f"{SEED}.txt").read_text(encoding="utf-8")
    expected = json.loads((seeds / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    reference = date.fromisoformat(expected["reference_date"])
    return text, analyse(text, resources, reference), expected


def test_seed_dates(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    _, attribution, expected = seed
    found = {(d.text, d.value) for d in attribution.dates}
    for item in expected["must"]["dates"]:
        assert (item["text"], item["value"]) in found


def test_seed_cited_outlets_with_cues(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    _, attribution, expected = seed
    outlets = {c.outlet: c.cue for c in attribution.citations if c.kind == "outlet"}
    assert set(outlets) == set(expected["must"]["cited_outlets"])
    assert outlets["The Wall Street Journal"] == "повідомляла"
    assert outlets["Bloomberg"] == "пише"
    cues = {c.cue for c in attribution.citations if c.outlet == "The Washington Post"}
    assert cues == {"повідомляє", "звернуло увагу"}  # the second through the alias WP
    documents = {c.outlet for c in attribution.citations if c.kind == "document"}
    assert "внутрішні документи уряду США" in documents


def test_seed_quotes_with_speakers(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    _, attribution, expected = seed
    for item in expected["must"]["quotes"]:
        if "text" in item:
            matching = [q for q in attribution.quotes if q.text == item["text"]]
        else:
            matching = [q for q in attribution.quotes if q.text.startswith(item["starts_with"])]
        assert [q.speaker for q in matching] == [item["speaker"]]
    assert len(attribution.quotes) == 2  # «розширення військового співробітництва» is no speech


def test_seed_roles(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    text, attribution, expected = seed
    roles = roles_by_person(attribution, text)
    for person, role in expected["should"]["roles"].items():
        assert roles.get(person) == role


def test_seed_attributed_claims(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    _, attribution, _ = seed
    by_source: dict[str, list[Any]] = {}
    for claim in attribution.claims:
        by_source.setdefault(claim.source, []).append(claim)
    post = by_source["The Washington Post"]
    assert any("Мадуро" in c.text and "Путін" in c.text and c.stance == "reports" for c in post)
    assert any(c.cites == "внутрішні документи уряду США" for c in post)
    bloomberg = by_source["Bloomberg"]
    assert [c.stance for c in bloomberg] == ["denies"]
    assert "Трамп спростував" in bloomberg[0].text
    journal = by_source["The Wall Street Journal"]
    assert [c.stance for c in journal] == ["reports"]
    assert "США готуються завдати ударів" in journal[0].text
    trump = by_source["Дональд Трамп"]
    assert any(c.text.startswith('"Ні"') and c.stance == "denies" for c in trump)


def test_json_field_names(seed: tuple[str, Attribution, dict[str, Any]]) -> None:
    _, attribution, _ = seed
    data = attribution.to_dict()
    assert {"text", "start", "end", "value"} <= set(data["dates"][0])
    assert {"outlet", "cue", "sentence"} <= set(data["citations"][0])
    assert {"speaker", "text", "start", "end"} <= set(data["quotes"][0])
    assert {"text", "source", "stance"} <= set(data["claims"][0])
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n ",
        '"Ні, - сказав він. «Так» „ні',
        "😀🇺🇦 Трамп заявив: «😀» 😀",
        "»«»«„““”",
    ],
)
def test_bad_input(resources: EntityResources, text: str) -> None:
    analyse(text, resources, date(2025, 11, 1))


def test_long_input_in_linear_time(resources: EntityResources) -> None:
    text = "слово " * 200_000 + '"' * 1000 + " Bloomberg пише, що «так». " * 2000
    started = time.perf_counter()
    analyse_attribution(
        text, mentions=[], sentences=split_sentences(text), reference_date=None, resources=resources
    )
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "text",
    [
        "Слідчий суддя Іван Петренко не направляв йому повідомлення про підозру.",
        "Відповідно до закону пенсію Олені Коваль перерахували.",
        "Усе, написане Оксаною Забужко, варто перечитати.",
    ],
)
def test_nouns_and_participles_of_speech_verbs_attribute_nothing(
    resources: EntityResources, text: str
) -> None:
    """«повідомлення», «відповідно», «написане» share a speech verb's stem, but nobody
    says anything in these sentences."""
    assert analyse(text, resources).claims == ()


@pytest.mark.parametrize(
    "text",
    [
        'В "Укренерго" підтвердили, що .',
        "Міністр енергетики Ольга Коваль заявила, що .",
        "Президент Франції Емманюель Макрон повідомив.",
    ],
)
def test_a_claim_says_something(resources: EntityResources, text: str) -> None:
    """A sentence of nothing but who speaks and the speech verb has no content to show."""
    assert analyse(text, resources).claims == ()


def test_a_claim_with_content_stays(resources: EntityResources) -> None:
    text = 'В "Укренерго" підтвердили, що відключень не буде.'
    assert [(c.source, c.stance, c.text) for c in analyse(text, resources).claims] == [
        ("Укренерго", "confirms", text)
    ]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "Місто купить два тролейбуси. Про це повідомив міський голова Іван Петренко.",
            "Місто купить два тролейбуси.",
        ),
        (
            "Тоді Ольга Коваль відповіла:\n– Ремонт закінчимо до зими.",
            "Тоді Ольга Коваль відповіла:\n– Ремонт закінчимо до зими.",
        ),
    ],
)
def test_a_bare_attribution_claims_the_sentence_it_points_to(
    resources: EntityResources, text: str, claim: str
) -> None:
    """«Про це повідомив X» reports the sentence before it; «X відповіла:» the one after."""
    assert [c.text for c in analyse(text, resources).claims] == [claim]


def test_a_role_that_opens_the_sentence(resources: EntityResources) -> None:
    text = "Президент Польщі Анджей Дуда прибув до Києва."
    roles = roles_by_person(analyse(text, resources), text)
    assert roles == {"Анджей Дуда": "президент Польщі"}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Іван Петренко заявив, що сесія відбудеться. Олена Коваль сказала, що депутати "
            "прийдуть. Він додав, що бюджет ухвалять.",
            "Іван Петренко",
        ),
        (
            "Олена Коваль заявила, що угоду підписано. Після зустрічі з Іваном Петренком вона "
            "розповіла, що мита скасують.",
            "Олена Коваль",
        ),
    ],
)
def test_the_speaker_has_the_gender_the_words_give(
    resources: EntityResources, text: str, source: str
) -> None:
    """«Він додав» is the man named before, «з Іваном Петренком вона розповіла» is hers."""
    assert analyse(text, resources).claims[-1].source == source

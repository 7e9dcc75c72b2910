"""Cited outlets and documents: each cue on real sentences, and outlets named but not cited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from strichka.nlp.citations import OUTLETS, find_citations
from strichka.nlp.entities import EntityResources, recognise
from strichka.nlp.tokens import split_sentences

from .test_claims import load_resources


@pytest.fixture(scope="module")
def resources() -> EntityResources:
    return load_resources()


def _cited(text: str, resources: EntityResources) -> list[tuple[str, str]]:
    found = find_citations(
        text,
        mentions=recognise(text, resources=resources),
        sentences=split_sentences(text),
        resources=resources,
    )
    return [(c.outlet, c.cue) for c in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Про це повідомляє The Washington Post.", ("The Washington Post", "повідомляє")),
        ("Трамп спростував це, пише агентство Bloomberg.", ("Bloomberg", "пише")),
        (
            "Раніше газета The Wall Street Journal повідомляла, що США готуються.",
            ("The Wall Street Journal", "повідомляла"),
        ),
        ("Ціни зросли, за даними Reuters.", ("Reuters", "за даними")),
        ("Як пише Українська правда, уряд пішов у відставку.", ("Українська правда", "Як пише")),
        ("Видання з посиланням на BBC пише про це.", ("BBC", "з посиланням на")),
    ],
)
def test_written_cues(resources: EntityResources, text: str, expected: tuple[str, str]) -> None:
    assert expected in _cited(text, resources)


@pytest.mark.parametrize(
    "text",
    [
        "Компанія Bloomberg купила новий офіс у Лондоні.",
        "Він багато років працював у The Washington Post.",
        "Reuters і Bloomberg мають бюро в Києві.",
    ],
)
def test_outlet_named_but_not_cited(resources: EntityResources, text: str) -> None:
    assert _cited(text, resources) == []


def test_documents(resources: EntityResources) -> None:
    text = (
        "Видання з посиланням на внутрішні документи уряду США пише, що лист надіслано. "
        "Згідно з тими ж документами, Венесуела зверталася до Китаю. "
        "Як зазначається в документах американського уряду, Веласкес повідомив про це."
    )
    found = _cited(text, resources)
    assert ("внутрішні документи уряду США", "з посиланням на") in found
    assert ("внутрішні документи уряду США", "Згідно з") in found  # «ті ж документи»
    assert ("документи американського уряду", "Як зазначається в") in found


_CUES = {
    "повідомляє": "повідомля[єюв]\\w*",
    "пише": "пише|пишуть|писала?",
    "передає": "переда[єю]",
    "за даними": "за даними",
    "з посиланням на": "з посиланням на",
}


def _real_sentences(shared_data: Path) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for line in (shared_data / "bruk-press" / "bruk-press.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    texts += [
        path.read_text(encoding="utf-8")
        for path in sorted((shared_data / "slavicner-uk-ru" / "raw").glob("*/uk/*.txt"))
    ]
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+|\n", text)]


@pytest.mark.parametrize("cue", sorted(_CUES))
def test_real_sentences_per_cue(shared_data: Path, resources: EntityResources, cue: str) -> None:
    """Real sentences where a cue stands right before a listed outlet yield that citation."""
    names = "|".join(re.escape(n) for n in sorted(OUTLETS, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{_CUES[cue]})\s+(?:агентство\s+|видання\s+)?(?P<o>{names})\b")
    checked = 0
    for sentence in _real_sentences(shared_data):
        match = pattern.search(sentence)
        if match is None:
            continue
        cited = {outlet for outlet, _ in _cited(sentence, resources)}
        assert match.group("o") in cited, sentence
        checked += 1
    if checked == 0:
        pytest.skip(f"no real sentence with «{cue}» before a listed outlet")

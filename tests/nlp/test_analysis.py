"""The whole analysis of the golden item, as `strichka analyze --json` prints it.

The suite blocks every non-loopback socket (pytest-socket), so these tests also prove that
no layer reaches for the network or downloads anything.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from strichka.cli import main

SEED = "000_3e1ff92a3d920351"


@pytest.fixture(scope="module")
def analysed(seeds_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    result = CliRunner().invoke(
        main,
        ["analyze", str(seeds_dir / f"{SEED}.txt"), "--reference-date", "2025-11-01", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    expected = json.loads((seeds_dir / f"{SEED}.expected.json").read_text(encoding="utf-8"))
    return json.loads(result.output), expected["must"]


def test_the_network_is_really_blocked() -> None:
    with pytest.warns(UserWarning), pytest.raises(Exception, match="[Ss]ocket"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_field_names_other_tools_read(analysed: tuple[dict[str, Any], dict[str, Any]]) -> None:
    data, _ = analysed
    for key in ("text", "language", "sentences", "entities", "keywords", "dates", "citations"):
        assert key in data
    assert {"quotes", "claims"} <= data.keys()
    mention = data["entities"][0]
    assert {"text", "start", "end", "label", "canonical"} <= mention.keys()
    assert data["text"][mention["start"] : mention["end"]] == mention["text"]
    first = data["sentences"][0]
    assert data["text"][first["start"] : first["end"]].startswith("Пристрасті навколо")


def test_golden_entities_with_canonical_names(
    analysed: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, must = analysed
    assert data["language"] == must["language"]
    canon = {(m["label"], m["canonical"]) for m in data["entities"]}
    for person in must["persons"]:
        assert ("PER", person) in canon
    for place in must["places"]:
        assert ("LOC", place) in canon
    for outlet in must["cited_outlets"]:
        assert ("ORG", outlet) in canon
    surfaces = {(m["text"], m["canonical"]) for m in data["entities"]}
    for group in ("person_aliases", "place_aliases", "outlet_aliases"):
        for name, aliases in must[group].items():
            for alias in aliases:
                assert (alias, name) in surfaces, f"{alias} → {name}"


def test_golden_dates_citations_and_quotes(
    analysed: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, must = analysed
    dates = {(d["text"], d["value"]) for d in data["dates"]}
    for date in must["dates"]:
        assert (date["text"], date["value"]) in dates
    assert {c["outlet"] for c in data["citations"]} >= set(must["cited_outlets"])
    speakers = {q["speaker"]: q["text"] for q in data["quotes"]}
    for quote in must["quotes"]:
        said = speakers[quote["speaker"]]
        assert said.startswith(quote.get("starts_with", quote.get("text", "")))


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["analyze", str(empty)])
    assert result.exit_code == 1
    assert "[E101]" in result.output and "empty.txt" in result.output


def test_one_sentence_on_stdin_is_analysed() -> None:
    """`import` wants a body under a title; `analyze` takes a sentence as it is."""
    sentence = "Путін заявив у Києві, що Зеленський прилетить до Варшави."
    result = CliRunner().invoke(main, ["analyze", "-", "--json"], input=sentence + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["text"] == sentence
    assert {e["canonical"] for e in data["entities"]} >= {
        "Володимир Путін",
        "Володимир Зеленський",
        "Київ",
        "Варшава",
    }

"""`strichka search` over an imported database: inflections, filters, JSON, bad queries."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from strichka.cli import main

GOLDEN = "000_3e1ff92a3d920351.txt"


def test_search_command_finds_the_golden_item(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "news.db")
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(seeds_dir / GOLDEN), "--db", db]).exit_code == 0
    golden = runner.invoke(main, ["list", "--ids", "--db", db]).output.strip()

    found = runner.invoke(main, ["search", "Путіну", "--json", "--db", db])
    assert found.exit_code == 0, found.output
    [record] = [json.loads(line) for line in found.output.splitlines()]
    assert record["id"] == golden
    assert "<mark>Путіна</mark>" in record["snippet_html"]

    text = runner.invoke(main, ["search", '"військова допомога"', "--db", db])
    assert golden in text.output

    filtered = runner.invoke(main, ["search", "Путіну", "--since", "2030-01-01", "--db", db])
    assert golden not in filtered.output

    bad = runner.invoke(main, ["search", '"Путін', "--db", db])
    assert bad.exit_code == 1
    assert "E106" in bad.output


def test_a_name_the_dictionary_does_not_know_is_found_in_any_form(tmp_path: Path) -> None:
    """«Асія Бібі» is in no dictionary: «Асії», «Асію» and «Асія» must still meet."""
    db = str(tmp_path / "news.db")
    items = tmp_path / "bibi.jsonl"
    items.write_text(
        json.dumps(
            {
                "id": "bibi1",
                "title": "Суд виправдав Асію Бібі",
                "text": "Верховний суд Пакистану скасував вирок Асії Бібі. Адвокат Асії радий.",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(items), "--db", db]).exit_code == 0
    for query in ("Асія", "асія", "Асією", '"Асія Бібі"'):
        found = runner.invoke(main, ["search", query, "--json", "--db", db])
        assert found.exit_code == 0, found.output
        assert [json.loads(line)["id"] for line in found.output.splitlines()] == ["bibi1"], query
    marked = json.loads(runner.invoke(main, ["search", "Асія", "--json", "--db", db]).output)
    assert (
        "<mark>Асію</mark>" in marked["snippet_html"]
        or "<mark>Асії</mark>" in marked["snippet_html"]
    )

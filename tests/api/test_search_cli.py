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

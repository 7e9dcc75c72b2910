"""Story evaluations on the shared corpora: labelled pairs, unrelated texts, topic purity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from strichka.cli import main
from strichka.errors import EmptyInput, MalformedItem
from strichka.evaluation.stories import bruk_false_merges, evaluate_pairs, slavicner_purity
from strichka.stories.features import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.with_entities()


@pytest.mark.slow
def test_unrelated_press_texts_stay_apart(shared_data: Path, analyzer: Analyzer) -> None:
    _, false, total = bruk_false_merges(
        shared_data / "bruk-press" / "bruk-press.jsonl", analyzer=analyzer
    )
    assert total == 580
    assert false <= 3


@pytest.mark.slow
def test_stories_never_mix_topics(shared_data: Path, analyzer: Analyzer) -> None:
    purity, _, _ = slavicner_purity(shared_data / "slavicner-uk-ru" / "raw", analyzer=analyzer)
    assert purity >= 0.98


def test_a_broken_pairs_file_names_the_line(tmp_path: Path, analyzer: Analyzer) -> None:
    good = {"label": "OK", "first": {"title": "А", "text": "а"}, "second": {"title": "Б"}}
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + '{"label": "MAYBE"}\n', encoding="utf-8")
    with pytest.raises(MalformedItem, match=r"pairs.jsonl:3: label must be OK or BAD"):
        evaluate_pairs(path, analyzer=analyzer)
    path.write_text("", encoding="utf-8")
    with pytest.raises(EmptyInput):
        evaluate_pairs(path, analyzer=analyzer)


def test_pairs_without_urls_are_told_apart_by_their_text(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    """Held-out pairs may lack URLs: articles are then keyed by their words."""
    flood = "Повінь у Закарпатті: вода підтопила двісті будинків у Мукачеві"
    strike = "Страйк у порту Одеси зупинив завантаження зерна на три доби"
    rows = [
        {"label": "OK", "first": {"title": flood, "text": flood}, "second": {"title": flood}},
        {"label": "BAD", "first": {"title": flood}, "second": {"title": strike, "text": strike}},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = evaluate_pairs(path, analyzer=analyzer, orders=3)
    assert (report.pairs, report.precision, report.recall) == (2, 1.0, 1.0)
    assert report.orders is not None
    assert (report.orders.count, report.orders.f1_min, report.orders.f1_max) == (3, 1.0, 1.0)


def test_eval_pairs_prints_the_figures_the_issue_names_as_json(shared_data: Path) -> None:
    """The JSON is read by scripts run on held-out pairs: exactly these four keys."""
    result = CliRunner().invoke(
        main, ["eval", "pairs", str(shared_data / "story-pairs" / "pairs-dev.jsonl"), "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert set(figures) == {"precision", "recall", "f1", "pairs"}
    assert figures["pairs"] == 113 and 0.85 <= figures["f1"] <= 1.0

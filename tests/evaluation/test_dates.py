"""Date evaluation on ner-uk's DATE spans: the figures `make eval` prints."""

from __future__ import annotations

from pathlib import Path

from strichka.evaluation.dates import evaluate_dates, format_report


def test_recall_and_resolution_on_ner_uk(shared_data: Path) -> None:
    report = evaluate_dates(shared_data / "ner-uk-v2-dev")
    assert report["gold_dates"] > 1000
    assert report["recall"] >= 0.9
    assert report["precision"] >= 0.8
    assert report["resolved_with_reference"] >= 0.95
    assert "recall" in format_report(report)

"""Story evaluations on the shared corpora: labelled pairs, unrelated texts, topic purity."""

from __future__ import annotations

from pathlib import Path

import pytest

from strichka.evaluation.stories import bruk_false_merges, evaluate_pairs, slavicner_purity
from strichka.stories.features import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.with_entities()


def test_same_story_pairs_reach_the_dev_figure(shared_data: Path, analyzer: Analyzer) -> None:
    report = evaluate_pairs(shared_data / "story-pairs" / "pairs-dev.jsonl", analyzer=analyzer)
    assert report.pairs == 113
    assert report.f1 >= 0.85, report.describe()


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

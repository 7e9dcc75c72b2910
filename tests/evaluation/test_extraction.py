"""The extraction benchmark's measure, on strings small enough to check by hand, and a real run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from strichka.evaluation.extraction import (
    OURS,
    evaluate_extraction,
    format_report,
    match_page,
    precision_recall_f1,
    report_to_json,
    score_extractor,
    shingles,
)

GOLD = "Київрада виділила два мільярди гривень на відновлення шкіл у столиці"


def test_identical_text_scores_one() -> None:
    assert match_page(GOLD, GOLD) == (1.0, 0.0, 0.0)
    assert precision_recall_f1([match_page(GOLD, GOLD)]) == (1.0, 1.0, 1.0)


def test_disjoint_text_scores_zero() -> None:
    matching = match_page(GOLD, "Погода на вихідні: дощ і сильний вітер у Карпатах")
    tp, fp, fn = matching
    assert tp == 0.0
    assert fp > 0.0
    assert fn > 0.0
    assert fp + fn == pytest.approx(1.0)
    assert precision_recall_f1([matching]) == (0.0, 0.0, 0.0)


def test_half_the_gold_found_and_nothing_extra() -> None:
    # 5 tokens → 2 shingles; the prediction has only the first one: P = 1, R = 1/2.
    precision, recall, f1 = precision_recall_f1([match_page("a b c d e", "a b c d")])
    assert (precision, recall) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)


def test_shingles_count_repeats_and_cover_short_texts() -> None:
    assert shingles("x x x x x") == {("x", "x", "x", "x"): 2}
    assert shingles("лише два") == {("лише", "два"): 1}
    assert shingles("...") == {}
    # Punctuation and spacing do not matter, case does (as in the benchmark's evaluate.py).
    assert match_page("Один, два; три — чотири!", "Один два три чотири") == (1.0, 0.0, 0.0)
    assert match_page("один два три чотири", "Один два три чотири")[0] == 0.0


def test_pages_weigh_the_same_whatever_their_length() -> None:
    long_perfect = match_page(GOLD * 50, GOLD * 50)
    short_half = match_page("a b c d e", "a b c d")
    precision, recall, _ = precision_recall_f1([long_perfect, short_half])
    assert (precision, recall) == (1.0, 0.75)


def test_missing_prediction_counts_as_an_empty_body() -> None:
    score = score_extractor("x", {"p1": GOLD, "p2": GOLD}, {"p1": GOLD})
    assert score.recall == 0.5
    assert score.precision == 1.0  # p2 predicted nothing: no precision to average for it
    assert score.accuracy == 0.5


def _write_benchmark(root: Path) -> None:
    page = (
        "<html lang='uk'><head><title>Школи</title></head><body><nav><a href='/'>Головна</a>"
        "</nav><article><h1>Школи</h1><p>{}</p><p>{}</p></article></body></html>"
    )
    bodies = {
        "p1": (
            "Київрада виділила гроші на ремонт укриттів у школах лівого берега Києва.",
            "Роботи почнуться влітку й триватимуть до кінця вересня цього року.",
        ),
        "p2": (
            "Львівська міська рада затвердила новий маршрут нічного трамвая до вокзалу.",
            "Перші рейси вийдуть на лінію вже в понеділок о пів на дванадцяту ночі.",
        ),
    }
    (root / "html").mkdir()
    (root / "output").mkdir()
    for page_id, paragraphs in bodies.items():
        html = page.format(*paragraphs).encode("utf-8")
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html))
    truth = {
        k: {"articleBody": "\n".join(v), "url": f"https://x.ua/{k}"} for k, v in bodies.items()
    }
    (root / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    wrapped = {"version": "1", "output": {k: {"articleBody": v[0]} for k, v in bodies.items()}}
    (root / "output" / "wrapped.json").write_text(json.dumps(wrapped), encoding="utf-8")
    bare = {k: {"articleBody": "Головна"} for k in bodies}
    (root / "output" / "bare.json").write_text(json.dumps(bare), encoding="utf-8")


def test_evaluation_scores_strichka_beside_every_shipped_output(tmp_path: Path) -> None:
    _write_benchmark(tmp_path)
    report = evaluate_extraction(tmp_path)

    assert report.pages == 2
    assert report.failed_pages == ()
    assert report.score(OURS).f1 == 1.0
    # The first of two paragraphs: everything it says is right, under half the gold is found
    # (shingles that span the paragraph break are missed too).
    assert report.score("wrapped").precision == 1.0
    assert 0.3 < report.score("wrapped").recall < 0.5
    assert report.score("bare").f1 == 0.0
    assert sum(report.chosen_extractor.values()) == 2
    table = format_report(report)
    assert all(name in table for name in (OURS, "wrapped", "bare"))
    assert json.loads(report_to_json(report))["pages"] == 2


@pytest.mark.slow
def test_first_ten_real_pages(shared_data: Path) -> None:
    benchmark = shared_data / "extraction" / "article-extraction-benchmark"
    report = evaluate_extraction(benchmark, limit=10)

    assert report.pages == 10
    names = {s.name for s in report.scores}
    assert {OURS, *(p.stem for p in (benchmark / "output").glob("*.json"))} <= names
    for score in report.scores:
        assert 0.0 <= score.precision <= 1.0
        assert 0.0 <= score.recall <= 1.0
        assert 0.0 <= score.f1 <= 1.0
    assert report.score(OURS).f1 > 0.85
    assert report.seconds_per_page < 5

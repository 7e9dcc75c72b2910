"""HTML → article text quality on the Zyte/Scrapinghub article-extraction benchmark.

The measure is the benchmark's own (its `evaluate.py`), reproduced exactly so our figures sit
beside the published ones: tokens are `\\w+` runs, shingles are 4 consecutive tokens counted
as a multiset, and each page's TP/FP/FN is normalised to sum to 1 so every page weighs the
same. Precision and recall are means over pages, F1 is computed from those two means, and
accuracy is the share of pages whose token sequence matches the gold exactly.

The shipped `output/*.json` files of other extractors are scored on the same pages in the
same run, so a comparison never mixes page sets; so is the installed trafilatura with the
benchmark's own call (`extract(html, include_comments=False)`), the baseline strichka must
beat: the shipped trafilatura.json came from an older version.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import trafilatura
from tqdm import tqdm

from strichka.errors import EmptyInput, InputError, MalformedItem
from strichka.evaluation.corpus import corpus_files
from strichka.extract.decode import decode_document
from strichka.extract.html import read_html

OURS = "strichka"
SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

Matching = tuple[float, float, float]
"""One page's (TP, FP, FN), normalised to sum to 1 (all 0 when both texts are empty)."""


@dataclass(frozen=True, slots=True)
class ExtractorScore:
    name: str
    precision: float
    recall: float
    f1: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class ExtractionReport:
    benchmark: str
    pages: int
    scores: tuple[ExtractorScore, ...]
    """strichka first, then installed trafilatura, then the shipped extractors by falling F1."""
    seconds_per_page: float
    """strichka's mean time to decode and read one page."""
    failed_pages: tuple[str, ...]
    """Pages where strichka raised a typed error (scored as an empty body)."""
    chosen_extractor: Mapping[str, int]
    """How often each extractor's body won strichka's agreement vote."""

    def score(self, name: str) -> ExtractorScore:
        return next(s for s in self.scores if s.name == name)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Token n-grams with counts; a text shorter than `size` tokens is one short shingle."""
    tokens = tokenize(text)
    count = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(count) if tokens[i : i + size])


def match_page(true: str, pred: str) -> Matching:
    gold, found = shingles(true), shingles(pred)
    tp = float(sum((gold & found).values()))
    fp = float(sum((found - gold).values()))
    fn = float(sum((gold - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def precision_recall_f1(matchings: Sequence[Matching]) -> tuple[float, float, float]:
    """Page-averaged precision and recall, and F1 of those averages (the benchmark's way)."""
    precisions = [_precision(*m) for m in matchings if m[0] + m[1] > 0]
    recalls = [_recall(*m) for m in matchings if m[0] + m[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_extractor(
    name: str, gold: Mapping[str, str], predicted: Mapping[str, str]
) -> ExtractorScore:
    """Score bodies keyed by page id; a page missing from `predicted` counts as empty."""
    matchings = [match_page(gold[k], predicted.get(k, "")) for k in gold]
    precision, recall, f1 = precision_recall_f1(matchings)
    exact = [tokenize(gold[k]) == tokenize(predicted.get(k, "")) for k in gold]
    accuracy = statistics.fmean(exact) if exact else 0.0
    return ExtractorScore(name, precision, recall, f1, accuracy)


def evaluate_extraction(
    benchmark_dir: Path, *, progress: bool = False, limit: int | None = None
) -> ExtractionReport:
    """Run strichka's HTML reader on the benchmark pages and score it beside the shipped outputs.

    `limit` takes the first pages in id order, for a quick check.
    """
    expected = "the article-extraction-benchmark (ground-truth.json, html/*.html.gz)"
    [truth_file] = corpus_files(benchmark_dir, "ground-truth.json", expected=expected)
    corpus_files(benchmark_dir, "html/*.html.gz", expected=expected)
    truth = _load_json(truth_file)
    if not truth:
        raise EmptyInput("no pages", source=str(truth_file))
    ids = sorted(truth)[:limit]
    gold = {k: str(truth[k].get("articleBody") or "") for k in ids}
    ours: dict[str, str] = {}
    baseline: dict[str, str] = {}
    failed: list[str] = []
    chosen: Counter[str] = Counter()
    started = time.perf_counter()
    for page_id in tqdm(ids, desc="extraction", unit="page", disable=None if progress else True):
        path = benchmark_dir / "html" / f"{page_id}.html.gz"
        try:
            text = decode_document(gzip.decompress(path.read_bytes()), source=str(path))
            article = read_html(text, source=str(path), url=truth[page_id].get("url"))
        except InputError:
            failed.append(page_id)
            continue
        ours[page_id] = article.body_text
        chosen[str(article.metadata.get("extractor"))] += 1
    elapsed = time.perf_counter() - started
    for page_id in tqdm(ids, desc="trafilatura", unit="page", disable=None if progress else True):
        baseline[page_id] = _trafilatura_defaults(benchmark_dir, page_id)
    shipped = [
        score_extractor(path.stem, gold, _load_output(path))
        for path in sorted((benchmark_dir / "output").glob("*.json"))
    ]
    return ExtractionReport(
        benchmark=str(benchmark_dir),
        pages=len(ids),
        scores=(
            score_extractor(OURS, gold, ours),
            score_extractor(f"trafilatura {version('trafilatura')} (installed)", gold, baseline),
            *sorted(shipped, key=lambda s: -s.f1),
        ),
        seconds_per_page=elapsed / len(ids) if ids else 0.0,
        failed_pages=tuple(failed),
        chosen_extractor=dict(chosen.most_common()),
    )


def format_report(report: ExtractionReport) -> str:
    lines = [
        f"article-extraction-benchmark: {report.pages} pages",
        f"{'extractor':<30} {'F1':>6} {'precision':>9} {'recall':>6} {'exact':>6}",
    ]
    lines += [
        f"{s.name:<30} {s.f1:>6.3f} {s.precision:>9.3f} {s.recall:>6.3f} {s.accuracy:>6.3f}"
        for s in report.scores
    ]
    votes = ", ".join(f"{name} {n}" for name, n in report.chosen_extractor.items())
    lines += [
        f"strichka: {report.seconds_per_page * 1000:.0f} ms/page; body chosen from: {votes}",
        f"pages strichka could not read: {len(report.failed_pages)}",
        "rows without '(installed)' score the benchmark's shipped output/*.json",
    ]
    return "\n".join(lines)


def report_to_json(report: ExtractionReport) -> str:
    data = asdict(report)
    data["chosen_extractor"] = dict(report.chosen_extractor)
    return json.dumps(data, indent=2, ensure_ascii=False)


def _trafilatura_defaults(benchmark_dir: Path, page_id: str) -> str:
    """The body trafilatura gives alone, read the way the benchmark's runner reads it."""
    with gzip.open(benchmark_dir / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
        body = trafilatura.extract(f.read(), include_comments=False)
    return body if isinstance(body, str) else ""


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedItem(f"not JSON ({exc})", source=str(path)) from exc
    if not isinstance(data, dict):
        raise MalformedItem("expected a JSON object", source=str(path))
    return data


def _load_output(path: Path) -> dict[str, str]:
    """A shipped output file, bare or wrapped as {"version": ..., "output": {...}}."""
    data = _load_json(path)
    items: Mapping[str, Any] = data["output"] if "version" in data and "output" in data else data
    return {k: _body(v) for k, v in items.items()}


def _body(item: Any) -> str:
    return str(item.get("articleBody") or "") if isinstance(item, Mapping) else ""

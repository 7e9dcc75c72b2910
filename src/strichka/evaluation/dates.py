"""How many date expressions the date rules find, and how many of those they can resolve.

Measured on the DATE spans of a corpus in the ner-uk format (``<doc>.txt`` beside
``<doc>.ann``, ``T<n> TYPE start end surface``). ner-uk's texts carry no publication date,
so resolution is measured twice: with no reference date (only the years a text names can
place «26 жовтня»; «вчора» stays unresolved) and with a reference date, which stands for
the publication date an imported article has: that says how many found expressions the
calendar can place at all, not whether the placed value is right.

- recall: share of gold DATE spans that some found span overlaps;
- precision: share of found spans that overlap a gold DATE, PERIOD or TIME span (ner-uk
  files year ranges and durations under PERIOD, so those are not false alarms);
- resolved: share of found spans overlapping a gold DATE whose value is not None.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strichka.evaluation.corpus import corpus_files
from strichka.nlp.dates import find_dates
from strichka.records import DateExpression

_TEMPORAL = frozenset({"DATE", "PERIOD", "TIME"})
REFERENCE_FOR_EVALUATION = date(2020, 6, 15)
"""After the newest ner-uk text (2019): stands in for a publication date."""


@dataclass(frozen=True, slots=True)
class _Gold:
    label: str
    start: int
    end: int


def _read_text(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:  # keep offsets as the corpus counts
        return handle.read()


def _documents(corpus_dir: Path) -> Iterator[tuple[str, list[_Gold]]]:
    for ann in corpus_files(corpus_dir, "**/*.ann", expected="a ner-uk folder (.txt + .ann)"):
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            continue
        text = _read_text(txt)
        spans: list[_Gold] = []
        for line in _read_text(ann).splitlines():
            parts = line.split("\t")
            if len(parts) < 4 or not parts[0].startswith("T"):
                continue
            fields = parts[1:4] if parts[2].isdigit() else parts[1].split()
            if len(fields) == 3 and fields[1].isdigit() and fields[2].isdigit():
                start, end = int(fields[1]), int(fields[2])
                if fields[0] in _TEMPORAL and 0 <= start < end <= len(text):
                    spans.append(_Gold(fields[0], start, end))
        yield text, spans


def _overlaps(found: DateExpression, gold: _Gold) -> bool:
    return found.start < gold.end and gold.start < found.end


def evaluate_dates(
    corpus_dir: Path, *, reference_date: date = REFERENCE_FOR_EVALUATION
) -> dict[str, Any]:
    """Recall, precision and resolvable shares of `find_dates` on a ner-uk folder."""
    gold_total = gold_found = found_total = found_temporal = 0
    on_gold = resolved_plain = resolved_reference = 0
    characters = 0
    seconds = 0.0
    for text, spans in _documents(corpus_dir):
        started = time.perf_counter()
        plain = find_dates(text)
        seconds += time.perf_counter() - started
        referenced = find_dates(text, reference_date=reference_date)
        characters += len(text)
        dates_gold = [g for g in spans if g.label == "DATE"]
        gold_total += len(dates_gold)
        gold_found += sum(1 for g in dates_gold if any(_overlaps(f, g) for f in plain))
        found_total += len(plain)
        found_temporal += sum(1 for f in plain if any(_overlaps(f, g) for g in spans))
        for without, with_reference in zip(plain, referenced, strict=True):
            if any(_overlaps(without, g) for g in dates_gold):
                on_gold += 1
                resolved_plain += without.value is not None
                resolved_reference += with_reference.value is not None
    return {
        "gold_dates": gold_total,
        "found": found_total,
        "recall": _share(gold_found, gold_total),
        "precision": _share(found_temporal, found_total),
        "resolved_without_reference": _share(resolved_plain, on_gold),
        "resolved_with_reference": _share(resolved_reference, on_gold),
        "reference_date": reference_date.isoformat(),
        "ms_per_3kb": round(seconds * 1000 * 3000 / characters, 3) if characters else 0.0,
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def format_report(report: dict[str, Any]) -> str:
    """The figures as `make eval` prints them."""
    return "\n".join(
        [
            f"date expressions (ner-uk DATE spans: {report['gold_dates']}, found: "
            f"{report['found']})",
            f"  recall (gold DATE overlapped)      {report['recall']:.3f}",
            f"  precision (found on DATE/PERIOD/TIME) {report['precision']:.3f}",
            f"  resolved, no reference date        {report['resolved_without_reference']:.3f}",
            f"  resolved, reference {report['reference_date']}   "
            f"{report['resolved_with_reference']:.3f}",
            f"  time per 3 KB                      {report['ms_per_3kb']:.3f} ms",
        ]
    )

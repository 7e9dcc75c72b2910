"""What every benchmark shares: where the corpora are, and how a figure is reported."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def require(path: Path) -> Path:
    if not path.exists():
        print(json.dumps({"skipped": f"{path} is absent"}))
        sys.exit(0)
    return path


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def report(**figures: Any) -> None:
    """One JSON line on stdout: the runner collects it."""
    print(json.dumps({**figures, "peak_rss_mib": round(peak_rss_mib(), 1)}, ensure_ascii=False))

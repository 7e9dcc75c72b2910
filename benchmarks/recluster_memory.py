"""`strichka recluster` on a store of 5,000 articles: its peak memory and its time.

Building the store goes through the whole importer (about a minute per thousand articles on
a 2-core machine), so the size is what `make bench` can afford; the recluster streams the
store, and its memory grows by about 4 KiB an article (measured on 20,000 and 60,000:
350 and 510 MiB, where loading every article had taken 803 and 1,886 MiB).

The store is what `strichka import` makes of perturbed copies of the real BRUK press texts:
as in the story-assignment benchmark, each copy drops a fifth of its words at random and
gains a few random rare ones, and the copies are spread over time at about 3,000 articles a
day. The store is mixed as a real one is: every tenth article is undated, every seventh is
dated by its day alone, every fifth is an aggregator's copy of the article before it
(undated when that is), and feeds deliver out of order (each run of 50 arrives shuffled).
The recluster runs as its own process, so its peak RSS is the command's alone.

    python -m benchmarks.recluster_memory [STORE]

STORE keeps the built database between runs (it is built when absent); each run reclusters
a copy of it, so runs of different strichka versions start from the same store.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.common import SHARED_DATA, report, require
from benchmarks.story_assignment import moment
from strichka.config import Settings
from strichka.ingest.files import Document
from strichka.pipeline import Stages, import_documents, reader_options
from strichka.store import MediaStore, SQLiteStore

ARTICLES = 5_000
SHUFFLED_RUN = 50


def records(count: int, rng: random.Random) -> list[dict[str, str]]:
    """The perturbed copies, in the order their feeds deliver them."""
    corpus = require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    bases = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    built: list[dict[str, str]] = []
    for n in range(count):
        if n % 5 == 4:  # an aggregator's copy of the article before it, dated if that is
            copy = {k: built[-1][k] for k in ("title", "text")}
            copy |= {"id": f"bench{n}", "aggregator": "my.ua"}
            if "published_at" in built[-1]:
                copy["published_at"] = moment(n).isoformat()
            built.append(copy)
            continue
        base = bases[n % len(bases)]
        words = [w for w in base["text"].split(" ") if rng.random() > 0.2]
        rare = " ".join(f"x{rng.randrange(500_000)}" for _ in range(5))
        item = {
            "id": f"bench{n}",
            "title": base["title"],
            "text": " ".join(words) + "\n" + rare,
            "outlet": base["outlet"],
            "url": f"https://bench.example/{n}",
        }
        if n % 10 != 3:
            when = moment(n)
            item["published_at"] = when.date().isoformat() if n % 7 == 5 else when.isoformat()
        built.append(item)
    runs = [built[start : start + SHUFFLED_RUN] for start in range(0, count, SHUFFLED_RUN)]
    for run in runs:
        rng.shuffle(run)
    return [item for run in runs for item in run]


def build(path: Path, count: int) -> float:
    """Import the copies into a fresh store at `path` with every stage, one file each (as
    `strichka import FOLDER` would); returns seconds."""
    items = records(count, random.Random(6))
    documents = [Document(f"{r['id']}.json", json.dumps(r).encode()) for r in items]
    settings = Settings(db_path=str(path), data_dir=str(path.parent / "data"))
    began = time.perf_counter()
    with SQLiteStore(path) as store:
        result = import_documents(
            documents,
            store=store,
            media=MediaStore(settings.media_path),
            options=reader_options(settings),
            stages=Stages.load(store, settings),
        )
    assert result.imported == count, result.summary()
    return time.perf_counter() - began


def recluster(path: Path) -> tuple[float, float, str]:
    """Run `strichka recluster` on the store; returns its seconds, its own peak RSS in MiB
    (from wait4: the rusage of that one process) and its last line."""
    env = dict(os.environ, STRICHKA_CONFIG=str(path.parent / "absent.toml"))
    output = path.parent / "recluster.out"
    began = time.perf_counter()
    with output.open("w") as sink:
        child = subprocess.Popen(
            [sys.executable, "-m", "strichka", "recluster", "--db", str(path)],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"strichka recluster failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, output.read_text().strip().splitlines()[-1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kept = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "kept.db"
        figures: dict[str, object] = {"benchmark": "recluster", "articles": ARTICLES}
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            # built in a process of its own: a child's peak RSS counts its parent's memory
            # at the fork, so this process stays as small as it started
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                figures["build_s"] = round(pool.submit(build, kept, ARTICLES).result(), 1)
        copy = Path(tmp) / "recluster.db"
        shutil.copyfile(kept, copy)
        seconds, peak, outcome = recluster(copy)
        figures |= {
            "recluster_s": round(seconds, 1),
            "recluster_peak_rss_mib": round(peak, 1),
            "outcome": outcome,
        }
    report(**figures)


if __name__ == "__main__":
    main()

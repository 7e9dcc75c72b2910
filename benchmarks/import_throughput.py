"""Import throughput: 10,000 aggregator items built from real BRUK press texts, and the 181
real HTML pages of the extraction benchmark, each into a fresh store.

`aggregator` and `html` measure reading and storing alone (the foundation); `aggregator-full`
is what `strichka import` does: reading, language analysis, storing, stories, search index.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import SHARED_DATA, report, require, timed
from strichka.config import Settings
from strichka.ingest.files import Document, expand_paths, read_documents
from strichka.pipeline import NO_STAGES, Stages, import_documents, reader_options
from strichka.store import MediaStore, SQLiteStore

ITEMS = 10_000


def aggregator_item(record: dict[str, str], n: int) -> str:
    image = quote(
        f"https://s3.eu-central-1.amazonaws.com/media.my.ua/feed/{n % 300}/{n:032x}.jpg", safe=""
    )
    paragraphs = [p for p in record["text"].split("\n") if p.strip()]
    lead, body = paragraphs[0], paragraphs[1:] or paragraphs
    return "\n".join(
        [f"/{image})", f"{record['title']} ({n})", "Коротко:", lead, *body, "Інші новини:"]
    )


def bench_aggregator_items(work: Path, *, full: bool = False) -> dict[str, object]:
    corpus = require(SHARED_DATA / "bruk-press" / "bruk-press.jsonl")
    records = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    folder = work / "items"
    folder.mkdir()
    for n in range(ITEMS):
        (folder / f"{n:05d}.txt").write_text(
            aggregator_item(records[n % len(records)], n), encoding="utf-8"
        )
    settings = Settings(db_path=str(work / "items.db"), data_dir=str(work / "data"))
    with SQLiteStore(settings.db_path) as store:
        stages = Stages.load(store, settings) if full else NO_STAGES
        result, seconds = timed(
            lambda: import_documents(
                read_documents(expand_paths([str(folder)]), max_bytes=settings.max_input_bytes),
                store=store,
                media=MediaStore(settings.media_path),
                options=reader_options(settings),
                stages=stages,
            )
        )
    assert result.imported == ITEMS, result.summary()
    return {
        "items": ITEMS,
        "seconds": round(seconds, 2),
        "articles_per_s": round(ITEMS / seconds, 1),
    }


def bench_html_pages(work: Path) -> dict[str, object]:
    folder = require(SHARED_DATA / "extraction" / "article-extraction-benchmark" / "html")
    documents = [
        Document(p.name, gzip.decompress(p.read_bytes())) for p in sorted(folder.glob("*.html.gz"))
    ]
    settings = Settings(db_path=str(work / "html.db"))
    with SQLiteStore(settings.db_path) as store:
        result, seconds = timed(
            lambda: import_documents(
                documents,
                store=store,
                media=MediaStore(settings.media_path),
                options=reader_options(settings),
            )
        )
    return {
        "pages": len(documents),
        "stored": result.imported,
        "failed": len(result.failed),
        "seconds": round(seconds, 2),
        "articles_per_s": round(len(documents) / seconds, 1),
    }


def main() -> None:
    benches = {
        "aggregator": bench_aggregator_items,
        "aggregator-full": lambda work: bench_aggregator_items(work, full=True),
        "html": bench_html_pages,
    }
    if len(sys.argv) != 2 or sys.argv[1] not in benches:
        sys.exit(f"usage: python -m benchmarks.import_throughput {{{'|'.join(benches)}}}")
    which = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        figures = benches[which](Path(tmp))
    report(benchmark=f"import {which}", **figures)


if __name__ == "__main__":
    main()

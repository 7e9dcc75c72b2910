"""End-to-end ingest throughput: a loopback server (in its own process) serves two feeds of
5,000 items each and their HTML pages; one `run --once` round fetches every page, extracts the full
text, and stores it. Peak memory is that of the ingesting process."""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.common import report, timed
from strichka.config import Settings
from strichka.ingest.http import FetchPolicy, user_agent
from strichka.ingest.poller import PollOptions
from strichka.ingest.sources import make_source
from strichka.pipeline import add_sources, run_ingest
from strichka.store import MediaStore, SQLiteStore

ITEMS = 10_000
FEEDS = 2
PARAGRAPHS = (
    "Київ. Кабінет міністрів ухвалив рішення про фінансування ремонту шкіл у прифронтових "
    "громадах, повідомили в Міністерстві освіти.",
    "За словами міністра, перші роботи почнуться вже наступного місяця, а завершити їх "
    "планують до початку навчального року.",
    "Місцева влада має подати заявки до кінця тижня; комісія розгляне їх протягом десяти днів.",
)


def page(n: int) -> bytes:
    body = "".join(f"<p>{p} ({n})</p>" for p in PARAGRAPHS * 2)
    return (
        f"<!doctype html><html lang='uk'><head><meta charset='utf-8'><title>Новина {n}</title>"
        f"<meta property='og:site_name' content='Бенчмарк'></head><body>"
        f"<nav><a href='/'>Головна</a> <a href='/politics'>Політика</a></nav>"
        f"<article><h1>Новина {n}</h1>{body}</article><footer>© 2024</footer></body></html>"
    ).encode()


def feed(base: str, part: int) -> bytes:
    items = "".join(
        f"<item><title>Новина {n}</title><link>{base}/news/{n}</link></item>"
        for n in range(part, ITEMS, FEEDS)
    )
    return f'<rss version="2.0"><channel><title>B</title>{items}</channel></rss>'.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        host = f"http://{self.headers['Host']}"
        if self.path.startswith("/feed/"):
            body = feed(host, int(self.path.rsplit("/", 1)[1]))
        elif self.path.startswith("/news/"):
            body = page(int(self.path.rsplit("/", 1)[1]))
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(port: multiprocessing.SimpleQueue[int]) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port.put(httpd.server_address[1])
    httpd.serve_forever()


def main() -> None:
    ports: multiprocessing.SimpleQueue[int] = multiprocessing.SimpleQueue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get()}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(db_path=str(Path(tmp) / "ingest.db"))
            policy = FetchPolicy(user_agent=user_agent(settings.contact_url), per_host_delay=0)
            with SQLiteStore(settings.db_path) as store:
                feeds = [f"{base}/feed/{part}" for part in range(FEEDS)]
                source = make_source("Бенчмарк", feeds, allow_local=True)
                add_sources(store, [source], settings=settings)
                result, seconds = timed(
                    lambda: run_ingest(
                        store=store,
                        media=MediaStore(settings.media_path),
                        settings=settings,
                        once=True,
                        policy=policy,
                        poll=PollOptions(item_concurrency=16),
                        handle_signals=False,
                    )
                )
                articles = store.stats().articles
    finally:
        server.terminate()
    if articles != ITEMS:
        print(f"stored {articles} of {ITEMS}: {result.summary()}", file=sys.stderr)
        sys.exit(1)
    report(
        benchmark="ingest loopback",
        items=ITEMS,
        seconds=round(seconds, 1),
        items_per_s=round(ITEMS / seconds, 1),
    )


if __name__ == "__main__":
    main()

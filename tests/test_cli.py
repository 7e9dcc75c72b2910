"""The `strichka` command as a user runs it, against real files and a real SQLite store."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from importlib import resources
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from strichka.cli import main

SEED = "000_3e1ff92a3d920351.txt"
BUDGET = {
    "title": "Рада ухвалила бюджет у третьому читанні",
    "text": "Верховна Рада ухвалила бюджет на наступний рік у третьому читанні.",
    "published_at": "2019-11-20T01:50:00+02:00",
}
"""A news item published at 01:50 Kyiv time, on 19 November in the Americas."""


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "news.db")


def import_items(folder: Path, db: str, *items: dict[str, str]) -> Path:
    """Import records in the simple JSON Lines form from a file, as a user would; the file."""
    path = folder / "items.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    run("import", str(path), "--db", db)
    return path


@pytest.fixture
def seed(seeds_dir: Path) -> str:
    return str(seeds_dir / SEED)


def test_import_show_list_stats(db: str, seed: str) -> None:
    result = run("import", seed, "--db", db)
    assert result.exit_code == 0, result.output
    assert "1 imported, 0 updated, 0 unchanged, 0 failed" in result.output

    ids = run("list", "--ids", "--db", db).output.split()
    assert len(ids) == 1
    shown = run("show", ids[0][:6], "--db", db).output
    assert "Пристрасті навколо Венесуели" in shown
    assert "## Росія співпрацює з Венесуелою" in shown
    assert "via my.ua (feed 131)" in shown

    stats = run("stats", "--db", db).output
    assert "articles      1" in stats
    assert "media files   1" in stats


def test_reimport_is_idempotent(db: str, seed: str) -> None:
    run("import", seed, "--db", db)
    result = run("import", seed, seed, "--db", db)
    assert "0 imported, 0 updated, 2 unchanged, 0 failed" in result.output


def test_export_then_import_loses_nothing(tmp_path: Path, db: str, seed: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='uk'><head><title>Новина дня</title>"
        "<link rel='canonical' href='https://example.ua/news/1'></head>"
        "<body><article><h1>Новина дня</h1>"
        + "<p>Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    assert run("import", seed, str(page), "--db", db).exit_code == 0
    exported = tmp_path / "out.jsonl"
    run("export", "--jsonl", str(exported), "--db", db)
    copy_db = str(tmp_path / "copy.db")
    assert "2 imported" in run("import", str(exported), "--db", copy_db).output
    again = tmp_path / "again.jsonl"
    run("export", "--jsonl", str(again), "--db", copy_db)

    def rows(path: Path) -> list[dict[str, object]]:
        return sorted((json.loads(line) for line in path.open()), key=lambda r: str(r["id"]))

    assert rows(exported) == rows(again)


def test_an_edited_export_record_is_read_or_rejected_by_its_line(tmp_path: Path, db: str) -> None:
    """A naive published_at in an exported record reached the story index beside aware ones
    (TypeError: can't compare offset-naive and offset-aware datetimes); an object where text
    belongs reached SQLite (ProgrammingError); a number as the lead failed the analysis, and
    the whole file with it as one E999. Each ended the import or lost every line of it."""
    import_items(tmp_path, db, {"id": "a0", **BUDGET})
    exported = json.loads(run("export", "--db", db).output)
    edited = tmp_path / "edited.jsonl"
    edited.write_text(
        "\n".join(
            json.dumps({**exported, **changes}, ensure_ascii=False)
            for changes in [
                {"id": "naive", "published_at": "2019-11-20T01:55:00"},
                {"id": "outlet", "outlet": {"name": "Рада"}},
                {"id": "lead", "lead": 5},
                {"id": "authors", "authors": "Іван Франко"},
            ]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(edited), "--db", db])
    assert result.exit_code == 1
    assert "1 imported, 0 updated, 0 unchanged, 3 failed" in result.output
    for line, reason in [(2, "outlet must be text"), (3, "lead must be text"), (4, "authors")]:
        assert (
            f"failed: {edited}:{line}: [E105] not an article: TypeError('{reason}" in result.output
        )
    assert "2019-11-20 01:55" in run("show", "naive", "--db", db).output  # Kyiv time, as given


def test_stdin_is_read(db: str) -> None:
    result = run("import", "-", "--db", db, stdin="Заголовок\nАбзац тексту з stdin.\n")
    assert "1 imported" in result.output


def test_a_pipe_is_read_for_what_it_holds(tmp_path: Path, db: str, seed: str) -> None:
    """`strichka import <(zcat corpus.gz)` and a named pipe were «empty»: a pipe's size is
    0 until it is read."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError):  # the reader went away without reading
            fifo.write_bytes(Path(seed).read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        result = run("import", str(fifo), "--db", db)
    finally:
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # a writer still waiting goes
        writer.join(5)
    assert "1 imported, 0 updated, 0 unchanged, 0 failed" in result.output


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("garbage.bin", bytes(range(256)) * 40, "[E103]"),
        ("nul.txt", "Заголовок\nТекст\x00з нулем".encode(), "NUL"),
        ("list.jsonl", b"[[1, 2]]\n", "a JSON list, not an object"),
        ("title.txt", ("Т" * 100_000 + "\nАбзац.").encode(), "title is 100000 characters"),
        ("truncated.html", b"<html><head><title>x</title></head><body><div><p>", "no article"),
        ("feed.xml", b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "feed"),
        ("cut.html.gz", gzip.compress(b"<html><body><p>Text</p></body></html>")[:-12], "cut short"),
        ("broken.gz", b"\x1f\x8b\x08\x00" + bytes(range(200)), "does not unpack"),
    ],
)
def test_bad_input_is_named_and_stored_articles_are_untouched(
    tmp_path: Path, db: str, seed: str, name: str, content: bytes, reason: str
) -> None:
    run("import", seed, "--db", db)
    before = run("export", "--db", db).output
    bad = tmp_path / name
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["import", str(bad), seed, "--db", db])
    assert result.exit_code == 1
    assert f"failed: {bad}" in result.output
    assert reason in result.output
    assert "0 imported, 0 updated, 1 unchanged, 1 failed" in result.output
    assert run("export", "--db", db).output == before


def test_a_json_line_that_escapes_half_a_surrogate_pair_is_rejected_alone(
    tmp_path: Path, db: str, seed: str
) -> None:
    """«\\ud800» decodes to no character SQLite can store: the import ended in a traceback
    and the file's good lines, and the rest of the batch, were not stored."""
    run("import", seed, "--db", db)
    before = run("export", "--db", db).output
    [seed_id] = run("list", "--ids", "--db", db).output.split()
    lines = tmp_path / "corpus.jsonl"
    lines.write_text(
        "\n".join(
            [
                json.dumps({"id": "a1", "title": "Перша", "text": "Текст першої."}),
                '{"id": "a2", "title": "Друга \\ud800", "text": "Текст другої."}',
                json.dumps({"id": "a3", "title": "Третя", "text": "Текст третьої.", "x": "😀"}),
            ]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(lines), "--db", db])
    assert result.exit_code == 1
    assert f"failed: {lines}:2: [E105]" in result.output and "surrogate" in result.output
    assert "2 imported, 0 updated, 0 unchanged, 1 failed" in result.output
    assert sorted(run("list", "--ids", "--db", db).output.split()) == sorted(["a1", "a3", seed_id])
    assert set(before.splitlines()) <= set(run("export", "--db", db).output.splitlines())


def test_a_date_past_what_utc_can_hold_is_refused_or_left_out(tmp_path: Path, db: str) -> None:
    """«9999-12-31T23:59:59-12:00» is later than the last moment Python can put in UTC:
    storing it ended the import in a traceback (OverflowError), the batch not stored."""
    lines = tmp_path / "corpus.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps({"id": f"d{n}", "title": "Новина", "text": "Текст.", "published_at": when})
            for n, when in enumerate(
                ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "2025-01-02T10:00:00"]
            )
        ),
        encoding="utf-8",
    )
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta property='article:published_time' content='9999-12-31T23:59:59-12:00'>"
        "<title>Новина дня</title></head><body><article><h1>Новина дня</h1>"
        + "<p>Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(lines), str(page), "--db", db])
    assert result.exit_code == 1
    for line in (1, 2):
        assert f"failed: {lines}:{line}: [E105]" in result.output
    assert "outside the years" in result.output
    assert "2 imported, 0 updated, 0 unchanged, 2 failed" in result.output
    listed = run("list", "--db", db).output
    assert "2025-01-02 10:00" in listed and "Новина дня" in listed


def test_a_page_cut_short_inside_a_letter_keeps_what_arrived(tmp_path: Path, db: str) -> None:
    """A UTF-8 page cut inside its last character (a download or a copy cut short) was
    «[E103] no text encoding fits the bytes»: one half letter lost the whole page."""
    paragraph = "<p>Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік.</p>"
    whole = (
        "<html><head><title>Новина дня</title></head><body><article><h1>Новина дня</h1>"
        + paragraph * 8
        + "<p>Останній абзац обірвано посеред слова</p></article></body></html>"
    ).encode()
    page = tmp_path / "cut.html"
    page.write_bytes(whole[: whole.index("посеред".encode()) + 1])  # half of «п»
    result = run("import", str(page), "--db", db)
    assert "1 imported, 0 updated, 0 unchanged, 0 failed" in result.output, result.output
    shown = run("show", run("list", "--ids", "--db", db).output.strip(), "--db", db).output
    assert "Новина дня" in shown and "бюджет на наступний рік" in shown


def test_a_folder_with_no_files_is_named(tmp_path: Path, db: str, seed: str) -> None:
    """`strichka import pages/` with nothing (or only hidden files) in pages/ said «0 imported,
    0 updated, 0 unchanged, 0 failed» and exited 0, as if all had gone well."""
    empty = tmp_path / "pages"
    empty.mkdir()
    (empty / ".DS_Store").write_bytes(b"\0")
    result = CliRunner().invoke(main, ["import", str(empty), seed, "--db", db])
    assert result.exit_code == 1
    assert f"failed: {empty}: [E101] the folder holds no files to import" in result.output
    assert "1 imported, 0 updated, 0 unchanged, 1 failed" in result.output


def test_a_media_store_that_cannot_be_written_stops_the_import_in_one_line(
    tmp_path: Path, db: str, seed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the media folder unwritable (read-only, the disk full, here a file in the way)
    every document failed as «[E999] unexpected OSError», each with a traceback logged."""
    in_the_way = tmp_path / "media"
    in_the_way.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("STRICHKA_MEDIA_DIR", str(in_the_way / "store"))
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Новина дня</title></head><body><article><h1>Новина дня</h1>"
        + "<p>Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", seed, str(page), "--db", db])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"strichka: [E200] {in_the_way / 'store'}: the media store cannot be written" in (
        result.output
    )
    assert "E999" not in result.output and "Traceback" not in result.output
    assert run("list", "--ids", "--db", db).output == ""


def test_huge_file_is_refused_before_it_is_read(tmp_path: Path, db: str) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    result = CliRunner().invoke(main, ["import", str(huge), "--db", db])
    assert result.exit_code == 1
    assert "209715200 bytes is over the limit" in result.output


def test_a_gzipped_page_is_read_as_the_page_it_holds(
    shared_data: Path, db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pages = sorted((shared_data / "extraction/article-extraction-benchmark/html").glob("*.gz"))
    result = run("import", str(pages[0]), "--db", db)
    assert "1 imported" in result.output, result.output
    [line] = run("list", "--db", db).output.splitlines()
    assert len(line.split(None, 3)[-1]) > 10  # a title, read from the unpacked HTML

    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b" " * 2_000_000))
    monkeypatch.setenv("STRICHKA_MAX_INPUT_BYTES", "1000000")
    result = CliRunner().invoke(main, ["import", str(bomb), "--db", db])
    assert result.exit_code == 1
    assert "unpacks to more than 1000000 bytes" in result.output


def test_unknown_id_is_one_clear_line(db: str, seed: str) -> None:
    run("import", seed, "--db", db)
    result = CliRunner().invoke(main, ["show", "deadbeef", "--db", db])
    assert result.exit_code == 1
    assert "[E202] no article with id 'deadbeef'" in result.output


def test_a_damaged_database_is_one_clear_line(db: str, seed: str) -> None:
    """A database whose pages are damaged (a disk fault, a copy cut short) opened, and then
    every command that read it ended in an sqlite3.DatabaseError traceback."""
    run("import", seed, "--db", db)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'articles'"
        ).fetchone()
    connection.close()
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * (page_size - 8))
    for command in (["list"], ["export"], ["import", seed]):
        result = CliRunner().invoke(main, [*command, "--db", db])
        assert result.exit_code == 1, command
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"strichka: [E200] {db}: the database file is damaged" in result.output


def test_a_row_that_does_not_read_back_is_damage_too(db: str, seed: str) -> None:
    """SQLite checks pages, not what a row holds: a damaged page can read as a row whose
    article is cut or empty, which ended `list` in a TypeError from json.loads."""
    run("import", seed, "--db", db)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE articles SET data = '{\"title\": '")
    connection.close()
    for command in (["list"], ["export"]):
        result = CliRunner().invoke(main, [*command, "--db", db])
        assert result.exit_code == 1, command
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"strichka: [E200] {db}: the database file is damaged" in result.output


def test_a_second_writer_waits_then_is_told_the_database_is_busy(db: str, seed: str) -> None:
    """Another import holding the database for longer than strichka waits (10 s) ended
    this one in an sqlite3 «database is locked» traceback."""
    run("import", seed, "--db", db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(main, ["import", seed, "--db", db])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "[E200]" in result.output and "the database is busy" in result.output


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
    return paths


def test_every_command_has_help_with_an_example() -> None:
    """`strichka source --help`, `eval --help` and `ner --help` had none."""
    paths = _command_paths(main)
    assert ("source", "list") in paths and ("eval", "pairs") in paths
    for path in paths:
        result = run(*path, "--help")
        example = result.output.partition("Example:")[2]
        assert result.exit_code == 0 and "strichka " in example, path
    for command in ("import", "show", "list", "export", "stats"):
        assert "--db" in run(command, "--help").output


def test_source_list_is_sources(db: str) -> None:
    """What a user types after `source add` listed nothing: `sources` was the only name."""
    shipped = resources.files("strichka.data") / "sources.toml"
    run("source", "import", str(shipped), "--db", db)
    listed = run("source", "list", "--db", db)
    assert listed.exit_code == 0 and "Укрінформ" in listed.output
    assert listed.output == run("sources", "--db", db).output


def test_a_source_list_is_read_within_the_input_limit(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`strichka source import` read its file whole, whatever its size: /dev/zero, or a
    huge file, until memory ran out."""
    listing = tmp_path / "sources.toml"
    listing.write_text(
        "".join(
            f'[[source]]\nname = "Джерело {n}"\nfeeds = ["https://e{n}.ua/rss"]\n\n'
            for n in range(100)
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("STRICHKA_MAX_INPUT_BYTES", "1000")
    result = CliRunner().invoke(main, ["source", "import", str(listing), "--db", db])
    assert result.exit_code == 1
    assert f"[E102] {listing}: {listing.stat().st_size} bytes is over the limit" in result.output
    monkeypatch.delenv("STRICHKA_MAX_INPUT_BYTES")
    assert "100 sources imported" in run("source", "import", str(listing), "--db", db).output


def test_python_dash_m_runs_in_a_real_process(tmp_path: Path, seed: str) -> None:
    env = {**os.environ, "STRICHKA_DB_PATH": str(tmp_path / "env.db")}
    done = subprocess.run(
        [sys.executable, "-m", "strichka", "import", seed],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "1 imported" in done.stdout
    assert (tmp_path / "env.db").exists()


def test_another_writer_need_not_wait_for_a_whole_import(
    tmp_path: Path, db: str, seed: str
) -> None:
    """An import held the database's write lock while it read and analysed a batch of up
    to 200 documents (minutes of HTML), so a second import, `source add` or the poller gave
    up after 10 s with «database is locked». Each document is now written as it is done."""
    paragraph = "<p>Київ. Уряд ухвалив важливе рішення про бюджет на наступний рік.</p>\n"
    big = tmp_path / "big.html"
    big.write_text(
        "<html><head><title>Велика сторінка</title></head><body><article>"
        + paragraph * 3000
        + "</article></body></html>",
        encoding="utf-8",
    )
    importing = subprocess.Popen(
        [sys.executable, "-m", "strichka", "import", seed, str(big), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "STRICHKA_CONFIG": str(tmp_path / "none.toml")},
    )
    wrote_beside_it = False
    while importing.poll() is None and not wrote_beside_it:
        time.sleep(0.05)
        with contextlib.closing(sqlite3.connect(db, timeout=1, isolation_level=None)) as other:
            try:
                if other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1:
                    other.execute("BEGIN IMMEDIATE")  # as a second writer would
                    other.execute("ROLLBACK")
                    wrote_beside_it = importing.poll() is None
            except sqlite3.OperationalError:  # not created yet, or locked for its second
                pass
    out, err = importing.communicate(timeout=120)
    assert b"2 imported" in out, err
    assert wrote_beside_it


def test_import_analyses_entities_and_stories(tmp_path: Path, db: str, seed: str) -> None:
    text = Path(seed).read_text(encoding="utf-8")
    lines = tmp_path / "two-urls.jsonl"
    title, _, body = text.partition("\n")[2].partition("\n")
    lines.write_text(
        "\n".join(
            json.dumps({"url": url, "title": title, "text": body}, ensure_ascii=False)
            for url in ("https://outlet.example/a", "https://aggregator.example/b")
        ),
        encoding="utf-8",
    )
    assert "2 imported" in run("import", str(lines), "--db", db).output

    people = run("entities", "--kind", "PER", "--db", db).output
    assert "Володимир Путін" in people and "Путіна" in people

    records = [json.loads(line) for line in run("export", "--db", db).output.splitlines()]
    assert len({r["story_id"] for r in records}) == 1
    assert sorted(r["duplicate_of"] is None for r in records) == [False, True]
    assert all(r["analysis"]["language"] == "uk" for r in records)

    shown = run("show", records[0]["id"], "--db", db).output
    assert "Ніколас Мадуро — венесуельський лідер (Мадуро, Ніколаса Мадуро)" in shown
    assert f"story: {records[0]['story_id']}" in shown

    story = run("story", records[0]["story_id"], "--db", db).output
    assert f"story {records[0]['story_id']} · 2 articles" in story
    assert "outlets: outlet.example 1, aggregator.example 1" in story
    assert "Джеймс Сторі: «Той факт" in story  # quotes and claims, not only in --json
    assert "Bloomberg [denies]: Водночас президент США" in story


def test_settings_show_each_value_with_where_it_came_from_and_hide_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "strichka.toml"
    config.write_text('[strichka]\ndb_path = "news.db"\napi_key = "s3cret"\n', encoding="utf-8")
    monkeypatch.setenv("STRICHKA_CONFIG", str(config))
    monkeypatch.setenv("STRICHKA_STORY_THRESHOLD", "0.45")
    rows = {row["name"]: row for row in json.loads(run("settings", "--json").output)}
    assert rows["db_path"]["value"] == "news.db" and rows["db_path"]["origin"] == str(config)
    assert rows["story_threshold"] == {
        "name": "story_threshold",
        "value": 0.45,
        "origin": "STRICHKA_STORY_THRESHOLD",
        "help": rows["story_threshold"]["help"],
    }
    assert rows["timezone"]["origin"] == "default"
    assert all(row["help"] for row in rows.values())
    text = run("settings").output
    assert "s3cret" not in text and 'api_key = "<set>"' in text


def test_export_to_a_missing_folder_is_one_clear_line(tmp_path: Path, db: str, seed: str) -> None:
    run("import", seed, "--db", db)
    target = tmp_path / "no-such-folder" / "out.jsonl"
    result = run("export", "--jsonl", str(target), "--db", db)
    assert result.exit_code == 1
    assert f"[E107] {target}: cannot write: No such file or directory" in result.output
    assert "Traceback" not in result.output


def test_an_export_that_cannot_be_written_whole_leaves_the_old_one(tmp_path: Path, db: str) -> None:
    """An export that hit a full disk (here: a file size limit) ended in an OSError
    traceback, and left the file it was replacing cut off in the middle of a line."""
    items = [
        {"id": f"n{n}", "title": f"Новина {n}", "text": "Київ. Уряд ухвалив бюджет. " * 20}
        for n in range(40)
    ]
    import_items(tmp_path, db, *items)
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no write left for the export
    connection.close()
    target = tmp_path / "export.jsonl"
    target.write_text("the export of last week\n", encoding="utf-8")

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    done = subprocess.run(
        [sys.executable, "-m", "strichka", "export", str(target), "--db", db],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert done.returncode == 1
    assert f"strichka: [E107] {target}: cannot write: File too large" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == "the export of last week\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    assert run("export", str(target), "--db", db).exit_code == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 40


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["stats"],
        ["show", "deadbeef"],
        ["stories"],
        ["story", "deadbeef"],
        ["search", "Путін"],
        ["entities"],
        ["export"],
        ["sources"],
        ["source", "export"],
        ["recluster"],
    ],
)
def test_reading_commands_refuse_a_missing_database_and_create_none(
    tmp_path: Path, command: list[str]
) -> None:
    """A mistyped --db must not look like an empty store."""
    missing = tmp_path / "never.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 1
    assert f"[E204] no database at {missing} (import something first, or check --db)" in (
        result.output
    )
    assert list(tmp_path.iterdir()) == []


def test_serve_refuses_a_missing_database_instead_of_serving_an_empty_one(tmp_path: Path) -> None:
    """Run as a real process with a deadline: a server that started would never return."""
    missing = tmp_path / "never.db"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    done = subprocess.run(
        [sys.executable, "-m", "strichka", "serve", "--db", str(missing), "--port", port],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1
    expected = f"[E204] no database at {missing} (import something first, or check --db)"
    assert expected in done.stdout + done.stderr
    assert "strichka at http" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_serve_names_its_address_only_once_it_listens(tmp_path: Path, db: str, seed: str) -> None:
    """On a taken port serve printed «strichka at http://…», then failed with exit code 3."""
    run("import", seed, "--db", db)
    serve = [sys.executable, "-m", "strichka", "serve", "--db", db, "--port"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*serve, str(port)], capture_output=True, text=True, check=False, timeout=60
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"[E302] cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*serve, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith(f"strichka at http://127.0.0.1:{port}/")
        # Said once it listens: the first request right after the line is answered.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles", timeout=30) as reply:
            assert reply.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_source_import_of_a_file_listing_no_sources_is_refused(tmp_path: Path, db: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("source", "import", str(empty), "--db", db)
    assert result.exit_code == 1
    assert f"[E101] {empty}: lists no sources" in result.output
    assert not Path(db).exists()


def test_every_command_shows_a_time_on_the_users_clock(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list`, `search`, `stories` and `story` agreed on neither zone nor day; `show` and
    `analyze` printed the stored ISO time (UTC, with microseconds for polled pages)."""
    item = {**BUDGET, "id": "late-night"}
    path = import_items(tmp_path, db, item)
    monkeypatch.setenv("STRICHKA_TIMEZONE", "America/New_York")
    shown = "2019-11-19 18:50"
    assert shown in run("list", "--db", db).output
    assert shown in run("search", "бюджет", "--db", db).output
    listed = run("stories", "--db", db).output
    assert shown in listed
    story = run("story", listed.split()[0], "--db", db).output
    assert f"({shown})" in story and f"  {shown}  " in story
    assert f"id late-night · {shown} · uk" in run("show", "late-night", "--db", db).output
    assert f" · {shown} · uk" in run("analyze", str(path)).output


def test_list_and_search_line_up_their_columns_whatever_the_ids(tmp_path: Path, db: str) -> None:
    """Ids given in the input may be shorter (or longer) than a derived one: a row with
    «a1» had its time, outlet and title fourteen columns left of the others."""
    text = "Уряд ухвалив рішення про бюджет на наступний рік, повідомили в Мінфіні."
    items = [
        {"id": "a1", "title": "Бюджет ухвалено", "outlet": "Укрінформ"},
        {"url": "https://news.example.ua/2", "title": "Бюджет на рік", "outlet": "Суспільне"},
        {"id": "an-id-longer-than-sixteen", "title": "Бюджет і Мінфін", "outlet": "УНІАН"},
    ]
    path = tmp_path / "ids.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({**item, "text": text, "published_at": "2025-10-20T10:00:00+03:00"})
            for item in items
        ),
        encoding="utf-8",
    )
    assert "3 imported" in run("import", str(path), "--db", db).output
    for lines in (
        run("list", "--db", db).output.splitlines(),
        run("search", "бюджет", "--db", db).output.splitlines()[::2],  # each under its snippet
    ):
        assert len(lines) == 3
        assert len({line.index("2025-10-20") for line in lines}) == 1, lines
        assert len({line.index("Бюджет") for line in lines}) == 1, lines


def test_stories_lists_each_story_under_the_headline_its_page_shows(
    tmp_path: Path, db: str, retold: list[dict[str, str]]
) -> None:
    import_items(tmp_path, db, *retold)
    [listed] = run("stories", "--db", db).output.splitlines()
    story = run("story", listed.split()[0], "--db", db).output
    headline = story.splitlines()[0]
    assert headline != retold[0]["title"]  # the original's odd title is not the headline
    assert listed.endswith(headline)
    added = story.split("what each outlet adds:\n")[1].splitlines()[0]
    told = "Рятувальники відбуксирували пором до причалу, ніхто не постраждав."
    assert added == f"  {retold[1]['outlet']}: {told}"


def test_story_prints_a_day_only_date_as_the_day_and_after_that_days_timed_reports(
    tmp_path: Path, db: str
) -> None:
    """An article dated «2025-10-20» (no time of day) was «first: … (2025-10-20 00:00)», ahead
    of a report timed 14:05 that day, though it may well have come out in the evening."""
    text = (
        "Міністр енергетики Герман Галущенко заявив, що Україна припинить транзит "
        "російського газу з 1 січня. «Ми не будемо продовжувати контракт з Газпромом», "
        "— сказав Галущенко журналістам у Києві."
    )
    items = [
        {"id": "gas-day", "title": "Україна припинить транзит газу", "text": text,
         "outlet": "Укрінформ", "published_at": "2025-10-20"},
        {"id": "gas-time", "title": "Транзиту газу через Україну не буде", "text": text,
         "outlet": "Суспільне", "published_at": "2025-10-20T14:05:00+03:00"},
        {"id": "gas-eve", "title": "Україна не продовжить транзит газу", "text": text,
         "outlet": "Інтерфакс-Україна", "published_at": "2025-10-19"},
    ]  # fmt: skip
    import_items(tmp_path, db, *items[:2])
    assert "2025-10-20        Укрінформ" in run("list", "--db", db).output

    story_id = run("stories", "--db", db).output.split()[0]
    story = run("story", story_id, "--db", db).output
    assert "first: Суспільне (2025-10-20 14:05)" in story
    timed = story.index("  2025-10-20 14:05  Суспільне: Транзиту газу через Україну не буде")
    assert timed < story.index("  2025-10-20        Укрінформ: Україна припинить транзит газу")
    assert "00:00" not in story
    as_json = json.loads(run("story", story_id, "--json", "--db", db).output)
    assert [e["published_day_only"] for e in as_json["timeline"]] == [False, True]

    # a report known only by the day before is still the first
    import_items(tmp_path, db, items[2])
    story = run("story", story_id, "--db", db).output
    assert "first: Інтерфакс-Україна (2025-10-19)" in story
    assert json.loads(run("story", story_id, "--json", "--db", db).output)["first_day_only"]


def test_stories_says_when_no_story_is_that_recent(tmp_path: Path, db: str) -> None:
    item = {**BUDGET, "id": "old"}
    import_items(tmp_path, db, item)
    recent = run("stories", "--since", "24h", "--db", db)
    assert (recent.exit_code, recent.output) == (0, "no stories since 24h\n")
    assert "Рада ухвалила бюджет" in run("stories", "--db", db).output


@pytest.mark.parametrize(
    "command", [["list"], ["show", "n0"], ["stats"], ["export"], ["settings"], ["--help"]]
)
def test_printing_to_a_full_disk_is_one_clear_line(
    tmp_path: Path, db: str, command: list[str]
) -> None:
    """`strichka list > /dev/full` ended in an OSError traceback (exit code 1, by accident)."""
    import_items(
        tmp_path, db, {"id": "n0", "title": "Новина", "text": "Київ. Уряд ухвалив бюджет."}
    )
    args = [*command, "--db", db] if command[0] not in ("settings", "--help") else command
    with open("/dev/full", "w") as full:  # every write: ENOSPC
        done = subprocess.run(
            [sys.executable, "-m", "strichka", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "strichka: [E107] <stdout>: cannot write: No space left on device\n"


@pytest.mark.parametrize("command", [["export"], ["list"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(
    tmp_path: Path, db: str, command: list[str]
) -> None:
    """`strichka export | head -1` said «[E107] <stdout>: cannot write: Broken pipe»."""
    import_items(
        tmp_path, db, {"id": "n0", "title": "Новина", "text": "Київ. Уряд ухвалив бюджет."}
    )
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone: every write is EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "strichka", *command, "--db", db],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writing)
    assert done.returncode == 1
    assert done.stderr == ""


def test_ctrl_c_during_an_import_says_what_was_stored_before_it(tmp_path: Path, db: str) -> None:
    """Ctrl-C printed only «Aborted!» (exit code 1): nothing said what had been stored."""
    folder = tmp_path / "items"
    folder.mkdir()
    for n in range(1500):
        (folder / f"{n:04}.txt").write_text(
            f"Новина номер {n} про бюджет\n\nКиїв. Уряд ухвалив рішення номер {n} про бюджет "
            "на наступний рік, повідомили в Мінфіні.\n",
            encoding="utf-8",
        )
    importing = subprocess.Popen(
        [sys.executable, "-m", "strichka", "import", str(folder), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "STRICHKA_CONFIG": str(tmp_path / "none.toml")},
    )
    stored = 0
    while importing.poll() is None and stored < 3:
        time.sleep(0.02)
        with (
            contextlib.closing(sqlite3.connect(db, timeout=1)) as other,
            contextlib.suppress(sqlite3.OperationalError),  # not created yet
        ):
            stored = other.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    importing.send_signal(signal.SIGINT)
    out, err = importing.communicate(timeout=120)
    assert importing.returncode == 130, err
    with contextlib.closing(sqlite3.connect(db)) as other:
        kept = other.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 3 <= kept < 1500
    assert out == f"{kept} imported, 0 updated, 0 unchanged, 0 failed (interrupted)\n"
    assert "Aborted!" not in err and "Traceback" not in err

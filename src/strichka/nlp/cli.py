"""The language commands: `analyze`, `entities` and `ner train`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from strichka.cli_options import (
    db_option,
    open_store,
    render_analysis,
    render_article,
    settings_for,
)
from strichka.config import load_settings
from strichka.errors import InputError
from strichka.extract.decode import decode_document
from strichka.extract.document import read_document
from strichka.ingest.files import read_one
from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.pipeline import reader_options
from strichka.records import Article, Rejected, content_id


@click.command("analyze")
@click.argument("path")
@click.option(
    "--reference-date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Resolve relative dates against this day [default: the article's date, or none].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the text and every analysis as JSON.")
def analyze_command(path: str, reference_date: datetime | None, as_json: bool) -> None:
    """Analyse one item in any form `import` reads (or plain text; '-' reads stdin).

    Prints language, sentences, entities with canonical names, keywords, dates, cited
    outlets, quotes and attributed claims. Offsets index the `text` field of the JSON.

    \b
    Example:
      strichka analyze ../shared/seeds/000_3e1ff92a3d920351.txt --reference-date 2025-11-01 --json
    """
    settings = load_settings()
    document = read_one(path, max_bytes=settings.max_input_bytes)
    sentence = _one_line(document.data, source=document.source)
    if sentence is not None:
        articles = [Article(id=content_id(sentence, None, ()), title=sentence)]
    else:
        options = reader_options(settings)
        reading = read_document(document.data, source=document.source, options=options)
        articles = [item for item in reading.items if isinstance(item, Article)]
        if not articles:
            reasons = "; ".join(i.reason for i in reading.items if isinstance(i, Rejected))
            raise InputError(reasons or "no article in the input", source=document.source)
    resources = LanguageResources.load(ner_model=settings.ner_model_path)
    article = with_analysis(
        articles[0],
        resources=resources,
        reference_date=reference_date.date() if reference_date else None,
    )
    assert article.analysis is not None
    if as_json:
        data = {
            "id": article.id,
            "title": article.title,
            "text": article.analysis_text,
            **article.analysis.to_dict(),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(article, settings.timezone))
        click.echo(render_analysis(article))


def _one_line(data: bytes, *, source: str) -> str | None:
    """The line, when the input is one line of plain text: `import` wants a body under a
    title, but a sentence is enough to analyse («echo 'Путін заявив…' | strichka analyze -»)."""
    lines = [line.strip() for line in decode_document(data, source=source).splitlines()]
    text = [line for line in lines if line]
    if len(text) != 1 or text[0].startswith(("<", "{", "[")):
        return None  # markup or JSON: the readers know those
    return text[0]


@click.command("entities")
@click.option("--kind", type=click.Choice(["PER", "ORG", "LOC", "MISC"]), default=None)
@click.option("--limit", default=30, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@db_option
def entities_command(kind: str | None, limit: int, as_json: bool, db_path: str | None) -> None:
    """People, organisations and places across all articles, most mentioned first.

    \b
    Example:
      strichka entities --kind PER --limit 10
    """
    with open_store(settings_for(db_path)) as store:
        entities = store.list_entities(kind=kind, limit=limit)
    for entity in entities:
        if as_json:
            click.echo(json.dumps(entity.to_dict(), ensure_ascii=False))
            continue
        aliases = f"  ({', '.join(entity.aliases)})" if entity.aliases else ""
        click.echo(f"{entity.id}  {entity.kind:4} {entity.mentions:5}  {entity.name}{aliases}")


@click.group("ner")
def ner_group() -> None:
    """The trained entity recogniser: analysis uses it once it is trained.

    \b
    Example:
      strichka ner train ../shared/data/ner-uk-v2-dev
    """


@ner_group.command("train")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def ner_train_command(corpus_dir: Path) -> None:
    """Train a CRF on a ner-uk or SlavicNER corpus into strichka's data folder.

    Analysis uses the model from then on. It is learnt from the corpus, so it carries that
    corpus's licence: it stays in the data folder and is never shipped.

    \b
    Example:
      strichka ner train ../shared/data/ner-uk-v2-dev
    """
    from strichka.nlp.ner_crf import train_crf

    settings = load_settings()
    entities = LanguageResources.load().entities.without_model()
    settings.ner_model_path.parent.mkdir(parents=True, exist_ok=True)
    path = train_crf(corpus_dir, settings.ner_model_path, resources=entities)
    click.echo(f"model written to {path}")


def register(main: click.Group) -> None:
    """Attach the language commands to `strichka`."""
    for command in (analyze_command, entities_command, ner_group):
        main.add_command(command)

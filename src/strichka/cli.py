"""The `strichka` command: the top-level group, its error handling, and its subcommands.

Each subcommand is thin: it parses, calls the library, prints. It lives in the `cli.py` of its
stage's package (ingest, store, nlp, evaluation, stories, search, api); this module attaches them.
"""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Any

import click

from strichka.api.cli import register as register_api_commands
from strichka.config import SECRET, describe_settings
from strichka.errors import StrichkaError
from strichka.evaluation.cli import eval_group
from strichka.evaluation.cli import register as register_eval_commands
from strichka.ingest.cli import register as register_ingest_commands
from strichka.nlp.cli import register as register_nlp_commands
from strichka.search.cli import register as register_search_commands
from strichka.store.cli import register as register_store_commands
from strichka.stories.cli import register as register_story_commands


class StrichkaGroup(click.Group):
    """Typed errors become one clear line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StrichkaError as exc:
            click.echo(f"strichka: {exc}", err=True)
            sys.exit(1)


@click.group(cls=StrichkaGroup)
@click.version_option(package_name="strichka")
def main() -> None:
    """strichka: turn Ukrainian news feeds into articles, stories and knowledge.

    \b
    Start with:
      strichka import ../shared/seeds/*.txt
      strichka list
    """


@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def settings_command(as_json: bool) -> None:
    """Show every setting: its value, where the value came from (default, the TOML file or a
    STRICHKA_* variable) and what it does. Secrets show only whether they are set.

    \b
    Example:
      STRICHKA_STORY_THRESHOLD=0.45 strichka settings
    """
    infos = describe_settings()
    shown = {
        info.name: ("<set>" if info.value else "") if info.name in SECRET else info.value
        for info in infos
    }
    if as_json:
        rows = [
            {"name": i.name, "value": shown[i.name], "origin": i.origin, "help": i.help}
            for i in infos
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for info in infos:
        click.echo(
            f"{info.name} = {json.dumps(shown[info.name], ensure_ascii=False)}  ({info.origin})"
        )
        click.echo(
            textwrap.fill(info.help, width=88, initial_indent="    ", subsequent_indent="    ")
        )


register_ingest_commands(main)
register_store_commands(main)
register_nlp_commands(main)
register_eval_commands(main)
register_story_commands(main, eval_group)
register_search_commands(main)
register_api_commands(main)

if __name__ == "__main__":
    main()

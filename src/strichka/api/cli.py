"""The `serve` command: web pages, REST API and Atom feeds."""

from __future__ import annotations

import click

from strichka.cli_options import db_option, require_database, settings_for


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@db_option
def serve_command(host: str, port: int, db_path: str | None) -> None:
    """Serve the web pages, the REST API (/api) and the Atom feeds (/feeds) of an existing
    database (create one with `strichka import`, `source import` or `run`).

    Writes through the API need `api_key` in the config (sent as X-API-Key).

    \b
    Example:
      strichka serve --port 8000 --db news.db
    """
    import uvicorn

    from strichka.api.app import create_app
    from strichka.api.server import listening_socket

    settings = settings_for(db_path)
    require_database(settings)
    app = create_app(settings)
    sock = listening_socket(host, port)  # first: a taken port is an error, not an address
    click.echo(f"strichka at http://{host}:{port}/  (API: http://{host}:{port}/api/openapi.json)")
    with sock:
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def register(main: click.Group) -> None:
    """Attach `serve` to `strichka`."""
    main.add_command(serve_command)

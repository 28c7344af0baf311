"""``propscope serve``: the web app and API on a local port.

Registered in ``propscope.cli`` with ``cli.add_command(serve)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from propscope.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 exposes the server to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="History database file [default: $XDG_DATA_HOME/propscope/history.sqlite3].")
@click.option("--allow-private-network", is_flag=True, default=None,
              help="Allow fetching URLs on private, loopback and link-local addresses.")
@click.option("--max-body", "max_body", default=5_000_000, show_default=True, type=click.IntRange(1),
              help="Largest request body in bytes.")
@click.option("--rate", default=5.0, show_default=True, type=click.FloatRange(0),
              help="Requests a second allowed per client after a burst of 60; 0 turns the limit off.")
def serve(host: str, port: int, db: Path | None, allow_private_network: bool | None, max_body: int,
          rate: float) -> None:
    """Run the web app and JSON API. Set PROPSCOPE_TOKEN to require 'Authorization: Bearer <token>'
    on every write endpoint."""
    import uvicorn

    from propscope.errors import PropscopeError
    from propscope.server import create_app

    settings = Settings.from_env().with_options(allow_private_network=allow_private_network)
    try:
        app = create_app(db, settings, max_body_bytes=max_body, rate_per_s=rate or None)
    except PropscopeError as exc:
        raise click.ClickException(exc.one_line()) from None
    store = app.state.service.store
    click.echo(f"propscope: history in {store.path}; serving on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)

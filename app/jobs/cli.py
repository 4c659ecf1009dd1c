"""``flask jobs worker``: run background jobs from Redis."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

cli = AppGroup("jobs", help="Run background jobs (needs REDIS_URL).")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Work on the job queue until stopped."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the web process")
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(url)
    Worker([Queue("sanaly", connection=connection)], connection=connection).work(burst=burst)

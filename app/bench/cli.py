"""``flask bench seed --learners N``: a realistic data set for the benchmarks in bench/."""

from __future__ import annotations

import secrets
import time

import click
from flask.cli import AppGroup

from app.bench.plan import ADMIN_EMAIL, EMAIL, TRAINER_EMAIL
from app.bench.seed import SeedError, issue_certificates, seed_learners
from app.db import db

cli = AppGroup("bench", help="Data for the benchmarks in bench/.")


@cli.command("seed")
@click.option("--learners", type=click.IntRange(1, 1_000_000), required=True, help="How many learners.")
@click.option("--password", default=None, help="The password every bench account shares (default: random).")
@click.option("--seed", "seed_value", type=int, default=1, show_default=True,
              help="The same seed gives the same data set.")
@click.option("--certificates", default="all", show_default=True,
              help="How many of the learners who completed get their certificate now (a number, or all); "
                   "the others are eligible, waiting for the bulk issuance.")
def seed_command(learners: int, password: str | None, seed_value: int, certificates: str) -> None:
    """Create N learners with cohorts, reading progress, quiz attempts, playthroughs, submissions and grades,
    and certificates for those who completed the course."""
    if certificates != "all" and not certificates.isdigit():
        raise click.BadParameter("a number, or all", param_hint="--certificates")
    password = password or secrets.token_urlsafe(12)
    if len(password) < 10:
        raise click.ClickException("the password must be at least 10 characters")
    started = time.monotonic()
    try:
        with click.progressbar(length=learners, label="learners", show_pos=True) as bar:
            totals = seed_learners(learners, password, seed_value, progress=bar.update)
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    wanted = totals.complete if certificates == "all" else min(int(certificates), totals.complete)
    with click.progressbar(length=wanted, label="certificates", show_pos=True) as bar:
        issued = issue_certificates(learners, seed_value, wanted, progress=bar.update)
    click.echo(f"{totals.learners} learners ({totals.complete} complete), {totals.trainers} trainers, 1 admin, "
               f"{totals.cohorts} cohorts, {totals.readings} reading records, {totals.attempts} quiz attempts, "
               f"{totals.playthroughs} playthroughs, {totals.submissions} assignments, {issued} certificates "
               f"in {time.monotonic() - started:.0f} s")
    click.echo(f"accounts: {EMAIL.format('1..' + str(learners))}, {TRAINER_EMAIL.format('1..')}, {ADMIN_EMAIL}")
    click.echo(f"password (all of them): {password}")

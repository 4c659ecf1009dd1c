"""``flask courseware ...``: check course files and load them into the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.courseware.reader import read_courseware
from app.courseware.store import store_course
from app.db import db

cli = AppGroup("courseware", help="Check, load and export the course files.")


def _path(path: str | None) -> Path:
    return Path(path or current_app.config["COURSEWARE_PATH"])


def _read_or_fail(path: Path, quiet_warnings: bool = False):
    courses, report = read_courseware(path)
    if not quiet_warnings:
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} error(s) in {path}; nothing was loaded")
    return courses, report


@cli.command("check")
@click.argument("path", required=False)
def check_command(path: str | None) -> None:
    """Check the course files under PATH (default: courseware/) and change nothing."""
    courses, report = _read_or_fail(_path(path))
    for course in courses:
        readings = sum(len(m.readings) for m in course.modules)
        click.echo(f"{course.slug}: {len(course.modules)} modules, {readings} readings, "
                   f"{len(course.glossary)} glossary terms")
    click.echo(f"ok: no errors, {len(report.warnings)} missing translation(s) or warning(s)")


@cli.command("load")
@click.argument("path", required=False)
def load_command(path: str | None) -> None:
    """Load the course files under PATH into the database, in one transaction."""
    courses, _ = _read_or_fail(_path(path), quiet_warnings=True)
    try:
        summaries = [store_course(course) for course in courses]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for summary in summaries:
        click.echo(str(summary))

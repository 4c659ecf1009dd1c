"""``flask courseware ...``: check course files, load them into the database, export web edits back."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.courseware.models import Course
from app.courseware.reader import module_parts, read_courseware
from app.courseware.store import store_course
from app.courseware.yamlfile import dump_yaml, read_yaml
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


def _export_folder(root: Path, course_slug: str) -> Path:
    """PATH itself when it is this course's folder, else PATH/<course-slug>."""
    if (root / "course.yaml").is_file() and (read_yaml(root / "course.yaml") or {}).get("slug") == course_slug:
        return root
    return root / course_slug


def _module_folder(course_folder: Path, module) -> Path:
    existing = sorted(p for p in course_folder.glob(f"[0-9][0-9]-{module.slug}") if p.is_dir())
    return existing[0] if existing else course_folder / f"{module.position:02d}-{module.slug}"


@cli.command("export")
@click.argument("path", required=False)
def export_command(path: str | None) -> None:
    """Write what trainers edit in the browser (quiz.yaml ...) back into the course folders under PATH."""
    root = _path(path)
    courses = db.session.scalars(select(Course).order_by(Course.id).options(selectinload(Course.modules)))
    for course in courses:
        folder = _export_folder(root, course.slug)
        for module in (m for m in course.modules if not m.retired):
            for part in module_parts():
                data = part.export(module, db.session) if hasattr(part, "export") else None
                if data is None:
                    continue
                target = _module_folder(folder, module) / part.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(dump_yaml(data), encoding="utf-8")
                click.echo(f"wrote {target}")

"""``flask quizzes ...``: GIFT files in and out of a quiz."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.config import DEFAULT_LOCALE, LOCALES
from app.db import db
from app.quizzes import authoring
from app.quizzes.exchange import GiftError, ImportRefused, export_gift, import_gift
from app.quizzes.fields import SLUG
from app.quizzes.quizspec import QuizSettings

cli = AppGroup("quizzes", help="Import and export quiz questions as GIFT (Moodle's text format).")
LOCALE_OPTION = click.option("--locale", type=click.Choice(LOCALES), default=DEFAULT_LOCALE, show_default=True,
                             help="The language of the file's texts.")


@cli.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "slug", required=True, help="The quiz's slug; a new draft quiz when none has it.")
@LOCALE_OPTION
def import_gift_command(file: Path, slug: str, locale: str) -> None:
    """Add the questions of a GIFT FILE to a quiz (in Kazakh), or their translations (in another language)."""
    if not SLUG.match(slug):
        raise click.ClickException("the quiz slug must be lowercase Latin letters, digits and hyphens")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: the file is not UTF-8 text") from None
    quiz = authoring.quiz_with_questions(slug)
    if quiz is None:
        quiz = authoring.create_quiz(slug=slug, title={DEFAULT_LOCALE: slug}, settings=QuizSettings(pass_mark=60))
    try:
        result = import_gift(quiz, text, locale, actor=None)
        db.session.commit()
    except (GiftError, ImportRefused) as error:
        db.session.rollback()
        raise click.ClickException(f"{file}: {error}; nothing was imported") from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    what = f"{result.added} question(s) added" if result.added else f"{result.translated} question(s) translated"
    click.echo(f"{quiz.slug}: {what} ({quiz.status.value})")


@cli.command("export-gift")
@click.argument("slug")
@LOCALE_OPTION
def export_gift_command(slug: str, locale: str) -> None:
    """Write the questions of the quiz SLUG as GIFT to standard output (warnings to standard error)."""
    quiz = authoring.quiz_with_questions(slug)
    if quiz is None:
        raise click.ClickException(f"no quiz {slug!r}")
    exported = export_gift(quiz, locale)
    for warning in exported.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(exported.text, nl=False)

"""``flask certificates ...``: issue certificates to one learner or to everyone eligible, and revoke them.

Standard output gets one line per certificate issued, ``<code> <e-mail>``, so the output can be piped or kept;
the progress bar and any warnings go to standard error.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.services import find_user_by_email
from app.certificates import services
from app.courseware.models import Course
from app.courseware.services import course_outline
from app.db import db

cli = AppGroup("certificates", help="Issue and revoke certificates.")


def _course(course_slug: str | None) -> Course:
    """The course named, or the only one loaded."""
    slugs = list(db.session.scalars(select(Course.slug).order_by(Course.id)))
    if course_slug is None:
        if not slugs:
            raise click.ClickException("no course is loaded: run `flask --app wsgi courseware load` first")
        if len(slugs) > 1:
            raise click.ClickException(f"several courses are loaded: choose one with --course ({', '.join(slugs)})")
        course_slug = slugs[0]
    elif course_slug not in slugs:
        raise click.ClickException(f"no course with the slug {course_slug}")
    return course_outline(db.session, course_slug)


@cli.command("issue")
@click.option("--user", "email", metavar="EMAIL", help="Issue to this learner.")
@click.option("--all-eligible", is_flag=True, help="Issue to everyone who has completed the course.")
@click.option("--course", "course_slug", metavar="SLUG", help="The course (needed only when several are loaded).")
def issue_command(email: str | None, all_eligible: bool, course_slug: str | None) -> None:
    """Issue certificates; prints `<code> <e-mail>` for each certificate issued."""
    if bool(email) == all_eligible:
        raise click.UsageError("give either --user EMAIL or --all-eligible")
    course = _course(course_slug)
    if email:
        _issue_one(course, email)
    else:
        _issue_all(course)


def _issue_one(course: Course, email: str) -> None:
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    try:
        result = services.issue_certificate(db.session, course, user, actor=None)
    except services.CertificateError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if result.created:
        click.echo(f"{result.certificate.code} {user.email}")
    else:
        click.echo(f"{user.email} already holds {result.certificate.code}; nothing issued", err=True)


def _issue_all(course: Course) -> None:
    learners = services.eligible_learners(db.session, course)
    issued, refused = [], []
    with click.progressbar(learners, label="Issuing certificates", file=sys.stderr) as bar:
        for learner in bar:
            try:
                result = services.issue_certificate(db.session, course, learner, actor=None)
            except services.CertificateError as error:
                db.session.rollback()
                refused.append(f"{learner.email}: {error}")
                continue
            db.session.commit()  # one learner at a time: an interrupted run keeps what it issued
            if result.created:
                issued.append(f"{result.certificate.code} {learner.email}")
    for line in issued:
        click.echo(line)
    for line in refused:
        click.echo(f"not issued: {line}", err=True)
    if refused:
        raise click.ClickException(f"{len(refused)} eligible learners got no certificate (reasons above)")


@cli.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Why the certificate is withdrawn (shown on its public page).")
def revoke_command(code: str, reason: str) -> None:
    """Revoke the certificate CODE."""
    certificate = services.find_by_code(db.session, code)
    if certificate is None:
        raise click.ClickException(f"no certificate with the code {code}")
    try:
        services.revoke_certificate(db.session, certificate, reason, actor=None)
    except services.CertificateError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{certificate.code} revoked")

"""``flask demo``: demo accounts for trying Sanaly locally, and a learner who has finished the course."""

from __future__ import annotations

import secrets

import click

from app.accounts import services
from app.accounts.roles import Role
from app.db import db

DEMO_ACCOUNTS = (
    ("learner@demo.sanaly.kz", "Айгерім Демо", "Айгерім Сәрсенқызы Демо", Role.LEARNER),
    ("trainer@demo.sanaly.kz", "Trainer Demo", "Trainer Demo", Role.TRAINER),
    ("admin@demo.sanaly.kz", "Admin Demo", "Admin Demo", Role.ADMIN),
    ("graduate@demo.sanaly.kz", "Ерлан Демо", "Ерлан Бекұлы Демо", Role.LEARNER),
)
GRADUATE = "graduate@demo.sanaly.kz"


@click.command("demo")
def demo_command() -> None:
    """Create the demo accounts (learner, trainer, admin, and a graduate with a certificate), printing their
    passwords once."""
    created = []
    for email, name, certificate_name, role in DEMO_ACCOUNTS:
        if services.find_user_by_email(email) is not None:
            continue
        password = secrets.token_urlsafe(9)
        services.create_user(email=email, password=password, display_name=name,
                             certificate_name=certificate_name, role=role)
        created.append((role.value, email, password))
    db.session.commit()
    if not created:
        click.echo("demo accounts already exist (their passwords were printed when they were created; "
                   "`flask --app wsgi users set-password EMAIL` sets a new one)")
        return
    if any(email == GRADUATE for _, email, _ in created):
        _graduate()
    click.echo("Demo accounts (these passwords are shown only now):")
    for role, email, password in created:
        note = "  (has finished the course: see the certificate)" if email == GRADUATE else ""
        click.echo(f"  {role:8} {email:28} {password}{note}")


def _graduate() -> None:
    """Take the graduate through every course and issue their certificates."""
    from app.certificates.services import CertificateError, issue_certificate
    from app.courseware.services import course_outlines
    from app.demo_learner import complete_course

    graduate = services.find_user_by_email(GRADUATE)
    trainer = services.find_user_by_email("trainer@demo.sanaly.kz")
    admin = services.find_user_by_email("admin@demo.sanaly.kz")
    for course in course_outlines(db.session):
        complete_course(db.session, course, graduate, trainer)
        db.session.commit()
        try:
            issued = issue_certificate(db.session, course, graduate, actor=admin)
        except CertificateError as error:
            db.session.rollback()
            click.echo(f"  no certificate for {GRADUATE} in {course.slug}: {error}", err=True)
            continue
        db.session.commit()
        click.echo(f"  certificate {issued.certificate.code} for {GRADUATE} ({course.slug})")

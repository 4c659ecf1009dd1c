"""``flask demo``: demo accounts for trying Sanaly locally."""

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
)


@click.command("demo")
def demo_command() -> None:
    """Create the demo accounts (a learner, a trainer, an admin) and print their passwords once."""
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
    click.echo("Demo accounts (these passwords are shown only now):")
    for role, email, password in created:
        click.echo(f"  {role:8} {email:28} {password}")

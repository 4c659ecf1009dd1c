"""``flask users ...``: create accounts and change roles from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.roles import Role
from app.db import db

cli = AppGroup("users", help="Create accounts and change roles.")

_ROLE = click.Choice([r.value for r in Role])


def _read_password() -> str:
    """From a prompt on a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _user_or_fail(email: str):
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user


@cli.command("create")
@click.option("--email", required=True, help="The account's e-mail address.")
@click.option("--name", required=True, help="Display name (also the certificate name until changed).")
@click.option("--role", type=_ROLE, default=Role.LEARNER.value, show_default=True)
@click.option("--locale", type=click.Choice(["kk", "ru", "en"]), default="kk", show_default=True)
def create_user_command(email: str, name: str, role: str, locale: str) -> None:
    """Create an account; the password comes from a prompt, or from stdin when it is not a terminal."""
    if "@" not in email or len(email) > 254:
        raise click.ClickException(f"not an e-mail address: {email}")
    if not name.strip():
        raise click.ClickException("the name must not be empty")
    password = _read_password()
    try:
        user = services.create_user(email=email, password=password, display_name=name, role=Role(role),
                                    locale=locale)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@cli.command("set-role")
@click.argument("email")
@click.argument("role", type=_ROLE)
def set_role_command(email: str, role: str) -> None:
    """Give the account EMAIL the role ROLE."""
    user = _user_or_fail(email)
    services.set_role(user, Role(role))
    db.session.commit()
    click.echo(f"{user.email} is now {user.role.value}")


@cli.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set a new password for EMAIL (prompt, or stdin when it is not a terminal)."""
    user = _user_or_fail(email)
    try:
        services.set_password(user, _read_password())
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"password changed for {user.email}")

"""What accounts do: register, authenticate, change and reset passwords, set roles."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, has_app_context
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import User
from app.accounts.roles import Role
from app.config import LOCALES
from app.db import db, utcnow

MIN_PASSWORD_LENGTH = 12  # OWASP ASVS 2.1.1
# Compared against when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A request the account rules refuse; the message is shown to the user."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def hash_password(password: str) -> str:
    """A modern KDF (scrypt by default); tests choose a cheaper setting so thousands of sign-ins stay quick."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_user(
    *,
    email: str,
    password: str,
    display_name: str,
    certificate_name: str | None = None,
    locale: str = "kk",
    role: Role = Role.LEARNER,
) -> User:
    """Add a new account; the caller commits."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("an account with this e-mail already exists")
    check_password_rules(password)
    if locale not in LOCALES:
        raise AccountError(f"unknown language {locale!r}")
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        certificate_name=(certificate_name or display_name).strip(),
        locale=locale,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, else None (timing does not reveal which failed)."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def set_password(user: User, new_password: str) -> None:
    """Replace the password and end every other session of this account."""
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_epoch += 1


def end_sessions(user: User) -> None:
    user.session_epoch += 1


def set_role(user: User, role: Role, actor: User | None = None) -> None:
    """Change a role, with an audit entry in the same transaction (no actor: the command line)."""
    from app.audit.services import record

    if user.role is role:
        return
    record("role.changed", actor=actor, subject=user, object_type="user", object_id=user.id,
           old=user.role.value, new=role.value)
    user.role = role


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: ``<user id>.<epoch>``; an old epoch means a signed-out session."""
    user_id, _, epoch = (session_id or "").partition(".")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


# Password reset links: signed, expiring, and single-use because they are bound to the current password hash.

def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="sanaly.password-reset")


def make_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps({"u": user.id, "p": _password_fingerprint(user)})


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """The user a valid, unexpired, unused token belongs to; None otherwise."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not hmac.compare_digest(str(data.get("p")), _password_fingerprint(user)):
        return None
    return user

"""Accounts: who people are and what they may do."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.roles import Role
from app.db import db, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    certificate_name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5), default="kk")
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda roles: [r.value for r in roles]),
        default=Role.LEARNER,
    )
    # Bumped on sign-out and password change: every older session cookie stops working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # Case-folded names and e-mail for searching: SQLite's lower() folds only ASCII, names are Cyrillic.
    search_text: Mapped[str] = mapped_column(String(600), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


def search_key(*parts: str | None) -> str:
    return " ".join(p.casefold() for p in parts if p)


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _refresh_search_text(mapper, connection, user: User) -> None:
    user.search_text = search_key(user.display_name, user.certificate_name, user.email)

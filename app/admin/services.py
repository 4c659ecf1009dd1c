"""What the admin console lists: users and the audit log, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User, search_key
from app.audit.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    page: int
    pages: int
    total: int


def paginate(session, statement, page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(session.scalars(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return Page(rows, page, pages, total)


def users_page(session, *, search: str | None, page: int) -> Page:
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if search:
        statement = statement.where(User.search_text.contains(search_key(search), autoescape=True))
    return paginate(session, statement, page)


def audit_page(session, *, action: str | None, page: int) -> Page:
    statement = (select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                 .options(selectinload(AuditEntry.actor), selectinload(AuditEntry.subject)))
    if action:
        statement = statement.where(AuditEntry.action == action)
    return paginate(session, statement, page)


def audit_actions(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))

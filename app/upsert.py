"""Insert-if-absent that holds under concurrency, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite

from app.db import db


def insert_ignoring_conflict(
    model: type, values: dict[str, Any], conflict: list[str], where: ColumnElement[bool] | None = None
) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: a second writer of the same row changes nothing.

    ``where`` names the condition of a partial unique index; returns how many rows were inserted (0 or 1).
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict, index_where=where)
                 .returning(*model.__table__.primary_key.columns))
    # Count the returned keys: with RETURNING, psycopg reports a rowcount of -1 whether or not a row went in.
    return len(db.session.execute(statement).all())

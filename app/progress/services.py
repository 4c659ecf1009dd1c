"""A learner's progress through the readings, and what comes next."""

from __future__ import annotations

from sqlalchemy import select, update

from app.db import db, utcnow
from app.progress.models import ReadingProgress
from app.upsert import insert_ignoring_conflict

READ_HOW = ("marked", "end")


def record_opened(user_id: int, reading_id: int) -> None:
    """Remember that the learner opened the reading (first and last time)."""
    now = utcnow()
    insert_ignoring_conflict(
        ReadingProgress,
        {"user_id": user_id, "reading_id": reading_id, "first_opened_at": now, "last_opened_at": now},
        ["user_id", "reading_id"],
    )
    db.session.execute(
        update(ReadingProgress)
        .where(ReadingProgress.user_id == user_id, ReadingProgress.reading_id == reading_id)
        .values(last_opened_at=now)
    )


def mark_read(user_id: int, reading_id: int, how: str) -> None:
    """Count the reading as read; the first time counts, later marks change nothing."""
    if how not in READ_HOW:
        raise ValueError(f"unknown way of reading {how!r}")
    record_opened(user_id, reading_id)
    db.session.execute(
        update(ReadingProgress)
        .where(ReadingProgress.user_id == user_id, ReadingProgress.reading_id == reading_id,
               ReadingProgress.read_at.is_(None))
        .values(read_at=utcnow(), read_how=how)
    )


def progress_by_reading(user_id: int | None, reading_ids: list[int]) -> dict[int, ReadingProgress]:
    if user_id is None or not reading_ids:
        return {}
    rows = db.session.scalars(
        select(ReadingProgress).where(ReadingProgress.user_id == user_id,
                                      ReadingProgress.reading_id.in_(reading_ids))
    )
    return {row.reading_id: row for row in rows}

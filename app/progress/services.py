"""A learner's progress through the readings, and what comes next."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from app.courseware.models import Course, Module, Reading
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


@dataclass(frozen=True)
class ModuleProgress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def module_progress(module: Module, progress: dict[int, ReadingProgress]) -> ModuleProgress:
    readings = [r for r in module.readings if not r.retired]
    done = sum(1 for r in readings if r.id in progress and progress[r.id].is_read)
    return ModuleProgress(done, len(readings))


@dataclass(frozen=True)
class NextStep:
    module: Module
    reading: Reading
    resume: bool  # True: opened before and not finished ("continue where you left off")


def next_step(course: Course, progress: dict[int, ReadingProgress]) -> NextStep | None:
    """The unfinished reading opened most recently, else the first one not read, in course order."""
    ordered = [(m, r) for m in course.modules if not m.retired for r in m.readings if not r.retired]
    started = [(progress[r.id].last_opened_at, m, r) for m, r in ordered
               if r.id in progress and not progress[r.id].is_read]
    if started:
        _, module, reading = max(started, key=lambda item: item[0])
        return NextStep(module, reading, True)
    for module, reading in ordered:
        if reading.id not in progress or not progress[reading.id].is_read:
            return NextStep(module, reading, False)
    return None

"""Readings as course items: read when marked or reached to the end."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from app.courseware.models import Course
from app.progress.completion import Evidence, Item, ItemKind, ItemStatus, State
from app.progress.models import ReadingProgress

KINDS = frozenset({ItemKind.READING})


def items(session, course: Course) -> list[Item]:
    """The readings of the course, in order."""
    return [
        Item(ItemKind.READING, module.slug, reading.slug, {k: v["title"] for k, v in reading.titles.items()},
             reading.position,
             url_for("courseware.reading", course_slug=course.slug, module_slug=module.slug,
                     reading_slug=reading.slug))
        for module in course.modules for reading in module.readings
    ]


def statuses(session, course: Course, course_items: list[Item], user_ids: list[int]) -> dict:
    ids = {(module.slug, reading.slug): reading.id for module in course.modules for reading in module.readings}
    wanted = {ids[(i.module_slug, i.slug)]: i for i in course_items if (i.module_slug, i.slug) in ids}
    if not wanted or not user_ids:
        return {}
    rows = session.scalars(select(ReadingProgress).where(
        ReadingProgress.user_id.in_(user_ids), ReadingProgress.reading_id.in_(list(wanted))))
    result = {}
    for row in rows:
        item = wanted[row.reading_id]
        evidence = Evidence("reading_progress", row.id, row.read_at or row.last_opened_at)
        state = State.DONE if row.read_at else State.STARTED
        result[(row.user_id, item.key)] = ItemStatus(item, state, evidence)
    return result

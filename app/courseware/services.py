"""Loading what the course pages show, eagerly and in a fixed number of queries."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer, with_loader_criteria

from app.courseware.models import Course, GlossaryTerm, Module, Reading


def _live_items():
    """Retired modules and readings stay in the database for history but are not shown."""
    return (
        with_loader_criteria(Module, Module.retired.is_(False)),
        with_loader_criteria(Reading, Reading.retired.is_(False)),
    )


def course_outlines(session) -> list[Course]:
    """Every course with its live modules and readings (titles only): three queries."""
    statement = (
        select(Course).order_by(Course.id)
        .options(selectinload(Course.modules).selectinload(Module.readings), *_live_items())
    )
    return list(session.scalars(statement))


def course_outline(session, course_slug: str) -> Course:
    statement = (
        select(Course).where(Course.slug == course_slug)
        .options(selectinload(Course.modules).selectinload(Module.readings), *_live_items())
    )
    return session.scalar(statement) or abort(404)


def find_module(course: Course, module_slug: str) -> Module:
    for module in course.modules:
        if module.slug == module_slug:
            return module
    abort(404)


def reading_with_text(session, reading_id: int) -> Reading:
    statement = select(Reading).where(Reading.id == reading_id).options(undefer(Reading.versions))
    return session.scalar(statement) or abort(404)


def find_reading(module: Module, reading_slug: str) -> Reading:
    for reading in module.readings:
        if reading.slug == reading_slug:
            return reading
    abort(404)


def glossary(session, course: Course) -> list[GlossaryTerm]:
    statement = select(GlossaryTerm).where(GlossaryTerm.course_id == course.id).order_by(GlossaryTerm.position)
    return list(session.scalars(statement))

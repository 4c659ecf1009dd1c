"""Loading what the course pages show, eagerly and in a fixed number of queries."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

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


# Features that add a section to the module page (the practicum, ...) register here, each with a
# ``module_section(module, user)`` in its services module that returns a ModuleSection or None.
SECTION_PROVIDERS = ("app.quizzes.services", "app.practicum.services")


@dataclass(frozen=True)
class ModuleSection:
    """A feature's part of the module page: its template, and the data it shows (loaded, never lazily)."""

    template: str
    data: Any


def module_sections(module: Module, user: Any) -> list[ModuleSection]:
    sections = []
    for name in SECTION_PROVIDERS:
        if importlib.util.find_spec(name) is None:
            continue
        build = getattr(importlib.import_module(name), "module_section", None)
        if build is not None and (section := build(module, user)) is not None:
            sections.append(section)
    return sections

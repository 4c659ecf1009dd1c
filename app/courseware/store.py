"""Put a checked CourseSpec into the database: idempotent, versioned by content hash.

Rows are matched by slug and updated in place; what disappeared from the files
is retired. Nothing here touches learners' records. The caller commits (or rolls
back: a failed load changes nothing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.courseware.models import Course, GlossaryTerm, Module, Reading
from app.courseware.reader import module_parts
from app.courseware.spec import CourseSpec, ReadingSpec
from app.db import db, utcnow


@dataclass
class LoadSummary:
    course: str
    changed: bool
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        detail = ", ".join(f"{n} {what}" for what, n in self.counts.items())
        return f"{self.course}: {'loaded' if self.changed else 'unchanged'} ({detail})"


def _reading_payload(spec: ReadingSpec) -> dict:
    return {locale: {**asdict(text), "sources": [asdict(s) for s in text.sources]}
            for locale, text in spec.versions.items()}


def _hash(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def store_course(spec: CourseSpec) -> LoadSummary:
    """Create or update one course from its spec."""
    course = db.session.scalar(
        select(Course).where(Course.slug == spec.slug)
        .options(selectinload(Course.modules).selectinload(Module.readings))
    )
    counts = {"modules": len(spec.modules), "readings": sum(len(m.readings) for m in spec.modules),
              "glossary terms": len(spec.glossary)}
    if course is not None and course.content_hash == spec.content_hash:
        return LoadSummary(spec.slug, False, counts)
    if course is None:
        course = Course(slug=spec.slug, title=spec.title, version=0)
        db.session.add(course)
        db.session.flush()
    course.title, course.summary, course.welcome = spec.title, spec.summary, spec.welcome
    course.completion = spec.completion
    course.content_hash, course.version, course.loaded_at = spec.content_hash, course.version + 1, utcnow()
    _store_glossary(course, spec)
    modules_by_slug = {m.slug: m for m in course.modules}
    for module_spec in spec.modules:
        module = modules_by_slug.pop(module_spec.slug, None)
        if module is None:
            module = Module(slug=module_spec.slug, position=module_spec.position, title=module_spec.title)
            course.modules.append(module)
        module.position, module.retired = module_spec.position, False
        module.title, module.summary = module_spec.title, module_spec.summary
        module.objectives = module_spec.objectives
        _store_readings(module, module_spec.readings)
        db.session.flush()
        for part in module_parts():
            if module_spec.parts.get(part.filename) is not None:
                part.store(module_spec.parts[part.filename], module, db.session)
            elif hasattr(part, "retire"):  # the file is gone: its rows stay for learners' history, unshown
                part.retire(module, db.session)
    for retired in modules_by_slug.values():
        retired.retired = True
    db.session.flush()
    return LoadSummary(spec.slug, True, counts)


def _store_readings(module: Module, specs: list[ReadingSpec]) -> None:
    existing = {r.slug: r for r in module.readings}
    for spec in specs:
        payload = _reading_payload(spec)
        reading = existing.pop(spec.slug, None)
        if reading is None:
            reading = Reading(slug=spec.slug, position=spec.position, versions=payload, content_hash="")
            module.readings.append(reading)
        reading.position, reading.retired = spec.position, False
        digest = _hash(payload)
        if reading.content_hash != digest:
            reading.versions, reading.content_hash = payload, digest
            reading.titles = {loc: {"title": v["title"], "minutes": v["minutes"]} for loc, v in payload.items()}
    for retired in existing.values():
        retired.retired = True


def _store_glossary(course: Course, spec: CourseSpec) -> None:
    existing = {t.slug: t for t in db.session.scalars(
        select(GlossaryTerm).where(GlossaryTerm.course_id == course.id))}
    for term_spec in spec.glossary:
        term = existing.pop(term_spec.slug, None)
        if term is None:
            term = GlossaryTerm(course_id=course.id, slug=term_spec.slug, position=term_spec.position,
                                term={}, definition={})
            db.session.add(term)
        term.position, term.term = term_spec.position, term_spec.term
        term.definition, term.source = term_spec.definition_html, term_spec.source
    for gone in existing.values():
        db.session.delete(gone)

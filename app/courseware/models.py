"""The live copy of the course: courses, modules, readings and glossary terms.

Rows are keyed by stable slugs, so learners' progress survives reloads; an item
removed from the files is retired, not deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import db, utcnow

Json = JSON().with_variant(JSONB(), "postgresql")


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(Json)
    summary: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    welcome: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # course.yaml's completion rules, e.g. {"quizzes": "passed", "assignments": "accepted"}
    completion: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )


class Module(db.Model):
    __tablename__ = "module"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    title: Mapped[dict[str, str]] = mapped_column(Json)
    summary: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    objectives: Mapped[dict[str, list[str]]] = mapped_column(Json, default=dict)
    retired: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="modules")
    readings: Mapped[list[Reading]] = relationship(
        back_populates="module", order_by="Reading.position", cascade="all, delete-orphan"
    )


class Reading(db.Model):
    __tablename__ = "reading"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    # {locale: {"title", "minutes"}}: what lists show, without loading the texts
    titles: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # {locale: {"title", "minutes", "html", "sources": [{"id", "title", "url"}], "words"}}
    versions: Mapped[dict[str, Any]] = mapped_column(Json, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(default=False)

    module: Mapped[Module] = relationship(back_populates="readings")


class GlossaryTerm(db.Model):
    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    term: Mapped[dict[str, str]] = mapped_column(Json)
    definition: Mapped[dict[str, str]] = mapped_column(Json)
    source: Mapped[dict[str, str] | None] = mapped_column(Json, nullable=True)

"""The practicum as stored: versions of the scenario and the assignment, and what learners did with them.

A module's scenario and assignment are kept by a stable slug; each distinct content becomes an immutable
version, and a playthrough or a submission points at the version it used, so reloading the course never
rewrites a learner's history. The rules (how a path scores, what a submission may hold) live in scenario.py
and assignment.py; these rows only remember.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.accounts.models import User
from app.courseware.models import Json, Module
from app.db import db, utcnow


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=16, values_callable=lambda members: [m.value for m in members])


class PlaythroughStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class SubmissionStatus(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for a trainer
    RETURNED = "returned"  # graded, and the learner is asked to revise
    ACCEPTED = "accepted"  # graded, and final


class ModuleItem:
    """What a module's scenario and assignment share: a stable slug in the module, the hash of the current
    version, and `retired` once its file is gone (its rows stay for the learners' history)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    current_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(default=False)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("module_id", "slug"),)

    @declared_attr
    def module(cls) -> Mapped[Module]:
        return relationship()


class Scenario(ModuleItem, db.Model):
    """A module's scenario; learners start its current version."""

    __tablename__ = "scenario"


class ScenarioVersion(db.Model):
    """One content of a scenario, never changed once stored."""

    __tablename__ = "scenario_version"
    __table_args__ = (
        UniqueConstraint("scenario_id", "content_hash", name="uq_scenario_version_content_hash"),
        UniqueConstraint("scenario_id", "number", name="uq_scenario_version_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # scenario.yaml's data as checked by parse_scenario, which rebuilds the Scenario from it. Deferred, as html:
    # hundreds of KB of JSON that the course and module pages need not decode on every request to know that a
    # version exists; services.facts_of reads it once per process and version, the play pages undefer html.
    definition: Mapped[dict[str, Any]] = mapped_column(Json, deferred=True)
    # {node id: {"text": {locale: html}, "debrief": {locale: html}}}: the Markdown, rendered and sanitized once
    html: Mapped[dict[str, Any]] = mapped_column(Json, default=dict, deferred=True)
    # {image src as written: sha256 of the file in practicum_image}
    images: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship()


# The partial index's predicate, as a literal: an ON CONFLICT naming it with a bound value stops matching the index
# once PostgreSQL plans the prepared statement without its values (tests/db/test_practicum_start_repeated.py).
IN_PROGRESS_ONLY = text("status = 'in_progress'")


class Playthrough(db.Model):
    """One play of a scenario version: the path of choice ids taken from the start, and its result."""

    __tablename__ = "playthrough"
    __table_args__ = (
        # A learner has at most one unfinished playthrough of a scenario: two tabs pressing "Start" get one.
        Index(
            "uq_playthrough_in_progress", "user_id", "scenario_id", unique=True,
            sqlite_where=IN_PROGRESS_ONLY, postgresql_where=IN_PROGRESS_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id", ondelete="CASCADE"), index=True)
    path: Mapped[list[str]] = mapped_column(Json, default=list)
    # len(path): a choice is recorded only if the page it came from showed this step (see services)
    steps: Mapped[int] = mapped_column(default=0)
    status: Mapped[PlaythroughStatus] = mapped_column(_enum(PlaythroughStatus), default=PlaythroughStatus.IN_PROGRESS)
    scores: Mapped[dict[str, int]] = mapped_column(Json, default=dict)
    total: Mapped[int | None]
    passed: Mapped[bool | None]
    ending_id: Mapped[str | None] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion] = relationship()

    @property
    def finished(self) -> bool:
        return self.status is PlaythroughStatus.FINISHED


class Assignment(ModuleItem, db.Model):
    """A module's writing assignment; learners answer its current version."""

    __tablename__ = "assignment"


class AssignmentVersion(db.Model):
    """One content of an assignment and its rubric, never changed once stored."""

    __tablename__ = "assignment_version"
    __table_args__ = (
        UniqueConstraint("assignment_id", "content_hash", name="uq_assignment_version_content_hash"),
        UniqueConstraint("assignment_id", "number", name="uq_assignment_version_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # Deferred, as the scenario's: read once per process through services.assignment_of, and by the task's page.
    definition: Mapped[dict[str, Any]] = mapped_column(Json, deferred=True)  # assignment.yaml's data, checked
    prompt_html: Mapped[dict[str, str]] = mapped_column(Json, default=dict, deferred=True)  # {locale: sanitized html}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship()


class Submission(db.Model):
    """One revision of a learner's answer, with the text of each part exactly as written."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("user_id", "assignment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("assignment_version.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]  # 1 for the first submission, then one more for each resubmission
    answers: Mapped[dict[str, str]] = mapped_column(Json)
    status: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus), default=SubmissionStatus.SUBMITTED,
                                                     index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    graded_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    version: Mapped[AssignmentVersion] = relationship()
    assignment: Mapped[Assignment] = relationship()
    grade: Mapped[Grade | None] = relationship(back_populates="submission")

    @property
    def awaiting_grade(self) -> bool:
        return self.status is SubmissionStatus.SUBMITTED


class Grade(db.Model):
    """A trainer's grade of one submission: the level chosen per rubric criterion, points and feedback."""

    __tablename__ = "grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    levels: Mapped[dict[str, int]] = mapped_column(Json)  # criterion id -> index of the level, 0 the weakest
    points: Mapped[int]
    max_points: Mapped[int]
    feedback: Mapped[str] = mapped_column(Text)  # plain text, shown escaped
    decision: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="grade")
    trainer: Mapped[User | None] = relationship()


class PracticumImage(db.Model):
    """An image a scenario shows, kept in the database by its content hash so app nodes share nothing else."""

    __tablename__ = "practicum_image"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

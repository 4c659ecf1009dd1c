"""Quizzes, their versioned questions, learners' attempts, trainers' essay marks and regrades.

A question's versions are immutable once an attempt drew them: an attempt freezes the version ids and option
orders it drew, so editing a question (on the web or by reloading the course files) never changes what an old
attempt shows or how it scores, unless a trainer regrades it on purpose.
"""

from __future__ import annotations

import enum
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.courseware.models import Json, Module
from app.db import db, utcnow
from app.quizzes.grading import AttemptScore
from app.quizzes.quizspec import QuizSettings
from app.quizzes.rules import AttemptStatus, check_transition


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=20, values_callable=lambda members: [m.value for m in members])


class QuizStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Quiz(db.Model):
    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # A module has at most one quiz; a quiz made on the web or from GIFT may belong to no module.
    module_id: Mapped[int | None] = mapped_column(ForeignKey("module.id", ondelete="SET NULL"), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(Json)
    settings: Mapped[dict[str, Any]] = mapped_column(Json)
    questions_per_page: Mapped[int] = mapped_column(default=1)
    status: Mapped[QuizStatus] = mapped_column(_enum(QuizStatus), default=QuizStatus.DRAFT)
    # Hash of the quiz.yaml last loaded: an unchanged file does not undo the trainers' web edits.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    module: Mapped[Module | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def quiz_settings(self) -> QuizSettings:
        return QuizSettings(**self.settings)

    @quiz_settings.setter
    def quiz_settings(self, value: QuizSettings) -> None:
        self.settings = asdict(value)

    @property
    def is_published(self) -> bool:
        return self.status is QuizStatus.PUBLISHED

    @property
    def live_questions(self) -> list[Question]:
        return [q for q in self.questions if not q.retired]


class Question(db.Model):
    """A question's stable identity in its quiz; what it says lives in its versions."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("quiz_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    # Removed from the quiz, kept for the attempts that drew it.
    retired: Mapped[bool] = mapped_column(default=False)
    current_number: Mapped[int] = mapped_column(default=1)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin="and_(QuestionVersion.question_id == Question.id, "
                    "QuestionVersion.number == Question.current_number)",
        viewonly=True, uselist=False, lazy="raise",
    )


class QuestionVersion(db.Model):
    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    type_name: Mapped[str] = mapped_column(String(16))
    # As quiz.yaml writes the question (Markdown texts), and the same with the texts rendered and sanitized.
    definition: Mapped[dict[str, Any]] = mapped_column(Json)
    html: Mapped[dict[str, Any]] = mapped_column(Json)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Set when an attempt first draws this version: from then on it never changes.
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(lazy="raise")


class Attempt(db.Model):
    __tablename__ = "attempt"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[AttemptStatus] = mapped_column(_enum(AttemptStatus), default=AttemptStatus.IN_PROGRESS,
                                                  index=True)
    # What was drawn, frozen: [{"question": slug, "version": id, "order": [option ids as shown]}, ...]
    slots: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    # Saved form data per slot index ("0", "1", ...), kept as typed; see responses.py.
    answers: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # Slots the learner checked (feedback after each question): they can no longer be changed.
    checked: Mapped[list[int]] = mapped_column(Json, default=list)
    # The fraction earned per slot once graded (None: awaiting a trainer), for reviews and statistics.
    marks: Mapped[list[float | None] | None] = mapped_column(Json, nullable=True)
    # Bumped by every write, so two tabs saving at once cannot overwrite each other's answers.
    revision: Mapped[int] = mapped_column(default=0)
    last_page: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    graded_at: Mapped[datetime | None]
    points: Mapped[float | None]
    max_points: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    @property
    def finished(self) -> bool:
        return self.status.finished

    def record_score(self, score: AttemptScore, marks: list[float | None]) -> None:
        """Store a (re)computed score; only a submitted attempt has one."""
        wanted = AttemptStatus.AWAITING_GRADING if score.awaiting_grading else AttemptStatus.GRADED
        check_transition(self.status, wanted)
        self.status = wanted
        self.points, self.max_points, self.percent = score.points, score.max_points, score.percent
        self.passed = score.passed
        self.marks = marks
        self.graded_at = utcnow() if wanted is AttemptStatus.GRADED else None


class ManualGrade(db.Model):
    """A trainer's mark for an essay in an attempt."""

    __tablename__ = "manual_grade"
    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int]
    points: Mapped[float]
    comment: Mapped[str] = mapped_column(Text, default="")
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    graded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Regrade(db.Model):
    """One regrade of a quiz's attempts after a fix to a key: who, when, and every score it changed."""

    __tablename__ = "regrade"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    # [{"attempt": id, "user": id, "before": percent, "after": percent, "versions": {slot: [old, new]}}]
    details: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)

"""Writing quizzes and questions: from the web forms, GIFT files and the course files alike.

A question's definition changes in place while no attempt has drawn it; once one has, a change makes a new
version and the old one stays as the attempts saw it. Services here add and flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import User
from app.courseware.models import Course, Module
from app.db import db
from app.quizzes.models import Attempt, Question, QuestionVersion, Quiz, QuizStatus
from app.quizzes.questions import Question as QuestionSpec
from app.quizzes.questions import to_courseware
from app.quizzes.quizspec import QuizSettings
from app.quizzes.rendering import canonical, content_hash, render_definition
from app.quizzes.rules import AttemptStatus


def quiz_with_questions(slug: str) -> Quiz | None:
    """A quiz with its questions and their current versions: three queries."""
    return db.session.scalar(
        select(Quiz).where(Quiz.slug == slug)
        .options(selectinload(Quiz.questions).selectinload(Question.current), selectinload(Quiz.module))
    )


def free_quiz_slug(wanted: str) -> str:
    taken = set(db.session.scalars(select(Quiz.slug).where(Quiz.slug.like(f"{wanted}%"))))
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def create_quiz(*, slug: str, title: Mapping[str, str], settings: QuizSettings, module: Module | None = None,
                questions_per_page: int = 1, status: QuizStatus = QuizStatus.DRAFT) -> Quiz:
    quiz = Quiz(slug=slug, title=dict(title), settings=asdict(settings), module_id=module.id if module else None,
                questions_per_page=questions_per_page, status=status, questions=[])
    db.session.add(quiz)
    db.session.flush()
    return quiz


def update_quiz(quiz: Quiz, *, title: Mapping[str, str], settings: QuizSettings, module_id: int | None,
                questions_per_page: int) -> None:
    quiz.title, quiz.quiz_settings, quiz.module_id = dict(title), settings, module_id
    quiz.questions_per_page = questions_per_page


def set_status(quiz: Quiz, status: QuizStatus) -> None:
    quiz.status = status


def set_definition(question: Question, current: QuestionVersion | None, definition: Mapping[str, Any],
                   *, actor: User | None) -> QuestionVersion | None:
    """Give ``question`` this definition; returns the version that now holds it, None when nothing changed.

    Raises rendering.DefinitionError when the definition is not a valid question.
    """
    clean = canonical({**definition, "id": question.slug})
    digest = content_hash(clean)
    if current is not None and current.content_hash == digest:
        return None
    values = {"definition": clean, "html": render_definition(clean), "content_hash": digest,
              "type_name": clean["type"]}
    if current is not None and not current.locked:
        # Conditional, so an attempt that locks the version at this moment keeps what it drew.
        changed = db.session.execute(
            update(QuestionVersion).where(QuestionVersion.id == current.id, QuestionVersion.locked.is_(False))
            .values(**values).execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            db.session.expire(current)
            return current
    version = QuestionVersion(question_id=question.id, number=(current.number if current else 0) + 1,
                              created_by_id=actor.id if actor else None, **values)
    db.session.add(version)
    question.current_number = version.number
    db.session.flush()
    return version


def next_question_slug(quiz: Quiz) -> str:
    taken = {q.slug for q in quiz.questions}
    number = len(taken) + 1
    while f"q{number:02d}" in taken:
        number += 1
    return f"q{number:02d}"


def _unique_slug(wanted: str, taken: set[str]) -> str:
    slug, number = wanted, 2
    while slug in taken:
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def add_question(quiz: Quiz, definition: Mapping[str, Any], *, actor: User | None) -> Question:
    """A new question at the end of the quiz; its slug is the definition's id, made unique in the quiz."""
    slug = _unique_slug(str(definition.get("id") or next_question_slug(quiz)), {q.slug for q in quiz.questions})
    position = db.session.scalar(select(func.coalesce(func.max(Question.position), 0))
                                 .where(Question.quiz_id == quiz.id)) + 1
    question = Question(quiz_id=quiz.id, slug=slug, position=position, current_number=0)
    db.session.add(question)
    db.session.flush()
    set_definition(question, None, definition, actor=actor)
    quiz.questions.append(question)
    return question


def add_questions(quiz: Quiz, questions: Iterable[QuestionSpec], *, actor: User | None) -> list[Question]:
    """Append questions read from elsewhere (a GIFT file), all or nothing: the caller rolls back on error."""
    return [add_question(quiz, to_courseware(q), actor=actor) for q in questions]


def edit_question(question: Question, definition: Mapping[str, Any], *, actor: User | None) -> bool:
    """Save a trainer's edit; True when it changed anything."""
    return set_definition(question, question.current, definition, actor=actor) is not None


def move_question(quiz: Quiz, question: Question, step: int) -> None:
    """Swap the question with its live neighbour above (-1) or below (+1)."""
    live = quiz.live_questions
    index = live.index(question)
    other = index + step
    if 0 <= other < len(live):
        for position, item in enumerate(live, start=1):
            item.position = position
        live[index].position, live[other].position = live[other].position, live[index].position


def retire_question(question: Question) -> None:
    """Take a question out of the quiz; attempts that drew it keep it."""
    question.retired = True


@dataclass(frozen=True)
class QuizRow:
    quiz: Quiz
    questions: int
    attempts: int
    awaiting: int


def quiz_rows(course_slug: str | None = None) -> list[QuizRow]:
    """Every quiz (of one course, with the quizzes of no module, when asked) with its counts: three queries."""
    statement = (select(Quiz).outerjoin(Quiz.module).outerjoin(Module.course)
                 .options(contains_eager(Quiz.module).contains_eager(Module.course))
                 .order_by(Course.id, Module.position, Quiz.slug))
    if course_slug:
        statement = statement.where(or_(Course.slug == course_slug, Quiz.module_id.is_(None)))
    quizzes = list(db.session.scalars(statement))
    ids = [q.id for q in quizzes]
    questions = dict(db.session.execute(
        select(Question.quiz_id, func.count()).where(Question.quiz_id.in_(ids), Question.retired.is_(False))
        .group_by(Question.quiz_id)).all()) if ids else {}
    attempts: dict[int, list[int]] = {}
    if ids:
        for quiz_id, status, count in db.session.execute(
                select(Attempt.quiz_id, Attempt.status, func.count()).where(Attempt.quiz_id.in_(ids))
                .group_by(Attempt.quiz_id, Attempt.status)):
            totals = attempts.setdefault(quiz_id, [0, 0])
            totals[0] += count
            totals[1] += count if status == AttemptStatus.AWAITING_GRADING else 0
    return [QuizRow(q, questions.get(q.id, 0), *attempts.get(q.id, [0, 0])) for q in quizzes]


def modules_for_quiz(quiz: Quiz | None) -> list[Module]:
    """The live modules a quiz may be attached to: those without a quiz, and its own."""
    taken = select(Quiz.module_id).where(Quiz.module_id.is_not(None))
    if quiz is not None:
        taken = taken.where(Quiz.id != quiz.id)
    return list(db.session.scalars(
        select(Module).join(Module.course).where(Module.retired.is_(False), Module.id.not_in(taken))
        .options(contains_eager(Module.course)).order_by(Course.id, Module.position)))

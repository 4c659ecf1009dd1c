"""A module's quiz.yaml: checked by ``courseware check``, stored by ``courseware load``, written by ``export``.

The quiz of a module is found by the module, its questions by their ids (stable slugs). A load changes only
what changed: an edited question gets a new version when attempts have used the old one, a question gone from
the file is retired, never deleted. A file that has not changed since the last load leaves the quiz alone, so
trainers' web edits survive a reload of an untouched course; ``courseware export`` writes them back to files.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.courseware.models import Module
from app.courseware.report import Report
from app.quizzes import authoring
from app.quizzes.models import Question, Quiz, QuizStatus
from app.quizzes.questions import to_courseware
from app.quizzes.quizspec import QuizSpec, parse_quiz, quiz_to_courseware
from app.quizzes.rendering import canonical, content_hash


def _module_quiz(module: Module, session: Any) -> Quiz | None:
    return session.scalar(
        select(Quiz).where(Quiz.module_id == module.id)
        .options(selectinload(Quiz.questions).selectinload(Question.current))
    )


class QuizFile:
    filename = "quiz.yaml"

    def parse(self, data: Any, path: Path, report: Report, context: dict) -> QuizSpec | None:
        parsed = parse_quiz(data)
        for problem in parsed.errors:
            report.error(path, problem.line, str(problem))
        for problem in parsed.warnings:
            report.warning(path, problem.line, str(problem))
        return parsed.spec

    def store(self, spec: QuizSpec, module: Module, session: Any) -> None:
        quiz = _module_quiz(module, session)
        digest = content_hash(quiz_to_courseware(spec))
        if quiz is None:
            slug = authoring.free_quiz_slug(module.slug)
            quiz = authoring.create_quiz(slug=slug, title=spec.title, settings=spec.settings, module=module,
                                         status=QuizStatus.PUBLISHED)
        elif quiz.source_hash == digest:
            return
        quiz.title, quiz.quiz_settings = dict(spec.title), spec.settings
        existing = {q.slug: q for q in quiz.questions}
        for position, question in enumerate(spec.questions, start=1):
            row = existing.pop(question.id, None)
            if row is None:
                row = authoring.add_question(quiz, to_courseware(question), actor=None)
            else:
                authoring.set_definition(row, row.current, to_courseware(question), actor=None)
            row.position, row.retired = position, False
        for gone in existing.values():
            gone.retired = True
        quiz.source_hash = digest
        session.flush()

    def retire(self, module: Module, session: Any) -> None:
        """The module's quiz.yaml is gone: its quiz, if it came from a file, is hidden (drafted), not deleted."""
        quiz = session.scalar(select(Quiz).where(Quiz.module_id == module.id))
        if quiz is not None and quiz.source_hash:
            quiz.status, quiz.source_hash = QuizStatus.DRAFT, ""

    def export(self, module: Module, session: Any) -> dict[str, Any] | None:
        """The live quiz of the module as quiz.yaml content, web edits included; None when it has none."""
        quiz = _module_quiz(module, session)
        if quiz is None or not quiz.live_questions:
            return None
        # Re-read in quiz.yaml's key order (PostgreSQL's JSONB keeps its own).
        return {"title": dict(quiz.title), "settings": asdict(quiz.quiz_settings),
                "questions": [canonical(q.current.definition) for q in quiz.live_questions]}


PARTS = [QuizFile()]
